"""Search over live publications: title, summary, body and the safety sections.

PostgreSQL matches against Publication.search_vector, stored when the publication is inserted
(migration articles 0012: title weighted A, summary B, body and sections C, English stemming, HTML
tags not indexed) and indexed with GIN, in websearch syntax (plain words, "quoted phrases", or,
-excluded; never a syntax error). Its cost is bounded whatever the number of articles: it takes
the newest MAX_RESULTS + 1 matches (through the GIN index for a rare word, walking the publications
newest first for a common one) and ranks those with ts_rank_cd. A query that matches more is
shown as "more than MAX_RESULTS"; adding a word narrows it.

SQLite, for a machine with no services, matches every word anywhere (title, summary, body, section
titles and text), titles first: the same articles for plain words, without stemming.

The ranked ids of a query are cached under (query, public change stamp, release), so paging
through a query and repeating it cost one small query: the cards of the page. Their snippets are
made in Python from those rows' text (tags stripped, every character escaped but the <mark>s).
"""
import hashlib
import html
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, Publication

from .caching import public_changed_at, release
from .selectors import CARD_FIELDS, live_publications

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
MAX_RESULTS = 200
PER_PAGE = 20
CONFIG = "english"
CACHE_PREFIX = "public:search:"
CACHE_SECONDS = 60 * 60
# Private-use characters mark the matched words until escaping is done; plain_text removes them
# from the article's text first.
MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_WORDS = 30


def clean_query(raw: str) -> str:
    return " ".join(raw.split())[:MAX_QUERY_LENGTH]


def normalised(query: str) -> str:
    """The form a query is searched and cached by: cleaned and lower case."""
    return clean_query(query).lower()


@dataclass(frozen=True)
class SearchResults:
    page: Page  # of publications with CARD_FIELDS and `snippet` (safe HTML), best match first
    count: int  # at most MAX_RESULTS
    more: bool  # more than MAX_RESULTS matched


def search(query: str, page_number=None) -> SearchResults | None:
    """One page of live publications matching `query`, best first; None for an empty query."""
    query = normalised(query)
    if not query:
        return None
    ids, more = _ranked_ids(query)
    paginator = Paginator(ids, PER_PAGE)
    numbered = paginator.get_page(page_number)
    cards = _cards(query, list(numbered.object_list))
    return SearchResults(page=Page(cards, numbered.number, paginator), count=len(ids), more=more)


def _ranked_ids(query: str) -> tuple[list[int], bool]:
    # The stamp moves when publishing, going live or unpublishing commits, so a cached list never
    # outlives the set of live publications it was ranked from.
    stamp = public_changed_at().isoformat()
    digest = hashlib.blake2b(repr((query, stamp, release()[0])).encode(), digest_size=16).hexdigest()
    key = f"{CACHE_PREFIX}{digest}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    ids = _postgres_ids(query) if connection.vendor == "postgresql" else _fallback_ids(query)
    answer = (ids[:MAX_RESULTS], len(ids) > MAX_RESULTS)
    cache.set(key, answer, timeout=CACHE_SECONDS)
    return answer


def _cards(query: str, ids: list[int]) -> list[Publication]:
    """The page's publications in `ids` order, each with a highlighted `snippet`. One query."""
    if not ids:
        return []
    cards = live_publications().filter(pk__in=ids).only(*CARD_FIELDS, "body", "sections")
    if connection.vendor == "postgresql":
        # The query's lexemes (stemmed, stop words gone, excluded words left out), read once a row.
        cards = cards.annotate(terms=RawSQL("querytree(websearch_to_tsquery(%s::regconfig, %s))", [CONFIG, query]))
    found = {card.pk: card for card in cards}
    for card in found.values():
        if connection.vendor == "postgresql":
            # ts_headline parses the whole text (about 5 ms an article of 1,500 words); marking words
            # that begin with a lexeme costs a tenth of it and finds the same words but for a few
            # irregular stems (those snippets then begin at the start of the text).
            pattern = _pattern([rf"\b{re.escape(term)}\w*" for term in re.findall(r"(?<!!)'([^']+)'", card.terms)])
        else:
            pattern = _pattern([re.escape(word) for word in query.split()[:MAX_WORDS]])
        card.snippet = marked(headline(plain_text(card), pattern))
    # A publication unpublished since the ids were cached is left out (the stamp moves on commit).
    return [found[pk] for pk in ids if pk in found]


