"""The rules as data: reading, checking and compiling articles/checks/rules/.

    rules/<CODE>.toml      one file per rule (see rules/README.md for every key)
    rules/terms/<name>.toml named term lists the rules share ({name} in a pattern)
    rules/context.toml     negation, uncertainty and hedging triggers (context.py)

Everything is read and validated once, at start-up: an unknown key, an unknown term list, a
pattern that does not compile or a rule without examples stops the site with the file's name,
rather than a rule that silently never fires.
"""
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import prefilter
from .context import Lexicon

RULES_DIR = Path(__file__).resolve().parent / "rules"
SEVERITIES = ("error", "warning")
KINDS = ("phrases", "vague_risk", "product", "commercial_links", "boilerplate", "keyword_density",
         "duplicates", "no_references", "missing_section")
# Contexts a rule (or one of its patterns) may say answer a match.
ANSWERS = ("cited", "negated", "uncertain", "hedged", "quoted")
FIELD_GROUPS = ("title", "summary", "body", "sections", "references")
CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]{2,40}$")
TERM_LIST_RE = re.compile(r"\{([a-z][a-z0-9_]*)\}")
RULE_KEYS = {"code", "severity", "family", "title", "message", "fix", "policy", "kind", "fields", "headings",
             "items_with_lead", "answered_by", "subjects", "unless", "requires", "terms", "patterns", "params",
             "examples", "waivable"}
PATTERN_KEYS = {"match", "unless", "requires", "answered_by", "subjects", "note"}


class RuleFileError(ValueError):
    pass


# --- Term lists ---

def term_regex(entry: str) -> str:
    """One term as a regular expression. Plain words match whole; a space matches any run of
    spaces or a hyphen; a trailing * on a word matches any ending ("sedat*"); an entry that starts
    with "re:" is a regular expression as it stands."""
    entry = entry.strip()
    if entry.startswith("re:"):
        return entry[3:].strip()
    parts = []
    for word in entry.lower().split():
        stem = word.endswith("*") and len(word) > 1
        piece = re.escape(word.rstrip("*")).replace(r"\'", "'")
        parts.append(piece + (r"[\w'-]*" if stem else ""))
    return r"[\s-]+".join(parts)


def alternation(entries: list[str]) -> str:
    # Longest first, so "sleep apnoea" wins over "sleep".
    pieces = sorted({term_regex(entry) for entry in entries if entry.strip()}, key=lambda p: (-len(p), p))
    return "(?:%s)" % "|".join(pieces)


@dataclass(frozen=True)
class TermList:
    name: str
    description: str
    terms: tuple[str, ...]
    path: Path


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise RuleFileError(f"{path.name}: {error}") from None


@cache
def term_lists(folder: Path = RULES_DIR / "terms") -> dict[str, TermList]:
    lists: dict[str, TermList] = {}
    for path in sorted(folder.glob("*.toml")):
        data = _read(path)
        if "terms" not in data:
            continue  # not a plain term list (jargon.toml maps terms to plain words)
        unknown = set(data) - {"description", "terms"}
        if unknown:
            raise RuleFileError(f"terms/{path.name}: unknown key(s) {', '.join(sorted(unknown))}")
        terms = data["terms"]
        if not isinstance(terms, list) or not all(isinstance(term, str) and term.strip() for term in terms):
            raise RuleFileError(f"terms/{path.name}: terms must be a list of non-empty strings")
        lists[path.stem] = TermList(path.stem, data.get("description", ""), tuple(terms), path)
    return lists


def expand(pattern: str, lists: dict[str, TermList], where: str, _depth: int = 0) -> str:
    """{name} in a pattern (or a term) becomes the alternation of that term list's entries."""
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in lists:
            raise RuleFileError(f"{where}: no term list named {{{name}}} (known: {', '.join(sorted(lists))})")
        if _depth > 5:
            raise RuleFileError(f"{where}: term lists include each other in a loop at {{{name}}}")
        return expand(alternation(list(lists[name].terms)), lists, f"terms/{name}.toml", _depth + 1)
    return TERM_LIST_RE.sub(replace, pattern)


def compile_pattern(pattern: str, lists: dict[str, TermList], where: str) -> re.Pattern:
    source = expand(pattern, lists, where)
    try:
        return re.compile(source)
    except re.error as error:
        raise RuleFileError(f"{where}: the pattern {pattern!r} does not compile: {error}") from None


# --- Rules ---

