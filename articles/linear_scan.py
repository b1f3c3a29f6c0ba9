r"""Linear-time equivalents of regular expressions that are quadratic on crafted HTML.

A regex such as <x\b[^>]*>.*?</x\s*> is tried again from every "<x" when it fails, and each try
reads on to the end of the text: "<script-x>" x 20,000 took 90 s. These helpers find the same
matches reading each stretch of text a bounded number of times (checked against the patterns they
replace on 200,000 random soups). The sanitizer, its pre-pass, the checks and the importer use them.
"""
import re


class NextMatch:
    """The first match of a pattern at or after a position, for positions asked in increasing order:
    a match found once answers every later question up to its start, so the text is read once."""

    __slots__ = ("pattern", "text", "found", "searched")

    def __init__(self, pattern: re.Pattern | str, text: str):
        self.pattern = re.compile(re.escape(pattern)) if isinstance(pattern, str) else pattern
        self.text, self.found, self.searched = text, None, False

    def at(self, position: int) -> re.Match | None:
        if self.searched and (self.found is None or self.found.start() >= position):
            return self.found
        self.found, self.searched = self.pattern.search(self.text, position), True
        return self.found


def element_matches(pattern: re.Pattern, opening: re.Pattern, text: str, pos: int = 0):
    r"""pattern.finditer(text, pos), in linear time, for a pattern of the form
    <(NAME)\b[^>]*>(.*?)</NAME\s*> (IGNORECASE, DOTALL): `opening` finds "<NAME" with the name
    as its first group; the element runs to the first "</NAME>" after its start tag's ">"."""
    tag_end, closes = NextMatch(">", text), {}
    while (found := opening.search(text, pos)) is not None:
        gt = tag_end.at(found.end())
        if gt is None:
            return  # no start tag can end: nothing further matches
        name = found.group(1).lower()
        if name not in closes:
            closes[name] = NextMatch(re.compile(rf"</{re.escape(name)}\s*>", re.IGNORECASE), text)
        close = closes[name].at(gt.end())
        match = pattern.match(text, found.start(), close.end()) if close is not None else None
        if match is None:
            pos = found.start() + 1
            continue
        yield match
        pos = match.end() if match.end() > found.start() else found.start() + 1


def link_matches(text: str, *, nonempty: bool = False):
    r"""(start, end, href, inner) for each match of
    <a\b[^>]*?\bhref\s*=\s*["']([^"']*)["'][^>]*>(.*?)</a\s*>  (IGNORECASE, DOTALL; [^"']+ when
    `nonempty`), left to right as finditer finds them, in linear time. Only a start tag's first
    href with a closing quote can match: past it, every later href fails for the same reason."""
    hrefs = NextMatch(re.compile(r"\bhref\s*=\s*[\"'](?=[^\"'])" if nonempty else r"\bhref\s*=\s*[\"']",
                                 re.IGNORECASE), text)
    quotes, gts = NextMatch(re.compile(r"[\"']"), text), NextMatch(">", text)
    closes = NextMatch(re.compile(r"</a\s*>", re.IGNORECASE), text)
    pos = 0
    while (found := _LINK_OPEN_RE.search(text, pos)) is not None:
        pos = found.start() + 1
        first_gt = gts.at(found.end())
        href = hrefs.at(found.end())
        if first_gt is None or href is None or href.start() >= first_gt.start():
            continue
        quote = quotes.at(href.end())
        tag_gt = gts.at(quote.end()) if quote is not None else None
        close = closes.at(tag_gt.end()) if tag_gt is not None else None
        if close is None:
            continue
        yield found.start(), close.end(), text[href.end():quote.start()], text[tag_gt.end():close.start()]
        pos = close.end()


_LINK_OPEN_RE = re.compile(r"<a\b", re.IGNORECASE)


def strip_tags(text: str, pattern: re.Pattern, replacement: str = " ") -> str:
    """pattern.sub(replacement, text) for <[^>]*> or <[^>]+>: a "<" with no ">" after it can
    match nothing, so the text past the last ">" is left out of the search (each failed try would
    read to the end)."""
    last = text.rfind(">") + 1
    return pattern.sub(replacement, text[:last]) + text[last:] if last else text


_TAG_SPECIAL_RE = re.compile(r"""[>"']""")


def tag_spans(html: str):
    """(start, end) of each tag as <(?:[^>"']|"[^"]*"|'[^']*')*> finds them left to right, in
    linear time. A try from "<" ends at the first ">" outside quotes, and fails at a quote that is
    never closed or when no ">" follows; a try that reaches a quote or ">" outside quotes ends as
    every other try that reaches it does, so each outcome is worked out once."""
    outcomes: dict[int, int] = {}  # a quote or ">" reached outside quotes -> end of the tag, or -1
    specials = NextMatch(_TAG_SPECIAL_RE, html)
    at = 0
    while (start := html.find("<", at)) >= 0:
        special = specials.at(start + 1)
        if special is None:
            return
        end = _tag_end(html, special.start(), outcomes)
        if end < 0:
            at = start + 1
            continue
        yield start, end
        at = end


def _tag_end(html: str, position: int, outcomes: dict[int, int]) -> int:
    path = []
    while position not in outcomes:
        path.append(position)
        char = html[position]
        if char == ">":
            end = position + 1
            break
        closing = html.find(char, position + 1)
        following = _TAG_SPECIAL_RE.search(html, closing + 1) if closing >= 0 else None
        if following is None:
            end = -1
            break
        position = following.start()
    else:
        end = outcomes[position]
    for visited in path:
        outcomes[visited] = end
    return end
