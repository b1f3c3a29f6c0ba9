"""The finders: how each kind of rule reads a Document. A rule file names its kind; everything
a finder matches on (patterns, term lists, limits) comes from the file's patterns and params.

    phrases           patterns per sentence, answered by citations and context (the usual kind)
    product           a named product near a recommending word, plus the rule's own patterns
    commercial_links  the rule's patterns, plus links whose text or address is a shop's
    vague_risk        risks mentioned in a paragraph (and the list after it) with none named
    boilerplate       web-page furniture, including runs of dated links
    keyword_density   a phrase repeated past a share of the text's words
    duplicates        near-identical paragraphs
    no_references     no sources at all
    missing_section   the gate's verdict on each required safety section
"""
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from functools import cache

from ..sanitize import html_to_text
from ..sections import SECTIONS_BY_KEY
from .context import SentenceContext
from .engine import Hit, contains_any, excerpt_of
from .rulebook import RuleSpec, compile_pattern, load_lexicon, term_lists
from .text import Block, Document, Sentence, field_label

WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
SUBJECT_PRONOUNS = frozenset({"it", "it's", "they", "this", "these"})


@cache
def lexicon():
    return load_lexicon()


@cache
def _param_pattern(code: str, key: str, source: str) -> re.Pattern:
    return compile_pattern(source, term_lists(), f"{code}.toml params.{key}")


def param_pattern(rule: RuleSpec, key: str) -> re.Pattern | None:
    source = rule.params.get(key)
    return _param_pattern(rule.code, key, source) if source else None


# --- phrases ---

def _answered(rule_pattern, sentence: Sentence, text: str, match: re.Match, context: SentenceContext,
              document: Document, profile) -> bool:
    answers = rule_pattern.answered_by
    if answers & {"negated", "uncertain", "hedged"}:
        if answers.intersection(context.categories_at(match.start(), match.end())):
            return True
    if "quoted" in answers and context.quoted(match.start(), match.end()):
        return True
    if rule_pattern.subjects is not None or profile.licensed_indication:
        clause = context.clause_before(match.start())
        if rule_pattern.subjects is not None and rule_pattern.subjects.search(clause):
            return True
        # In a medicine article the medicine is the subject: named, or "it", "this medicine".
        if profile.licensed_indication and any(
                word in document.subject_words or word in SUBJECT_PRONOUNS for word in WORD_RE.findall(clause)):
            return True
    return False


def sentence_text(block: Block, sentence: Sentence, rule: RuleSpec) -> tuple[str, int, bool]:
    """The folded text a sentence is matched in, where its own text starts in it, and whether a
    citation answers it. An item's first sentence is read after the list's lead-in."""
    if rule.items_with_lead and block.lead is not None and sentence is block.sentences[0]:
        lead = block.lead.folded.rstrip(": ")
        return f"{lead} {sentence.folded}", len(lead) + 1, sentence.cited or block.lead.cited
    return sentence.folded, 0, sentence.cited


def phrase_hits(rule: RuleSpec, document: Document, profile, patterns=None) -> Iterator[Hit]:
    patterns = rule.patterns if patterns is None else patterns
    # With the rule's own patterns, only the blocks holding one of its needles (their union).
    by_needles: dict[frozenset[str], list] = {}  # blocks with the same needles try the same patterns
    for block in document.blocks_for(rule) if patterns is rule.patterns else document.blocks:
        if not rule.applies_to(block.field) or (block.is_heading and not rule.headings):
            continue
        present = document.needles_in(block.folded_with_lead)
        candidates = by_needles.get(present)
        if candidates is None:
            candidates = by_needles[present] = [pattern for pattern in patterns if pattern.may_match(present)]
        if not candidates:
            continue
        single = len(block.sentences) == 1 and block.lead is None
        for sentence in block.sentences:
            text, own_start, cited = sentence_text(block, sentence, rule)
            hit = _first_hit(rule, candidates, sentence, text, own_start, cited, document, profile, single)
            if hit is not None:
                yield Hit(sentence.field, excerpt_of(sentence.text, max(0, hit.start() - own_start)),
                          at=block.index, trigger=_original(sentence, hit, own_start))


def _first_hit(rule, candidates, sentence, text, own_start, cited, document, profile,
               filtered: bool = False) -> re.Match | None:
    context = None
    for pattern in candidates:
        if cited and "cited" in pattern.answered_by:
            continue
        if not filtered and not pattern.may_match(document.needles_in(text)):
            continue
        if pattern.requires is not None and not _required(rule, pattern, text, document):
            continue
        if pattern.unless is not None and pattern.unless.search(text):
            continue
        for match in pattern.compiled.finditer(text):
            if match.end() <= own_start:
                continue  # wholly in the lead-in: its own sentence answers for it
            if context is None:
                context = SentenceContext(text, lexicon(), _unfolded(sentence, text, own_start))
            if not _answered(pattern, sentence, text, match, context, document, profile):
                return match
    return None


