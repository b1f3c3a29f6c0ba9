"""Plain-language measures for an article, field by field: reading age (Flesch-Kincaid), long
sentences, passive voice and medical jargon with its plain alternative.

Health-literacy guidance asks that patient information read at a reading age of about 9 to 11,
and be looked at again above 14. The editor shows these measures beside each field as advice; they
never block a save or a submission.

Pure Python over plain text: no models, no database. It reads articles only through
articles.checks.text.Document, whose API stays put while the rule engine around it changes; the
editor passes the Document the checks read, so an article is parsed once for both.

Syllables are counted by a small heuristic (below), not by the `textstat` library. Measured
2026-12 on the project's shared 2-vCPU VM with textstat 0.7.13 (pyphen 0.18.1, with its
CMU-dictionary lookup turned off because that downloads, see below), syllables alone for a
10,000-word article took 18-19 ms as one text and 42 ms sentence by sentence (as per-field and
per-sentence measures need), 125-170 ms for 100,000 words, and its first call 139 ms to load
pyphen's dictionary: the whole 20 ms budget spent on syllables. Its lru_cache on whole texts
only helps when a text repeats exactly. It also pulls in nltk, regex, joblib, click and tqdm
(38 MB), and on first use downloads the CMU pronouncing dictionary from the internet
(nltk.download) inside the request that asked.

The heuristic takes about 2.5 ms for the syllables of 10,000 words, linear, with nothing to load
or cache; all the measures of a 10,000-word article, Document parsing included, take 12-16 ms
(tests/articles/checks/test_readability.py prints the figures). It is exact on every word that
test lists (most were used to tune it) and on 127 of 128 health-writing words held out while
tuning, and within one syllable on all of them.
"""
import math
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings

from .text import MARKER_RE, WORD_RE, Document, fold

JARGON_PATH = Path(__file__).resolve().parent / "rules" / "terms" / "jargon.toml"

DEFAULT_PLAIN_LANGUAGE = {"reading_age": (9, 11), "warn_above": 14, "long_sentence_words": 25}
# Below this many words a reading-age formula says more about the formula than the text: one
# short sentence can score a reading age of 2 or 20.
MIN_WORDS_FOR_READING_AGE = 30

ON_TARGET, ABOVE_TARGET, HARD_TO_READ = "on target", "above target", "hard to read"


# --- Syllables -------------------------------------------------------------------------------
# Count the vowel groups ("ea", "ou", "y" after a consonant), then correct for the common ways
# English spelling and sound part: a silent final "e" ("make"), a silent "-es" or "-ed" ("takes",
# "jumped", but not "boxes", "wanted"), and vowel pairs read as two syllables ("trial", "usual",
# "sodium", "doing"). Every count is taken over a field's whole text at once, so the cost is a
# few fast scans of it, whatever its length, with nothing cached between calls.
#
# Each rule is its own regular expression starting with a letter, never a look-behind: the engine
# then jumps straight to the next place that letter occurs. Measured on 10,000 words, the rules
# as one alternation took 5.5 ms and as look-behind-first patterns 63 ms, against 3 ms this way.
# Look-behinds come after the letters they look back from, and are fixed-width, as Python's re
# requires. Rules are independent: two may correct the same word ("diabetes": "ia" sounded twice,
# and the exception at the end of the list).

_C = r"[^\W\daeiouy]"  # a consonant; "y" counts as a vowel throughout ("my", "myth", "yes")
# Letters -> "a" (vowel) or "b" (consonant or digit); everything else -> space. The vowel groups
# are then the "a" runs, and a word without a vowel ("mg", "nhs", "300") a "b" run between spaces.
# An apostrophe stays, so "don't" is one word and its "t" not a word of its own.
_SHAPE = str.maketrans({**{chr(code): " " for code in range(128)},
                        **{letter: "a" for letter in "aeiouy"},
                        **{letter: "b" for letter in "bcdfghjklmnpqrstvwxz0123456789"}, "'": "'"})
_VOWELLESS_RUN_RE = re.compile(r" b+(?= )")