@dataclass(frozen=True)
class Pattern:
    source: str                 # as written in the file
    compiled: re.Pattern
    needles: tuple[str, ...]    # derived: at least one is in any matching text; () = always try
    unless: re.Pattern | None   # a sentence matching this is exempt
    requires: re.Pattern | None  # only a sentence matching this counts
    answered_by: frozenset[str]
    subjects: re.Pattern | None  # a match whose clause names one of these as its subject is exempt
    requires_needles: tuple[str, ...] = ()  # derived from `requires`, tried before it
    needle_set: frozenset[str] = frozenset()

    def may_match(self, present: frozenset[str]) -> bool:
        """`present`: the needles a text holds (prefilter.NeedleIndex.present)."""
        return not self.needles or not present.isdisjoint(self.needle_set)


@dataclass(frozen=True)
class Example:
    text: str
    field: str = "body"
    type_key: str = "substance"
    references: int = 3  # the article around the example cites this many sources


@dataclass(frozen=True)
class RuleSpec:
    code: str
    severity: str
    family: str
    title: str
    message: str
    fix: str
    policy: str
    kind: str
    fields: tuple[str, ...]
    headings: bool
    items_with_lead: bool
    waivable: bool
    patterns: tuple[Pattern, ...]
    params: dict
    fires: tuple[Example, ...]
    passes: tuple[Example, ...]
    path: Path
    needles: tuple[str, ...] = field(default=())  # the union over patterns; () = some pattern always runs
    needle_set: frozenset[str] = frozenset()

    def may_match(self, present: frozenset[str]) -> bool:
        """`present`: the needles a text holds (prefilter.NeedleIndex.present)."""
        return not self.needles or not present.isdisjoint(self.needle_set)

    def applies_to(self, field_name: str) -> bool:
        if field_name in self.fields:
            return True
        return "sections" in self.fields and field_name not in FIELD_GROUPS


