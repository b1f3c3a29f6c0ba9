"""bleach's parser, tree walker, sanitizer and serializer (bleach 6.4.0) without their quadratic and
per-character spots; the output is the same. articles.sanitize builds its Cleaner from these.

- Tokenizer: html5lib compared each attribute with every earlier one of its tag, and appended each
  piece of a text run to the element's text (text += data): both quadratic.
- Parser: html5lib worked out the line and column of every parse error, which nobody reads.
- Walker: html5lib found each element's place among its siblings with list.index; it also puts
  back the characters articles.html_prepass replaced with placeholders.
- SanitizerFilter, Serializer: bleach looked at every "&" of a text or an attribute value with a
  Python call to see whether an entity starts there; only one followed by a ";" before the next
  "&" can, so the rest is passed in bulk.
"""
import re
from functools import lru_cache

import bleach
from bleach import html5lib_shim
from bleach.sanitizer import INVISIBLE_CHARACTERS_RE, INVISIBLE_REPLACEMENT_CHAR, BleachSanitizerFilter


class Tokenizer(html5lib_shim.BleachHTMLTokenizer):
    """html5lib's tokenizer compares each new attribute name with every earlier one of the tag, to
    report a duplicate (a parse error nobody reads; the first of duplicates wins when the tag is
    emitted): quadratic in the attributes of one tag, 90 s for "<p " x 400 KB. The earlier
    attributes are hidden from that comparison, except when the tag ends (">"), where it runs once."""

    def __iter__(self):
        # A run of text comes as many Characters tokens ("&" and "<" each start one), and the tree
        # builder appends each to the element's text (text += data): quadratic in a run such as
        # "&#" x 200,000. One token for the run, built once. A lone NUL token stays alone: the
        # parser drops exactly that token.
        pending = []
        for token in super().__iter__():
            if token["type"] == html5lib_shim.TAG_TOKEN_TYPE_CHARACTERS and token["data"] != "\u0000":
                pending.append(token["data"])
                continue
            if pending:
                yield {"type": html5lib_shim.TAG_TOKEN_TYPE_CHARACTERS, "data": "".join(pending)}
                pending = []
            yield token
        if pending:
            yield {"type": html5lib_shim.TAG_TOKEN_TYPE_CHARACTERS, "data": "".join(pending)}

    def attributeNameState(self):
        token = self.currentToken
        attributes = token["data"]
        following = self.stream.char()
        if following is not None:  # None is the end of the input, which nothing can unget
            self.stream.unget(following)
        if len(attributes) < 2 or following in (">", None):
            return super().attributeNameState()
        # The [name, value] pairs are shared, so what the state writes into the last one stays.
        token["data"] = attributes[-1:]
        try:
            return super().attributeNameState()
        finally:
            token["data"] = attributes


class Parser(html5lib_shim.BleachHTMLParser):
    """bleach's parser with Tokenizer: its _parse (bleach 6.4.0), that one class changed."""

    def _parse(self, stream, innerHTML=False, container="div", scripting=True, **kwargs):
        self.innerHTMLMode = innerHTML
        self.container = container
        self.scripting = scripting
        self.tokenizer = Tokenizer(stream=stream, consume_entities=self.consume_entities, parser=self, **kwargs)
        self.reset()
        try:
            self.mainLoop()
        except html5lib_shim.ReparseException:
            self.reset()
            self.mainLoop()

    def parseError(self, errorcode="XXX-undefined-error", datavars=None):
        # bleach never reads the list of parse errors, and html5lib finds each one's line and
        # column by counting the newlines before it (its chunk's, per error): nothing is kept.
        pass


class Walker(html5lib_shim.getTreeWalker("etree")):
    """html5lib's etree walker finds an element's place among its siblings with list.count and
    list.index on leaving it: quadratic in a long list of siblings (400 KB of <li>). The place is
    known when the walk enters the element; it is kept here instead.

    It also puts back the characters html_prepass replaced with placeholders (`restore`, a
    str.translate table), so the sanitizer and the filters see exactly what html5lib would have
    given them."""

    def __init__(self, tree, restore: dict[int, str] | None = None):
        super().__init__(tree)
        self._places = {}
        self._restore = restore

    def __iter__(self):
        restore = self._restore
        if not restore:
            yield from super().__iter__()
            return
        for token in super().__iter__():
            kind = token["type"]
            if kind in ("Characters", "SpaceCharacters", "Comment"):
                token["data"] = token["data"].translate(restore)
            elif kind in ("StartTag", "EmptyTag") and token["data"]:
                token["data"] = {(namespace, name.translate(restore)): value.translate(restore)
                                 for (namespace, name), value in token["data"].items()}
            yield token

    def getFirstChild(self, node):
        child = super().getFirstChild(node)
        if child is not None and child[3] is None:  # entered `node`'s element, pushed onto parents
            element, place = (node[0], node[1]) if isinstance(node, tuple) else (node, None)
            self._places[id(element)] = place
        return child

    def getNextSibling(self, node):
        sibling = super().getNextSibling(node)
        if sibling is not None and node[3] == "text" and sibling[3] is None:  # entered the element
            self._places[id(node[0])] = node[1]
        return sibling

    def getParentNode(self, node):
        if not isinstance(node, tuple):
            return None
        element, place, parents, flag = node
        if flag == "text":
            return (element, place, parents, None) if parents else element
        parent = parents.pop()
        if not parents:
            return parent
        return parent, self._places[id(parent)], parents, None


