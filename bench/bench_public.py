#!/usr/bin/env python
"""The public article page against a plain Django DetailView of the same content.

    .venv/bin/python bench/bench_public.py [--seconds 10] [--rounds 3] [--connections 16]

One command: it picks PostgreSQL when one answers on 127.0.0.1:5432 (database health_cms_bench,
created if missing; else a SQLite file in the temp directory), migrates, collects static files,
seeds a realistic published article through the services (about 1,500 words, every safety
section, 10 references), starts gunicorn (2 workers, DJANGO_ENV=production, DEBUG off), and
measures with wrk (installed from Debian's packages when missing) in alternating rounds:

  baseline   /bench/baseline/<slug>/  a plain DetailView: same query, template and context
  article    /articles/<slug>/        the real page: also ETag, Last-Modified, Cache-Control
  revalidate /articles/<slug>/ with If-None-Match: the 304 a CDN or browser gets

It prints requests/s, p50 and p99 per target (medians over the rounds) and the ratio of the
article page to the baseline; the goal is at least 0.80. Exit status 1 when the goal is missed.
Every request goes to 127.0.0.1, each run is bounded by --seconds, and gunicorn is stopped at the end.
"""
import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = VENV_BIN / "python" if (VENV_BIN / "python").exists() else Path(sys.executable)
PG_DATABASE = "health_cms_bench"
SLUG = "bench-valerian-for-sleep"
GOAL = 0.80


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
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # production redirects to HTTPS; the bench speaks plain HTTP
        "DATABASE_URL": db_url,
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(ROOT),
    }


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing; installing it from Debian's packages ...")
    apt = ["apt-get", "install", "-y", "-qq", "wrk"]
    if os.geteuid() != 0:
        apt = ["sudo", "-n", *apt]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(apt, env=env).returncode != 0:
        subprocess.run([*apt[:-4], "update", "-qq"], env=env)
        subprocess.run(apt, env=env, check=True)
    return shutil.which("wrk") or sys.exit("wrk could not be installed (apt-get install wrk).")


def manage(env: dict, *args: str) -> None:
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def seed_in_subprocess(env: dict) -> str:
    result = subprocess.run([str(PYTHON), str(Path(__file__).resolve()), "--seed"], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    match = re.search(r"^SEEDED (\S+) (\d+) words$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or not match:
        sys.exit(f"seeding failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    print(f"Seeded /articles/{match.group(1)}/ ({match.group(2)} words, every section, 10 references).")
    return match.group(1)


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
            title="Valerian for sleep: what the evidence shows",
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


# --- Serving and measuring ----------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, log: Path) -> subprocess.Popen:
    gunicorn = VENV_BIN / "gunicorn" if (VENV_BIN / "gunicorn").exists() else shutil.which("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "cms.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}", "--error-logfile", str(log)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    if response.status == 200:
                        return process
            except OSError:  # refused while booting, or a slow first answer
                time.sleep(0.3)
    except BaseException:
        stop(process)
        raise
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


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(wrk: str, url: str, seconds: int, connections: int, headers=()) -> dict:
    command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60,
                            check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {pct: float(value) * UNITS[unit] for pct, value, unit in
               re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)}
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    return {"rps": rps, "p50": latency["50"], "p99": latency["99"],
            "non_2xx_3xx": int(bad.group(1)) if bad else 0, "socket_errors": errors.group(0) if errors else ""}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds over the targets")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        seed()
        return 0

    wrk = ensure_wrk()
    db_url = database_url()
    env = environment(db_url)
    print(f"Database: {db_url.split('://')[0]}; migrating, collecting static files, seeding ...")
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    slug = seed_in_subprocess(env)

    port = free_port()
    log = Path(tempfile.gettempdir()) / "health_cms_bench_gunicorn.log"
    server = start_gunicorn(env, port, log)
    base = f"http://127.0.0.1:{port}"
    targets = {
        "baseline DetailView": (f"{base}/bench/baseline/{slug}/", ()),
        "article page": (f"{base}/articles/{slug}/", ()),
    }
    try:
        status_b, _, body_b = fetch(targets["baseline DetailView"][0])
        status_a, headers_a, body_a = fetch(targets["article page"][0])
        assert status_a == status_b == 200, (status_a, status_b)
        assert body_a == body_b, "the baseline must render the same HTML as the article page"
        status_r, _, _ = fetch(targets["article page"][0], {"If-None-Match": headers_a["ETag"]})
        assert status_r == 304, status_r
        targets["revalidation (304)"] = (targets["article page"][0], (f"If-None-Match: {headers_a['ETag']}",))
        print(f"Both pages: {len(body_a):,} bytes of identical HTML; the article page adds "
              f"ETag {headers_a['ETag']}, Cache-Control '{headers_a['Cache-Control']}'.")
        print(f"wrk: 2 threads, {args.connections} connections, {args.seconds} s a run, {args.rounds} rounds, "
              f"gunicorn 2 sync workers on {os.cpu_count()} cores.\n")

        for url, headers in targets.values():  # warm both workers up
            run_wrk(wrk, url, 2, args.connections, headers)
        results = {name: [] for name in targets}
        for round_number in range(1, args.rounds + 1):
            for name, (url, headers) in targets.items():
                result = run_wrk(wrk, url, args.seconds, args.connections, headers)
                results[name].append(result)
                print(f"  round {round_number} {name:<22} {result['rps']:8.1f} req/s  "
                      f"p50 {result['p50']:6.2f} ms  p99 {result['p99']:6.2f} ms"
                      + (f"  non-2xx/3xx {result['non_2xx_3xx']}" if result["non_2xx_3xx"] else "")
                      + (f"  {result['socket_errors']}" if result["socket_errors"] else ""))
    finally:
        stop(server)

    median = {name: {key: statistics.median(r[key] for r in runs) for key in ("rps", "p50", "p99")}
              for name, runs in results.items()}
    print(f"\n{'target':<24}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}   (medians of {args.rounds} rounds)")
    for name, m in median.items():
        print(f"{name:<24}{m['rps']:>10.1f}{m['p50']:>10.2f}{m['p99']:>10.2f}")
    ratio = median["article page"]["rps"] / median["baseline DetailView"]["rps"]
    print(f"\nratio article page / baseline: {ratio:.2f} (goal >= {GOAL:.2f}: "
          f"{'met' if ratio >= GOAL else 'MISSED'})")
    print("\nFor bench/README.md:")
    print("| target | req/s | p50 ms | p99 ms |\n|---|---:|---:|---:|")
    for name, m in median.items():
        print(f"| {name} | {m['rps']:.0f} | {m['p50']:.2f} | {m['p99']:.2f} |")
    return 0 if ratio >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
