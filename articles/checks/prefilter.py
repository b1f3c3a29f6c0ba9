"""The fast pre-filter, derived from a pattern itself: literal pieces one of which every match
must contain (the idea of RE2's and Lucene's regex pre-filters).

Python's regular expressions are slow to scan text for a pattern that starts with `\\b` or a
character class (every position is tried), while `needle in text` runs in C. So a pattern is tried
only on text that holds one of its needles. The needles are computed from the parsed pattern, never
written by hand, so a term added to a rule can never be skipped by a stale shortcut.
"""
import re
from functools import lru_cache
from re import _constants as sre
from re import _parser as sre_parse

# A single character still filters ("©", a digit): `in` finds it at C speed.
MIN_NEEDLE = 1
DIGITS = frozenset("0123456789")
ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}


def needles(pattern: str | re.Pattern) -> tuple[str, ...]:
    """Strings at least one of which is in any text the pattern matches; () when none can be said."""
    source = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
    flags = pattern.flags if isinstance(pattern, re.Pattern) else 0
    if flags & re.IGNORECASE:
        return ()  # patterns run on folded (lower-case) text; a case-blind one is not pre-filtered
    found = _sequence(sre_parse.parse(source, flags))
    found = minimal(found) if found else found
    if not found or min(len(needle) for needle in found) < MIN_NEEDLE:
        return ()
    return tuple(sorted(found, key=lambda needle: (-len(needle), needle)))


def minimal(found) -> frozenset[str]:
    """Needles without those that contain another ("cur" makes "cures" and "curing" redundant):
    the same texts pass, with fewer substring tests."""
    kept: list[str] = []
    for needle in sorted(set(found), key=len):
        if not any(shorter in needle for shorter in kept):
            kept.append(needle)
    return frozenset(kept)


def _better(one: frozenset[str] | None, other: frozenset[str] | None) -> frozenset[str] | None:
    """The cheaper of two needle sets that still filters: fewer needles, unless one of them is
    too short to filter anything."""
    if not one:
        return other
    if not other:
        return one
    def rank(candidate):
        # A lone letter ("g" of grams) is in almost every sentence; a lone digit is not.
        lone_letter = any(len(n) == 1 and n.isalpha() for n in candidate)
        return (min(len(n) for n in candidate) >= 3, not lone_letter, -len(candidate), min(len(n) for n in candidate))
    return one if rank(one) >= rank(other) else other


def _sequence(items) -> frozenset[str] | None:
    best: frozenset[str] | None = None
    run = ""
    for op, value in items:
        if op == sre.LITERAL:
            run += chr(value)
            continue
        if op in ZERO_WIDTH:
            continue
        if run:
            best = _better(best, frozenset({run}))
            run = ""
        best = _better(best, _item(op, value))
    if run:
        best = _better(best, frozenset({run}))
    return best


def _item(op, value) -> frozenset[str] | None:
    if op == sre.SUBPATTERN:
        return _sequence(value[-1])
    if op == sre.BRANCH:
        union: set[str] = set()
        for alternative in value[1]:
            found = _sequence(alternative)
            if not found:
                return None  # one way through without a needle: the branch promises nothing
            union |= found
        return minimal(union)
    if op in REPEATS:
        minimum, _, body = value
        return _sequence(body) if minimum >= 1 else None
    if op == sre.IN:
        if all(kind == sre.LITERAL for kind, _ in value):
            return frozenset(chr(code) for _, code in value)  # [½¼¾]: one of these characters
        if all(kind == sre.CATEGORY and what == sre.CATEGORY_DIGIT or kind == sre.RANGE and what == (48, 57)
               for kind, what in value):
            return DIGITS  # \d or [0-9]: some digit is in the text
    return None



class NeedleIndex:
    """All the needles of a set of rules in one Aho-Corasick automaton: one pass over a text finds
    every needle in it (overlapping ones too), and each pattern then asks a set question instead
    of scanning the text once per needle."""

    def __init__(self, all_needles: frozenset[str]):
        import ahocorasick

        self.automaton = ahocorasick.Automaton()
        for needle in all_needles:
            self.automaton.add_word(needle, needle)
        self.empty = not all_needles
        if not self.empty:
            self.automaton.make_automaton()

    def present(self, text: str) -> frozenset[str]:
        if self.empty:
            return frozenset()
        return frozenset(needle for _, needle in self.automaton.iter(text))


@lru_cache(maxsize=8)
def needle_index(all_needles: frozenset[str]) -> NeedleIndex:
    return NeedleIndex(all_needles)
