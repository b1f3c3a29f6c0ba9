#!/usr/bin/env python
"""How long review diffs take, from 1,000 to 50,000 words (goal: both pages under 1 s at 10,000 words
and under 5 s at 50,000).

    .venv/bin/python bench/bench_diff.py [--sizes 1000,5000,10000,20000,50000] [--runs 5]
                                         [--baseline-sizes 1000,5000,10000] [--baseline-runs 1]

For each size an article is generated (seeded, so every run diffs the same text): varied sentences
from a word list in paragraphs under headings, with short lists and a few links, about 70% of the
words in the body and the rest spread over the ten safety sections, five references. A copy with 2%
of its words replaced, spread through the text, is its edit. Measured, in this process, on a
throwaway test database (in-memory SQLite with the default settings), through the real services:

  diff       articles.diff.diff_content(old, new) alone
  compare    GET /editorial/articles/<pk>/compare/?from=&to= of the two revisions (django.test.Client)
  review     GET /editorial/articles/<pk>/review/ of an article approved, edited (2%) and resubmitted

Each is run --runs times after a warm-up; the table gives the median and the range. The old
difflib word diff (the previous articles/diff.py, copied below) is timed on the smaller sizes for
comparison. A fixed 2,000,000-step Python loop shows how busy the machine was. Exit status 1 when
a goal is missed.
"""
import argparse
import difflib
import math
import os
import random
import re
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
# WhiteNoise warns that collectstatic has not run; the pages need no static files here.
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from articles.content import ArticleContent  # noqa: E402
from articles.diff import diff_content  # noqa: E402
from articles.figures import STORED_IMG_RE  # noqa: E402
from articles.models import Article, RevisionMeta  # noqa: E402
from reviews.permissions import REVIEWERS, WRITERS  # noqa: E402
from articles.sanitize import html_to_text  # noqa: E402
from articles.sections import SECTION_KEYS  # noqa: E402
from reviews.editing import article_create, article_update  # noqa: E402
from reviews.models import CHECKLIST_KEYS, ReviewerProfile  # noqa: E402
from reviews.workflow import article_approve, article_submit  # noqa: E402

GOALS = {10_000: 1.0, 50_000: 5.0}  # seconds, for the compare and the review page
EDIT_SHARE = 0.02

# --- The article -------------------------------------------------------------------------------

SUBJECTS = ("Most adults", "Older participants", "People with long-term pain", "The trial team", "Several small studies",
            "Pharmacists", "Family doctors", "Younger volunteers", "The review authors", "Nurses on the ward",
            "Parents of young children", "Shift workers", "People who drink coffee", "The larger cohort")
VERBS = ("reported", "described", "measured", "compared", "noticed", "recorded", "examined", "followed",
         "discussed", "summarised", "questioned", "tracked", "estimated", "listed")
OBJECTS = ("changes in sleep quality", "the time taken to fall asleep", "daytime tiredness", "mild stomach upset",
           "their usual evening routine", "the number of night wakings", "blood pressure readings",
           "how often headaches came back", "the cost of each treatment", "reasons for leaving the study",
           "the mood scores at each visit", "how long the benefit lasted", "the quality of the evidence")
TAILS = ("over eight weeks", "during the first month", "against a placebo", "in a small group",
         "at the end of the study", "after the second visit", "in both arms of the trial",
         "across three hospitals", "without a clear pattern", "with wide margins of error")
CLAUSES = ("although the numbers were small", "but the results varied between sites",
           "so the authors called for larger trials", "which matched earlier reports",
           "and few people stopped early", "while the control group changed little")
HEADINGS = ("What the studies measured", "Who took part", "How the trials were run", "What changed over time",
            "Limits of the evidence", "Questions that remain", "How it compares", "Practical points")
# The words an edit puts in place of others.
REPLACEMENTS = ("several", "many", "some", "patients", "adults", "results", "weeks", "months", "clearly",
                "slightly", "measured", "reported", "smaller", "larger", "earlier", "later", "group", "trial")


def sentence(rng: random.Random) -> str:
    text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"
    if rng.random() < 0.4:
        text += f", {rng.choice(CLAUSES)}"
    return text + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    text = " ".join(sentence(rng) for _ in range(sentences))
    if rng.random() < 0.2:
        n = rng.randint(1, 999)
        text += f' More detail is in <a href="https://example.org/studies/{n}">the study report {n}</a>.'
    return f"<p>{text}</p>"


def words_of(html: str) -> int:
    return len(html_to_text(html).split())


def body_html(rng: random.Random, target: int) -> str:
    parts, count = [], 0
    while count < target:
        chunk = [f"<h2>{rng.choice(HEADINGS)}</h2>"]
        for _ in range(rng.randint(2, 5)):
            chunk.append(paragraph(rng, rng.randint(3, 6)))
        if rng.random() < 0.5:
            chunk.append("<ul>" + "".join(f"<li>{sentence(rng)}</li>" for _ in range(rng.randint(3, 5))) + "</ul>")
        parts += chunk
        count += words_of("".join(chunk))
    return "".join(parts)


