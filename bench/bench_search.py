#!/usr/bin/env python
"""Server time of public search on the data already in the database.

    DATABASE_URL=postgres://... .venv/bin/python bench/bench_search.py [--repeats 5] [query ...]

For each query: the time of /search/?q=... through Django's test Client (in process, so server
time: URL routing, the search, the cards, the template) with the cache emptied first (uncached:
ranking and the page), and again with the ranked ids cached but the rendered page not (cached: the
one query for the cards and the render), as min–max over the repeats, with the number of SQL
queries and of results. bench/scale.py imports search_rows().

Uncached runs call cache.clear(): run it against a bench database and cache, not a shared one.
"""
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_QUERIES = ("valerian liver", "sleep", "side effects", '"blood pressure" -caffeine', "zzzznothing")


def _host() -> str:
    from django.conf import settings

    hosts = [host for host in settings.ALLOWED_HOSTS if host and not host.startswith(".") and host != "*"]
    return hosts[0] if hosts else "testserver"


def _timed(client, path: str) -> tuple[float, int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed, len(queries), response.content.decode()


def search_rows(queries=DEFAULT_QUERIES, *, repeats: int = 5) -> list[dict]:
    """One row a query: {"query", "results", "uncached_ms": (min, max), "uncached_queries",
    "cached_ms": (min, max), "cached_queries"}. Needs Django set up (django.setup())."""
    from urllib.parse import urlencode

    from django.core.cache import cache
    from django.test import Client, override_settings

    from public import search

    client = Client(HTTP_HOST=_host())
    rows = []
    # The rendered-page cache would answer a repeat without searching; only the ids are cached here.
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
        for query in queries:
            path = "/search/?" + urlencode({"q": query})
            uncached, cached = [], []
            for _ in range(repeats):
                cache.clear()
                elapsed, uncached_queries, _html = _timed(client, path)
                uncached.append(elapsed)
                elapsed, cached_queries, _html = _timed(client, path)
                cached.append(elapsed)
            ids, more = search._ranked_ids(search.normalised(query))
            rows.append({
                "query": query,
                "results": f"more than {len(ids)}" if more else str(len(ids)),
                "uncached_ms": (min(uncached), max(uncached)), "uncached_queries": uncached_queries,
                "cached_ms": (min(cached), max(cached)), "cached_queries": cached_queries,
            })
    return rows


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queries", nargs="*", default=list(DEFAULT_QUERIES))
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    import django

    django.setup()
    from articles.selectors import live_publications
    from django.db import connection

    print(f"{connection.vendor}, {live_publications().count()} live publications, {args.repeats} repeats")
    print(f"{'query':32} {'results':>16} {'uncached ms':>15} {'q':>3} {'cached ms':>13} {'q':>3}")
    for row in search_rows(args.queries, repeats=args.repeats):
        low, high = row["uncached_ms"]
        cached_low, cached_high = row["cached_ms"]
        print(f"{row['query'][:32]:32} {row['results']:>16} {low:7.1f}–{high:<7.1f} {row['uncached_queries']:>3} "
              f"{cached_low:6.1f}–{cached_high:<6.1f} {row['cached_queries']:>3}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