# --- "&" in bulk -----------------------------------------------------------------------------------
# bleach splits text at each "&" and asks html5lib_shim.match_entity about the piece: an entity
# must end with ";" there, so a piece without one is never an entity (the answer for a piece
# depends only on its text up to its first ";", which the pattern below takes).
_ENTITY_CANDIDATE_RE = re.compile(r"&[^&;]*;")


@lru_cache(maxsize=4096)
def _entity(candidate: str) -> str | None:
    return html5lib_shim.match_entity(candidate)


def entity_pieces(text: str, *, known: bool = False):
    """(start, end, entity) for each piece of `text` ("&" up to the next "&") that bleach reads as
    an entity, left to right; with `known`, only those html5lib_shim.convert_entity knows."""
    for candidate in _ENTITY_CANDIDATE_RE.finditer(text):
        entity = _entity(candidate.group(0))
        if entity is None or (known and html5lib_shim.convert_entity(entity) is None):
            continue
        start = candidate.start()
        following = text.find("&", start + 1)
        yield start, len(text) if following < 0 else following, entity


def convert_entities(text: str) -> str:
    """html5lib_shim.convert_entities, in bulk."""
    pieces, at = [], 0
    for start, end, entity in entity_pieces(text, known=True):
        pieces += (text[at:start], html5lib_shim.convert_entity(entity), text[start + len(entity) + 2:end])
        at = end
    return "".join(pieces) + text[at:] if pieces else text


class SanitizerFilter(BleachSanitizerFilter):
    def sanitize_characters(self, token):
        """bleach's: entities become Entity tokens ("&amp;" the character "&"), the rest text."""
        data = token.get("data", "")
        if not data:
            return token
        data = token["data"] = INVISIBLE_CHARACTERS_RE.sub(INVISIBLE_REPLACEMENT_CHAR, data)
        if "&" not in data or ";" not in data:
            return token
        tokens, at = [], 0
        for start, end, entity in entity_pieces(data):
            if start > at:
                tokens.append({"type": "Characters", "data": data[at:start]})
            tokens.append({"type": "Characters", "data": "&"} if entity == "amp" else {"type": "Entity", "name": entity})
            remainder = data[start + len(entity) + 2:end]
            if remainder:
                tokens.append({"type": "Characters", "data": remainder})
            at = end
        if not tokens:
            return token
        if at < len(data):
            tokens.append({"type": "Characters", "data": data[at:]})
        return tokens

    def sanitize_uri_value(self, value, allowed_protocols):
        """bleach's verdict on the value, which it takes on the value with its entities converted
        (html5lib_shim.convert_entities, a Python call per "&"). Converted here in bulk; an "&"
        left over becomes "!", which the verdict reads the same way (neither is stripped, nor can
        be part of a scheme), so that bleach's own conversion has nothing to do."""
        if "&" not in value:
            return super().sanitize_uri_value(value, allowed_protocols)
        verdict = super().sanitize_uri_value(convert_entities(value).replace("&", "!"), allowed_protocols)
        return None if verdict is None else value


class Serializer(html5lib_shim.BleachHTMLSerializer):
    def escape_base_amp(self, stoken):
        """bleach's: each "&" of an attribute value that starts no known entity becomes "&amp;"."""
        stoken = stoken.replace("&amp;", "&")
        at = 0
        for start, end, entity in entity_pieces(stoken, known=True):
            yield stoken[at:start].replace("&", "&amp;")
            yield f"&{entity};"
            yield stoken[start + len(entity) + 2:end]
            at = end
        yield stoken[at:].replace("&", "&amp;")


class Cleaner(bleach.Cleaner):
    """bleach's Cleaner with the classes above; `restore` is the placeholders' table for the walk."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.parser = Parser(tags=self.tags, strip=self.strip, consume_entities=False, namespaceHTMLElements=False)
        serializer = self.serializer
        self.serializer = Serializer(**{name: getattr(serializer, name) for name in (
            "quote_attr_values", "omit_optional_tags", "escape_lt_in_attrs", "resolve_entities", "sanitize",
            "alphabetical_attributes")})

    def clean(self, text: str, restore: dict[int, str] | None = None) -> str:
        """bleach.Cleaner.clean (bleach 6.4.0) with SanitizerFilter and Walker(restore)."""
        if not text:
            return ""
        filtered = SanitizerFilter(
            source=Walker(self.parser.parseFragment(text), restore), allowed_tags=self.tags,
            attributes=self.attributes, strip_disallowed_tags=self.strip, strip_html_comments=self.strip_comments,
            css_sanitizer=self.css_sanitizer, allowed_protocols=self.protocols)
        for filter_class in self.filters:
            filtered = filter_class(source=filtered)
        return self.serializer.render(filtered)
