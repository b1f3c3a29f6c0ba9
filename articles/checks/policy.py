"""The editorial policy the checks enforce (EDITORIAL_POLICY.md at the project's root): its
sections, each with the anchor a rule file's `policy` names."""
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.text import slugify

POLICY_FILE = Path(settings.BASE_DIR) / "EDITORIAL_POLICY.md"


@dataclass(frozen=True)
class PolicySection:
    anchor: str   # "claims", "doses": what a rule file's policy names
    title: str
    text: str


@cache
def policy_sections(path: Path = POLICY_FILE) -> tuple[PolicySection, ...]:
    sections: list[PolicySection] = []
    title, lines = None, []

    def close():
        if title:
            sections.append(PolicySection(slugify(title), title, " ".join(" ".join(lines).split())))

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            close()
            title, lines = line[3:].strip(), []
        elif title:
            lines.append(line)
    close()
    return tuple(sections)
