#!/usr/bin/env python
"""The public article page against Django's own caching of the same view, side by side.

    .venv/bin/python bench/bench_public.py [--requests 400] [--repeats 5] [--seconds 8] [--no-gunicorn]

One command: PostgreSQL when one answers on 127.0.0.1:5432 (database health_cms_bench, made
afresh; else a SQLite file in the temp directory), migrate, collectstatic, a realistic published
article seeded through the services (about 1,500 words, every safety section, 10 references),
production settings (DJANGO_ENV=production, DEBUG off, persistent connections) and the Redis cache
at REDIS_URL (default redis://127.0.0.1:6379/9, a database of its own, emptied first). Every row
is the same article, the same template and context (the script checks the bytes are identical),
the same two queries when it renders, and the same cache:

  uncached render   a plain view: the two queries and the template on every request
  cache_page        Django's cache_page around that plain view (Redis)
  ours, cached 200  /articles/<slug>/ answered from our page cache
  ours, 304         /articles/<slug>/ with the current If-None-Match
  floor             a view answering two bytes with no query and no cache: what Django and the
                    site's middleware cost any request, the least a 304 can cost

Measured two ways, each as CPU per request (min-max over the repeats):
  in-process  through Django's WSGIHandler, no server or network: the process's CPU time over
              --requests requests, --repeats times, the rows alternating;
  gunicorn    2 sync workers, wrk for --seconds per row: the workers' CPU time (/proc) over the
              requests wrk completed, and wrk's requests/s.

Goals: our cached 200 at least 90% of cache_page's throughput (at most 1.11x its CPU per request),
and our 304 at most half the CPU of our cached 200. Exit status 1 when one is missed.

public_rows(slug) measures the in-process rows in an already configured process (bench/scale.py).
"""
import argparse
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import types
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = VENV_BIN / "python" if (VENV_BIN / "python").exists() else Path(sys.executable)
PG_DATABASE = "health_cms_bench"
REDIS_URL = "redis://127.0.0.1:6379/9"
SLUG = "bench-valerian-for-sleep"
HOST = "127.0.0.1"
CACHED_GOAL = 0.90      # our cached 200's throughput against cache_page's
REVALIDATE_GOAL = 0.50  # our 304's CPU against our cached 200's
ROWS = ("uncached render", "cache_page", "ours, cached 200", "ours, 304", "floor: empty view")


# --- Setup -------------------------------------------------------------------------------------

def database_url() -> str:
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=3,
                             autocommit=True) as connection:
            # A fresh database each run: the same seed, so runs compare.
            connection.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{PG_DATABASE}"')
        return f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"
    except Exception as exc:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        print(f"PostgreSQL not reachable ({str(exc).splitlines()[0]}); using SQLite.")
        path = Path(tempfile.gettempdir()) / "health_cms_bench.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"


