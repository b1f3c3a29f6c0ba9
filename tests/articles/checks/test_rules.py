"""The rule engine: fields, citations, article-level rules, and content that must stay clean."""
import dataclasses

from articles.checks import RULES, Severity, fingerprint, missing_sections, run_checks
from articles.content import ArticleContent
from articles.models import ArticleType
from cms.demo_content import INSOMNIA, MELATONIN
from tests.factories import complete_content


def substance():
    return ArticleType.objects.get(key="substance")


def codes_at(content, field=None):
    return [(f.field, f.code) for f in run_checks(content, substance()) if field is None or f.field == field]


def test_every_rule_has_a_code_a_severity_and_a_message():
    assert len({rule.code for rule in RULES}) == len(RULES)
    for rule in RULES:
        assert rule.severity in (Severity.ERROR, Severity.WARNING)
        assert rule.message.endswith(".")


def test_the_factory_article_raises_no_finding_of_any_type_for_every_article_type():
    for key in ("substance", "condition", "treatment", "wellness"):
        assert run_checks(complete_content(key), ArticleType.objects.get(key=key)) == []


def test_the_demo_articles_that_seed_demo_submits_raise_no_errors():
    for spec in (MELATONIN, INSOMNIA):
        content = ArticleContent(title=spec["title"], summary=spec["summary"], body=spec["body"],
                                 article_type_key=spec["type"], sections=dict(spec["sections"]),
                                 references=[dict(ref) for ref in spec["references"]])
        findings = run_checks(content, ArticleType.objects.get(key=spec["type"]))
        assert [f for f in findings if f.is_error] == []


def test_potent_is_matched_as_a_whole_word_so_potential_and_potency_pass():
    assert codes_at(complete_content(body="<p>The potential benefit is small and potency varies [1].</p>"),
                    "body") == []
    assert codes_at(complete_content(body="<p>It is a potent sleep aid.</p>"), "body") == [
        ("body", "ABSOLUTE_EFFICACY")]


def test_a_citation_counts_only_when_its_number_is_one_of_the_articles_references():
    three_references = complete_content(body="<p>The usual dose is 3 mg at night [3].</p>")
    assert codes_at(three_references, "body") == []
    two_references = dataclasses.replace(three_references, references=three_references.references[:2])
    assert codes_at(two_references, "body") == [("body", "DOSE_UNSOURCED")]


def test_a_marker_after_the_full_stop_still_cites_its_sentence():
    content = complete_content(body="<p>The usual dose is 3 mg at night. [2] It is taken with water.</p>")
    assert codes_at(content, "body") == []


def test_each_finding_names_the_field_its_text_is_in():
    content = complete_content(
        title="A guaranteed way to sleep",
        summary="Studies show it works.",
        sections={**complete_content().sections, "interactions": (
            "<p>Combine kava with wine for a stronger effect. It can strengthen blood thinners such as warfarin "
            "and sedating medicines, and alcohol adds to the drowsiness, so tell a pharmacist what you take.</p>")},
    )
    assert codes_at(content) == [("title", "ABSOLUTE_EFFICACY"), ("summary", "RESEARCH_WITHOUT_REFERENCE"),
                                 ("interactions", "ROUTINE_OR_COMBINATION_USE")]


def test_the_excerpt_is_the_flagged_sentence():
    content = complete_content(body="<p>Sleep matters. Take two tablets at night. Rest well.</p>")
    [finding] = run_checks(content, substance())
    assert finding.excerpt == "Take two tablets at night."


def test_no_references_is_an_error_on_the_references_field():
    [finding] = [f for f in run_checks(complete_content(references=[]), substance()) if f.code == "NO_REFERENCES"]
    assert (finding.field, finding.severity, finding.excerpt) == ("references", "error", "")


def test_missing_section_is_one_finding_per_failing_required_section_with_the_gates_message():
    sections = {**complete_content().sections, "side_effects": "<p>TBD</p>"}
    del sections["legal_status"]
    findings = run_checks(complete_content(sections=sections), substance())
    missing = [f for f in findings if f.code == "MISSING_SECTION"]
    assert missing_sections(findings) == ["side_effects", "legal_status"]
    assert missing[0].message == 'The required section "Side effects" holds a placeholder, not content.'
    assert missing[0].excerpt == "TBD"
    assert not missing[0].waivable


def test_missing_sections_are_not_judged_without_an_article_type():
    assert run_checks(complete_content(sections={})) == []


def test_duplicate_paragraphs_are_found_across_fields_but_headings_are_skipped():
    paragraph = ("Poor sleep is common in later life and usually has several causes at once, including "
                 "pain, low mood and the side effects of medicines taken for other conditions.")
    content = complete_content(
        body=f"<h2>Sleep in later life</h2><p>{paragraph}</p><h2>Sleep in later life</h2>",
        sections={**complete_content().sections, "alternatives": f"<p>{paragraph}</p>"},
    )
    findings = [f for f in run_checks(content, substance()) if f.code == "DUPLICATE_PARAGRAPH"]
    assert [(f.field, f.severity) for f in findings] == [("alternatives", "warning")]
    assert '"Body"' in findings[0].message


def test_a_dated_list_of_other_posts_is_one_boilerplate_finding():
    body = ("<p>Text.</p><ul><li>How to choose a pillow - May 2, 2025</li>"
            "<li>Best hikes near the coast - April 30, 2025</li></ul>")
    findings = [f for f in run_checks(complete_content(body=body), substance()) if f.field == "body"]
    assert [f.code for f in findings] == ["OFF_TOPIC_BOILERPLATE"]
    assert "How to choose a pillow" in findings[0].excerpt and "Best hikes" in findings[0].excerpt


def test_warnings_are_waivable_in_principle_but_never_errors():
    warnings = {rule.code for rule in RULES if rule.severity == Severity.WARNING}
    assert warnings == {"ABSOLUTE_EFFICACY", "PROMISE_HEDGE", "ANECDOTE_AS_EVIDENCE", "VAGUE_RISK",
                        "KEYWORD_STUFFING", "DUPLICATE_PARAGRAPH"}


def test_the_fingerprint_changes_when_the_flagged_text_changes_but_not_with_spacing():
    assert fingerprint("Take two tablets.") == fingerprint("Take  two\ntablets.")
    assert fingerprint("Take two tablets.") != fingerprint("Take three tablets.")
