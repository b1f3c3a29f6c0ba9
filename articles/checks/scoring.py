"""Scoring the checks against a labelled corpus of real pages (../shared/checks-corpus/ and any
folder laid out the same way): per code per file, as the corpus's README says.

A `must` code raised anywhere in a file is a true positive, one not raised a miss; a `must_not`
code raised is a false alarm. Recall = TP / (TP + misses), precision = TP / (TP + false alarms).
"""
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError

from ..content import ArticleContent
from ..importer import ImportProblem, parse_file
from ..sanitize import clean_html
from .engine import Finding

IGNORED = frozenset({"MISSING_SECTION"})  # excerpts are not whole articles


def file_content(path, type_key: str = "substance") -> ArticleContent:
    """A file read as import_articles reads it, and sanitized as it would be stored.
    Raises ImportProblem or ValidationError when it cannot be read."""
    content = parse_file(path).content(type_key)
    return ArticleContent(
        title=content.title, summary=content.summary, body=clean_html(content.body),
        article_type_key=type_key, references=content.references,
        sections={key: clean_html(html) for key, html in content.sections.items()},
    )


@dataclass
class FileScore:
    name: str
    found: set[str]
    must: set[str]
    must_not: set[str]
    findings: list[Finding] = field(default_factory=list)

    @property
    def hits(self) -> set[str]:
        return self.found & self.must

    @property
    def misses(self) -> set[str]:
        return self.must - self.found

    @property
    def false_alarms(self) -> set[str]:
        return self.found & self.must_not


@dataclass
class Score:
    files: list[FileScore]

    def _sum(self, files, attribute) -> int:
        return sum(len(getattr(item, attribute)) for item in files)

    def figures(self, files=None) -> tuple[int, int, int]:
        files = self.files if files is None else files
        return self._sum(files, "hits"), self._sum(files, "misses"), self._sum(files, "false_alarms")

    def recall(self, files=None) -> float:
        hits, misses, _ = self.figures(files)
        return hits / (hits + misses) if hits + misses else 1.0

    def precision(self, files=None) -> float:
        hits, _, alarms = self.figures(files)
        return hits / (hits + alarms) if hits + alarms else 1.0

    def by_code(self) -> dict[str, tuple[int, int, int, int]]:
        """code -> (must found, must labelled, false alarms, must_not labelled)."""
        counts: Counter = Counter()
        for item in self.files:
            for code in item.must:
                counts[code, "must"] += 1
                counts[code, "hit"] += code in item.found
            for code in item.must_not:
                counts[code, "must_not"] += 1
                counts[code, "alarm"] += code in item.found
        codes = sorted({code for code, _ in counts})
        return {code: (counts[code, "hit"], counts[code, "must"], counts[code, "alarm"], counts[code, "must_not"])
                for code in codes}


def score_corpus(folder, run, type_key: str = "substance") -> Score:
    """Run `run(content) -> [Finding]` on every labelled file of the folder and score it."""
    folder = Path(folder)
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    files = []
    for name, label in sorted(labels.items()):
        if name.startswith("_"):
            continue
        try:
            findings = run(file_content(folder / name, type_key))
        except (ImportProblem, ValidationError) as problem:
            raise ValueError(f"{name}: {problem}") from None
        found = {finding.code for finding in findings} - IGNORED
        files.append(FileScore(name, found, set(label.get("must", ())) - IGNORED,
                               set(label.get("must_not", ())) - IGNORED, findings))
    return Score(files)
