"""The sitemaps: /sitemap.xml is an index of child sitemaps, each at most SITEMAP_PAGE_SIZE URLs.

- /sitemap-articles-<n>.xml: live articles by publication id, page n (1, 2, ...).
- /sitemap-topics.xml, /sitemap-people.xml: topics by slug and people by user id; further pages,
  if any, at /sitemap-topics-<n>.xml and /sitemap-people-<n>.xml (n >= 2).

Every child reads only what it lists (one query, sliced with LIMIT/OFFSET in a stable order); the
index reads only one aggregate row per child (its newest lastmod) per section. A page past the end
answers 404. Lastmods come from the live publications: an article's is its publication time, a
topic's or a person's the newest live publication filed under it or naming them (byline or
reviewer).

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
from articles.models import Publication, Topic
from articles.selectors import live_publications
from reviews.models import ReviewerProfile
from .structured_data import person_path

# The protocol's limit (sitemaps.org): at most 50,000 URLs in one sitemap.
MAX_PAGE_SIZE = 50_000
SECTIONS = ("articles", "topics", "people")
_ROBOTS = "noindex, noodp, noarchive"  # what django.contrib.sitemaps sends: a sitemap is not a page


def page_size() -> int:
    return max(1, min(int(getattr(settings, "SITEMAP_PAGE_SIZE", MAX_PAGE_SIZE)), MAX_PAGE_SIZE))


def child_path(section: str, page: int) -> str:
    if section == "articles":
        return reverse("public:sitemap-articles", kwargs={"page": page})
    if page == 1:
        return reverse(f"public:sitemap-{section}")
    return reverse(f"public:sitemap-{section}-page", kwargs={"page": page})


# --- SQL over the live publications ---

def _live_sql(*columns) -> tuple[str, list]:
    """The live publications (articles.selectors.live_publications, so one definition of "live")
    as a subquery with the given columns."""
    sql, params = live_publications().order_by().values_list(*columns).query.sql_with_params()
    return sql, list(params)


def _json_items(column: str) -> str:
    """FROM-clause item walking the JSON list p.<column> of a live publication as elem.value."""
    quoted = connection.ops.quote_name(column)
    if connection.vendor == "postgresql":
        return f"jsonb_array_elements(p.{quoted}) AS elem(value)"
    return f"json_each(p.{quoted}) AS elem"


def _json_key(key: str, cast_int: bool = False) -> str:
    assert key.isidentifier(), key  # keys come from code
    if connection.vendor == "postgresql":
        return f"((elem.value ->> '{key}')::bigint)" if cast_int else f"(elem.value ->> '{key}')"
    return f"json_extract(elem.value, '$.{key}')"


def _topic_lastmods() -> tuple[str, list]:
    """(slug, lastmod) of every topic that a live publication is filed under."""
    live, params = _live_sql("published_at", "topics")
    return (f"SELECT {_json_key('slug')} AS slug, MAX(p.published_at) AS lastmod "
            f"FROM ({live}) p, {_json_items('topics')} GROUP BY {_json_key('slug')}"), params


def _person_lastmods() -> tuple[str, list]:
    """(person_id, lastmod) of every user named by a live publication: its reviewer or an author."""
    live, params = _live_sql("published_at", "reviewer_id")
    live_authors, author_params = _live_sql("published_at", "authors")
    author_id = _json_key("id", cast_int=True)
    named = (f"SELECT p.reviewer_id AS person_id, p.published_at FROM ({live}) p "
             f"UNION ALL SELECT {author_id} AS person_id, p.published_at "
             f"FROM ({live_authors}) p, {_json_items('authors')} WHERE {author_id} IS NOT NULL")
    return (f"SELECT named.person_id, MAX(named.published_at) AS lastmod FROM ({named}) named "
            f"GROUP BY named.person_id"), params + author_params


def _rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _as_datetime(value) -> datetime.datetime | None:
    """A MAX() over a datetime column read through a raw cursor: SQLite gives back its text."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    parsed = parse_datetime(str(value))
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, datetime.timezone.utc)
    return parsed


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# --- What each sitemap lists ---

