"""The rule engine: what a rule and a finding are, the phrase matcher most rules share, and run.

A rule reads a Document and yields Hits (field, excerpt, optional message). The engine turns hits
into Findings with the rule's code and severity, drops repeats and sorts them in reading order.
"""
import enum
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .text import Document, Sentence, field_rank

EXCERPT_CHARS = 300


class Severity(enum.StrEnum):
    ERROR = "error"      # blocks submission until fixed, or until the writer records a reason
    WARNING = "warning"  # shown to writer and reviewer; never blocks


def fingerprint(excerpt: str) -> str:
    """What a waiver is tied to: the flagged text itself, so any change to it voids the waiver."""
    return hashlib.sha256(" ".join(excerpt.split()).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    # "title", "summary", "body", "references" or a safety section key: where the editor shows it.
    field: str
    excerpt: str
    # Gate failures (MISSING_SECTION) are answered by writing the section, never by a reason.
    waivable: bool = True

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.excerpt)

    def as_json(self) -> dict:
        """The check_article contract: exactly these four keys."""
        return {"code": self.code, "severity": str(self.severity), "message": self.message,
                "excerpt": self.excerpt}


@dataclass(frozen=True)
class Hit:
    field: str
    excerpt: str
    message: str = ""  # overrides the rule's message when the hit has more to say
    at: int = 0        # the block it was found in, for reading order


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    message: str
    find: Callable[[Document], Iterable[Hit]]
    waivable: bool = True


def excerpt_of(text: str, position: int = 0) -> str:
    """The sentence, or a window of it around `position` when it is very long."""
    if len(text) <= EXCERPT_CHARS:
        return text
    start = max(0, min(position - EXCERPT_CHARS // 3, len(text) - EXCERPT_CHARS))
    window = text[start:start + EXCERPT_CHARS]
    if start:
        window = "…" + window.split(" ", 1)[-1]
    if start + EXCERPT_CHARS < len(text):
        window = window.rsplit(" ", 1)[0] + "…"
    return window


# --- Phrases: the matcher most rules are made of ---

NEGATION_WORDS = ("not", "no", "never", "cannot", "can't", "don't", "doesn't", "isn't", "aren't", "won't",
                  "shouldn't", "nor", "neither", "nothing", "none", "hasn't", "haven't", "didn't", "without", "rarely",
                  "seldom", "unlikely", "fail", "fails", "failed")
_NEGATION_WINDOW = 40  # characters before a match, about five words


def negation_re(extra: Iterable[str] = ()) -> re.Pattern:
    words = sorted({*NEGATION_WORDS, *extra}, key=len, reverse=True)
    return re.compile(r"\b(?:%s)\b" % "|".join(re.escape(word) for word in words))


_DEFAULT_NEGATION = negation_re()
_CLAUSE_BREAK_RE = re.compile(r"[,;:()]|\b(?:but|although|though|while|whereas)\b")


def is_negated(folded: str, start: int, negation: re.Pattern = _DEFAULT_NEGATION) -> bool:
    """A negation shortly before `start`, in the same clause ("it does not cure", "no studies show")."""
    before = folded[max(0, start - _NEGATION_WINDOW):start]
    clause = _CLAUSE_BREAK_RE.split(before)[-1]
    return negation.search(clause) is not None


@dataclass(frozen=True)
class Phrase:
    pattern: str
    # Literal pieces of folded text, one of which any match contains. Python's regular expressions
    # are slow to scan for a pattern that starts with \b or a lookbehind (every position is tried),
    # while `needle in text` runs in C; so a phrase runs only where a needle is. Empty: always runs.
    needles: tuple[str, ...] = ()
    cited_ok: bool = True    # a citation in the same sentence answers it
    negatable: bool = True   # a negation just before it ("not", "no", "never") answers it
    unless: str = ""         # a sentence matching this is exempt
    requires: str = ""       # only a sentence matching this counts
    compiled: re.Pattern = field(init=False, repr=False, compare=False)
    compiled_unless: re.Pattern | None = field(init=False, repr=False, compare=False)
    compiled_requires: re.Pattern | None = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "compiled", re.compile(self.pattern))
        object.__setattr__(self, "compiled_unless", re.compile(self.unless) if self.unless else None)
        object.__setattr__(self, "compiled_requires", re.compile(self.requires) if self.requires else None)


def contains_any(text: str, needles) -> bool:
    for needle in needles:  # a plain loop: twice as fast as any() over a generator
        if needle in text:
            return True
    return False


def phrase_hits(sentence: Sentence, phrases: Iterable[Phrase],
                negation: re.Pattern = _DEFAULT_NEGATION) -> Iterator[re.Match]:
    """Matches of the phrases in one sentence that nothing answers (citation, negation, exemption)."""
    folded = sentence.folded
    for phrase in phrases:
        if phrase.cited_ok and sentence.cited:
            continue
        if phrase.needles and not contains_any(folded, phrase.needles):
            continue
        if phrase.compiled_unless is not None and phrase.compiled_unless.search(folded):
            continue
        if phrase.compiled_requires is not None and not phrase.compiled_requires.search(folded):
            continue
        for match in phrase.compiled.finditer(folded):
            if phrase.negatable and is_negated(folded, match.start(), negation):
                continue
            yield match
            break


def phrase_rule(phrases: tuple[Phrase, ...], *, headings: bool = False,
                negation: re.Pattern = _DEFAULT_NEGATION,
                accept: Callable[[Document, Sentence, re.Match], bool] | None = None):
    """A rule body that flags each sentence in which one of the phrases stands unanswered.

    Only the phrases with a needle in a block are tried on its sentences, so most blocks cost a
    few substring tests and no pattern at all. `accept` can veto a match using the whole
    document (for example "is this article about a habit-forming substance?").
    """
    def find(document: Document) -> Iterator[Hit]:
        for block in document.blocks:
            if block.is_heading and not headings:
                continue
            candidates = [phrase for phrase in phrases
                          if not phrase.needles or contains_any(block.folded, phrase.needles)]
            if not candidates:
                continue
            for sentence in block.sentences:
                for match in phrase_hits(sentence, candidates, negation):
                    if accept is None or accept(document, sentence, match):
                        yield Hit(sentence.field, excerpt_of(sentence.text, match.start()), at=block.index)
                        break
    return find


def words(*alternatives: str) -> str:
    """A whole-word alternation: words("potent", "effective") never matches "potential"."""
    return r"\b(?:%s)\b" % "|".join(alternatives)


# --- Running ---

def run_rules(rules: Iterable[Rule], document: Document) -> list[Finding]:
    """Every rule's findings, each (code, field, excerpt) once, in reading order."""
    rows: list[tuple[int, int, int, Finding]] = []
    seen: set[tuple[str, str, str]] = set()
    for order, rule in enumerate(rules):
        for hit in rule.find(document):
            key = (rule.code, hit.field, hit.excerpt)
            if key in seen:
                continue
            seen.add(key)
            rows.append((field_rank(hit.field), hit.at, order, Finding(
                code=rule.code, severity=rule.severity, message=hit.message or rule.message,
                field=hit.field, excerpt=hit.excerpt, waivable=rule.waivable,
            )))
    rows.sort(key=lambda row: row[:3])
    return [finding for *_, finding in rows]