def build_article(words: int, seed: int) -> ArticleContent:
    rng = random.Random(seed)
    per_section = max(40, words * 3 // 10 // len(SECTION_KEYS))
    sections = {}
    for key in SECTION_KEYS:
        html = ""
        while words_of(html) < per_section:
            html += paragraph(rng, 4)
        sections[key] = html
    summary = "What the trials measured, who took part, and how far the results can be trusted."
    rest = words - words_of(summary) - sum(words_of(html) for html in sections.values())
    return ArticleContent(
        title=f"Sleep trials in adults: {words:,} words", summary=summary, body=body_html(rng, max(rest, 50)),
        article_type_key="substance", sections=sections,
        references=[{"title": f"Sleep trial report {n}", "source": "Journal of Sleep Studies", "year": 2015 + n,
                     "doi": f"10.1000/sleep.{n}", "pmid": str(31000000 + n), "url": f"https://example.org/trials/{n}"}
                    for n in range(1, 6)],
    )


_TEXT_RE = re.compile(r">([^<]+)<")
_WORD_RE = re.compile(r"[A-Za-z]+")


def edited(content: ArticleContent, seed: int) -> tuple[ArticleContent, int]:
    """The content with 2% of the words of the body and sections replaced, spread through the text."""
    rng = random.Random(seed)
    changed = 0

    def edit_html(html: str) -> str:
        def edit_text(match):
            def edit_word(word):
                nonlocal changed
                if rng.random() >= EDIT_SHARE:
                    return word.group(0)
                changed += 1
                return rng.choice([w for w in REPLACEMENTS if w != word.group(0)])
            return ">" + _WORD_RE.sub(edit_word, match.group(1)) + "<"
        return _TEXT_RE.sub(edit_text, html)

    new = ArticleContent(title=content.title, summary=content.summary, body=edit_html(content.body),
                         article_type_key=content.article_type_key,
                         sections={key: edit_html(html) for key, html in content.sections.items()},
                         references=content.references)
    return new, changed


# --- The old diff, as the baseline ----------------------------------------------------------------

_TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]")


def diff_words(old: str, new: str) -> list[tuple[str, str]]:
    """The previous articles/diff.py word diff: difflib over word, space and punctuation tokens."""
    a, b = _TOKEN_RE.findall(old or ""), _TOKEN_RE.findall(new or "")
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            ops.append(("insert", "".join(b[j1:j2])))
    return ops


def old_diff_content(old: ArticleContent, new: ArticleContent) -> None:
    def text(html):
        # The old describe_images: each image written out as "[Image 3f2a9c1d: alt text]".
        html = STORED_IMG_RE.sub(lambda m: f' [Image {m.group("key")[:8]}: {m.group("alt")}] ', html or "")
        return html_to_text(html)

    diff_words(old.title, new.title)
    diff_words(old.summary, new.summary)
    diff_words(text(old.body), text(new.body))
    for key in SECTION_KEYS:
        diff_words(text(old.sections.get(key, "")), text(new.sections.get(key, "")))


# --- Measuring ----------------------------------------------------------------------------------

def timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def yardstick() -> float:
    started = time.perf_counter()
    total = 0
    for n in range(2_000_000):
        total += n
    return time.perf_counter() - started


def people() -> tuple[User, User, User]:
    writer = User.objects.create_user("bench-writer", first_name="Bea", last_name="Writer")
    writer.groups.add(Group.objects.get(name=WRITERS))
    reviewers = []
    for name in ("bench-reviewer", "bench-second-reviewer"):
        reviewer = User.objects.create_user(name, first_name="Ravi", last_name=name.title())
        reviewer.groups.add(Group.objects.get(name=REVIEWERS))
        ReviewerProfile.objects.create(user=reviewer, credentials="MD", specialty="Sleep medicine")
        reviewers.append(reviewer)
    return writer, *reviewers


def get(client: Client, url: str, expect: str) -> None:
    response = client.get(url)
    if response.status_code != 200 or expect not in response.content.decode():
        sys.exit(f"GET {url} answered {response.status_code} without {expect!r}")


