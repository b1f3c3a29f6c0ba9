"""How long the automated checks take on a 10,000-word article (goal: under 100 ms, linear to
100,000), and how they score on the labelled corpus of real pages, by code.

    .venv/bin/python bench/bench_checks.py [--words N] [--runs N] [--corpus DIR]

The corpus defaults to ../shared/checks-corpus/ (skipped when absent); it is scored per code per
file as its README says.

The article is generated (seeded, so every run checks the same text): ordinary health writing
with the kinds of sentences the rules look for mixed in, in the body and every safety section,
with headings, lists, citations and references. Prints the median of several runs.
"""
import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

import django  # noqa: E402

django.setup()

from articles.checks import run_checks  # noqa: E402
from articles.content import ArticleContent  # noqa: E402
from articles.models import ArticleType  # noqa: E402
from articles.sanitize import html_to_text  # noqa: E402
from articles.sections import SECTION_KEYS  # noqa: E402

SUBJECTS = ("melatonin", "valerian", "magnesium", "kava", "chamomile", "the tablets", "this medicine", "caffeine")
CONDITIONS = ("insomnia", "jet lag", "anxiety", "low mood", "shift work", "restless legs")
SENTENCES = (
    "Trials of {s} in adults with {c} were small and short, so the size of any benefit is uncertain [{r}].",
    "Most people who took {s} in studies had no serious problems, although headaches were reported [{r}].",
    "{S} can interact with blood thinners and sedating medicines, so a pharmacist should check your list.",
    "Avoid {s} in pregnancy and while breastfeeding, as safety has not been studied in these groups.",
    "See a doctor if {c} lasts longer than three months or comes with low mood or weight loss.",
    "The licensed dose is {n} mg taken once at night, according to the product information [{r}].",
    "Some people find that sleep is worse for a few nights after stopping, which usually settles.",
    "Regular wake times, daylight in the morning and less screen light at night help most sleepers.",
    "The quality of the evidence is low, and no trial has followed people for more than a year.",
    "Stopping suddenly after long, heavy use can cause irritability, sweating and poor sleep.",
    "In the United Kingdom it is a prescription-only medicine; elsewhere it is sold as a supplement.",
    "Call emergency services if someone is hard to wake, breathing slowly or has a seizure.",
    # The kinds of sentence the rules exist for.
    "Studies show that {s} is a remarkably effective answer to {c}.",
    "Start with a low dose of {s} and increase it until you feel the effect.",
    "Many users report that {s} cures {c} within days.",
    "Take {n} mg of {s} an hour before bed for the best results.",
    "Because it is natural, {s} is completely safe for everyone.",
    "{S} shows great promise and will transform your nights.",
    "Buy our premium {s} today and get free shipping.",
    "Like any supplement, {s} carries some risks.",
)
MORE_SENTENCES = (
    "A {n}-week trial in older adults found a small effect on the time taken to fall asleep [{r}].",
    "Reviews of {s} for {c} rate the evidence as low or very low quality [{r}].",
    "Nobody knows whether {s} is safe over many years, because long studies have not been done.",
    "Children should only be given {s} when a specialist prescribes it.",
    "Tell a pharmacist which other medicines, supplements and herbal teas you take.",
    "Products bought online can contain more or less than the label says, or other ingredients.",
    "Driving and operating machinery should wait until you know how {s} affects you.",
    "For most people with {c}, changes to daily routine help more than any tablet.",
)
LIST_ITEMS = ("Headache", "Nausea and stomach upset", "Daytime sleepiness", "Dizziness on standing", "Vivid dreams",
              "Irritability", "A dry mouth", "Rash or itching", "Blood thinners such as warfarin",
              "Other sedating medicines", "Alcohol")
HEADINGS = ("How it works", "What people use it for", "Who it may help", "Practical points", "What we do not know")