def _strings(value, where: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RuleFileError(f"{where}: {key} must be a list of strings")
    return tuple(value)


def _optional(source: str, lists, where: str) -> re.Pattern | None:
    return compile_pattern(source, lists, where) if source else None


def _subjects(names: tuple[str, ...], lists, where: str) -> re.Pattern | None:
    if not names:
        return None
    # Whole words only, not part of a compound ("yoga-inspired", "sertraline-free"), and not a
    # modifier of something sold ("a yoga blend"): then the subject is the product.
    return compile_pattern(r"(?<![\w-])(?:%s)(?![\w-])(?!\s+{product_nouns}\b)"
                           % "|".join(f"{{{name}}}" for name in names), lists, where)


def _examples(value, where: str) -> tuple[Example, ...]:
    examples = []
    for item in value or ():
        if isinstance(item, str):
            examples.append(Example(item))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            unknown = set(item) - {"text", "field", "type", "references"}
            if unknown:
                raise RuleFileError(f"{where}: an example has unknown key(s) {', '.join(sorted(unknown))}")
            examples.append(Example(item["text"], item.get("field", "body"), item.get("type", "substance"),
                                    int(item.get("references", 3))))
        else:
            raise RuleFileError(f"{where}: an example is a string or a table with text (and field, type)")
    return tuple(examples)


def rule_from(path: Path, data: dict, lists: dict[str, TermList]) -> RuleSpec:
    where = path.name
    unknown = set(data) - RULE_KEYS
    if unknown:
        raise RuleFileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("code", "severity", "message", "fix"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise RuleFileError(f"{where}: {key} is required")
    code = data["code"]
    if not CODE_RE.match(code) or path.stem != code:
        raise RuleFileError(f"{where}: the code must be upper case and the file named after it ({code}.toml)")
    if data["severity"] not in SEVERITIES:
        raise RuleFileError(f"{where}: severity is one of {', '.join(SEVERITIES)}")
    kind = data.get("kind", "phrases")
    if kind not in KINDS:
        raise RuleFileError(f"{where}: kind is one of {', '.join(KINDS)}")
    answered_by = _strings(data.get("answered_by", ["cited", "negated"]), where, "answered_by")
    subjects = _strings(data.get("subjects", []), where, "subjects")
    for name in (*answered_by,):
        if name not in ANSWERS:
            raise RuleFileError(f"{where}: answered_by takes {', '.join(ANSWERS)}, not {name!r}")
    rule_unless, rule_requires = data.get("unless", ""), data.get("requires", "")

    def make(source: str, options: dict) -> Pattern:
        pattern_where = f"{where} pattern {source!r}"
        compiled = compile_pattern(source, lists, where)
        own_answers = _strings(options.get("answered_by", list(answered_by)), where, "answered_by")
        for name in own_answers:
            if name not in ANSWERS:
                raise RuleFileError(f"{pattern_where}: answered_by takes {', '.join(ANSWERS)}, not {name!r}")
        needles = prefilter.needles(compiled)
        requires = _optional(options.get("requires", rule_requires), lists, pattern_where)
        return Pattern(
            source=source, compiled=compiled, needles=needles,
            unless=_optional(options.get("unless", rule_unless), lists, pattern_where),
            requires=requires, requires_needles=prefilter.needles(requires) if requires is not None else (),
            needle_set=frozenset(needles),
            answered_by=frozenset(own_answers),
            subjects=_subjects(_strings(options.get("subjects", list(subjects)), where, "subjects"), lists,
                               pattern_where),
        )

    patterns = [make(r"(?<![\w'])%s(?![\w'])" % term_regex(term) if not term.startswith("re:") else term[3:], {})
                for term in _strings(data.get("terms", []), where, "terms")]
    for item in data.get("patterns", []):
        if isinstance(item, str):
            item = {"match": item}
        if not isinstance(item, dict) or not isinstance(item.get("match"), str):
            raise RuleFileError(f"{where}: each [[patterns]] needs a match")
        extra = set(item) - PATTERN_KEYS
        if extra:
            raise RuleFileError(f"{where}: a pattern has unknown key(s) {', '.join(sorted(extra))}")
        patterns.append(make(item["match"], item))
    if kind == "phrases" and not patterns:
        raise RuleFileError(f"{where}: a phrases rule needs terms or [[patterns]]")
    examples = data.get("examples", {})
    if not isinstance(examples, dict) or set(examples) - {"fires", "passes"}:
        raise RuleFileError(f"{where}: [examples] has fires and passes")
    fires, passes = _examples(examples.get("fires"), where), _examples(examples.get("passes"), where)
    if kind != "missing_section" and (not fires or not passes):
        raise RuleFileError(f"{where}: give examples that must fire and examples that must not")
    fields = _strings(data.get("fields", ["title", "summary", "body", "sections"]), where, "fields")
    rule_needles: tuple[str, ...] = ()
    if patterns and all(pattern.needles for pattern in patterns):
        rule_needles = tuple(sorted(prefilter.minimal(needle for pattern in patterns for needle in pattern.needles)))
    return RuleSpec(
        code=code, severity=data["severity"], family=data.get("family", "claims"),
        title=data.get("title", code.replace("_", " ").capitalize()), message=" ".join(data["message"].split()),
        fix=" ".join(data["fix"].split()), policy=data.get("policy", ""), kind=kind, fields=fields,
        headings=bool(data.get("headings", False)), items_with_lead=bool(data.get("items_with_lead", True)),
        waivable=bool(data.get("waivable", True)), patterns=tuple(patterns), params=dict(data.get("params", {})),
        fires=fires, passes=passes, path=path, needles=rule_needles, needle_set=frozenset(rule_needles),
    )


def all_needles(rules) -> frozenset[str]:
    """Every needle the rules' patterns (and their requirements) pre-filter on."""
    return frozenset(needle for rule in rules for pattern in rule.patterns
                     for needle in (*pattern.needles, *pattern.requires_needles))


def load_rules(folder: Path = RULES_DIR) -> tuple[RuleSpec, ...]:
    lists = term_lists(folder / "terms")
    rules = []
    for path in sorted(folder.glob("*.toml")):
        if path.name == "context.toml":
            continue
        rules.append(rule_from(path, _read(path), lists))
    codes = [rule.code for rule in rules]
    if len(set(codes)) != len(codes):
        raise RuleFileError("two rule files share a code")
    return tuple(rules)


def load_lexicon(folder: Path = RULES_DIR) -> Lexicon:
    data = _read(folder / "context.toml")
    lists = term_lists(folder / "terms")

    def triggers(entries) -> re.Pattern | None:
        entries = [entry for entry in entries if entry.strip()]
        if not entries:
            return None
        return compile_pattern(r"(?<![\w'])%s(?![\w'])" % alternation(entries), lists, "context.toml")

    forward, backward = {}, {}
    for category in ("negated", "uncertain", "hedged"):
        section = data.get(category, {})
        if set(section) - {"forward", "backward", "description"}:
            raise RuleFileError(f"context.toml: [{category}] has forward and backward")
        if section.get("forward"):
            forward[category] = triggers(section["forward"])
        if section.get("backward"):
            backward[category] = triggers(section["backward"])
    termination = triggers([*data.get("termination", {}).get("terms", []), "re:;"])
    return Lexicon(forward=forward, backward=backward, pseudo=triggers(data.get("pseudo", {}).get("terms", [])),
                   termination=termination, max_scope=int(data.get("max_scope", 20)),
                   subject_words=int(data.get("subject_words", 10)),
                   comma_ends=frozenset(data.get("comma_ends", [])))
