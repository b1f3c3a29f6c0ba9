"""A structure-aware diff of two HTML fragments, rendered as HTML that a reviewer reads.

Pure functions, no database. diff_html(old, new) returns one Row per top-level block (or pair of
blocks), each rendered three ways: old_html (old structure, deleted text in <del>), new_html (new
structure, inserted text in <ins>) and inline_html (new structure, both marks where they belong).

Two levels keep it near-linear on real text. Blocks (block elements, and each maximal run of inline
content) are aligned first, on equal blocks: each block's serialized HTML becomes one character and
diff-match-patch diffs those strings. Inside a region between equal blocks, old and new blocks are
paired by tag and shared words (not by index, so a paragraph inserted before an edited one does not
take its place), and containers of the same tag (lists, tables, rows, quotes, figures) are diffed
the same way inside, so a changed list item or cell is marked inside the real list or table. Runs of
inline content get a token diff (words, whitespace, punctuation, images and line breaks as atomic
tokens, each token knowing the inline elements around it), again with diff-match-patch on one
character per distinct token. One deadline bounds all of diff-match-patch's work: past it, a region
is shown as deleted and inserted whole instead of finely, so no input can hold a worker.

The output is safe whatever the input: it is parsed and written back by articles.htmltree, every
text and attribute value escaped, only allow-listed tags and attributes kept, script-like elements
dropped with their content, and URLs limited to http(s), mailto and relative addresses. That, and
only that, is why rows are SafeStrings.
"""
import bisect
import re
import time
from dataclasses import dataclass

from diff_match_patch import diff_match_patch
from django.utils.safestring import SafeString, mark_safe

from .htmltree import BLOCK, TEXT_ESCAPES, VOID, Element, parse, serialize, start_tag

# Seconds diff-match-patch may spend on one diff_html call unless a deadline is given.
DIFF_SECONDS = 2.0

# Paired blocks in a changed region must share at least this share of their words (Dice).
PAIR_SIMILARITY = 0.4
# Regions up to this many old x new blocks are paired optimally; bigger ones greedily.
PAIR_CELLS = 2_500
_PAIR_WINDOW = 8
# Key sequences longer than this (old and new together) are cut at unique anchors before
# diff-match-patch sees them.
ANCHOR_ABOVE = 256

_TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]")
_WORD_RE = re.compile(r"\w+")

# HTML allows <ins>/<del> around a whole block almost anywhere, but not as a child of a list,
# table or row, and not around a figcaption: there the block gets a class and its text is wrapped.
_NO_WRAP = frozenset({"li", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "figcaption"})
_NO_WRAP_PARENTS = frozenset({"ul", "ol", "table", "thead", "tbody", "tfoot", "tr"})
_TAG_RE = re.compile(r"<[^>]*>")
_URL_RE = re.compile(r"(?:https?://|mailto:)[^\s()<>]+")
_IMG_RE = re.compile(r"<img[^>]*>")

EQUAL, CHANGED, INSERT, DELETE = "equal", "changed", "insert", "delete"


@dataclass(frozen=True)
class Row:
    """One top-level block, or an old and a new block paired, rendered three ways."""

    kind: str  # equal | changed | insert | delete
    old_html: SafeString
    new_html: SafeString
    inline_html: SafeString
    # Changes that start in this row (a change may run on into the next row).
    changes: int


@dataclass(frozen=True)
class HtmlDiff:
    rows: list[Row]
    changes: int


# --- Parsing into a small tree ------------------------------------------------------------------


def _blocks(element: Element) -> list[Element]:
    """Block children, each maximal run of inline content as one block (tag ""); runs of only
    whitespace are layout, not content, and are left out."""
    blocks, run = [], []

    def flush():
        if any(not isinstance(node, str) or not node.isspace() for node in run):
            blocks.append(Element("", (), list(run)))
        run.clear()

    for child in element.children:
        if isinstance(child, Element) and child.tag in BLOCK:
            flush()
            blocks.append(child)
        else:
            run.append(child)
    flush()
    return blocks


# --- Rendering into three buffers -------------------------------------------------------------------