def _not_word_start(width: int) -> str:
    """Not preceded by only one to three consonants back to the start of the word ("the", "be",
    "shed"): there the vowel is the word's only one. `width` is what follows, inside the check."""
    return "".join(rf"(?<!\b{_C}{{{n}}}.{{{width}}})" for n in (1, 2, 3))


_NOT_SOUNDED = tuple(re.compile(rule) for rule in (
    # Final "e" after a consonant: "make", "whole", "place"; not "table", "centre" (consonant +
    # l or r), and not "the", "she", "be".
    rf"e\b(?:(?<=[^\W\daeiouylr]e)|(?<=[aeiouy][lr]e)|(?<=[lr][lr]e)){_not_word_start(1)}",
    # "-es" after a consonant other than s, x, z, c, g, h, consonant + l: "takes", "miles";
    # not "boxes", "places", "changes", "tables".
    rf"es\b(?:(?<=[^\W\daeiouysxzcghl]es)|(?<=[aeiouy]les)|(?<=lles)){_not_word_start(2)}",
    # "-ed" after a consonant other than t, d, consonant + l: "jumped", "called"; not "wanted",
    # "needed", "handled", "shed".
    rf"ed\b(?:(?<=[^\W\daeiouydtl]ed)|(?<=[aeiouy]led)|(?<=lled)){_not_word_start(2)}",
    # A silent "e" before a suffix or the second half of a compound: "safely", "movement",
    # "useful", "sometimes", "lifestyle", "therefore", "someone".
    # (The first look-ahead only rules out most letters after an "e" quickly.)
    rf"e(?=[flmnostw])(?:(?<=[aeiouy]{_C}e)|(?<=[aeiouy]{_C}{{2}}e))(?=(?:ful|fully|ment|ments|ness|less|ly|"
    r"ty|some|thing|times|where|work|style|fore|line|lines|one)\b)",
    # "every" is said "ev-ry": "every", "everyone", "everything".
    r"ever(?<=\bever)(?=y)",
    # Words the rules miscount that health writing uses.
    r"business", r"evening",
))
_SOUNDED_TWICE = tuple(re.compile(rule) for rule in (
    r"ia(?<![ct]ia)",                    # "trial", "media", "anaemia"; not "social", "initial"
    r"io(?<![ctgx]io)(?!n)",             # "period", "serious", "biology"; not "nation", "anxious"
    r"iu",                               # "sodium", "calcium", "delirium"
    r"iet",                              # "diet", "quiet", "anxiety", "society"
    r"ien[ct](?<![ct]ien.)",             # "client", "nutrient", "experience"; not "patient", "efficient"
    r"ing\b(?<=[aeiouy]ing)",            # "being", "doing", "going", "saying"
    # "easier", "healthiest"; not "tier", "pier".
    rf"ie(?=(?:r|st)\b)(?<={_C}ie){_not_word_start(2)}",
    r"ua(?<![qg]ua)",                    # "usual", "actual", "evaluate"; not "quality", "language"
    r"uou(?<![qg]uou)",                  # "continuous", "ambiguous"
    r"ue(?<![qg]ue)(?=[nlt])",           # "influence", "fluent", "cruel"; not "question", "guest"
    r"eo(?<![pg]eo)",                    # "video", "osteoporosis"; not "people", "surgeon"
    r"geo(?![un])",                      # "geography"; not "surgeon", "gorgeous"
    # Final "ea" after a consonant: "area", "idea", "nausea", "dyspnoea"; not "tea", "plea".
    rf"ea\b(?:(?<={_C}ea)|(?<={_C}[aeiou]ea)){_not_word_start(2)}",
    rf"y[ao](?<={_C}y.)",                # "myocardial", "myalgia", "embryo"
    r"sm\b(?<=[aeiouy]sm)",              # "autism", "spasm"
    r"crea(?![ms])",                     # "create", "pancreatic"; not "cream", "increase"
    r"rea(?<=\brea)(?=ct|li|ss)",        # "react", "reality", "reassure"
    r"ai(?<=contrai)", r"oi(?<=gastroi)",  # "contraindicated", "gastrointestinal"
    # Words the rules miscount that health writing uses.
    r"science", r"ratio\b", r"recipe", r"acne\b", r"naive", r"cafe\b", r"diabetes", r"herpes",
))


