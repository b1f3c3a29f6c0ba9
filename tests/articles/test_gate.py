"""The submission gate, per article type, as DESIGN.md's table defines it."""
import pytest
from django.core.exceptions import ValidationError

from articles.errors import GateFailed, TransitionRefused
from articles.gate import gate_failures
from articles.models import Article, ArticleType, AuditEntry
from reviews.workflow import article_approve, article_submit
from tests.factories import as_reviewed, ALL_YES, complete_content, make_draft, make_in_review, make_reviewer, words

ALL_SECTIONS = (
    "evidence_summary", "side_effects", "interactions", "who_should_avoid", "dependence_withdrawal",
    "overdose_toxicity", "legal_status", "dosing_statement", "alternatives", "when_to_seek_help",
)

# DESIGN.md, "The submission gate": req / opt / - per type, copied column by column.
REQUIRED = {
    "substance": {"evidence_summary", "side_effects", "interactions", "who_should_avoid",
                  "dependence_withdrawal", "overdose_toxicity", "legal_status", "dosing_statement",
                  "when_to_seek_help"},
    "condition": {"evidence_summary", "alternatives", "when_to_seek_help"},
    "treatment": {"evidence_summary", "side_effects", "interactions", "who_should_avoid", "legal_status",
                  "alternatives", "when_to_seek_help"},
    "wellness": {"evidence_summary", "who_should_avoid", "when_to_seek_help"},
}
OPTIONAL = {
    "substance": {"alternatives"},
    "condition": set(),
    "treatment": {"dependence_withdrawal", "overdose_toxicity", "dosing_statement"},
    "wellness": {"side_effects", "interactions", "alternatives"},
}
MIN_REFERENCES = {"substance": 3, "condition": 1, "treatment": 1, "wellness": 1}
TYPES = sorted(REQUIRED)

REQUIRED_PAIRS = [(t, key) for t in TYPES for key in sorted(REQUIRED[t])]
NOT_REQUIRED_PAIRS = [(t, key) for t in TYPES for key in ALL_SECTIONS if key not in REQUIRED[t]]


def article_type(key):
    return ArticleType.objects.get(key=key)


def failing_fields(content, type_key):
    return [failure.field for failure in gate_failures(content, article_type(type_key))]


def with_section(type_key, key, html):
    content = complete_content(type_key)
    return complete_content(type_key, sections={**content.sections, key: html})


def without_sections(type_key, *keys):
    content = complete_content(type_key)
    return complete_content(type_key, sections={k: v for k, v in content.sections.items() if k not in keys})


# --- The default types are the design's table ---

@pytest.mark.parametrize("type_key", TYPES)
def test_the_default_type_requires_the_sections_in_the_design_table(type_key):
    assert set(article_type(type_key).required_sections) == REQUIRED[type_key]


@pytest.mark.parametrize("type_key", TYPES)
def test_the_default_type_offers_the_optional_sections_in_the_design_table(type_key):
    assert set(article_type(type_key).optional_sections) == OPTIONAL[type_key]


@pytest.mark.parametrize("type_key", TYPES)
def test_the_default_type_needs_the_design_minimum_of_references(type_key):
    assert article_type(type_key).min_references == MIN_REFERENCES[type_key]


# --- (a) complete content passes ---

@pytest.mark.parametrize("type_key", TYPES)
def test_complete_content_passes_the_gate(type_key):
    assert failing_fields(complete_content(type_key), type_key) == []


@pytest.mark.parametrize("type_key", TYPES)
def test_content_with_only_the_required_sections_passes_the_gate(type_key):
    content = complete_content(type_key)
    only_required = {k: v for k, v in content.sections.items() if k in REQUIRED[type_key]}

    assert failing_fields(complete_content(type_key, sections=only_required), type_key) == []


# --- (b) every required section is required, and named when missing ---

@pytest.mark.parametrize("type_key, key", REQUIRED_PAIRS)
def test_a_missing_required_section_fails_the_gate_naming_it(type_key, key):
    assert failing_fields(without_sections(type_key, key), type_key) == [key]


@pytest.mark.parametrize("type_key, key", REQUIRED_PAIRS)
def test_an_empty_required_section_fails_the_gate_naming_it(type_key, key):
    assert failing_fields(with_section(type_key, key, "<p> </p>"), type_key) == [key]


# --- (c) sections optional or absent for the type are not required ---

@pytest.mark.parametrize("type_key, key", NOT_REQUIRED_PAIRS)
def test_a_section_not_required_for_the_type_may_be_left_out(type_key, key):
    assert failing_fields(without_sections(type_key, key), type_key) == []


# --- (d) references ---

@pytest.mark.parametrize("type_key", TYPES)
def test_one_reference_fewer_than_the_type_minimum_fails_the_gate(type_key):
    refs = complete_content(type_key).references[:MIN_REFERENCES[type_key] - 1]

    assert failing_fields(complete_content(type_key, references=refs), type_key) == ["references"]


@pytest.mark.parametrize("type_key", TYPES)
def test_exactly_the_type_minimum_of_references_passes_the_gate(type_key):
    refs = complete_content(type_key).references[:MIN_REFERENCES[type_key]]

    assert failing_fields(complete_content(type_key, references=refs), type_key) == []


# --- (e) summary ---