class _Counter:
    """Numbers changes within one diff_html call. A change is a maximal run of adjacent marks: any
    equal content between two marks ends it."""

    def __init__(self):
        self.changes = 0
        self.marks = 0
        self.open = False
        # Per rendering (old, new, inline): the last change whose first mark it has written.
        self.numbered = {"old": 0, "new": 0, "inline": 0}

    def equal(self):
        self.open = False


class _Buffer:
    """One rendering (old, new or inline) of one row. data-change goes on the first mark of each
    change in each rendering, so the page can find a change in either view."""

    def __init__(self, counter: _Counter, name: str):
        self.counter = counter
        self.name = name
        self.parts: list[str] = []

    def open_mark(self, op: str, css_class: str = "") -> str:
        counter = self.counter
        if not counter.open:
            counter.changes += 1
            counter.open = True
        counter.marks += 1
        attrs = f' class="{css_class}"' if css_class else ""
        if counter.numbered[self.name] != counter.changes:
            counter.numbered[self.name] = counter.changes
            attrs += f' data-change="{counter.changes}"'
        return f"<{op}{attrs}>"

    def html(self) -> SafeString:
        return mark_safe("".join(self.parts))


class _RunWriter:
    """Writes tokens of an inline run into a buffer, opening and closing the inline elements each
    token sits in and keeping every <ins>/<del> inside them, so the markup stays well formed."""

    def __init__(self, buffer: _Buffer):
        self.buffer = buffer
        self.parts = buffer.parts
        self.path: tuple = ()  # the inline elements open now, outermost first
        self.mark = None

    def adopt(self, path: tuple) -> tuple:
        # Deleted text shown in the new structure sits in the new elements where the tags agree.
        current, i = self.path, 0
        while i < len(path) and i < len(current) and current[i].tag == path[i].tag:
            i += 1
        return current[:i] + path[i:]

    def write(self, html: str, path: tuple, mark) -> None:
        parts = self.parts
        if path == self.path:  # tuples of elements compare by identity
            if mark != self.mark:
                if self.mark:
                    parts.append(f"</{self.mark}>")
                self.mark = mark
                if mark:
                    parts.append(self.buffer.open_mark(mark))
            parts.append(html)
            return
        if self.mark:
            parts.append(f"</{self.mark}>")
            self.mark = None
        current, i = self.path, 0
        while i < len(path) and i < len(current) and current[i] is path[i]:
            i += 1
        parts += [f"</{element.tag}>" for element in reversed(current[i:])]
        parts += [start_tag(element) for element in path[i:]]
        self.path = path
        if mark:
            self.mark = mark
            parts.append(self.buffer.open_mark(mark))
        parts.append(html)

    def close(self) -> None:
        self.write("", (), None)


def _tokens(run: Element) -> list[tuple]:
    """(key, html, path) per token. The key holds the names of the inline elements around the token,
    so text that gains or loses bold, a link or a superscript shows as changed."""
    tokens = []

    def walk(nodes, path, prefix):
        for node in nodes:
            if isinstance(node, str):
                for token in _TOKEN_RE.findall(node):
                    html = TEXT_ESCAPES.get(token, token)
                    tokens.append((prefix + html, html, path))
            elif node.tag in VOID:
                html = serialize(node)
                tokens.append((prefix + html, html, path))
            else:
                walk(node.children, path + (node,), prefix[:-1] + "/" + node.tag + "\x00")

    walk(run.children, (), "\x00")
    return tokens


