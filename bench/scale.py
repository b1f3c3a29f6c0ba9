#!/usr/bin/env python
"""Every page, search, sitemap, save and approval at a publisher's scale, with its goal.

    .venv/bin/python bench/scale.py [--articles 50000] [--revisions 10] [--repeats 7] [--history 1000]

One command. It uses the PostgreSQL database health_cms_scale on 127.0.0.1:5432 (created and
migrated when missing; SQLite in the temp directory when no PostgreSQL answers), seeds it with
`manage.py seed_scale` up to --articles published articles of --revisions revisions each (a
second run reuses the seed), and adds what the measurements need through the real services: an
article with --history revisions, a 2,000-word article with ten references to save, and a fresh
submission to approve on each run.

Settings are production's (DJANGO_ENV=production, DEBUG off, Redis cache on 127.0.0.1:6379 db 3,
persistent connections); requests go through Django's test client in this process, so "server
time" is the whole of Django's work for a request without network or a WSGI server. Desk
requests carry a verified second factor, as production requires. Each row is the median and
min-max of --repeats requests after one warm-up, and the number of queries of one request. Public
pages are measured uncached (the cache emptied before each request), as a cache hit, and as a
304. Exit status 1 when a goal is missed.
"""
import argparse
import fcntl
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_DATABASE = "health_cms_scale"
PAGE_GOAL_MS = 100
SEARCH_GOAL_MS = 50
SITEMAP_GOAL_MS = 50
SAVE_MAX_QUERIES = 15
SAVE_MAX_RATIO = 8
CRAFTED_GOAL_MS = 1000


def database_url() -> str:
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=3,
                             autocommit=True) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{PG_DATABASE}"')
        return f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"
    except Exception as exc:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        print(f"PostgreSQL not reachable ({str(exc).splitlines()[0]}); using SQLite.")
        return f"sqlite:///{Path(tempfile.gettempdir()) / 'health_cms_scale.sqlite3'}"


def configure(url: str) -> None:
    os.environ.update({
        "DATABASE_URL": url, "DJANGO_ENV": "production", "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver", "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3"),
        "DJANGO_SETTINGS_MODULE": "cms.settings",
    })
    import django

    django.setup()
    from django.conf import settings

    # The notifications of the submissions made here would otherwise print to the console.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


# --- Measuring ---------------------------------------------------------------------------------

class Row:
    def __init__(self, group, name, times_ms, queries, goal_ms=None, note=""):
        self.group, self.name, self.times, self.queries, self.goal, self.note = (
            group, name, times_ms, queries, goal_ms, note)

    @property
    def median(self):
        return statistics.median(self.times)

    @property
    def met(self):
        return self.goal is None or self.median < self.goal

    def line(self):
        spread = f"{min(self.times):.1f}–{max(self.times):.1f}"
        goal = f"< {self.goal:g} ms" if self.goal is not None else ""
        verdict = "" if self.goal is None else ("ok" if self.met else "MISSED")
        queries = "" if self.queries is None else str(self.queries)
        return (f"{self.group:<8} {self.name:<44} {self.median:>9.1f} {spread:>17} {queries:>8} "
                f"{goal:>10} {verdict:>7} {self.note}")


