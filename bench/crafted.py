"""Crafted input through every path that parses a writer's HTML: how long each takes at the size
limit (issue 14, item 7, "No request can hold a worker"; goal: linear, under 1 s).

    .venv/bin/python bench/crafted.py [--size CHARS] [--runs N] [--only NAME,...]

Each input is one short unit repeated to --size characters (default: sanitize.MAX_HTML_CHARS, the
limit), put in the body and in the first required section, then sent through:

    clean_html  articles.sanitize.clean_html (what every save runs, under the row lock)
    checks      articles.checks.run_checks on the raw text (the editor's panel, a refused save)
    gate        articles.gate.gate_failures on the raw text
    endpoint    POST /editorial/gate/ as a logged-in writer (Django's test Client)
    import      articles.importer.parse_file on an .html file holding the input

A row is (name, path, input size, seconds): the fastest of --runs. Inputs over a limit (size,
nesting, tags, sentences: articles.limits) are refused by check_limits, which is part of what is
timed; the "at the limit" inputs hold the most the limits let through. The endpoint runs on a
throwaway in-memory SQLite database made on first use. bench/scale.py imports crafted_rows.
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

import django  # noqa: E402

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402

from articles.sanitize import MAX_HTML_CHARS, MAX_NESTING_DEPTH  # noqa: E402

# name -> the unit repeated to the size (a string), or a function of the size.
CRAFTED = {
    "p soup": "<p ",
    "a href soup": "<a href>",
    "unknown script-x": "<script-x></script-x>",
    "deep nesting at the limit": lambda size: _fill(
        "<div>" * MAX_NESTING_DEPTH + "deep " + "</div>" * MAX_NESTING_DEPTH, size),
    "unclosed tags": "<p>x<li>y<td>z<b",
    "attribute soup": "<a b=",
    "quoted attribute soup": "<a href='",
    "comment soup": "<!--",
    "CDATA soup": "<![CDATA[",
    "entity soup": "&#",
    "lone <": "<",
    "end tag soup": "</",
    "image comment soup": "<img <!--",
    "long word": "a",
    "one <li> list": lambda size: "<ul>" + _fill("<li>Take it with food. ", size - 10) + "</ul>",
    "many paragraphs": "<p>Sleep.</p>",
    "sentences": "Take it. ",
    # Read one character per Python call by html5lib, or by bleach's handling of "&" (issue 14).
    "empty tag soup": "<>",
    "ampersand soup": "&",
    "control characters": "\x01",
    "long tag name": lambda size: "<" + "a" * (size - 1),
    "attribute name of digits": lambda size: "<p " + "1" * (size - 3),
    "many attributes": lambda size: "<b" + _fill(" a", size - 3) + ">",
    "quotes in a tag": lambda size: "<p " + _fill("'", size - 3),
    "comment dashes": lambda size: "<!--" + _fill("-x", size - 4),
    "comments and text": "<!-- x -->y",
    "ampersands in a link": lambda size: '<a href="' + _fill("&", size - 16) + '">x</a>',
    # Within the limits (10,000 tags, 10,000 sentences): the most an input may hold.
    "paragraphs at the tag limit": lambda size: "<p>Sleep.</p>" * 5_000,
    "list items at the tag limit": lambda size: "<ul>" + "<li>Take it with food. " * 9_998 + "</ul>",
    "misnested formatting at the tag limit": lambda size: "<b><i>x</b></i>" * 2_500,
    "sentences at the limit": lambda size: "Take it. " * 10_000,
}
PATHS = ("clean_html", "checks", "gate", "endpoint", "import")


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def crafted_text(name: str, size: int = MAX_HTML_CHARS) -> str:
    unit = CRAFTED[name]
    return unit(size) if callable(unit) else _fill(unit, size)


def _content(text: str):
    from articles.content import ArticleContent
    from articles.sections import SECTION_KEYS

    sections = dict.fromkeys(SECTION_KEYS, "")
    sections[_article_type().required_sections[0]] = text
    return ArticleContent(title="Valerian", summary="What it is.", body=text, article_type_key="substance",
                          sections=sections, references=[])


_state: dict = {}


def _article_type():
    from articles.models import ArticleType
    from articles.sections import SECTION_KEYS

    if "type" not in _state:
        _state["type"] = ArticleType(key="substance", name="Substance", min_references=3,
                                     required_sections=list(SECTION_KEYS)[:6])
    return _state["type"]


def _client():
    """A Client logged in as a writer, on an in-memory test database made once."""
    if "client" not in _state:
        from django.db import connection
        from django.test import Client
        from django.test.utils import setup_test_environment

        from tests.factories import make_writer

        if not connection.settings_dict["NAME"].startswith(("file:memorydb", ":memory:")) \
                and not connection.settings_dict.get("TEST_READY"):
            setup_test_environment()
            connection.creation.create_test_db(verbosity=0)
            connection.settings_dict["TEST_READY"] = True
        client = Client()
        client.force_login(make_writer("crafted-bench-writer"))
        _state["client"] = client
    return _state["client"]


def _endpoint_post(text: str) -> dict:
    from articles.sections import SECTION_KEYS

    data = {"title": "Valerian", "summary": "What it is.", "article_type": "substance", "body": text,
            "refs-TOTAL_FORMS": "0", "refs-INITIAL_FORMS": "0", "refs-MIN_NUM_FORMS": "0",
            "refs-MAX_NUM_FORMS": "100"}
    data[f"section_{list(SECTION_KEYS)[0]}"] = text
    return data


def run_path(path: str, text: str) -> None:
    """One pass of `text` through `path`; a refusal at the limits counts as done."""
    try:
        if path == "clean_html":
            from articles.sanitize import clean_html
            clean_html(text)
        elif path == "checks":
            from articles.checks import run_checks
            run_checks(_content(text), _article_type())
        elif path == "gate":
            from articles.gate import gate_failures
            gate_failures(_content(text), _article_type())
        elif path == "endpoint":
            from django.urls import reverse
            response = _client().post(reverse("desk:gate"), _endpoint_post(text))
            assert response.status_code == 200, response.status_code
        elif path == "import":
            from articles.importer import ImportProblem, parse_file
            header = "<h1>Valerian</h1>\n"
            with tempfile.NamedTemporaryFile("w", suffix=".html", encoding="utf-8", delete=False) as file:
                file.write(header + text[:MAX_HTML_CHARS - len(header)])
            try:
                parse_file(file.name)
            except ImportProblem:
                pass
            finally:
                os.unlink(file.name)
        else:
            raise ValueError(path)
    except ValidationError:
        pass


def time_path(path: str, text: str, runs: int = 1) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        run_path(path, text)
        best = min(best, time.perf_counter() - start)
    return best


def crafted_rows(size: int = MAX_HTML_CHARS, runs: int = 1, names=None, paths=PATHS) -> list[tuple]:
    """(name, path, input size in characters, seconds) for each crafted input through each path."""
    rows = []
    if "endpoint" in paths:
        _client()  # the database and the login, outside the timing
    for name in names or CRAFTED:
        text = crafted_text(name, size)
        for path in paths:
            rows.append((name, path, len(text), time_path(path, text, runs)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=MAX_HTML_CHARS)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--only", default="", help="comma-separated input names")
    args = parser.parse_args()
    names = [name for name in args.only.split(",") if name] or None
    rows = crafted_rows(args.size, args.runs, names)
    width = max(len(name) for name, *_ in rows)
    print(f"{'input':<{width}}  {'path':<10}  {'chars':>7}  seconds")
    for name, path, chars, seconds in rows:
        print(f"{name:<{width}}  {path:<10}  {chars:>7}  {seconds:7.3f}", flush=True)
    print(f"slowest: {max(row[3] for row in rows):.3f} s")


if __name__ == "__main__":
    main()