def _unique_anchors(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """(i, j) of keys found exactly once in a and once in b, the longest run of them in the same
    order in both (patience sorting, n log n)."""
    count_a, count_b, where_b = {}, {}, {}
    for key in a:
        count_a[key] = count_a.get(key, 0) + 1
    for j, key in enumerate(b):
        count_b[key] = count_b.get(key, 0) + 1
        where_b[key] = j
    pairs = [(i, where_b[key]) for i, key in enumerate(a) if count_a[key] == 1 and count_b.get(key) == 1]
    tails, tail_index, previous = [], [], [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        slot = bisect.bisect_left(tails, j)
        if slot == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[slot] = j
            tail_index[slot] = index
        previous[index] = tail_index[slot - 1] if slot else -1
    anchors, index = [], tail_index[-1] if tail_index else -1
    while index >= 0:
        anchors.append(pairs[index])
        index = previous[index]
    return anchors[::-1]


class _Differ:
    def __init__(self, deadline: float):
        self.deadline = deadline
        self.dmp = diff_match_patch()
        self.counter = _Counter()
        self._words: dict[int, set] = {}

    def chars(self, a: list[str], b: list[str]) -> tuple[str, str] | None:
        """One character per distinct key, so diff-match-patch diffs keys as it diffs text."""
        codes: dict[str, str] = {}
        encoded = []
        for keys in (a, b):
            out = []
            for key in keys:
                char = codes.get(key)
                if char is None:
                    if len(codes) >= 0x10FFFF:
                        return None
                    char = codes[key] = chr(len(codes) + 1)
                out.append(char)
            encoded.append("".join(out))
        return encoded[0], encoded[1]

    def ops(self, a: list[str], b: list[str]) -> list[tuple[int, int]]:
        """(op, length) runs over two key sequences: op 0 equal, -1 deleted, 1 inserted.

        Long sequences are first cut at keys that occur once in each and keep their order (as
        patience diff does): diff-match-patch costs length x differences, so a long article with
        small edits everywhere would otherwise grow quadratically; between anchors the gaps are short.
        """
        if a == b:
            return [(0, len(a))] if a else []
        if len(a) + len(b) <= ANCHOR_ABOVE:
            return self._dmp_ops(a, b)
        runs, i, j = [], 0, 0
        for ai, bj in [*_unique_anchors(a, b), (len(a), len(b))]:
            runs += self._dmp_ops(a[i:ai], b[j:bj])
            if ai < len(a):
                runs.append((0, 1))
            i, j = ai + 1, bj + 1
        merged = []
        for op, length in runs:
            if merged and merged[-1][0] == op:
                merged[-1] = (op, merged[-1][1] + length)
            elif length:
                merged.append((op, length))
        return merged

    def _dmp_ops(self, a: list[str], b: list[str]) -> list[tuple[int, int]]:
        if not a or not b:
            return [(-1, len(a))] * bool(a) + [(1, len(b))] * bool(b)
        encoded = self.chars(a, b)
        if encoded is None:
            return [(-1, len(a)), (1, len(b))]
        return [(op, len(text)) for op, text in self.dmp.diff_main(*encoded, False, self.deadline)]

    # Blocks.

    def words(self, block: Element) -> set:
        words = self._words.get(id(block))
        if words is None:
            html = serialize(block)
            text = _TAG_RE.sub(" ", html)
            # An address counts as one word: the parts every address shares ("https", "doi",
            # "org") would make any two references look alike.
            words = (set(_WORD_RE.findall(_URL_RE.sub(" ", text).lower())) | set(_URL_RE.findall(text))
                     | set(_IMG_RE.findall(html)))
            self._words[id(block)] = words
        return words

    def similarity(self, old: Element, new: Element) -> float:
        if old.tag != new.tag:
            return 0.0
        a, b = self.words(old), self.words(new)
        if not a and not b:
            return 1.0
        return 2 * len(a & b) / (len(a) + len(b))

    def align(self, old: list[Element], new: list[Element]) -> list[tuple]:
        """(old block or None, new block or None, equal?) in reading order."""
        aligned, i, j = [], 0, 0
        pending_old, pending_new = [], []
        for op, length in self.ops([serialize(b) for b in old], [serialize(b) for b in new]):
            if op == 0:
                aligned += self.pair(pending_old, pending_new)
                pending_old, pending_new = [], []
                aligned += [(old[i + k], new[j + k], True) for k in range(length)]
                i, j = i + length, j + length
            elif op < 0:
                pending_old += old[i:i + length]
                i += length
            else:
                pending_new += new[j:j + length]
                j += length
        return aligned + self.pair(pending_old, pending_new)

    def pair(self, old: list[Element], new: list[Element]) -> list[tuple]:
        """Old and new blocks of a changed region, paired where they are the same kind of block and
        share enough words; the rest deleted or inserted, in reading order."""
        if not old or not new:
            return [(block, None, False) for block in old] + [(None, block, False) for block in new]
        if len(old) == len(new) == 1 and old[0].tag == new[0].tag:
            return [(old[0], new[0], False)]
        if time.time() >= self.deadline:
            matches = []  # out of time: shown deleted and inserted whole
        elif len(old) * len(new) <= PAIR_CELLS:
            matches = self._pairs_best(old, new)
        else:
            matches = self._pairs_greedy(old, new)
        result, i, j = [], 0, 0
        for pi, pj in matches + [(len(old), len(new))]:
            result += [(block, None, False) for block in old[i:pi]]
            result += [(None, block, False) for block in new[j:pj]]
            if pi < len(old):
                result.append((old[pi], new[pj], False))
            i, j = pi + 1, pj + 1
        return result

    def _pairs_best(self, old, new) -> list[tuple[int, int]]:
        # The order-keeping pairing with the greatest total similarity (as an LCS, weighted).
        m, n = len(old), len(new)
        score = [[0.0] * (n + 1) for _ in range(m + 1)]
        sims = {}
        for i in range(1, m + 1):
            row, above = score[i], score[i - 1]
            for j in range(1, n + 1):
                best = max(above[j], row[j - 1])
                sim = self.similarity(old[i - 1], new[j - 1])
                if sim >= PAIR_SIMILARITY:
                    sims[i, j] = sim
                    best = max(best, above[j - 1] + sim)
                row[j] = best
        pairs, i, j = [], m, n
        while i and j:
            if score[i][j] == score[i - 1][j]:
                i -= 1
            elif score[i][j] == score[i][j - 1]:
                j -= 1
            else:
                pairs.append((i - 1, j - 1))
                i, j = i - 1, j - 1
        return pairs[::-1]

    def _pairs_greedy(self, old, new) -> list[tuple[int, int]]:
        def similar(i, j):
            return self.similarity(old[i], new[j]) >= PAIR_SIMILARITY

        pairs, i, j, steps = [], 0, 0, 0
        while i < len(old) and j < len(new):
            steps += 1
            if steps % 64 == 0 and time.time() >= self.deadline:
                break
            if similar(i, j):
                pairs.append((i, j))
                i, j = i + 1, j + 1
                continue
            ahead_new = next((k for k in range(j + 1, min(len(new), j + _PAIR_WINDOW)) if similar(i, k)), None)
            ahead_old = next((k for k in range(i + 1, min(len(old), i + _PAIR_WINDOW)) if similar(k, j)), None)
            if ahead_new is not None and (ahead_old is None or ahead_new - j <= ahead_old - i):
                j = ahead_new
            elif ahead_old is not None:
                i = ahead_old
            else:
                i, j = i + 1, j + 1
        return pairs

    def blocks(self, old: list[Element], new: list[Element], old_buf, new_buf, inline_buf,
               parent_tag: str) -> None:
        for old_block, new_block, equal in self.align(old, new):
            self.block(old_block, new_block, equal, old_buf, new_buf, inline_buf, parent_tag)

    def block(self, old, new, equal, old_buf, new_buf, inline_buf, parent_tag) -> None:
        if equal:
            self.counter.equal()
            html = serialize(new)
            old_buf.parts.append(html)
            new_buf.parts.append(html)
            inline_buf.parts.append(html)
        elif old is None:
            self.whole(new, "ins", new_buf, parent_tag)
            self.whole(new, "ins", inline_buf, parent_tag)
        elif new is None:
            self.whole(old, "del", old_buf, parent_tag)
            self.whole(old, "del", inline_buf, parent_tag)
        elif not new.tag:
            self.runs(old, new, old_buf, new_buf, inline_buf)
        elif new.tag in VOID:
            old_buf.parts.append(serialize(old))
            new_buf.parts.append(serialize(new))
            inline_buf.parts.append(serialize(new))
        else:
            old_buf.parts.append(start_tag(old))
            new_buf.parts.append(start_tag(new))
            inline_buf.parts.append(start_tag(new))
            self.blocks(_blocks(old), _blocks(new), old_buf, new_buf, inline_buf, new.tag)
            for buffer in (old_buf, new_buf, inline_buf):
                buffer.parts.append(f"</{new.tag}>")

    def whole(self, block: Element, op: str, buffer: _Buffer, parent_tag: str) -> None:
        """A block inserted or deleted whole: in one mark where HTML allows it, else the block gets
        a diff-ins/diff-del class and its content is marked inside it."""
        if not block.tag:
            buffer.parts += [buffer.open_mark(op), serialize(block), f"</{op}>"]
        elif block.tag not in _NO_WRAP and parent_tag not in _NO_WRAP_PARENTS:
            buffer.parts += [buffer.open_mark(op, "diff-block"), serialize(block), f"</{op}>"]
        else:
            buffer.parts.append(start_tag(block, f"diff-{op}"))
            for child in _blocks(block):
                self.whole(child, op, buffer, block.tag)
            buffer.parts.append(f"</{block.tag}>")

    # Inline runs.

    def segments(self, old: list[tuple], new: list[tuple]) -> list[list]:
        """[equal?, old tokens, new tokens] runs, with small equalities between changes folded
        into them (as diff-match-patch's semantic cleanup does), so "a b" -> "c d" reads as one
        change and not two split by an unchanged space."""
        segments, i, j = [], 0, 0
        for op, length in self.ops([t[0] for t in old], [t[0] for t in new]):
            if op == 0:
                segments.append([True, old[i:i + length], new[j:j + length]])
                i, j = i + length, j + length
                continue
            if not segments or segments[-1][0]:
                segments.append([False, [], []])
            if op < 0:
                segments[-1][1] += old[i:i + length]
                i += length
            else:
                segments[-1][2] += new[j:j + length]
                j += length
        for _ in range(3):
            merged, folded = [], False
            for index, segment in enumerate(segments):
                if (segment[0] and merged and not merged[-1][0] and index + 1 < len(segments)
                        and not segments[index + 1][0]
                        and len(segment[1]) <= max(len(merged[-1][1]), len(merged[-1][2]))
                        and len(segment[1]) <= max(len(segments[index + 1][1]), len(segments[index + 1][2]))):
                    merged[-1] = [False, merged[-1][1] + segment[1], merged[-1][2] + segment[2]]
                    folded = True
                elif not segment[0] and merged and not merged[-1][0]:
                    merged[-1] = [False, merged[-1][1] + segment[1], merged[-1][2] + segment[2]]
                else:
                    merged.append(segment)
            segments = merged
            if not folded:
                break
        return segments

    def runs(self, old: Element, new: Element, old_buf, new_buf, inline_buf) -> None:
        old_w, new_w, inline_w = _RunWriter(old_buf), _RunWriter(new_buf), _RunWriter(inline_buf)
        for equal, old_tokens, new_tokens in self.segments(_tokens(old), _tokens(new)):
            if equal:
                self.counter.equal()
                for _, html, path in old_tokens:
                    old_w.write(html, path, None)
                for _, html, path in new_tokens:
                    new_w.write(html, path, None)
                    inline_w.write(html, path, None)
                continue
            for _, html, path in old_tokens:
                old_w.write(html, path, "del")
                inline_w.write(html, inline_w.adopt(path), "del")
            for _, html, path in new_tokens:
                new_w.write(html, path, "ins")
                inline_w.write(html, path, "ins")
        for writer in (old_w, new_w, inline_w):
            writer.close()


def diff_html(old: str, new: str, *, deadline: float | None = None, link_targets: bool = True) -> HtmlDiff:
    """Rows of the differences between two HTML fragments, and the number of changes.

    `deadline` (a time.time() value) bounds the diffing; several calls may share one.
    `link_targets` shows each link's address after its text.
    """
    differ = _Differ(deadline if deadline is not None else time.time() + DIFF_SECONDS)
    counter = differ.counter
    old_root = parse(old, link_targets=link_targets)
    new_root = parse(new, link_targets=link_targets)
    rows = []
    for old_block, new_block, equal in differ.align(_blocks(old_root), _blocks(new_root)):
        if equal:
            counter.equal()
            html = mark_safe(serialize(new_block))
            rows.append(Row(EQUAL, html, html, html, 0))
            continue
        buffers = _Buffer(counter, "old"), _Buffer(counter, "new"), _Buffer(counter, "inline")
        changes, marks = counter.changes, counter.marks
        differ.block(old_block, new_block, False, *buffers, "")
        if new_block is None:
            kind = DELETE
        elif old_block is None:
            kind = INSERT
        else:
            kind = CHANGED if counter.marks > marks else EQUAL
        old_html, new_html, inline_html = (buffer.html() for buffer in buffers)
        rows.append(Row(kind, old_html, new_html, inline_html, counter.changes - changes))
    return HtmlDiff(rows, counter.changes)
