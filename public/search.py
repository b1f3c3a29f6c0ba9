"""Search over live publications: title, summary and body.

PostgreSQL ranks with its full-text search (English stemming; title weighted above summary, summary
above body; HTML tags in the body are not indexed). SQLite, for a machine with no services, falls
back to matching every word anywhere, titles first: it finds the same articles for plain words but
knows no stemming.
"""
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When

from .selectors import CARD_FIELDS, live_publications

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
CONFIG = "english"


def clean_query(raw: str) -> str:
    return " ".join(raw.split())[:MAX_QUERY_LENGTH]


def search_publications(query: str):
    """Live publications matching `query`, best match first; an empty query matches nothing."""
    query = clean_query(query)
    if not query:
        return live_publications().none()
    if connection.vendor == "postgresql":
        return _postgres(query)
    return _fallback(query)


def _postgres(query: str):
    vector = (SearchVector("title", weight="A", config=CONFIG)
              + SearchVector("summary", weight="B", config=CONFIG)
              + SearchVector("body", weight="C", config=CONFIG))
    # websearch syntax: plain words, "quoted phrases", or, -excluded; never a syntax error.
    search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
    return (live_publications().only(*CARD_FIELDS)
            .annotate(document=vector).filter(document=search_query)
            .annotate(rank=SearchRank(F("document"), search_query))
            .order_by("-rank", "-published_at", "-pk"))


def _fallback(query: str):
    words = query.split()[:MAX_WORDS]
    matches = Q()
    score = Value(0)
    for word in words:
        matches &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        score = score + Case(When(title__icontains=word, then=Value(3)),
                             When(summary__icontains=word, then=Value(2)),
                             default=Value(1), output_field=IntegerField())
    return (live_publications().only(*CARD_FIELDS).filter(matches)
            .annotate(rank=score).order_by("-rank", "-published_at", "-pk"))