def _unfolded(sentence: Sentence, text: str, own_start: int) -> str:
    """The matched-on text with its capitals back (the lead-in stays folded)."""
    return text[:own_start] + sentence.text if len(sentence.text) == len(text) - own_start else text


def _required(rule: RuleSpec, pattern, text: str, document: Document) -> bool:
    """The sentence (or, where the rule says so, the article's title and summary) holds what the
    pattern requires; the derived needles rule most sentences out before the pattern runs."""
    for source in (text, document.lead_text if rule.params.get("requires_or_lead") else None):
        if source is None:
            continue
        if pattern.requires_needles and document.needles_in(source).isdisjoint(pattern.requires_needles):
            continue
        if pattern.requires.search(source):
            return True
    return False


def _original(sentence: Sentence, match: re.Match, own_start: int) -> str:
    """The matched words as the writer wrote them (the folded text keeps every position)."""
    start, end = match.start() - own_start, match.end() - own_start
    if start < 0:
        return match.group(0).strip()
    return sentence.text[start:end].strip()


def find_phrases(rule: RuleSpec, document: Document, profile) -> Iterator[Hit]:
    yield from phrase_hits(rule, document, profile)


# --- product ---

def find_products(rule: RuleSpec, document: Document, profile) -> Iterator[Hit]:
    named_re, cased_re = param_pattern(rule, "named"), param_pattern(rule, "named_cased")
    cue_re, refusal_re = param_pattern(rule, "cue"), param_pattern(rule, "not_recommended")
    reach = int(rule.params.get("reach", 60))
    for sentence in document.sentences(headings=True):
        if sentence.cited or not rule.applies_to(sentence.field):
            continue
        folded = sentence.folded
        named = [*named_re.finditer(folded), *cased_re.finditer(sentence.text)]
        if not named or _allowed_brand(folded, profile):
            continue
        if not named or (refusal_re is not None and refusal_re.search(folded)):
            continue
        context = SentenceContext(folded, lexicon())
        cues = [cue for cue in cue_re.finditer(folded) if "negated" not in context.categories_at(*cue.span())]
        near = next((product for product in named for cue in cues if abs(cue.start() - product.start()) <= reach),
                    None)
        if near is not None:
            yield Hit(sentence.field, excerpt_of(sentence.text, near.start()), at=sentence.block.index,
                      trigger=near.group(0))
    for hit in phrase_hits(rule, document, profile):
        if not _allowed_brand(hit.excerpt, profile):
            yield hit


def _allowed_brand(text: str, profile) -> bool:
    """The sentence names a product the publisher allows (a licensed medicine's brand)."""
    folded = " ".join(text.lower().split())
    return any(brand in folded for brand in profile.brands)


# --- commercial_links ---

def find_commercial(rule: RuleSpec, document: Document, profile) -> Iterator[Hit]:
    yield from phrase_hits(rule, document, profile)
    text_re, href_re = param_pattern(rule, "link_text"), param_pattern(rule, "link_href")
    for link in document.links:
        if text_re.search(link.text.lower()) or href_re.search(link.href.lower()):
            yield Hit(link.field, excerpt_of(f"{link.text} ({link.href})"), at=_block_at(document, link.field),
                      trigger=link.text)


def _block_at(document: Document, field_name: str) -> int:
    return next((block.index for block in document.blocks if block.field == field_name), 0)


# --- vague_risk ---

def find_vague_risks(rule: RuleSpec, document: Document, profile) -> Iterator[Hit]:
    mention_re, named_re = param_pattern(rule, "mention"), param_pattern(rule, "named")
    signpost_re = param_pattern(rule, "signpost")
    needles = _mention_needles(rule)
    elsewhere_re = param_pattern(rule, "named_elsewhere")
    elsewhere_harms = int(rule.params.get("named_elsewhere_harms", 2))
    names_harms: dict[str, bool] = {}

    def field_names_harms(field_name: str) -> bool:
        if field_name not in names_harms:
            names_harms[field_name] = elsewhere_re is not None and any(
                elsewhere_re.search(sentence.folded) and len(named_re.findall(sentence.folded)) >= elsewhere_harms
                for block in document.blocks if block.field == field_name for sentence in block.sentences)
        return names_harms[field_name]

    for block in document.blocks:
        if block.is_heading or not rule.applies_to(block.field):
            continue
        if needles and not contains_any(block.folded, needles):
            continue
        if not mention_re.search(block.folded):
            continue
        following = document.next_block(block)
        if named_re.search(block.folded) or (
                following is not None and following.kind == "item" and named_re.search(following.folded)):
            continue
        if field_names_harms(block.field):
            continue
        for sentence in block.sentences:
            match = mention_re.search(sentence.folded)
            if match and not signpost_re.search(sentence.folded):
                yield Hit(sentence.field, excerpt_of(sentence.text, match.start()), at=block.index,
                          trigger=sentence.text[match.start():match.end()])


