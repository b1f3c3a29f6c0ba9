"""Rules about the article as a whole: repeated phrases and paragraphs, missing sources, and the
gate's missing safety sections."""
from collections import Counter, defaultdict
from collections.abc import Iterator

from ..gate import gate_failures
from ..sanitize import html_to_text
from ..sections import SECTIONS_BY_KEY
from .engine import Hit, Rule, Severity, excerpt_of
from .text import Block, Document, field_label

# --- KEYWORD_STUFFING ---

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here hers
him his how i if in into is it its itself just may me might more most must my no nor not now of off on once only or
other our out over own same she should so some such than that the their them then there these they this those
through to too under until up very was we were what when where which while who whom why will with would you your
""".split())
# Two- and three-word phrases: a longer repeated phrase repeats its three-word parts too.
NGRAM_SIZES = (3, 2)
MIN_REPEATS = 5
# Share of the article's words taken up by one phrase's repeats, by phrase length. Natural prose
# about a subject stays under it ("side effects" in a safety article: 1.6%); text written for
# search engines goes over ("sleep aid" 18 times in 1,100 words: 3.3%; "does X cause insomnia"
# again and again). Two-word phrases recur naturally, so they get the higher limit.
MAX_PHRASE_DENSITY = {2: 0.02, 3: 0.01}
MAX_STUFFING_FINDINGS = 3
_BREAK = "\n"  # never a word, so never part of a counted phrase


def find_keyword_stuffing(document: Document) -> Iterator[Hit]:
    blocks = [block for block in document.blocks if block.field != "title"]
    total = sum(len(block.words) for block in blocks)
    if total < 100:
        return
    # All the words in one list, a sentinel between blocks so that no phrase spans two of them;
    # zip and Counter then count every phrase in C, and the filters run once per distinct phrase.
    tokens: list[str] = []
    for block in blocks:
        tokens += block.words
        tokens.append(_BREAK)
    counts: Counter = Counter()
    for size in NGRAM_SIZES:
        counts.update(zip(*(tokens[offset:] for offset in range(size))))
    stuffed = sorted(
        (gram for gram, count in counts.items()
         if count >= MIN_REPEATS and count * len(gram) / total >= MAX_PHRASE_DENSITY[len(gram)]
         and gram[0] not in STOPWORDS and gram[-1] not in STOPWORDS and _BREAK not in gram
         and not gram[0].isdigit() and not gram[-1].isdigit()),
        key=lambda gram: (-len(gram), -counts[gram]),
    )
    reported: list[tuple[str, ...]] = []
    # For each phrase inside one already reported, the most any reported phrase containing it is used.
    covered: dict[tuple[str, ...], int] = {}
    for gram in stuffed:
        # "kratom cause insomnia" already covers "cause insomnia", unless the shorter phrase is
        # also repeated a good deal on its own.
        if counts[gram] <= covered.get(gram, 0) * 1.25:
            continue
        reported.append(gram)
        for size in range(2, len(gram)):
            for start in range(len(gram) - size + 1):
                part = gram[start:start + size]
                covered[part] = max(covered.get(part, 0), counts[gram])
    reported.sort(key=lambda gram: -counts[gram] * len(gram))
    for gram in reported[:MAX_STUFFING_FINDINGS]:
        phrase = " ".join(gram)
        # Shown at the field that repeats it most.
        per_field: Counter = Counter()
        first_block: dict[str, int] = {}
        for block in blocks:
            found = f" {' '.join(block.words)} ".count(f" {phrase} ")
            if found:
                per_field[block.field] += found
                first_block.setdefault(block.field, block.index)
        field_name = per_field.most_common(1)[0][0] if per_field else "body"
        count = counts[gram]
        yield Hit(field_name, phrase, at=first_block.get(field_name, 0), message=(
            f'The phrase "{phrase}" appears {count} times ({count * len(gram) / total:.1%} of the words). '
            "Repeating a search phrase reads as an advert and tires readers; keep it where it is natural."))


# --- DUPLICATE_PARAGRAPH ---

MIN_PARAGRAPH_WORDS = 12
NEAR_DUPLICATE = 0.8
# Each paragraph is indexed by its few alphabetically first three-word shingles. Two paragraphs
# sharing 80% of their shingles almost always share at least two of those, so only paragraphs
# that do (and are of similar length) are compared in full. Alphabetical, not hashed, so the
# result is the same on every run.
SKETCH = 4
SKETCH_MATCHES = 2


def find_duplicate_paragraphs(document: Document) -> Iterator[Hit]:
    headings = {tuple(block.words) for block in document.blocks if block.is_heading}
    seen: list[tuple[Block, frozenset]] = []
    first_seen: dict[tuple[str, ...], int] = {}
    index: defaultdict[tuple[str, ...], list[int]] = defaultdict(list)
    for block in document.blocks:
        tokens = tuple(block.words)
        # Skipping headings' twins skips contents lists, whose items repeat the headings.
        if block.is_heading or block.kind == "line" or len(tokens) < MIN_PARAGRAPH_WORDS or tokens in headings:
            continue
        shingles = frozenset(zip(tokens, tokens[1:], tokens[2:]))
        sketch = sorted(shingles)[:SKETCH]
        original = first_seen.get(tokens)
        if original is None:
            shared = Counter(other for shingle in sketch for other in index.get(shingle, ()))
            needed = min(SKETCH_MATCHES, len(sketch))
            original = next((other for other in sorted(shared) if shared[other] >= needed
                             and _near_duplicates(shingles, seen[other][1])), None)
            first_seen[tokens] = len(seen)
        for shingle in sketch:
            index[shingle].append(len(seen))
        seen.append((block, shingles))
        if original is not None:
            where = seen[original][0].field
            place = "earlier in this field" if where == block.field else f'in "{field_label(where)}"'
            yield Hit(block.field, excerpt_of(block.text), at=block.index, message=(
                f"This paragraph repeats one {place} almost word for word. Keep one of them, "
                "or say something new here."))


def _near_duplicates(one: frozenset, other: frozenset) -> bool:
    larger = max(len(one), len(other))
    return min(len(one), len(other)) >= NEAR_DUPLICATE * larger and len(one & other) >= NEAR_DUPLICATE * larger


# --- NO_REFERENCES, MISSING_SECTION ---

def find_no_references(document: Document) -> Iterator[Hit]:
    if not any(ref["title"] or ref["url"] or ref["doi"] or ref["pmid"] for ref in document.content.references):
        yield Hit("references", "", at=10**9)


def find_missing_sections(document: Document) -> Iterator[Hit]:
    """The gate's verdict on each required safety section, one finding per section."""
    if document.article_type is None:
        return
    for failure in gate_failures(document.content, document.article_type):
        if failure.field in SECTIONS_BY_KEY:
            text = html_to_text(document.content.sections.get(failure.field, ""))
            yield Hit(failure.field, excerpt_of(text), message=failure.message, at=-1)


RULES = (
    Rule("KEYWORD_STUFFING", Severity.WARNING, "A phrase is repeated far more often than the text needs.",
         find_keyword_stuffing),
    Rule("DUPLICATE_PARAGRAPH", Severity.WARNING, "This paragraph repeats another almost word for word.",
         find_duplicate_paragraphs),
    Rule("NO_REFERENCES", Severity.ERROR,
         "The article cites no sources. Add the references its claims rest on, and cite them in the text like [1].",
         find_no_references),
    # Answered by writing the section: the gate refuses submission whatever reason is given.
    Rule("MISSING_SECTION", Severity.ERROR, "A required safety section is missing.", find_missing_sections,
         waivable=False),
)
