"""The checks stay fast as articles grow: the cost is linear in the text (measured in one test, so
a slow machine slows both sides alike). Figures are printed; bench/bench_checks.py has the rest."""
import sys
import time
from pathlib import Path

from articles.checks import run_checks
from articles.models import ArticleType

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
from bench_checks import build_article  # noqa: E402


def best_of(content, article_type, runs=3) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        run_checks(content, article_type)
        best = min(best, time.perf_counter() - started)
    return best


def test_checking_four_times_the_text_costs_about_four_times_as_much_and_10000_words_well_under_a_second():
    article_type = ArticleType.objects.get(key="substance")
    small, large = build_article(5_000), build_article(20_000)
    run_checks(small, article_type)  # compiles and caches the patterns
    small_seconds, large_seconds = best_of(small, article_type), best_of(large, article_type)
    ten_thousand = best_of(build_article(10_000), article_type)
    print(f"\nchecks: 5,000 words {small_seconds * 1000:.0f} ms, 10,000 words {ten_thousand * 1000:.0f} ms, "
          f"20,000 words {large_seconds * 1000:.0f} ms (x{large_seconds / small_seconds:.1f} for x4 words)")
    assert large_seconds < 6 * small_seconds
    assert ten_thousand < 1.0
