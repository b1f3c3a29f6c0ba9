"""Dependencies point one way: public and desk -> reviews -> articles (DESIGN.md, "Code layout").

articles names none of the other apps: not in an import, not in a string (an app label, a URL
name like "desk:edit", a dotted path), not in a comment. reviews imports neither desk nor public.
"""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS_ABOVE = {"articles": ("reviews", "desk", "public"), "reviews": ("desk", "public")}
# "reviews.editing", "desk:edit", "public/article_detail.html": a reference, not an English word.
REFERENCE = r"\b({})[.:/][A-Za-z_]"


def python_files(app: str):
    return sorted((ROOT / app).rglob("*.py"))


def imported_modules(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def app_labels(tree: ast.AST):
    """App labels as code uses them: apps.get_model("label", ...) and a migration's ("label", "0001")."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "get_model" and node.args:
            first = node.args[0]
        elif isinstance(node, ast.Tuple) and len(node.elts) == 2:
            first = node.elts[0]
        else:
            continue
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield node, first.value


def offences(app: str, *, strings: bool) -> list[str]:
    above = APPS_ABOVE[app]
    pattern = re.compile(REFERENCE.format("|".join(above)))
    found = []
    for path in python_files(app):
        source = path.read_text()
        tree = ast.parse(source)
        name = path.relative_to(ROOT)
        found += [f"{name}: imports {module}" for module in imported_modules(tree)
                  if module.split(".")[0] in above]
        if not strings:
            continue
        found += [f"{name}:{number}: {line.strip()}" for number, line in enumerate(source.splitlines(), 1)
                  if pattern.search(line)]
        found += [f"{name}:{node.lineno}: the app label {label!r}" for node, label in app_labels(tree)
                  if label in above]
    return found


def test_articles_names_none_of_the_other_apps():
    assert offences("articles", strings=True) == []


def test_reviews_imports_neither_the_desk_nor_the_public_site():
    assert offences("reviews", strings=False) == []


@pytest.mark.parametrize("line", ["from reviews.permissions import may", 'reverse("desk:edit")',
                                  'apps.get_model("reviews", "ReviewerProfile")'])
def test_the_check_catches_a_reference_of_each_kind(tmp_path, monkeypatch, line):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "leak.py").write_text(line + "\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)

    assert offences("articles", strings=True)