def syllable_count(folded_text: str) -> int:
    """Syllables in lower-case text (any length: a word, a sentence, a whole field)."""
    shape = f" {folded_text.translate(_SHAPE)} "
    vowel_groups = shape.count("ba") + shape.count(" a") + shape.count("'a")
    vowelless_words = len(_VOWELLESS_RUN_RE.findall(shape))
    silent = sum(len(rule.findall(folded_text)) for rule in _NOT_SOUNDED)
    sounded_twice = sum(len(rule.findall(folded_text)) for rule in _SOUNDED_TWICE)
    return vowel_groups + vowelless_words - silent + sounded_twice


def syllables(word: str) -> int:
    """Syllables in one word, by the heuristic above: "hepatotoxicity" 7, "table" 2, "jumped" 1."""
    word = fold(word.strip())
    return max(1, syllable_count(word)) if word else 0


# --- Reading level ---------------------------------------------------------------------------

def grade(words: int, sentences: int, syllables: int) -> float:
    """Flesch-Kincaid grade level: the US school grade whose pupils could read the text."""
    if not words or not sentences:
        return 0.0
    return 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59


def reading_age(grade: float) -> float:
    """Reading age in years. US grade 1 starts at about age 6, so age = grade + 5: the usual UK
    convention for turning a Flesch-Kincaid grade into a reading age."""
    return grade + 5


def whole_years(age: float) -> int:
    """A reading age as shown, rounded half up (Python's round() would make 12.5 into 12)."""
    return math.floor(age + 0.5)


# --- Passive voice ---------------------------------------------------------------------------

_ADVERB = r"(?:[a-z]+ly|not|also|often|always|never|sometimes|still|now|then|only|even|already|usually|rarely|widely)"
IRREGULAR_PARTICIPLES = frozenset("""
    given taken shown known seen made done found written thought told brought held kept left sold
    bought caught taught sent spent built put set cut said paid laid led fed met heard understood
    drawn driven eaten forgotten forgiven frozen grown hidden lost meant broken chosen spoken stolen
    worn torn beaten bitten blown thrown shaken undertaken withdrawn struck won begun bound fought
    hung shot shut spread split sought overseen foreseen misunderstood withheld upheld rewritten
    overdone read hurt
""".split())
_BE_WORDS = frozenset({"am", "is", "isn't", "are", "aren't", "was", "wasn't", "were", "weren't", "be", "been",
                       "being", "get", "gets", "got", "gotten", "getting"})
# Starts with the verb itself, not "\b": the engine then jumps to the next candidate letter (about
# a third faster); passive_phrases checks the word boundary before it.
_PASSIVE_RE = re.compile(
    rf"(?:{'|'.join(sorted(_BE_WORDS, key=len, reverse=True))})\s+(?:{_ADVERB}\s+){{0,2}}"
    rf"({'|'.join(sorted(IRREGULAR_PARTICIPLES))}|[a-z]{{2,}}ed)\b")
# "has been reported", "should not be taken": the helper verb before is part of the phrase shown.
_HELPER_BEFORE_RE = re.compile(
    r"\b(?:has|have|had|will|would|can|could|may|might|must|should|shall)(?:n't|\s+not)?\s+$")
# "-ed" words after "be" that describe a state rather than something done to someone: "she is
# tired" is not passive. Kept short: a few misses cost less than a writer told to rewrite
# "the evidence is limited".
NOT_PASSIVE = frozenset({"tired", "interested", "worried", "pleased", "concerned", "bored", "scared", "excited",
                         "surprised", "married", "aged", "ashamed", "embarrassed", "frightened", "limited",
                         "mixed", "indeed", "need", "exceed", "proceed", "succeed"})
# "is used to", "is supposed to": "used to it" means accustomed. This also lets "is used to
# treat" through, which is passive but as plain as its active rewrite.
NOT_PASSIVE_BEFORE_TO = frozenset({"used", "supposed"})


