"""The checks against a labelled corpus: recall and precision of at least 0.9 each."""
from pathlib import Path

import pytest

from articles.checks import CODES, RULES, run_checks
from articles.checks.scoring import score_corpus
from articles.content import ArticleContent
from articles.models import ArticleType
from tests.factories import SECTION_TEXT

from .corpus import FIRES, NEAR_MISSES

MIN_RECALL = MIN_PRECISION = 0.9
REFERENCES = [{"title": f"A source numbered {n}", "doi": f"10.1000/corpus.{n}"} for n in (1, 2, 3)]


def body_codes(text: str) -> set[str]:
    """The codes the checks raise on the text, placed as the body of an otherwise sound article."""
    body = text if text.lstrip().startswith("<") else f"<p>{text}</p>"
    content = ArticleContent(
        title="Notes on a health topic", summary="A short, plain summary of the topic.", body=body,
        article_type_key="substance", sections={key: f"<p>{text}</p>" for key, text in SECTION_TEXT.items()},
        references=REFERENCES,
    )
    findings = run_checks(content, ArticleType.objects.get(key="substance"))
    return {finding.code for finding in findings if finding.field == "body"}


def score() -> tuple[float, float, list[str]]:
    true_positives = false_positives = false_negatives = 0
    mistakes = []
    for expected, text in FIRES:
        found = body_codes(text)
        true_positives += len(found & set(expected))
        false_negatives += len(set(expected) - found)
        false_positives += len(found - set(expected))
        if found != set(expected):
            mistakes.append(f"expected {sorted(expected)}, got {sorted(found)}: {text[:90]}")
    for text in NEAR_MISSES:
        found = body_codes(text)
        false_positives += len(found)
        if found:
            mistakes.append(f"near miss raised {sorted(found)}: {text[:90]}")
    recall = true_positives / (true_positives + false_negatives)
    precision = true_positives / (true_positives + false_positives)
    return recall, precision, mistakes


def test_the_corpus_is_big_enough_and_labels_only_known_codes():
    assert len(FIRES) >= 40 and len(NEAR_MISSES) >= 40
    assert {code for codes, _ in FIRES for code in codes} <= set(CODES)


def test_every_sentence_level_rule_has_examples_in_the_corpus():
    labelled = {code for codes, _ in FIRES for code in codes}
    assert set(CODES) - labelled == {"NO_REFERENCES", "MISSING_SECTION"}  # article-level: tested apart


def test_the_checks_find_what_the_corpus_labels_with_recall_and_precision_of_at_least_0_9():
    recall, precision, mistakes = score()
    print(f"\ncorpus: {len(FIRES)} labelled, {len(NEAR_MISSES)} near misses; "
          f"recall {recall:.3f}, precision {precision:.3f}")
    for mistake in mistakes:
        print("  " + mistake)
    assert recall >= MIN_RECALL
    assert precision >= MIN_PRECISION



# --- The development corpus of real pages (../shared/checks-corpus/), when it is present ---

REAL_CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "checks-corpus"


@pytest.mark.skipif(not (REAL_CORPUS / "labels.json").exists(), reason="../shared/checks-corpus/ is not here")
def test_the_checks_score_at_least_0_9_recall_and_precision_on_real_pages_nobody_here_wrote():
    substance = ArticleType.objects.get(key="substance")
    scored = score_corpus(REAL_CORPUS, lambda content: run_checks(content, substance))
    hits, misses, alarms = scored.figures()
    print(f"\nreal corpus: {len(scored.files)} files, {hits} found, {misses} missed, {alarms} false alarms; "
          f"recall {scored.recall():.2f}, precision {scored.precision():.2f}")
    for item in scored.files:
        if item.misses or item.false_alarms:
            print(f"  {item.name}: missed {sorted(item.misses)}, false alarms {sorted(item.false_alarms)}")
    assert scored.recall() >= MIN_RECALL
    assert scored.precision() >= MIN_PRECISION
    # An error is a block on submission: on a good page, none that the labels forbid.
    errors = {rule.code for rule in RULES if rule.severity == "error"}
    good_pages = [item for item in scored.files if item.name.startswith("quality/")]
    assert all(not (item.false_alarms & errors) for item in good_pages), [
        (item.name, sorted(item.false_alarms & errors)) for item in good_pages]