def timed(call, repeats, before=None):
    """Milliseconds of each of `repeats` calls (after one warm-up) and the queries of the last."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if before:
        before()
    call()
    times = []
    for _ in range(repeats):
        if before:
            before()
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    if before:
        before()
    with CaptureQueriesContext(connection) as captured:
        call()
    return times, len([q for q in captured.captured_queries
                       if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))])


def get(client, path, expect=200, **headers):
    def call():
        response = client.get(path, secure=True, headers=headers)
        if response.status_code != expect:
            raise SystemExit(f"GET {path} answered {response.status_code}, not {expect}.")
        return response
    return call


# --- What the measurements need ------------------------------------------------------------------

def seed(articles, revisions):
    from django.core.management import call_command

    from articles.models import Article

    have = Article.objects.filter(slug__startswith="scale-", live_publication__isnull=False).count()
    if have >= articles:
        print(f"Reusing the seed: {have:,} published scale articles.")
        return
    print(f"Seeding {articles - have:,} articles with {revisions} revisions each (have {have:,}).")
    started = time.monotonic()
    call_command("seed_scale", articles=articles - have, revisions=revisions, allow_production=True)
    print(f"Seeded in {time.monotonic() - started:.0f} s.")


def staff():
    """An editor, a writer and a reviewer of the bench, each with a confirmed TOTP device."""
    from django.contrib.auth.models import Group, User
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from reviews.models import ReviewerProfile
    from reviews.permissions import EDITORS, REVIEWERS, WRITERS

    people = {}
    for role, group in (("editor", EDITORS), ("writer", WRITERS), ("reviewer", REVIEWERS)):
        user, created = User.objects.get_or_create(username=f"bench-{role}", defaults={
            "first_name": role.title(), "last_name": "Bench", "email": f"bench-{role}@example.org"})
        if created:
            user.groups.set([Group.objects.get_or_create(name=group)[0]])
            if role == "reviewer":
                ReviewerProfile.objects.create(user=user, slug="bench-reviewer", credentials="MD")
        TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        people[role] = user
    return people


def signed_in(user):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get(name="bench").persistent_id
    session.save()
    return client


def bench_content(title, words=2000, references=10):
    from articles.content import ArticleContent
    from cms.demo_content import MELATONIN

    filler = " ".join(["Researchers followed adults for eight weeks and measured sleep with diaries."] * 200)
    body = MELATONIN["body"] + "".join(f"<p>{' '.join(filler.split()[:100])}</p>" for _ in range(words // 100))
    refs = [dict(ref) for ref in MELATONIN["references"]]
    refs += [{"title": f"A further trial of melatonin, report {n}", "source": "Example Journal", "year": 2020,
              "doi": f"10.5555/bench.{n}"} for n in range(len(refs) + 1, references + 1)]
    return ArticleContent(title=title, summary=MELATONIN["summary"], body=body, article_type_key=MELATONIN["type"],
                          sections=dict(MELATONIN["sections"]), references=refs[:references])


def article_with_history(writer, length):
    """A draft saved `length` times through the service (made once, then reused)."""
    import dataclasses

    from articles.models import Article, RevisionMeta
    from reviews.editing import article_create, article_update

    article = Article.objects.filter(slug="bench-long-history").first()
    if article is None:
        article = article_create(by=writer, content=bench_content("Melatonin: a long history"), slug="bench-long-history")
    have = RevisionMeta.objects.filter(article=article).count()
    if have < length:
        print(f"Saving the long-history article {length - have:,} times.")
    content = bench_content("Melatonin: a long history")
    for n in range(have, length):
        article = Article.objects.get(pk=article.pk)
        article_update(article=article, by=writer, expected_version=article.version,
                       content=dataclasses.replace(content, summary=f"{content.summary} Edit {n}."))
    return Article.objects.get(pk=article.pk)


def submitted(writer, name):
    from reviews.editing import article_create
    from reviews.workflow import article_submit

    article = article_create(by=writer, content=bench_content(f"Melatonin: {name}"),
                             slug=f"bench-{name}-{secrets.token_hex(4)}")
    return article_submit(article=article, by=writer)


# --- The rows ------------------------------------------------------------------------------------

def public_rows(repeats):
    from django.core.cache import cache
    from django.test import Client

    from articles.models import Publication, Topic
    from articles.selectors import live_publications

    client = Client()
    publication = live_publications().filter(slug__startswith="scale-").order_by("pk").only("slug", "reviewer_slug")[
        Publication.objects.filter(slug__startswith="scale-").count() // 2]
    topic = Topic.objects.filter(slug__startswith="scale-").first()
    writer_slug = publication.authors[0]["username"] if publication.authors else None
    pages = [
        ("home", "/"),
        ("article", f"/articles/{publication.slug}/"),
        ("topic, page 1", f"/topics/{topic.slug}/"),
        ("topic, page 50", f"/topics/{topic.slug}/?page=50"),
        ("person: reviewer", f"/people/{publication.reviewer_slug}/"),
        ("person: writer", f"/people/{writer_slug}/"),
        ("feed", "/feed/"),
        ("robots.txt", "/robots.txt"),
        ("sitemap index", "/sitemap.xml"),
        ("sitemap: articles, page 1", "/sitemap-articles-1.xml"),
        ("sitemap: topics", "/sitemap-topics.xml"),
        ("sitemap: people", "/sitemap-people.xml"),
    ]
    rows = []
    for name, path in pages:
        goal = SITEMAP_GOAL_MS if "sitemap" in name else PAGE_GOAL_MS
        times, queries = timed(get(client, path), repeats, before=cache.clear)
        rows.append(Row("public", f"{name}, uncached", times, queries, goal))
        times, queries = timed(get(client, path), repeats)
        rows.append(Row("public", f"{name}, cache hit", times, queries, goal))
        etag = client.get(path, secure=True)["ETag"]
        times, queries = timed(get(client, path, expect=304, if_none_match=etag), repeats)
        rows.append(Row("public", f"{name}, 304", times, queries, goal))
    return rows


def search_rows(repeats):
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    rows = []
    for query in ("valerian liver", "melatonin sleep", "side effects nausea", "pregnancy", "kratom withdrawal"):
        path = f"/search/?q={query.replace(' ', '+')}"
        times, queries = timed(get(client, path), repeats, before=cache.clear)
        rows.append(Row("search", f'"{query}", uncached', times, queries, SEARCH_GOAL_MS))
        times, queries = timed(get(client, path + "&page=3"), repeats, before=cache.clear)
        rows.append(Row("search", f'"{query}" page 3, uncached', times, queries, SEARCH_GOAL_MS))
        times, queries = timed(get(client, path), repeats)
        rows.append(Row("search", f'"{query}", cached', times, queries, SEARCH_GOAL_MS))
    return rows


def desk_rows(repeats, people, long_history, in_review):
    from articles.models import RevisionMeta

    editor, writer, reviewer = (signed_in(people[role]) for role in ("editor", "writer", "reviewer"))
    revisions = list(RevisionMeta.objects.filter(article=long_history).order_by("-revision_id")
                     .values_list("revision_id", flat=True)[:2])
    pk = long_history.pk
    pages = [
        (editor, "dashboard (editor)", "/editorial/"),
        (writer, "dashboard (writer)", "/editorial/"),
        (reviewer, "dashboard (reviewer)", "/editorial/"),
        (editor, "dashboard, page 20 (editor)", "/editorial/?page=20"),
        (editor, "workspace (long history)", f"/editorial/articles/{pk}/"),
        (editor, "edit form", f"/editorial/articles/{pk}/edit/"),
        (editor, "history, page 1", f"/editorial/articles/{pk}/history/"),
        (editor, "history, page 10", f"/editorial/articles/{pk}/history/?page=10"),
        (editor, "compare two revisions", f"/editorial/articles/{pk}/compare/?from={revisions[-1]}&to={revisions[0]}"),
        (editor, "preview", f"/editorial/articles/{pk}/preview/"),
        (reviewer, "review page (in review)", f"/editorial/articles/{in_review.pk}/review/"),
        (editor, "team", "/editorial/team/"),
        (editor, "checks handbook", "/editorial/checks/"),
    ]
    return [Row("desk", name, *timed(get(client, path), repeats), PAGE_GOAL_MS) for client, name, path in pages]


def write_rows(repeats, people, long_history):
    """A save of a 2,000-word article with ten references, beside a plain model save of the same
    row; on a new article and on one with a long history; and an approval."""
    import dataclasses

    from articles.models import Article
    from reviews.editing import article_create, article_update
    from reviews.models import CHECKLIST_KEYS
    from reviews.workflow import article_approve

    writer, reviewer = people["writer"], people["reviewer"]
    fresh = article_create(by=writer, content=bench_content("Melatonin: a fresh article"),
                           slug=f"bench-save-{secrets.token_hex(4)}")
    rows = []
    for label, article in (("new article", fresh), (f"after {long_history.version:,} revisions", long_history)):
        content = bench_content(article.title)
        counter = iter(range(10_000))
        state = {"article": Article.objects.get(pk=article.pk)}

        def save():
            # As the editor's form posts it: the article as loaded, the version it was loaded at.
            current = state["article"]
            state["article"] = article_update(
                article=current, by=writer, expected_version=current.version,
                content=dataclasses.replace(content, summary=f"{content.summary} {next(counter)}"))

        def plain():
            Article.objects.get(pk=article.pk).save()

        save_times, save_queries = timed(save, repeats)
        plain_times, _ = timed(plain, repeats)
        ratio = statistics.median(save_times) / statistics.median(plain_times)
        rows.append(Row("write", f"plain model save ({label})", plain_times, 2, note="a read and an UPDATE"))
        rows.append(Row("write", f"save through the service ({label})", save_times, save_queries,
                        note=f"{ratio:.1f}x plain (goal <= {SAVE_MAX_RATIO}x, <= {SAVE_MAX_QUERIES} queries): "
                             + ("ok" if ratio <= SAVE_MAX_RATIO and save_queries <= SAVE_MAX_QUERIES else "MISSED")))
        rows[-1].ok = ratio <= SAVE_MAX_RATIO and save_queries <= SAVE_MAX_QUERIES
    times = []
    for _ in range(max(3, repeats // 2)):
        article = submitted(writer, "approve")
        started = time.perf_counter()
        article_approve(article=article, by=reviewer, reviewed_revision_id=article.submitted_revision_id,
                        reviewed_hash=article.submitted_hash, checklist={key: True for key in CHECKLIST_KEYS},
                        rating=4)
        times.append((time.perf_counter() - started) * 1000)
    rows.append(Row("write", "approve and publish", times, None))
    return rows


def crafted_rows():
    """bench/crafted.py at the size limit, in a process of its own (it times the gate endpoint on
    a throwaway SQLite test database, not on this one)."""
    import subprocess

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ENV", "ALLOWED_HOSTS")}
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "crafted.py")], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    rows = []
    for line in done.stdout.splitlines()[1:]:
        words = line.split()
        if len(words) >= 4 and words[-2].isdigit():
            name, path, size, seconds = " ".join(words[:-3]), words[-3], int(words[-2]), float(words[-1])
            rows.append(Row("crafted", f"{name} via {path} ({size:,} chars)", [seconds * 1000], None,
                            CRAFTED_GOAL_MS))
    return rows or [Row("crafted", f"bench/crafted.py failed: {done.stderr.strip()[-200:]}", [0], None, 0)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--revisions", type=int, default=10)
    parser.add_argument("--history", type=int, default=1000, help="Revisions of the long-history article.")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--skip", nargs="*", default=[], choices=["public", "search", "desk", "write", "crafted"])
    options = parser.parse_args()
    configure(database_url())

    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article, RevisionMeta

    # Two runs at once would both seed (half an hour at 50,000): the second waits for the first's
    # set-up here, then reuses it.
    with open(Path(tempfile.gettempdir()) / f"{PG_DATABASE}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        seed(options.articles, options.revisions)
        people = staff()
        long_history = article_with_history(people["writer"], options.history)
        in_review = submitted(people["writer"], "in-review")
    print(f"{connection.vendor}: {Article.objects.filter(live_publication__isnull=False).count():,} live articles, "
          f"{RevisionMeta.objects.count():,} revisions; {options.repeats} repeats per row.\n")
    print(f"{'':<8} {'':<44} {'median ms':>9} {'min–max ms':>17} {'queries':>8} {'goal':>10} {'':>7}")
    rows = []
    sections = (("public", lambda: public_rows(options.repeats)), ("search", lambda: search_rows(options.repeats)),
                ("desk", lambda: desk_rows(options.repeats, people, long_history, in_review)),
                ("write", lambda: write_rows(options.repeats, people, long_history)), ("crafted", crafted_rows))
    for name, make in sections:
        if name in options.skip:
            continue
        for row in make():
            print(row.line(), flush=True)
            rows.append(row)
    missed = [row for row in rows if not row.met or getattr(row, "ok", True) is False]
    print(f"\n{len(rows)} rows; goals missed: {len(missed)}")
    for row in missed:
        print("  MISSED", row.group, row.name)
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
