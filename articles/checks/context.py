"""What surrounds a match: is it negated, uncertain or hedged, quoted, and who is its subject?

ConText (Harkema et al., 2009, after NegEx) on word tokens: a trigger ("no", "not enough evidence",
"whether", "may") opens a scope forward (or, for a trailing trigger such as "is a myth",
backward) that runs to a termination ("but", "however", ";"), the end of the sentence, or a
number of words. A match that starts inside a scope takes the trigger's category. Pseudo-triggers
("no doubt", "not only") look like triggers but are not, so they are taken out first.

The triggers are data (rules/context.toml); this module only applies them. It runs only for a
sentence in which a pattern has already matched, so most text never pays for it.
"""
import re
from dataclasses import dataclass
from functools import cached_property

TOKEN_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[;]")
QUOTE_RE = re.compile(r'"[^"]{1,200}"')
# A quotation held at arm's length: a word or phrase mentioned ("the word “cure”", "so-called").
MENTION_RE = re.compile(r"\b(?:the\s+(?:word|words|term|phrase|label|headline|title)|so-called|called|titled|"
                        r"headlines?|claims?|claimed|promised|promises)\s*$")


@dataclass(frozen=True)
class Lexicon:
    """Compiled trigger phrases by category and direction, pseudo-triggers and terminations."""
    forward: dict[str, re.Pattern]    # category -> triggers whose scope runs forward
    backward: dict[str, re.Pattern]   # category -> triggers whose scope runs backward
    pseudo: re.Pattern | None
    termination: re.Pattern
    max_scope: int                    # words a scope may span
    subject_words: int                # words before a match searched for its subject
    comma_ends: frozenset[str] = frozenset()  # categories whose forward scope a comma ends


@dataclass(frozen=True)
class Scope:
    category: str
    start: int
    end: int
    trigger: str


class SentenceContext:
    """The scopes of one folded sentence, found once and asked about each match in it."""

    def __init__(self, folded: str, lexicon: Lexicon, original: str = ""):
        self.folded = folded
        self.lexicon = lexicon
        self.original = original or folded  # the same text unfolded: positions are the same

    @cached_property
    def _tokens(self) -> list[re.Match]:
        return list(TOKEN_RE.finditer(self.folded))

    @cached_property
    def _pseudo_spans(self) -> list[tuple[int, int]]:
        if self.lexicon.pseudo is None:
            return []
        return [match.span() for match in self.lexicon.pseudo.finditer(self.folded)]

    @cached_property
    def _terminations(self) -> list[int]:
        return [match.start() for match in self.lexicon.termination.finditer(self.folded)]

    def _in_pseudo(self, start: int, end: int) -> bool:
        return any(p_start <= start and end <= p_end for p_start, p_end in self._pseudo_spans)

    def _words_after(self, position: int, count: int) -> int:
        """The character position `count` words after `position` (or the sentence end)."""
        following = [token for token in self._tokens if token.start() >= position]
        return following[count - 1].end() if len(following) >= count else len(self.folded)

    def _words_before(self, position: int, count: int) -> int:
        preceding = [token for token in self._tokens if token.end() <= position]
        return preceding[-count].start() if len(preceding) >= count else 0

    @cached_property
    def scopes(self) -> list[Scope]:
        scopes: list[Scope] = []
        lexicon = self.lexicon
        for category, pattern in lexicon.forward.items():
            for match in pattern.finditer(self.folded):
                if self._in_pseudo(*match.span()):
                    continue
                stop = next((at for at in self._terminations if at >= match.end()), len(self.folded))
                if category in lexicon.comma_ends:
                    comma = self.folded.find(",", match.end())
                    stop = stop if comma < 0 else min(stop, comma)
                end = min(stop, self._words_after(match.end(), lexicon.max_scope))
                scopes.append(Scope(category, match.end(), end, match.group(0)))
        for category, pattern in lexicon.backward.items():
            for match in pattern.finditer(self.folded):
                if self._in_pseudo(*match.span()):
                    continue
                stop = max((at for at in self._terminations if at < match.start()), default=0)
                start = max(stop, self._words_before(match.start(), lexicon.max_scope))
                scopes.append(Scope(category, start, match.start(), match.group(0)))
        return scopes

    def categories_at(self, start: int, end: int) -> dict[str, str]:
        """category -> the trigger words, for each scope the match at start..end lies in."""
        found: dict[str, str] = {}
        for scope in self.scopes:
            if scope.start <= start < scope.end:
                found.setdefault(scope.category, scope.trigger)
        return found

    def quoted(self, start: int, end: int) -> bool:
        """The match lies inside a quotation held at arm's length: a headline or title quoted
        (Title Case), a word mentioned ("the word “cure”"), or a quotation in a sentence that
        denies something. A seller quoting praise ("describes it as “a powerful remedy”") still
        asserts it."""
        if '"' not in self.folded:
            return False
        for quote in QUOTE_RE.finditer(self.folded):
            if not (quote.start() < start and end <= quote.end()):
                continue
            words = re.findall(r"[^\W\d_][\w'’-]*", self.original[quote.start():quote.end()])
            if words and sum(word[0].isupper() for word in words) * 2 > len(words) and len(words) > 1:
                return True
            if MENTION_RE.search(self.folded[:quote.start()]):
                return True
            outside = [scope for scope in self.scopes if scope.category == "negated"
                       and not (quote.start() <= scope.start < quote.end())]
            if outside:
                return True
        return False

    def clause_before(self, start: int) -> str:
        """The words before `start` in its clause (back to a termination), at most subject_words."""
        stop = max((at for at in self._terminations if at < start), default=0)
        begin = max(stop, self._words_before(start, self.lexicon.subject_words))
        return self.folded[begin:start]