def environment(db_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings",
        "DJANGO_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",  # production redirects to HTTPS; the bench speaks plain HTTP
        "DATABASE_URL": db_url,
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", REDIS_URL),
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def in_subprocess(env: dict, *args: str) -> str:
    result = subprocess.run([str(PYTHON), str(Path(__file__).resolve()), *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result.stdout


# --- Seeding (runs inside Django, via --seed) -----------------------------------------------------

WORDS = (
    "valerian root extract sleep onset adults trial placebo week dose evidence quality small study "
    "report people night rest effect measure result review group symptom insomnia anxiety daytime "
    "drowsiness tablet tea capsule product label strength vary country medicine supplement doctor "
    "pharmacist liver rare case harm benefit modest uncertain larger independent research needed "
    "compared usual care behaviour therapy habit routine light screen caffeine alcohol evening"
).split()


def paragraph(rng, sentences: int) -> str:
    text = []
    for _ in range(sentences):
        words = [rng.choice(WORDS) for _ in range(rng.randint(11, 17))]
        text.append(" ".join(words).capitalize() + ".")
    return "<p>" + " ".join(text) + "</p>"


def seed() -> None:
    import random

    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.utils.html import strip_tags

    from articles.content import ArticleContent
    from articles.models import Article, Topic
    from reviews.permissions import REVIEWERS, WRITERS
    from articles.sections import SECTIONS
    from reviews.editing import article_create
    from reviews.models import CHECKLIST_KEYS, ReviewerProfile
    from reviews.workflow import article_approve, article_submit

    article = Article.objects.filter(slug=SLUG, live_publication__isnull=False).first()
    if article is None:  # the database is new each run; this only guards a manual second --seed
        rng = random.Random(2026)
        writer, _ = User.objects.get_or_create(username="bench-writer", defaults={
            "first_name": "Bea", "last_name": "Writer"})
        writer.groups.add(Group.objects.get(name=WRITERS))
        reviewer, _ = User.objects.get_or_create(username="bench-reviewer", defaults={
            "first_name": "Ravi", "last_name": "Reviewer"})
        reviewer.groups.add(Group.objects.get(name=REVIEWERS))
        ReviewerProfile.objects.get_or_create(user=reviewer, defaults={
            "credentials": "MD", "specialty": "Sleep medicine", "bio": "Reviews the benchmark article."})
        topics = [Topic.objects.get_or_create(slug=slug, defaults={"name": name})[0]
                  for slug, name in (("sleep", "Sleep"), ("supplements", "Supplements"), ("herbal", "Herbal"))]
        body = "".join(f"<h2>Part {n}</h2>{paragraph(rng, 5)}{paragraph(rng, 5)}" for n in range(1, 8))
        content = ArticleContent(
            title="Valerian for sleep: benefits, risks and who should avoid it",
            summary="Valerian is a herbal supplement taken for sleep. Trials are small and mixed; "
                    "here is what they show, who should avoid it and when to get help.",
            body=body, article_type_key="substance",
            sections={section.key: paragraph(rng, 4) for section in SECTIONS},
            references=[{"title": f"Valerian and sleep: randomised trial {n}", "source": "Journal of Sleep Research",
                         "year": 2010 + n, "doi": f"10.1000/valerian.{n}", "pmid": str(20000000 + n),
                         "url": f"https://example.org/valerian/{n}"} for n in range(1, 11)],
        )
        article = article_create(by=writer, content=content, slug=SLUG, topics=topics, comment="Benchmark")
        article = article_submit(article=article, by=writer)
        article_approve(article=article, by=reviewer, reviewed_revision_id=article.submitted_revision_id,
                        reviewed_hash=article.submitted_hash,
                        checklist=dict.fromkeys(CHECKLIST_KEYS, True), rating=4)
        article.refresh_from_db()
    publication = article.live_publication
    words = len(strip_tags(" ".join([publication.summary, publication.body,
                                     *(s["html"] for s in publication.sections)])).split())
    print(f"SEEDED {article.slug} {words} words")


# --- The rows (inside Django) -------------------------------------------------------------------

def plain_article(request, slug):
    """The article rendered by Django with nothing of ours around it: the same two queries (the
    snapshot, its corrections), template and context as /articles/<slug>/, no validators."""
    from django.shortcuts import render

    from public.selectors import live_publication_by_slug, visible_corrections
    from public.views import article_context

    publication = live_publication_by_slug(slug)
    return render(request, "public/article_detail.html",
                  article_context(request, publication, visible_corrections(publication)))


def empty_view(request):
    from django.http import HttpResponse

    return HttpResponse(b"ok", content_type="text/plain")


def urlconf() -> types.ModuleType:
    """The site's URLs plus the two plain rows. A module object, so no settings module changes."""
    from django.urls import path
    from django.views.decorators.cache import cache_page

    from cms.urls import urlpatterns as site

    module = types.ModuleType("bench_public_urls")
    module.urlpatterns = [
        path("bench/render/<slug:slug>/", plain_article),
        path("bench/cache-page/<slug:slug>/", cache_page(3600, key_prefix="bench")(plain_article)),
        path("bench/floor/", empty_view),
        *site,
    ]
    return module


def wsgi_application():
    """For gunicorn ('bench.bench_public:wsgi_application()'): the site with the bench's rows."""
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    settings.ROOT_URLCONF = urlconf()
    return application


def targets(slug: str, etag: str | None = None) -> dict[str, tuple[str, dict]]:
    article = f"/articles/{slug}/"
    return {
        "uncached render": (f"/bench/render/{slug}/", {}),
        "cache_page": (f"/bench/cache-page/{slug}/", {}),
        "ours, cached 200": (article, {}),
        "ours, 304": (article, {"HTTP_IF_NONE_MATCH": etag} if etag else {}),
        "floor: empty view": ("/bench/floor/", {}),
    }


def _environ(path: str, host: str, extra: dict) -> dict:
    return {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
            "SERVER_NAME": host, "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": host,
            "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True,
            "wsgi.run_once": False, "wsgi.version": (1, 0), **extra}


def _call(handler, path: str, host: str, extra: dict) -> tuple[str, dict, bytes]:
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    result = handler(_environ(path, host, extra), start_response)
    try:
        body = b"".join(result)
    finally:
        getattr(result, "close", lambda: None)()
    return answer["status"], answer["headers"], body


def public_rows(slug: str = SLUG, *, requests: int = 400, repeats: int = 5, host: str | None = None) -> list[dict]:
    """The four rows for the live article `slug`, measured in this process through Django's
    WSGIHandler, with whatever settings, database and cache it is configured with.

    Returns [{"row", "path", "status", "queries", "cpu_us": [per repeat], "wall_us": [...]}]:
    CPU and wall-clock microseconds per request, one figure per repeat. Checks first that the
    three 200s are the same bytes and that the cached rows run no query.
    """
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    host = host or next((h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")), HOST)
    with override_settings(ROOT_URLCONF=urlconf()):
        handler = WSGIHandler()
        _, first_headers, _ = _call(handler, f"/articles/{slug}/", host, {})
        rows = targets(slug, first_headers["ETag"])
        checked, queries = {}, {}
        for name, (path, extra) in rows.items():
            _call(handler, path, host, extra)  # warm: each cache holds the page now
            with CaptureQueriesContext(connection) as captured:
                status, headers, body = _call(handler, path, host, extra)
            checked[name] = (status, body)
            queries[name] = len(captured)
        bodies = {checked[name][1] for name in ("uncached render", "cache_page", "ours, cached 200")}
        assert len(bodies) == 1, "the rows must serve the same HTML"
        assert checked["ours, 304"][0].startswith("304"), checked["ours, 304"][0]
        assert queries["cache_page"] == queries["ours, cached 200"] == queries["ours, 304"] == 0, queries
        assert queries["floor: empty view"] == 0, queries
        assert queries["uncached render"] == 2, queries

        measured = {name: {"cpu": [], "wall": []} for name in rows}
        for _ in range(repeats):
            for name, (path, extra) in rows.items():  # alternating, so load swings hit every row
                cpu, wall = time.process_time(), time.perf_counter()
                for _ in range(requests):
                    _call(handler, path, host, extra)
                measured[name]["cpu"].append((time.process_time() - cpu) / requests * 1e6)
                measured[name]["wall"].append((time.perf_counter() - wall) / requests * 1e6)
    return [{"row": name, "path": path, "status": checked[name][0].split()[0], "queries": queries[name],
             "bytes": len(checked[name][1]), "cpu_us": measured[name]["cpu"], "wall_us": measured[name]["wall"]}
            for name, (path, _) in rows.items()]


def measure_in_process(requests: int, repeats: int) -> None:
    import django

    django.setup()
    from django.core.cache import cache

    cache.clear()  # the bench's own Redis database
    print("ROWS " + json.dumps(public_rows(SLUG, requests=requests, repeats=repeats, host=HOST)))


# --- Through gunicorn ----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, log: Path) -> subprocess.Popen:
    gunicorn = VENV_BIN / "gunicorn" if (VENV_BIN / "gunicorn").exists() else shutil.which("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "bench.bench_public:wsgi_application()", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--error-logfile", str(log)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                if response.status == 200:
                    return process
        except OSError:  # refused while booting, or a slow first answer
            time.sleep(0.3)
    stop(process)
    sys.exit(f"gunicorn did not answer on port {port}; see {log}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def fetch(url: str, headers=None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def workers_cpu_seconds(master: int) -> float:
    """User and system CPU of gunicorn's workers (the master's children), from /proc."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:  # ppid
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def run_wrk(wrk: str, url: str, seconds: int, connections: int, header: str | None) -> tuple[int, float]:
    command = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    if header:
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60,
                            check=True).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if bad:
        sys.exit(f"wrk saw {bad.group(1)} failed responses from {url}")
    return requests, float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def measure_gunicorn(env: dict, seconds: int, repeats: int, connections: int) -> dict[str, dict]:
    wrk = shutil.which("wrk")
    if not wrk:
        print("wrk is missing (apt-get install wrk): no gunicorn rows.")
        return {}
    port = free_port()
    server = start_gunicorn(env, port, Path(tempfile.gettempdir()) / "health_cms_bench_gunicorn.log")
    base = f"http://{HOST}:{port}"
    try:
        _, headers, _ = fetch(f"{base}/articles/{SLUG}/")
        rows = {name: (f"{base}{path}", f"If-None-Match: {headers['ETag']}" if extra else None)
                for name, (path, extra) in targets(SLUG, headers["ETag"]).items()}
        for url, header in rows.values():  # warm every worker and cache
            run_wrk(wrk, url, 1, connections, header)
        measured = {name: {"cpu": [], "rps": []} for name in rows}
        for _ in range(repeats):
            for name, (url, header) in rows.items():
                cpu = workers_cpu_seconds(server.pid)
                requests, rps = run_wrk(wrk, url, seconds, connections, header)
                measured[name]["cpu"].append((workers_cpu_seconds(server.pid) - cpu) / requests * 1e6)
                measured[name]["rps"].append(rps)
        return measured
    finally:
        stop(server)


# --- Report ------------------------------------------------------------------------------------

def span(values, unit="") -> str:
    return f"{min(values):,.0f}–{max(values):,.0f}{unit}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="in-process requests per row per repeat")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=8, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--no-gunicorn", action="store_true")
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        seed()
        return 0
    if args.measure:
        measure_in_process(args.requests, args.repeats)
        return 0

    db_url = database_url()
    env = environment(db_url)
    print(f"Database: {db_url.split('://')[0]}; cache: {env['REDIS_URL']}; migrating, collecting static files, "
          f"seeding ...")
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    seeded = re.search(r"^SEEDED (\S+) (\d+) words$", in_subprocess(env, "--seed"), re.MULTILINE)
    print(f"Seeded /articles/{seeded.group(1)}/ ({seeded.group(2)} words, every section, 10 references).")

    output = in_subprocess(env, "--measure", "--requests", str(args.requests), "--repeats", str(args.repeats))
    rows = {row["row"]: row for row in json.loads(re.search(r"^ROWS (.*)$", output, re.MULTILINE).group(1))}
    served = {} if args.no_gunicorn else measure_gunicorn(env, args.seconds, args.repeats, args.connections)

    print(f"\nSame page in every row: {rows['uncached render']['bytes']:,} bytes; {os.cpu_count()} cores; "
          f"in-process {args.repeats} x {args.requests} requests a row"
          + ("" if not served else f"; gunicorn 2 sync workers, wrk {args.connections} connections, "
                                   f"{args.repeats} x {args.seconds} s a row") + ".")
    print(f"\n{'row':<18}{'status':>7}{'queries':>8}{'in-process CPU µs/req':>24}{'req/s (1 core)':>17}"
          + (f"{'gunicorn CPU µs/req':>22}{'wrk req/s':>14}" if served else ""))
    for name in ROWS:
        row = rows[name]
        line = (f"{name:<18}{row['status']:>7}{row['queries']:>8}{span(row['cpu_us']):>24}"
                f"{span([1e6 / v for v in row['cpu_us']]):>17}")
        if served:
            line += f"{span(served[name]['cpu']):>22}{span(served[name]['rps']):>14}"
        print(line)

    def best(values):
        return min(values)

    cached = best(rows["ours, cached 200"]["cpu_us"]) / best(rows["cache_page"]["cpu_us"])
    revalidate = best(rows["ours, 304"]["cpu_us"]) / best(rows["ours, cached 200"]["cpu_us"])
    print(f"\nours cached / cache_page, CPU per request (best repeats): {cached:.2f}x "
          f"(throughput {1 / cached:.0%}; goal >= {CACHED_GOAL:.0%}: {'met' if 1 / cached >= CACHED_GOAL else 'MISSED'})")
    print(f"ours 304 / ours cached 200, CPU per request: {revalidate:.2f} "
          f"(goal <= {REVALIDATE_GOAL:.2f}: {'met' if revalidate <= REVALIDATE_GOAL else 'MISSED'})")
    met = 1 / cached >= CACHED_GOAL and revalidate <= REVALIDATE_GOAL
    if served:
        g_cached = best(served["ours, cached 200"]["cpu"]) / best(served["cache_page"]["cpu"])
        g_revalidate = best(served["ours, 304"]["cpu"]) / best(served["ours, cached 200"]["cpu"])
        print(f"gunicorn: cached / cache_page {g_cached:.2f}x, 304 / cached 200 {g_revalidate:.2f}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