def article_urls_xml(page: int, base: str) -> str | None:
    """On PostgreSQL, the <url> lines of the articles on page `page`, built by the database in
    one query (string_agg): reading 50,000 rows into Python and formatting them took a second.
    `base` is the escaped absolute address an article's slug follows; slugs are ASCII letters,
    digits and hyphens, which XML needs no escaping for. None elsewhere (article_entries)."""
    if connection.vendor != "postgresql":
        return None
    size = page_size()
    ids, params = _live_sql("id")
    publication = _table(Publication)
    sql = (f"SELECT string_agg('<url><loc>' || %s || p.slug || '/</loc><lastmod>' "
           f"|| to_char(p.published_at AT TIME ZONE %s, 'YYYY-MM-DD') || '</lastmod></url>', E'\\n' ORDER BY p.id) "
           f"FROM (SELECT id, slug, published_at FROM {publication} WHERE id IN ({ids}) "
           f"ORDER BY id LIMIT %s OFFSET %s) p")
    rows = _rows(sql, [base, settings.TIME_ZONE, *params, size, (page - 1) * size])
    return rows[0][0] or ""


def article_entries(page: int) -> list[tuple[str, datetime.datetime]]:
    """(path, lastmod) of the articles on page `page`: one query, only the two fields it prints.
    Paths are built from one reverse(): 50,000 reverse() calls cost more than the query."""
    size = page_size()
    prefix, suffix = reverse("public:detail", kwargs={"slug": "slug"}).rsplit("slug", 1)
    rows = (live_publications().order_by("pk").values_list("slug", "published_at")
            [(page - 1) * size:page * size])
    return [(f"{prefix}{slug}{suffix}", published_at) for slug, published_at in rows]


def topic_entries(page: int) -> list[tuple[str, datetime.datetime | None]]:
    """(path, lastmod) of the topics on page `page`, by slug: one query."""
    size = page_size()
    lastmods, params = _topic_lastmods()
    rows = _rows(f"SELECT t.slug, lm.lastmod FROM {_table(Topic)} t LEFT JOIN ({lastmods}) lm ON lm.slug = t.slug "
                 f"ORDER BY t.slug LIMIT %s OFFSET %s", [*params, size, (page - 1) * size])
    return [(Topic(slug=slug).get_absolute_url(), _as_datetime(lastmod)) for slug, lastmod in rows]


def people_entries(page: int) -> list[tuple[str, datetime.datetime]]:
    """(path, lastmod) of the people on page `page`, by user id: one query."""
    size = page_size()
    lastmods, params = _person_lastmods()
    profile_user = connection.ops.quote_name(ReviewerProfile._meta.get_field("user").column)
    rows = _rows(f"SELECT u.username, rp.slug, lm.lastmod FROM ({lastmods}) lm "
                 f"INNER JOIN {_table(get_user_model())} u ON u.id = lm.person_id "
                 f"LEFT JOIN {_table(ReviewerProfile)} rp ON rp.{profile_user} = u.id "
                 f"ORDER BY u.id LIMIT %s OFFSET %s", [*params, size, (page - 1) * size])
    return [(person_path(profile_slug or username), _as_datetime(lastmod)) for username, profile_slug, lastmod in rows]


def _pages(sql: str, params: list) -> list[datetime.datetime | None]:
    """The newest lastmod of each page of `sql`'s rows (columns: sort_key, lastmod), in page order,
    from one aggregate query: the rows are numbered in order, never fetched."""
    rows = _rows(f"SELECT numbered.page, MAX(numbered.lastmod) FROM ("
                 f"SELECT (ROW_NUMBER() OVER (ORDER BY listed.sort_key) - 1) / %s AS page, listed.lastmod "
                 f"FROM ({sql}) listed) numbered GROUP BY numbered.page ORDER BY numbered.page",
                 [page_size(), *params])
    return [_as_datetime(lastmod) for _, lastmod in rows]


def _page_count(rows: int) -> int:
    return max(1, -(-rows // page_size()))


def index_entries() -> list[tuple[str, datetime.datetime | None]]:
    """(path, lastmod) of every child sitemap: three aggregate queries, one per section. A section
    with nothing in it still has its first (empty) page, so the index always names all three."""
    live, params = _live_sql("id", "published_at")
    # Topics and people are few pages whose newest lastmod is, within a publication or two, the
    # newest live publication's: that one row (through the newest-first index) stands for it,
    # where walking every publication's topics and bylines took 400 ms at 50,000 articles.
    newest = live_publications().order_by("-published_at").values_list("published_at", flat=True).first()
    pages = {
        "articles": _pages(f"SELECT p.id AS sort_key, p.published_at AS lastmod FROM ({live}) p", params),
        "topics": [newest] * _page_count(Topic.objects.count()),
    }
    # People pages are counted exactly (a page past the end must not be named): this walks every
    # live byline, the one part of the index that grows with the articles.
    person_lastmods, person_params = _person_lastmods()
    pages["people"] = _pages(f"SELECT lm.person_id AS sort_key, lm.lastmod FROM ({person_lastmods}) lm "
                             f"INNER JOIN {_table(get_user_model())} u ON u.id = lm.person_id", person_params)
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