def _pattern(alternatives: list[str]) -> re.Pattern | None:
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def marked(text: str) -> SafeString:
    """The snippet as HTML: every character escaped, the matched words in <mark>."""
    return mark_safe(escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


_TAG = re.compile(r"<[^>]*>")


def plain_text(publication: Publication) -> str:
    """Summary, body and sections with the tags stripped (entities are decoded by headline)."""
    parts = [publication.summary, publication.body]
    for section in publication.sections or []:
        parts += [section.get("title", "") + ".", section.get("html", "")]
    return _TAG.sub(" ", " ".join(parts))


def headline(text: str, pattern: re.Pattern | None) -> str:
    """About SNIPPET_WORDS words of `text` from a little before the first match, every match marked.

    Only a window of characters around the match is decoded and split: the rest of a long
    article is never touched again.
    """
    found = pattern.search(text) if pattern else None
    at = found.start() if found else 0
    while at and not text[at - 1].isspace():  # from the start of the word the match is in
        at -= 1
    begin = max(0, at - 250)
    before = text[begin:at].split()[1 if begin else 0:]  # a cut first word is dropped
    after = text[at:at + 800].split()
    start = max(0, len(before) - SNIPPET_WORDS // 3)
    chosen = (before + after)[start:start + SNIPPET_WORDS]
    window = html.unescape(" ".join(chosen)).replace(MARK_START, "").replace(MARK_END, "")
    if pattern:
        window = pattern.sub(lambda match: f"{MARK_START}{match.group(0)}{MARK_END}", window)
    more = len(before + after) > start + SNIPPET_WORDS or at + 800 < len(text)
    return ("… " if begin or start else "") + window + (" …" if more else "")


# --- PostgreSQL ---

# Below this share of the publications, a query's matches are read through the GIN index and
# sorted; above it, the publications are walked newest first until enough match. The planner puts
# the crossover far higher because it does not count unpacking each walked row's stored vector
# (about 11 KB): at 50,000 articles a word in 4% of them took 60-200 ms walked, 22-30 ms through
# the index, and a word in every article 460 ms through the index, 11-27 ms walked.
INDEX_SHARE = 0.06


def _estimated_share(query: str) -> float:
    """The planner's estimate of the share of publications matching `query`, from the column's
    statistics: one EXPLAIN, no row read. Its two branches are the matches and all publications."""
    publication = connection.ops.quote_name(Publication._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {publication} "
                       f"WHERE search_vector @@ websearch_to_tsquery(%s::regconfig, %s) "
                       f"UNION ALL SELECT 1 FROM {publication}", [CONFIG, query])
        matching, everything = (branch["Plan Rows"] for branch in cursor.fetchone()[0][0]["Plan"]["Plans"])
    return matching / everything if everything else 0.0


def _postgres_ids(query: str) -> list[int]:
    """Ids of up to MAX_RESULTS + 1 live matches, best first.

    The candidates are the newest matches (MATERIALIZED keeps the planner from ranking every
    match before the LIMIT); liveness is a semi-join on Article.live_publication_id. Ordering by
    `published_at + 0` rather than the column keeps PostgreSQL off the newest-first index, so a
    query matching few publications is answered through the GIN index (_estimated_share decides).
    The vectors are read back for the candidates only, to rank them.
    """
    publication = connection.ops.quote_name(Publication._meta.db_table)
    article = connection.ops.quote_name(Article._meta.db_table)
    newest = "p.published_at" if _estimated_share(query) > INDEX_SHARE else "p.published_at + interval '0 seconds'"
    sql = f"""
        WITH candidates AS MATERIALIZED (
            SELECT p.id, p.published_at FROM {publication} p
            WHERE p.search_vector @@ websearch_to_tsquery(%s::regconfig, %s)
              AND p.id IN (SELECT a.live_publication_id FROM {article} a)
            ORDER BY {newest} DESC, p.id DESC
            LIMIT %s)
        SELECT c.id FROM candidates c INNER JOIN {publication} p ON p.id = c.id
        ORDER BY ts_rank_cd(p.search_vector, websearch_to_tsquery(%s::regconfig, %s), 1 | 32) DESC,
                 c.published_at DESC, c.id DESC"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [CONFIG, query, MAX_RESULTS + 1, CONFIG, query])
        return [row[0] for row in cursor.fetchall()]


# --- SQLite ---

def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _in_sections(word: str) -> Q:
    """Publications with `word` in a section's title or text (LIKE: ASCII case-insensitive)."""
    table = Publication._meta.db_table
    return Q(pk__in=RawSQL(
        f'SELECT p.id FROM "{table}" p, json_each(p."sections") section '
        "WHERE json_extract(section.value, '$.title') LIKE %s ESCAPE '\\' "
        "OR json_extract(section.value, '$.html') LIKE %s ESCAPE '\\'", [_like(word), _like(word)]))


def _fallback_ids(query: str) -> list[int]:
    matches = Q()
    score = Value(0)
    for word in query.split()[:MAX_WORDS]:
        matches &= (Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
                    | _in_sections(word))
        score = score + Case(When(title__icontains=word, then=Value(3)),
                             When(summary__icontains=word, then=Value(2)),
                             default=Value(1), output_field=IntegerField())
    matching = (live_publications().filter(matches).annotate(rank=score)
                .order_by("-rank", "-published_at", "-pk"))
    return list(matching.values_list("pk", flat=True)[:MAX_RESULTS + 1])