@cache
def _mention_needles_for(code: str, source: str) -> tuple[str, ...]:
    from .prefilter import needles
    return needles(_param_pattern(code, "mention", source))


def _mention_needles(rule: RuleSpec) -> tuple[str, ...]:
    return _mention_needles_for(rule.code, rule.params["mention"])


# --- boilerplate ---

def find_boilerplate(rule: RuleSpec, document: Document, profile) -> Iterator[Hit]:
    heading_re, dated_re = param_pattern(rule, "heading"), param_pattern(rule, "dated_link")
    max_words = int(rule.params.get("dated_link_words", 20))
    run: list[Block] = []

    def is_dated_link(block: Block) -> bool:
        return len(block.text.split()) <= max_words and dated_re.search(block.folded[-40:]) is not None

    def flush() -> Iterator[Hit]:
        if run:
            yield Hit(run[0].field, excerpt_of(" / ".join(block.text for block in run)), at=run[0].index)
            run.clear()

    for block in document.blocks:
        if is_dated_link(block):
            if run and run[-1].field != block.field:
                yield from flush()
            run.append(block)
            continue
        yield from flush()
        if heading_re.search(block.folded):
            yield Hit(block.field, excerpt_of(block.text), at=block.index)
    yield from flush()
    yield from phrase_hits(rule, document, profile)