def passive_phrases(folded_sentence: str) -> list[tuple[int, str]]:
    """(position, phrase) of each passive construction in a folded sentence: "is taken",
    "was shown", "are known", "has been reported", "were not given"."""
    found = []
    for match in _PASSIVE_RE.finditer(folded_sentence):
        start = match.start()
        if start and (folded_sentence[start - 1].isalnum() or folded_sentence[start - 1] == "'"):
            continue  # "this taken": "is" inside another word
        participle = match.group(1)
        if participle in NOT_PASSIVE:
            continue
        if participle in NOT_PASSIVE_BEFORE_TO and folded_sentence.startswith(" to ", match.end()):
            continue
        helper = _HELPER_BEFORE_RE.search(folded_sentence, max(0, start - 14), start)
        if helper:
            start = helper.start()
        found.append((start, folded_sentence[start:match.end()]))
    return found


# --- Long sentences --------------------------------------------------------------------------

def _words_of(folded: str) -> list[str]:
    """Words as counted for reading level: citation markers ("[3]") are not words."""
    if "[" in folded:
        folded = MARKER_RE.sub(" ", folded)
    return WORD_RE.findall(folded)


def long_sentence(sentence_text: str, limit: int = 25) -> bool:
    """Whether a sentence has more than `limit` words."""
    return len(_words_of(fold(sentence_text))) > limit


# --- Jargon ----------------------------------------------------------------------------------

