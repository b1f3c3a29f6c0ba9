"""The sitemaps: /sitemap.xml is an index of child sitemaps, each at most SITEMAP_PAGE_SIZE URLs
(default DEFAULT_PAGE_SIZE, at most the protocol's 50,000).

- /sitemap-articles-<n>.xml: live articles by publication id, page n (1, 2, ...).
- /sitemap-topics.xml, /sitemap-people.xml: topics by slug and people by user id; further pages,
  if any, at /sitemap-topics-<n>.xml and /sitemap-people-<n>.xml (n >= 2).

Every child reads only what it lists (one query, sliced with LIMIT/OFFSET in a stable order); the
index reads one aggregate row per child (its newest lastmod), one query per section. A page past
the end answers 404; no page but the first is ever empty. Lastmods come from the live
publications: an article's is its publication time, a topic's or a person's the newest live
publication filed under it or naming them (byline or any review sign-off), and a child's in the
index the newest of what that child lists.

Nothing here reads a snapshot's JSON. Live articles are numbered off the index of live
publication ids (Article.live_publication); topics and people are read from the listing rows kept
with what is live (articles.models.LiveListing): the people named are found by a loose index scan
(one probe from each person to the next) and every newest date is one index probe, so topics and
people cost a few probes each, however many articles name them. Pages are kept small by default
because an article child's cost grows with its length: 5,000 URLs are a few milliseconds of
PostgreSQL's string_agg, 50,000 were 180 ms.

Every response goes through public_response. Articles, topics and the index print only publication
snapshots and topic slugs, whose every change bumps the publish stamp, so their ETag is the stamp:
served from the page cache without a query until something is published or unpublished (or a topic
changes). A person's address can change without a publish (a new username or profile slug), so the
people sitemaps' ETag is what they list.
"""
import datetime
from xml.sax.saxutils import escape as xml_escape

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .caching import public_changed_at, public_response
from articles.hygiene import strip_control
from articles.models import Article, LiveListing, Publication, Topic
from reviews.models import ReviewerProfile
from .structured_data import person_path

# The protocol's limit (sitemaps.org): at most 50,000 URLs in one sitemap.
MAX_PAGE_SIZE = 50_000
# Nothing asks for full children: at 50,000 articles a page of 5,000 is read and written in 7 to
# 12 ms uncached, where one page of 50,000 took 180 ms, and crawlers fetch ten pages as easily.
DEFAULT_PAGE_SIZE = 5_000
SECTIONS = ("articles", "topics", "people")
_ROBOTS = "noindex, noodp, noarchive"  # what django.contrib.sitemaps sends: a sitemap is not a page


def page_size() -> int:
    return max(1, min(int(getattr(settings, "SITEMAP_PAGE_SIZE", DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE))


def child_path(section: str, page: int) -> str:
    if section == "articles":
        return reverse("public:sitemap-articles", kwargs={"page": page})
    if page == 1:
        return reverse(f"public:sitemap-{section}")
    return reverse(f"public:sitemap-{section}-page", kwargs={"page": page})


# --- SQL over the live publications and the rows that name them ---

def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)


def _live_ids() -> str:
    """The live publications' ids: Article.live_publication, whose unique index holds them in
    order (the same definition of "live" as articles.selectors.live_publications)."""
    live = _column(Article, "live_publication")
    return f"SELECT a.{live} AS id FROM {_table(Article)} a WHERE a.{live} IS NOT NULL"


def _listing_newest(where: str) -> str:
    """The newest publication time among the listing rows `where` names (l.* columns): MAX over
    an equality prefix of a listing index, which both databases answer with one index probe."""
    return f"(SELECT MAX(l.published_at) FROM {_table(LiveListing)} l WHERE {where})"


def _topic_lastmods() -> str:
    """(slug, lastmod) of every topic, by slug: its newest live publication, or NULL."""
    newest = _listing_newest(f"l.role = '{LiveListing.Role.TOPIC}' AND l.topic = t.slug")
    return f"SELECT t.slug AS sort_key, t.slug, {newest} AS lastmod FROM {_table(Topic)} t"


def _person_lastmods() -> str:
    """(user id, username, profile slug, lastmod) of every user a live publication names (writer
    or signer), by user id. The people are found by a loose index scan of the listing index (one
    probe from each person to the next), their newest publication by one probe a role: a few
    index probes a person, however many articles they have."""
    listing = _table(LiveListing)
    newest_by_role = " UNION ALL ".join(
        "SELECT " + _listing_newest(f"l.person_id = listed.person_id AND l.role = '{role}'") + " AS lastmod"
        for role in (LiveListing.Role.WRITER, LiveListing.Role.REVIEWER))
    profile_user = _column(ReviewerProfile, "user")
    return (f"WITH RECURSIVE listed(person_id) AS ("
            f"SELECT MIN(l.person_id) FROM {listing} l WHERE l.person_id IS NOT NULL "
            f"UNION ALL SELECT (SELECT MIN(l.person_id) FROM {listing} l WHERE l.person_id > listed.person_id) "
            f"FROM listed WHERE listed.person_id IS NOT NULL) "
            f"SELECT u.id AS sort_key, u.username, rp.slug AS profile_slug, "
            f"(SELECT MAX(newest.lastmod) FROM ({newest_by_role}) newest) AS lastmod FROM listed "
            f"INNER JOIN {_table(get_user_model())} u ON u.id = listed.person_id "
            f"LEFT JOIN {_table(ReviewerProfile)} rp ON rp.{profile_user} = u.id")


def _rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _as_datetime(value) -> datetime.datetime | None:
    """A datetime column read through a raw cursor: SQLite gives back its text (a MAX()) or a
    naive datetime in UTC (a column)."""
    if value is None:
        return value
    parsed = value if isinstance(value, datetime.datetime) else parse_datetime(str(value))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, datetime.timezone.utc)
    return parsed