# --- keyword_density ---

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here hers
him his how i if in into is it its itself just may me might more most must my no nor not now of off on once only or
other our out over own same she should so some such than that the their them then there these they this those
through to too under until up very was we were what when where which while who whom why will with would you your
""".split())
_BREAK = "\n"  # never a word, so never part of a counted phrase


def find_keyword_stuffing(rule: RuleSpec, document: Document, profile) -> Iterator[Hit]:
    params = rule.params
    limits = {int(size): float(limit) for size, limit in params["density"].items()}
    limits.update(profile.keyword_density)
    min_repeats, min_words = int(params.get("min_repeats", 5)), int(params.get("min_words", 100))
    blocks = [block for block in document.blocks if block.field != "title"]
    total = sum(len(block.words) for block in blocks)
    if total < min_words:
        return
    # All the words in one list, a sentinel between blocks so that no phrase spans two of them;
    # zip and Counter then count every phrase in C, and the filters run once per distinct phrase.
    tokens: list[str] = []
    for block in blocks:
        tokens += block.words
        tokens.append(_BREAK)
    counts: Counter = Counter()
    for size in sorted(limits, reverse=True):
        counts.update(zip(*(tokens[offset:] for offset in range(size))))
    # A short text says its subject's name often: the limit allows for at least min_repeats.
    stuffed = sorted(
        (gram for gram, count in counts.items()
         if count >= min_repeats and count * len(gram) / total >= limits[len(gram)]
         and gram[0] not in STOPWORDS and gram[-1] not in STOPWORDS and _BREAK not in gram
         and not gram[0].isdigit() and not gram[-1].isdigit()),
        key=lambda gram: (-len(gram), -counts[gram]),
    )
    if not stuffed:
        return
    reported: list[tuple[str, ...]] = []
    covered: dict[tuple[str, ...], int] = {}
    for gram in stuffed:
        if counts[gram] <= covered.get(gram, 0) * 1.25:
            continue
        # A name written with capitals wherever it stands in running text ("St. John's Wort")
        # is the topic being named, not a search phrase being repeated.
        if _is_proper_name(gram, document):
            continue
        reported.append(gram)
        for size in range(2, len(gram)):
            for start in range(len(gram) - size + 1):
                part = gram[start:start + size]
                covered[part] = max(covered.get(part, 0), counts[gram])
    reported.sort(key=lambda gram: -counts[gram] * len(gram))
    for gram in reported[:int(params.get("max_findings", 3))]:
        phrase = " ".join(gram)
        per_field: Counter = Counter()
        first_block: dict[str, int] = {}
        for block in blocks:
            found = f" {' '.join(block.words)} ".count(f" {phrase} ")
            if found:
                per_field[block.field] += found
                first_block.setdefault(block.field, block.index)
        field_name = per_field.most_common(1)[0][0] if per_field else "body"
        count = counts[gram]
        yield Hit(field_name, phrase, at=first_block.get(field_name, 0), trigger=phrase, message=(
            f'The phrase "{phrase}" appears {count} times ({count * len(gram) / total:.1%} of the words). '
            "Repeating a search phrase reads as an advert and tires readers; keep it where it is natural."))


def _is_proper_name(gram: tuple[str, ...], document: Document) -> bool:
    """Whether running text always writes the phrase with a capital first letter: a name
    ("St. John's wort"), not a search phrase ("how to microdose mushrooms")."""
    pattern = re.compile(r"(?<!\w)" + r"(?:['’]s)?\W+".join(re.escape(word) for word in gram) + r"(?!\w)", re.IGNORECASE)
    seen = False
    for block in document.blocks:
        if block.is_heading or block.field == "title":
            continue
        for match in pattern.finditer(block.text):
            seen = True
            if not match.group(0)[:1].isupper():
                return False
    return seen


# --- duplicates ---

MAX_DUPLICATE_CANDIDATES = 8
MAX_PARAGRAPHS_PER_SHINGLE = 32


def find_duplicate_paragraphs(rule: RuleSpec, document: Document, profile) -> Iterator[Hit]:
    params = rule.params
    min_words, near = int(params.get("min_words", 12)), float(params.get("near", 0.8))
    sketch_size, sketch_matches = 4, 2
    headings = {tuple(block.words) for block in document.blocks if block.is_heading}
    seen: list[tuple[Block, frozenset]] = []
    first_seen: dict[tuple[str, ...], int] = {}
    index: defaultdict[tuple[str, ...], list[int]] = defaultdict(list)
    for block in document.blocks:
        tokens = tuple(block.words)
        # Skipping headings' twins skips contents lists, whose items repeat the headings.
        if block.is_heading or block.kind == "line" or len(tokens) < min_words or tokens in headings:
            continue
        shingles = frozenset(zip(tokens, tokens[1:], tokens[2:]))
        # Each paragraph is indexed by its alphabetically first shingles: two paragraphs sharing
        # most of their shingles almost always share two of those, so only they are compared.
        sketch = sorted(shingles)[:sketch_size]
        original = first_seen.get(tokens)
        if original is None:
            shared = Counter(other for shingle in sketch for other in index.get(shingle, ()))
            needed = min(sketch_matches, len(sketch))
            # The few that share most of the sketch, earliest first: compared in full, so text
            # built from a small stock of sentences stays linear rather than comparing all pairs.
            closest = sorted((other for other in shared if shared[other] >= needed),
                             key=lambda other: (-shared[other], other))[:MAX_DUPLICATE_CANDIDATES]
            original = next((other for other in sorted(closest)
                             if _near_duplicates(shingles, seen[other][1], near)), None)
            first_seen[tokens] = len(seen)
        for shingle in sketch:
            # A shingle in many paragraphs' sketches ("of the", a stock phrase) tells them apart
            # no better than chance: past a few, later paragraphs are not listed under it.
            if len(index[shingle]) < MAX_PARAGRAPHS_PER_SHINGLE:
                index[shingle].append(len(seen))
        seen.append((block, shingles))
        if original is not None:
            where = seen[original][0].field
            place = "earlier in this field" if where == block.field else f'in "{field_label(where)}"'
            yield Hit(block.field, excerpt_of(block.text), at=block.index, message=(
                f"This paragraph repeats one {place} almost word for word. Keep one of them, "
                "or say something new here."))


def _near_duplicates(one: frozenset, other: frozenset, near: float) -> bool:
    larger = max(len(one), len(other))
    return min(len(one), len(other)) >= near * larger and len(one & other) >= near * larger


# --- no_references, missing_section ---

def find_no_references(rule: RuleSpec, document: Document, profile) -> Iterator[Hit]:
    if not any(ref["title"] or ref["url"] or ref["doi"] or ref["pmid"] for ref in document.content.references):
        yield Hit("references", "", at=10**9)


def find_missing_sections(rule: RuleSpec, document: Document, profile) -> Iterator[Hit]:
    """The gate's verdict on each required safety section, one finding per section."""
    for failure in document.gate_failures:
        if failure.field in SECTIONS_BY_KEY:
            text = html_to_text(document.content.sections.get(failure.field, ""))
            yield Hit(failure.field, excerpt_of(text), message=failure.message, at=-1)


FINDERS = {
    "phrases": find_phrases,
    "product": find_products,
    "commercial_links": find_commercial,
    "vague_risk": find_vague_risks,
    "boilerplate": find_boilerplate,
    "keyword_density": find_keyword_stuffing,
    "duplicates": find_duplicate_paragraphs,
    "no_references": find_no_references,
    "missing_section": find_missing_sections,
}