def build_article(words: int, seed: int = 2026) -> ArticleContent:
    rng = random.Random(seed)
    fields = {"body": [], **{key: [] for key in SECTION_KEYS}}
    names = list(fields)
    count = 0
    while count < words:
        paragraph = []
        for _ in range(rng.randint(3, 7)):
            subject = rng.choice(SUBJECTS)
            sentence = rng.choice(SENTENCES + MORE_SENTENCES).format(
                s=subject, S=subject[0].upper() + subject[1:], c=rng.choice(CONDITIONS),
                n=rng.choice((1, 2, 3, 5, 10, 300)), r=rng.randint(1, 5))
            paragraph.append(sentence)
            count += len(sentence.split())
        field = "body" if rng.random() < 0.5 else rng.choice(names[1:])
        if rng.random() < 0.15:
            fields[field].append(f"<h2>{rng.choice(HEADINGS)}</h2>")
        fields[field].append(f"<p>{' '.join(paragraph)}</p>")
        if rng.random() < 0.2:
            items = rng.sample(LIST_ITEMS, rng.randint(3, 6))
            fields[field].append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            count += sum(len(item.split()) for item in items)
    return ArticleContent(
        title="Sleep aids: what the evidence says", summary="What works, what does not, and how to stay safe.",
        body="".join(fields.pop("body")), article_type_key="substance",
        sections={key: "".join(parts) for key, parts in fields.items()},
        references=[{"title": f"Reference {n}", "doi": f"10.1000/bench.{n}"} for n in range(1, 6)],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parents[2] / "shared" / "checks-corpus"))
    options = parser.parse_args()
    print_corpus_scores(Path(options.corpus))
    content = build_article(options.words)
    # An unsaved type: the benchmark needs no database.
    article_type = ArticleType(key="substance", name="Substance", min_references=3,
                               required_sections=list(SECTION_KEYS[:8]) + ["when_to_seek_help"])
    text_words = sum(len(html_to_text(part).split()) for part in (content.body, *content.sections.values()))
    findings = run_checks(content, article_type)  # warm-up: compiles and caches the patterns
    timings = []
    for _ in range(options.runs):
        start = time.perf_counter()
        run_checks(content, article_type)
        timings.append((time.perf_counter() - start) * 1000)
    print(f"{text_words:,}-word article, {len(content.body) + sum(map(len, content.sections.values())):,} "
          f"characters of HTML, {len(findings)} findings")
    print(f"median {statistics.median(timings):.1f} ms over {options.runs} runs "
          f"(min {min(timings):.1f} ms, max {max(timings):.1f} ms)")
    # A fixed CPU-bound loop, to read the figure against how busy the machine was.
    print(f"reference: a 2,000,000-step Python loop took {reference_loop_ms():.0f} ms on this machine")


def print_corpus_scores(folder: Path) -> None:
    if not (folder / "labels.json").exists():
        print(f"(no labelled corpus at {folder})")
        return
    from articles.checks.scoring import score_corpus
    article_type = ArticleType(key="substance", name="Substance", min_references=3, required_sections=[])
    scored = score_corpus(folder, lambda content: run_checks(content, article_type))
    for label, files in (("all", scored.files), ("quality", [f for f in scored.files if f.name.startswith("quality/")]),
                         ("marketing", [f for f in scored.files if f.name.startswith("marketing/")])):
        hits, misses, alarms = scored.figures(files)
        print(f"corpus {label:9} ({len(files):2} files): recall {scored.recall(files):.2f} ({hits}/{hits + misses}), "
              f"precision {scored.precision(files):.2f} ({hits}/{hits + alarms})")
    print(f"{'code':28} {'must found':>10} {'false alarms':>13}")
    for code, (hit, must, alarm, must_not) in scored.by_code().items():
        print(f"{code:28} {f'{hit}/{must}':>10} {f'{alarm}/{must_not}':>13}")
    for item in scored.files:
        if item.misses or item.false_alarms:
            print(f"  {item.name}: missed {sorted(item.misses)}, false alarms {sorted(item.false_alarms)}")
    print()


def reference_loop_ms() -> float:
    best = float("inf")
    for _ in range(3):
        start, total = time.perf_counter(), 0
        for number in range(2_000_000):
            total += number
        best = min(best, (time.perf_counter() - start) * 1000)
    return best


if __name__ == "__main__":
    main()