def measure(words: int, runs: int, writer, reviewer, second_reviewer) -> dict:
    old = build_article(words, seed=words)
    new, changed = edited(old, seed=words + 1)
    counted = sum(words_of(html) for html in (old.summary, old.body, *old.sections.values()))
    result = {"words": counted, "edited": changed}

    diff_content(old, new)  # warm-up
    changes = diff_content(old, new).changes
    result["changes"] = changes
    result["diff"] = timed(lambda: diff_content(old, new), runs)
    expect = f"<strong>{changes:,} change" if changes < 1000 else "change"

    # Compare: two revisions of a draft.
    article = article_create(by=writer, content=old, comment="Benchmark")
    article = article_update(article=article, by=writer, expected_version=article.version, content=new,
                             comment="2% edit")
    first, second = sorted(RevisionMeta.objects.filter(article=article).values_list("revision_id", flat=True))
    client = Client()
    client.force_login(writer)
    url = reverse("desk:compare", args=[article.pk]) + f"?from={first}&to={second}"
    get(client, url, expect)
    result["compare"] = timed(lambda: get(client, url, expect), runs)

    # Review: approved, edited and resubmitted; the page diffs against the approved version.
    article = article_create(by=writer, content=dataclass_title(old, "Reviewed"), comment="Benchmark")
    article = article_submit(article=article, by=writer)
    article_approve(article=article, by=reviewer, reviewed_revision_id=article.submitted_revision_id,
                    reviewed_hash=article.submitted_hash, checklist=dict.fromkeys(CHECKLIST_KEYS, True), rating=4)
    article = Article.objects.get(pk=article.pk)
    article = article_update(article=article, by=writer, expected_version=article.version,
                             content=dataclass_title(new, "Reviewed"), comment="2% edit")
    article_submit(article=article, by=writer)
    client = Client()
    client.force_login(second_reviewer)
    url = reverse("desk:review", args=[article.pk])
    get(client, url, expect)
    result["review"] = timed(lambda: get(client, url, expect), runs)
    return result


def dataclass_title(content: ArticleContent, prefix: str) -> ArticleContent:
    import dataclasses

    return dataclasses.replace(content, title=f"{prefix}: {content.title}")


def summary(times: list[float]) -> str:
    return f"{format_seconds(statistics.median(times))} ({format_seconds(min(times))}–{format_seconds(max(times))})"


def format_seconds(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,10000,20000,50000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline-sizes", default="1000,5000,10000",
                        help="sizes for the old difflib diff ('' for none); 10,000 words take about 40 s a run")
    parser.add_argument("--baseline-runs", type=int, default=1)
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",") if size]
    baseline_sizes = [int(size) for size in options.baseline_sizes.split(",") if size]

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    print(f"Database: a throwaway test database ({connection.vendor}); migrating ...")
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    results, baseline = [], {}
    try:
        writer, reviewer, second_reviewer = people()
        print(f"yardstick (2,000,000-step loop): {format_seconds(yardstick())}\n")
        print(f"{'words':>8} {'edited':>7} {'changes':>8}  {'diff_content':<22}{'compare page':<22}{'review page':<22}")
        for words in sizes:
            result = measure(words, options.runs, writer, reviewer, second_reviewer)
            results.append(result)
            print(f"{result['words']:>8,} {result['edited']:>7,} {result['changes']:>8,}  "
                  f"{summary(result['diff']):<22}{summary(result['compare']):<22}{summary(result['review']):<22}",
                  flush=True)
        if baseline_sizes:
            print("\nThe old difflib word diff (the whole diff_content of before, text only):")
            for words in baseline_sizes:
                old = build_article(words, seed=words)
                new, _ = edited(old, seed=words + 1)
                times = timed(lambda: old_diff_content(old, new), options.baseline_runs)
                baseline[words] = times
                print(f"{words:>8,} words  {summary(times)}", flush=True)
        print(f"yardstick (2,000,000-step loop): {format_seconds(yardstick())}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    met = True
    if len(results) > 1:
        first, last = results[0], results[-1]
        ratio = last["words"] / first["words"]
        print(f"\nGrowth from {first['words']:,} to {last['words']:,} words (×{ratio:.0f}; "
              "exponent 1.0 is linear, 2.0 quadratic):")
        for key in ("diff", "compare", "review"):
            growth = statistics.median(last[key]) / statistics.median(first[key])
            print(f"  {key:<8} ×{growth:.1f}  (exponent {math.log(growth) / math.log(ratio):.2f})")
    print()
    for words, goal in GOALS.items():
        result = next((r for r in results if abs(r["words"] - words) <= words * 0.05), None)
        if result is None:
            continue
        for key in ("compare", "review"):
            median = statistics.median(result[key])
            ok = median < goal
            met &= ok
            print(f"{words:,} words, {key} page: {format_seconds(median)} (goal < {goal:g} s: "
                  f"{'met' if ok else 'MISSED'})")
    for words, times in baseline.items():
        new = next((r for r in results if abs(r["words"] - words) <= words * 0.05), None)
        if new:
            print(f"{words:,} words: diff_content {format_seconds(statistics.median(new['diff']))} against the "
                  f"old difflib diff's {format_seconds(statistics.median(times))} "
                  f"(×{statistics.median(times) / statistics.median(new['diff']):.0f})")

    print("\nFor bench/README.md:")
    print("| words | changes | diff_content | compare page | review page |\n|---:|---:|---|---|---|")
    for r in results:
        print(f"| {r['words']:,} | {r['changes']:,} | {summary(r['diff'])} | {summary(r['compare'])} | "
              f"{summary(r['review'])} |")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