@cache
def load_jargon(path: Path = JARGON_PATH) -> dict[str, str]:
    """The [plain] table of a jargon file: term -> plain alternative, terms folded. Read once."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        # Name the file: it is edited by hand, by people who do not read tracebacks.
        raise ValueError(f"{path}: {exc}") from exc
    return {" ".join(fold(term).split()): plain.strip() for term, plain in data.get("plain", {}).items()}


def _trie_pattern(terms: list[str]) -> str:
    """One alternation for many terms, sharing prefixes ("hepat(?:ic|otoxicity)"), so the regex
    tries one branch per letter instead of every term at every word."""
    trie: dict = {}
    for term in terms:
        node = trie
        for char in term:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        ends = "" in node
        branches = [(r"[\s-]+" if char == " " else re.escape(char)) + pattern(child)
                    for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if ends else body

    return pattern(trie)


@dataclass(frozen=True)
class _JargonIndex:
    jargon: dict  # kept, so its id is not reused while it is cached
    size: int
    pattern: re.Pattern
    # The words a term can start with, plurals included: a sentence without any of them is not
    # searched (most sentences have no jargon; a set lookup per word is cheaper than the regex).
    first_words: frozenset


# By the jargon dict's identity; a dict is treated as fixed once it has been searched.
_JARGON_INDEXES: dict[int, _JargonIndex] = {}


def _jargon_index(jargon: dict[str, str]) -> _JargonIndex:
    index = _JARGON_INDEXES.get(id(jargon))
    if index is None or index.jargon is not jargon or index.size != len(jargon):
        if len(_JARGON_INDEXES) > 32:
            _JARGON_INDEXES.clear()
        first_words = set()
        for term in jargon:
            words = WORD_RE.findall(term)
            if words:
                first_words.update((words[0], f"{words[0]}s", f"{words[0]}es") if len(words) == 1 else words[:1])
        index = _JARGON_INDEXES[id(jargon)] = _JargonIndex(
            jargon, len(jargon),
            # A plural ("analgesics", "adverse events") is the same term.
            re.compile(rf"\b({_trie_pattern(list(jargon))})(?:e?s)?\b"),
            frozenset(first_words))
    return index


def jargon_in(folded_text: str, jargon: dict[str, str]) -> list[tuple[int, str, str]]:
    """(position, term, plain alternative) for each jargon term or phrase in folded text, matched
    as whole words ("renal" in "renal failure", not in "adrenal")."""
    if not jargon:
        return []
    found = []
    for match in _jargon_index(jargon).pattern.finditer(folded_text):
        written = match.group(1)
        term = " ".join(written.replace("-", " ").split())
        if term not in jargon:
            term = written
        if term in jargon:
            found.append((match.start(), term, jargon[term]))
    return found


# --- Measures per field ----------------------------------------------------------------------

def plain_language_settings() -> dict:
    """The publisher's targets: settings.CHECKS_PROFILE["plain_language"], key by key over the
    defaults (reading age 9 to 11, warn above 14, long sentences over 25 words)."""
    configured = getattr(settings, "CHECKS_PROFILE", {}) or {}
    chosen = configured.get("plain_language") or {}
    merged = {**DEFAULT_PLAIN_LANGUAGE, **chosen}
    low, high = merged["reading_age"]
    merged["reading_age"] = (low, high)
    return merged


@dataclass
class Readability:
    words: int
    sentences: int
    grade: float | None  # None, like reading_age, when the text is too short to judge
    reading_age: float | None
    long_sentences: list[str] = field(default_factory=list)
    passive: list[str] = field(default_factory=list)
    jargon: list[tuple[str, str]] = field(default_factory=list)  # (term, plain), first use order
    target: tuple[int, int] = DEFAULT_PLAIN_LANGUAGE["reading_age"]
    warn_above: int = DEFAULT_PLAIN_LANGUAGE["warn_above"]
    syllables: int = 0

    @property
    def reading_age_years(self) -> int | None:
        return None if self.reading_age is None else whole_years(self.reading_age)

    @property
    def verdict(self) -> str | None:
        """ON_TARGET (within the range or below it), ABOVE_TARGET (up to warn_above) or
        HARD_TO_READ; judged on the age as shown, so the words never disagree with the number."""
        age = self.reading_age_years
        if age is None:
            return None
        if age <= self.target[1]:
            return ON_TARGET
        return ABOVE_TARGET if age <= self.warn_above else HARD_TO_READ

    @property
    def headline(self) -> str:
        """Reading age, target and verdict in words ("Reading age 12 (target 9–11): above
        target"), or "" when the text is too short to judge."""
        if self.reading_age_years is None:
            return ""
        low, high = self.target
        return f"Reading age {self.reading_age_years} (target {low}–{high}): {self.verdict}"

    @property
    def counts(self) -> str:
        """What to rewrite, counted ("2 long sentences · 3 passive · jargon: hepatotoxicity →
        liver damage"), or "" when there is nothing."""
        parts = []
        if self.long_sentences:
            count = len(self.long_sentences)
            parts.append(f"{count} long sentence{'' if count == 1 else 's'}")
        if self.passive:
            parts.append(f"{len(self.passive)} passive")
        if self.jargon:
            parts.append("jargon: " + ", ".join(f"{term} → {plain}" for term, plain in self.jargon))
        return " · ".join(parts)

    @property
    def details(self) -> list[str]:
        """The sentences and phrases behind the counts: each long sentence's opening words, then
        each passive phrase once, with how often it occurs."""
        lines = [f"Long: {_opening(text)}" for text in self.long_sentences]
        for phrase, count in Counter(self.passive).items():
            lines.append(f"Passive: {phrase}" + (f" (×{count})" if count > 1 else ""))
        return lines

    @property
    def has_advice(self) -> bool:
        """Whether there is anything to show: a reading age, or something to rewrite in a text
        too short for one (a summary full of jargon)."""
        return bool(self.headline or self.counts)

    def as_json(self) -> dict:
        return {
            "words": self.words, "sentences": self.sentences, "grade": self.grade,
            "reading_age": self.reading_age, "reading_age_years": self.reading_age_years,
            "verdict": self.verdict, "target": list(self.target), "warn_above": self.warn_above,
            "long_sentences": self.long_sentences, "passive": self.passive,
            "jargon": [list(pair) for pair in self.jargon],
            "headline": self.headline, "counts": self.counts, "details": self.details,
        }


def _opening(sentence: str, words: int = 12) -> str:
    """The first `words` words of a sentence, enough to find it in the field."""
    pieces = sentence.split()
    return " ".join(pieces[:words]) + (" …" if len(pieces) > words else "")


def _judged(words: int, sentences: int, syllables: int) -> tuple[float | None, float | None]:
    """(grade, reading age), or (None, None) when there are too few words to judge."""
    if words < MIN_WORDS_FOR_READING_AGE:
        return None, None
    level = round(grade(words, sentences, syllables), 1)
    return level, round(reading_age(level), 1)


def _measure(texts: list[str], foldeds: list[str], *, long_sentence_words: int, jargon: dict[str, str] | None,
             target: tuple[int, int], warn_above: int) -> Readability:
    words = 0
    long_sentences: list[str] = []
    passive: list[str] = []
    jargon_found: dict[str, str] = {}
    jargon_starts = _jargon_index(jargon).first_words if jargon else frozenset()
    for text, folded in zip(texts, foldeds):
        sentence_words = _words_of(folded)
        words += len(sentence_words)
        if len(sentence_words) > long_sentence_words:
            long_sentences.append(text)
        # The regular expressions only where a word says they can match: about half the time.
        if not _BE_WORDS.isdisjoint(sentence_words):
            passive.extend(phrase for _, phrase in passive_phrases(folded))
        if not jargon_starts.isdisjoint(sentence_words):
            for _, term, plain in jargon_in(folded, jargon):
                jargon_found.setdefault(term, plain)
    # Markers out, as for the word count; one pass over the whole field's text.
    total_syllables = syllable_count(MARKER_RE.sub(" ", "\n".join(foldeds)))
    level, age = _judged(words, len(texts), total_syllables)
    return Readability(words=words, sentences=len(texts), grade=level, reading_age=age,
                       long_sentences=long_sentences, passive=passive, jargon=list(jargon_found.items()),
                       target=target, warn_above=warn_above, syllables=total_syllables)


def _combined(parts: list[Readability], *, target: tuple[int, int], warn_above: int) -> Readability:
    """The measures of several fields read as one text."""
    words = sum(part.words for part in parts)
    sentences = sum(part.sentences for part in parts)
    total_syllables = sum(part.syllables for part in parts)
    level, age = _judged(words, sentences, total_syllables)
    jargon: dict[str, str] = {}
    for part in parts:
        for term, plain in part.jargon:
            jargon.setdefault(term, plain)
    return Readability(
        words=words, sentences=sentences, grade=level, reading_age=age,
        long_sentences=[text for part in parts for text in part.long_sentences],
        passive=[phrase for part in parts for phrase in part.passive],
        jargon=list(jargon.items()),
        target=target, warn_above=warn_above, syllables=total_syllables)


def measure(sentences: list[str], *, long_sentence_words: int = 25, jargon: dict[str, str] | None = None,
            target: tuple[int, int] = DEFAULT_PLAIN_LANGUAGE["reading_age"],
            warn_above: int = DEFAULT_PLAIN_LANGUAGE["warn_above"]) -> Readability:
    """The plain-language measures of some sentences (as written, not folded)."""
    return _measure(sentences, [fold(text) for text in sentences], long_sentence_words=long_sentence_words,
                    jargon=jargon, target=target, warn_above=warn_above)


def article_readability(content, *, profile: dict | None = None,
                        document: Document | None = None) -> dict[str, Readability]:
    """Measures for each field with text (summary, body, each safety section) and for "article",
    all of them together. Headings and the title are not prose, so they are left out.

    `content` is an ArticleContent. `profile` gives the targets: a checks profile (anything with
    a `plain_language` dict, such as one for the article's type) or that dict itself; when not
    given, the publisher's (plain_language_settings()). `document`, the content already read for
    the checks (text.Document), saves reading it again: the editor shows both.
    """
    chosen = getattr(profile, "plain_language", profile) or plain_language_settings()
    profile = {**DEFAULT_PLAIN_LANGUAGE, **chosen}
    options = {"long_sentence_words": profile["long_sentence_words"], "jargon": load_jargon(),
               "target": tuple(profile["reading_age"]), "warn_above": profile["warn_above"]}
    by_field: dict[str, tuple[list[str], list[str]]] = {}
    for block in (document or Document(content)).blocks:
        if block.is_heading or block.field == "title":
            continue
        texts, foldeds = by_field.setdefault(block.field, ([], []))
        for sentence in block.sentences:
            texts.append(sentence.text)
            foldeds.append(sentence.folded)  # folded once, shared with the checks
    measures = {name: _measure(texts, foldeds, **options) for name, (texts, foldeds) in by_field.items()}
    if measures:
        measures["article"] = _combined(list(measures.values()), target=options["target"],
                                        warn_above=options["warn_above"])
    return measures