@pytest.mark.parametrize("summary", ["", "   "])
def test_an_article_without_a_summary_fails_the_gate(summary):
    assert failing_fields(complete_content("condition", summary=summary), "condition") == ["summary"]


# --- (f) content that says nothing ---

@pytest.mark.parametrize("html", [
    "TBD",
    "<p>TBD</p>",
    "<p>N/A</p>",
    "n/a",
    "<p>Lorem ipsum</p>",
    "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut "
    "labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris "
    "nisi ut aliquip ex ea commodo consequat.</p>",
])
def test_a_placeholder_in_a_required_section_fails_the_gate(html):
    assert failing_fields(with_section("wellness", "who_should_avoid", html), "wellness") == ["who_should_avoid"]


def test_a_required_section_of_24_words_fails_the_gate():
    assert failing_fields(with_section("condition", "alternatives", words(24)), "condition") == ["alternatives"]


def test_a_required_section_of_25_words_passes_the_gate():
    assert failing_fields(with_section("condition", "alternatives", words(25)), "condition") == []


@pytest.mark.parametrize("html", [
    "<p>Consult a healthcare professional.</p>",
    "<p>Please consult a healthcare professional.</p>",
    "<p>Consult a healthcare professional. Talk to your doctor. Ask your pharmacist. "
    "Speak with your healthcare provider. Check with your GP. See a medical professional.</p>",
])
def test_a_required_section_that_only_says_to_consult_a_professional_fails_the_gate(html):
    assert failing_fields(with_section("substance", "side_effects", html), "substance") == ["side_effects"]


def test_consult_a_professional_does_not_count_towards_the_word_minimum():
    html = words(20)[:-4] + " Consult a healthcare professional.</p>"

    assert failing_fields(with_section("substance", "interactions", html), "substance") == ["interactions"]


# --- (g) every failure at once ---

def test_the_gate_lists_every_failure_at_once_each_naming_its_field():
    base = complete_content("substance")
    sections = {k: v for k, v in base.sections.items() if k not in ("side_effects", "legal_status")}
    sections["dosing_statement"] = "<p>TBD</p>"
    content = complete_content("substance", summary="", references=base.references[:1], sections=sections)

    assert set(failing_fields(content, "substance")) == {
        "summary", "side_effects", "legal_status", "dosing_statement", "references",
    }


def test_the_gate_refusal_carries_a_message_for_each_field():
    article = make_draft(sections={}, summary="")

    with pytest.raises(GateFailed) as refused:
        article_submit(article=article, by=article.authors.first())

    by_field = refused.value.by_field()
    assert set(by_field) == {"summary"} | REQUIRED["substance"]
    assert all(messages and all(m.strip() for m in messages) for messages in by_field.values())


# --- The gate lives in the service layer ---

def test_submitting_directly_through_the_service_is_held_to_the_gate():
    article = make_draft(sections={"evidence_summary": complete_content().sections["evidence_summary"]})

    with pytest.raises(GateFailed):
        article_submit(article=article, by=article.authors.first())

    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert not AuditEntry.objects.filter(article=article).exists()


# --- Article types are data an editor changes ---

def test_an_editor_requiring_another_section_holds_back_articles_without_it():
    article = make_draft(type_key="wellness", sections={
        k: v for k, v in complete_content().sections.items() if k != "side_effects"})
    wellness = article_type("wellness")
    wellness.required_sections = [*wellness.required_sections, "side_effects"]
    wellness.optional_sections = [k for k in wellness.optional_sections if k != "side_effects"]
    wellness.full_clean()
    wellness.save()

    with pytest.raises(GateFailed) as refused:
        article_submit(article=article, by=article.authors.first())

    assert list(refused.value.by_field()) == ["side_effects"]


def test_an_editor_dropping_a_required_section_lets_articles_without_it_through():
    article = make_draft(type_key="condition", sections={
        k: v for k, v in complete_content().sections.items() if k != "alternatives"})
    condition = article_type("condition")
    condition.required_sections = [k for k in condition.required_sections if k != "alternatives"]
    condition.save()

    article_submit(article=article, by=article.authors.first())

    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_an_editor_raising_the_reference_minimum_holds_back_articles_below_it():
    article = make_draft(type_key="treatment")
    treatment = article_type("treatment")
    treatment.min_references = 5
    treatment.save()

    with pytest.raises(GateFailed) as refused:
        article_submit(article=article, by=article.authors.first())

    assert list(refused.value.by_field()) == ["references"]


def test_approval_is_refused_when_the_type_changed_under_an_article_in_review():
    """The gate is checked again at approval, so a stricter type applies to articles already waiting."""
    article = make_in_review(type_key="wellness", sections={
        k: v for k, v in complete_content().sections.items() if k != "interactions"})
    wellness = article_type("wellness")
    wellness.required_sections = [*wellness.required_sections, "interactions"]
    wellness.optional_sections = [k for k in wellness.optional_sections if k != "interactions"]
    wellness.save()

    with pytest.raises(TransitionRefused) as refused:
        article_approve(**as_reviewed(article), by=make_reviewer(), checklist=dict(ALL_YES), rating=4)

    assert "interactions" in refused.value.by_field()


def test_an_article_type_cannot_require_a_section_that_does_not_exist():
    wellness = article_type("wellness")
    wellness.required_sections = [*wellness.required_sections, "horoscope"]

    with pytest.raises(ValidationError):
        wellness.full_clean()