# --- What each sitemap lists ---

def _article_page_sql() -> str:
    """The live publications of one page (params: LIMIT, OFFSET), by id: the page's ids come off
    the index of live ids, their slugs and dates off the publication_sitemap index (no row is read)."""
    return (f"SELECT p.id, p.slug, p.published_at FROM {_table(Publication)} p "
            f"INNER JOIN ({_live_ids()} ORDER BY id LIMIT %s OFFSET %s) live ON live.id = p.id")


def article_urls_xml(page: int, base: str) -> str | None:
    """On PostgreSQL, the <url> lines of the articles on page `page`, built by the database in
    one query (string_agg): reading a page's rows into Python and formatting them costs more.
    `base` is the escaped absolute address an article's slug follows; slugs are ASCII letters,
    digits and hyphens, which XML needs no escaping for. None elsewhere (article_entries)."""
    if connection.vendor != "postgresql":
        return None
    size = page_size()
    sql = (f"SELECT string_agg('<url><loc>' || %s || p.slug || '/</loc><lastmod>' "
           f"|| to_char(p.published_at AT TIME ZONE %s, 'YYYY-MM-DD') || '</lastmod></url>', E'\\n' ORDER BY p.id) "
           f"FROM ({_article_page_sql()}) p")
    rows = _rows(sql, [base, settings.TIME_ZONE, size, (page - 1) * size])
    return rows[0][0] or ""


def article_entries(page: int) -> list[tuple[str, datetime.datetime]]:
    """(path, lastmod) of the articles on page `page`: one query, only the two fields it prints.
    Paths are built from one reverse(): a reverse() for each article costs more than the query."""
    size = page_size()
    prefix, suffix = reverse("public:detail", kwargs={"slug": "slug"}).rsplit("slug", 1)
    rows = _rows(f"SELECT p.slug, p.published_at FROM ({_article_page_sql()}) p ORDER BY p.id",
                 [size, (page - 1) * size])
    return [(f"{prefix}{slug}{suffix}", _as_datetime(published_at)) for slug, published_at in rows]


def topic_entries(page: int) -> list[tuple[str, datetime.datetime | None]]:
    """(path, lastmod) of the topics on page `page`, by slug: one query."""
    size = page_size()
    rows = _rows(f"SELECT t.slug, t.lastmod FROM ({_topic_lastmods()}) t ORDER BY t.sort_key LIMIT %s OFFSET %s",
                 [size, (page - 1) * size])
    return [(Topic(slug=slug).get_absolute_url(), _as_datetime(lastmod)) for slug, lastmod in rows]


def people_entries(page: int) -> list[tuple[str, datetime.datetime]]:
    """(path, lastmod) of the people on page `page`, by user id: one query."""
    size = page_size()
    rows = _rows(f"{_person_lastmods()} ORDER BY u.id LIMIT %s OFFSET %s", [size, (page - 1) * size])
    return [(person_path(profile_slug or username), _as_datetime(lastmod))
            for _, username, profile_slug, lastmod in rows]


def _pages(sql: str) -> list[datetime.datetime | None]:
    """The newest lastmod of each page of `sql`'s rows (columns: sort_key, lastmod), in page order,
    from one aggregate query: the rows are numbered in order, never fetched."""
    rows = _rows(f"SELECT numbered.page, MAX(numbered.lastmod) FROM ("
                 f"SELECT (ROW_NUMBER() OVER (ORDER BY listed.sort_key) - 1) / %s AS page, listed.lastmod "
                 f"FROM ({sql}) listed) numbered GROUP BY numbered.page ORDER BY numbered.page", [page_size()])
    return [_as_datetime(lastmod) for _, lastmod in rows]


def index_entries() -> list[tuple[str, datetime.datetime | None]]:
    """(path, lastmod) of every child sitemap: three aggregate queries, one per section. A section
    with nothing in it still has its first (empty) page, so the index always names all three.

    The articles' is the one that reads every live publication: the index of live ids merged with
    the publication_sitemap index (both read without the rows), numbered in order; 25 ms at 50,000.
    Topics and people are a few index probes each."""
    pages = {
        "articles": _pages(f"SELECT p.id AS sort_key, p.published_at AS lastmod FROM {_table(Publication)} p "
                           f"INNER JOIN ({_live_ids()}) live ON live.id = p.id"),
        "topics": _pages(f"SELECT t.sort_key, t.lastmod FROM ({_topic_lastmods()}) t"),
        "people": _pages(_person_lastmods()),
    }
    return [(child_path(section, number), lastmod)
            for section in SECTIONS for number, lastmod in enumerate(pages[section] or [None], start=1)]


# --- Views ---

def _absolute(request, path: str) -> str:
    # Paths come from reverse(), which percent-encodes a control character; stripped again here
    # so that one reaching a path by any other route cannot make the XML invalid.
    return f"{request.scheme}://{request.get_host()}{strip_control(path)}"


def _xml(document: str) -> HttpResponse:
    response = HttpResponse(document, content_type="application/xml")
    response["X-Robots-Tag"] = _ROBOTS
    return response


def _day(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


_URLSET_START = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n')
_URLSET_END = "</urlset>\n"


def urlset_xml(urls: list[tuple[str, datetime.datetime | None]]) -> str:
    """A sitemap of (absolute URL, lastmod) as django.contrib.sitemaps' template writes it, built
    as a string: the template took 0.2 ms a URL, 10 s for a page of 50,000."""
    lines = [_URLSET_START]
    lines += [f"<url><loc>{xml_escape(location)}</loc>"
              + (f"<lastmod>{_day(lastmod)}</lastmod>" if lastmod else "") + "</url>\n"
              for location, lastmod in urls]
    lines.append(_URLSET_END)
    return "".join(lines)


def index_xml(children: list[tuple[str, datetime.datetime | None]]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>\n'
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n']
    lines += [f"<sitemap><loc>{xml_escape(location)}</loc>"
              + (f"<lastmod>{timezone.localtime(lastmod).isoformat()}</lastmod>" if lastmod else "")
              + "</sitemap>\n"
              for location, lastmod in children]
    lines.append("</sitemapindex>\n")
    return "".join(lines)


def sitemap(request):
    """/sitemap.xml: the index of the child sitemaps."""
    def render():
        return _xml(index_xml([(_absolute(request, path), lastmod) for path, lastmod in index_entries()]))

    return public_response(request, etag_parts=("sitemap-index", page_size(), public_changed_at()),
                           changed=[public_changed_at()], render=render)


def _child(request, section: str, page: int, entries, etag_parts, document=None):
    """A child sitemap. `entries` is what it lists, or a function reading it (called only when the
    page is rendered, not when it is answered from the page cache or with a 304); or `document`
    builds the whole XML. A page past the end raises 404 from the render, so it is never cached;
    under the stamp a 304 names, the page existed."""
    def render():
        if document is not None:
            return _xml(document())
        listed = entries() if callable(entries) else entries
        if not listed and page > 1:
            raise Http404("No such sitemap page.")
        return _xml(urlset_xml([(_absolute(request, path), lastmod) for path, lastmod in listed]))

    return public_response(request, etag_parts=(f"sitemap-{section}", page, page_size(), *etag_parts),
                           changed=[public_changed_at()], render=render)


def articles(request, page: int):
    if page < 1:
        raise Http404("No such sitemap page.")

    def render():
        prefix = reverse("public:detail", kwargs={"slug": "slug"}).rsplit("slug", 1)[0]
        lines = article_urls_xml(page, xml_escape(_absolute(request, prefix)))
        if lines is None:
            listed = article_entries(page)
            if not listed and page > 1:
                raise Http404("No such sitemap page.")
            return urlset_xml([(_absolute(request, path), lastmod) for path, lastmod in listed])
        if not lines and page > 1:
            raise Http404("No such sitemap page.")
        return _URLSET_START + lines + ("\n" if lines else "") + _URLSET_END

    return _child(request, "articles", page, None, (public_changed_at(),), document=render)


def topics(request, page: int = 1):
    # Page 1 is /sitemap-topics.xml only: /sitemap-topics-1.xml would be a second address for it.
    if page < (1 if request.resolver_match.url_name == "sitemap-topics" else 2):
        raise Http404("No such sitemap page.")
    return _child(request, "topics", page, lambda: topic_entries(page), (public_changed_at(),))


def people(request, page: int = 1):
    if page < (1 if request.resolver_match.url_name == "sitemap-people" else 2):
        raise Http404("No such sitemap page.")
    # Addresses come from usernames and profile slugs: their changes bump the stamp too
    # (public.caching.connect_signals).
    return _child(request, "people", page, lambda: people_entries(page), (public_changed_at(),))
