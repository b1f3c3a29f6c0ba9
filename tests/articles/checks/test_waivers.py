"""An error finding blocks submission until it is fixed or a writer records a reason; the reason is
audited and shown to the reviewer. Warnings never block."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from reviews.editing import finding_waive
from articles.errors import GateFailed, InvalidTransition, NotAllowed, TransitionRefused
from articles.models import Article, AuditEntry, FindingWaiver
from reviews.workflow import article_submit
from tests.factories import edit_article, make_draft, make_reviewer, make_writer

FLAGGED = "Adults take two tablets at night."
REASON = "Two tablets is the dose printed on the licensed product's label, quoted in the dosing section."


@pytest.fixture
def writer():
    return make_writer()


@pytest.fixture
def article(writer):
    return make_draft(writer, body=f"<p>Melatonin is a hormone. {FLAGGED}</p>")


def waive(article, by, reason=REASON, excerpt=FLAGGED, code="DOSE_UNSOURCED", field="body"):
    return finding_waive(article=article, by=by, code=code, field=field, excerpt=excerpt, reason=reason)


def test_submission_is_refused_while_an_error_finding_has_no_recorded_reason(article, writer):
    with pytest.raises(TransitionRefused) as refusal:
        article_submit(article=article, by=writer)
    assert not isinstance(refusal.value, GateFailed)
    [failure] = refusal.value.failures
    assert (failure.field, failure.rule) == ("body", "DOSE_UNSOURCED")
    assert failure.message.startswith("Body: A dose or dosing frequency needs a source")
    assert FLAGGED in failure.message
    assert Article.objects.get(pk=article.pk).status == "draft"


def test_the_gate_is_judged_first_and_keeps_its_own_refusal(writer):
    article = make_draft(writer, body=f"<p>{FLAGGED}</p>", sections={})
    with pytest.raises(GateFailed) as refusal:
        article_submit(article=article, by=writer)
    assert "DOSE_UNSOURCED" not in {failure.rule for failure in refusal.value.failures}


def test_warnings_never_block_submission(writer):
    article = make_draft(writer, body="<p>Saffron shows great promise for lifting low mood.</p>")
    assert article_submit(article=article, by=writer).status == "in_review"


def test_submission_is_allowed_once_a_reason_is_recorded_and_the_reason_is_in_the_audit_log(article, writer):
    waiver = waive(article, writer)
    assert (waiver.code, waiver.field, waiver.excerpt, waiver.created_by) == ("DOSE_UNSOURCED", "body", FLAGGED, writer)
    assert article_submit(article=article, by=writer).status == "in_review"
    entry = AuditEntry.objects.get(article=article, action="waive_finding")
    assert entry.actor == writer
    assert (entry.from_status, entry.to_status) == ("draft", "draft")
    assert f'DOSE_UNSOURCED in Body ("{FLAGGED}"). Reason: {REASON}' == entry.comment


def test_a_reason_stops_counting_when_the_flagged_text_changes(article, writer):
    waive(article, writer)
    edit_article(article, writer, body="<p>Melatonin is a hormone. Adults take three tablets at night.</p>")
    with pytest.raises(TransitionRefused) as refusal:
        article_submit(article=Article.objects.get(pk=article.pk), by=writer)
    assert "three tablets" in refusal.value.failures[0].message


def test_a_reason_still_counts_when_other_text_changes(article, writer):
    waive(article, writer)
    edit_article(article, writer, title="A new title for the same text")
    assert article_submit(article=Article.objects.get(pk=article.pk), by=writer).status == "in_review"


@pytest.mark.parametrize("change, message", [
    ({"reason": "   "}, "Say why this text should stay as it is."),
    ({"excerpt": "Text the checks never flagged."}, "no longer report this"),
    ({"code": "MISSING_SECTION", "field": "legal_status", "excerpt": ""}, "no longer report this"),
])
def test_a_reason_is_refused_when_it_is_blank_or_answers_nothing_reported(article, writer, change, message):
    with pytest.raises(ValidationError, match=message):
        waive(article, writer, **change)
    assert not FindingWaiver.objects.exists()
    assert not AuditEntry.objects.filter(action="waive_finding").exists()


def test_a_warning_or_a_missing_section_cannot_be_answered_with_a_reason(writer):
    sections = {**make_draft().sections_dict(), "legal_status": "<p>TBD</p>"}
    article = make_draft(writer, body="<p>Saffron shows great promise for lifting low mood.</p>", sections=sections)
    with pytest.raises(ValidationError, match="warnings never block"):
        waive(article, writer, code="PROMISE_HEDGE", excerpt="Saffron shows great promise for lifting low mood.")
    with pytest.raises(ValidationError, match="answered by writing the section"):
        waive(article, writer, code="MISSING_SECTION", field="legal_status", excerpt="TBD")


def test_the_same_finding_cannot_be_answered_twice(article, writer):
    waive(article, writer)
    with pytest.raises(ValidationError, match="already recorded"):
        waive(article, writer, reason="A second reason.")


def test_only_the_articles_writers_and_editors_can_record_a_reason(article):
    with pytest.raises(NotAllowed):
        waive(article, make_writer())
    with pytest.raises(NotAllowed):
        waive(article, make_reviewer())


def test_no_reason_is_recorded_while_the_article_is_in_review(writer):
    article = make_draft(writer, body=f"<p>{FLAGGED} Take it twice a day with water.</p>")
    waive(article, writer)
    waive(article, writer, excerpt="Take it twice a day with water.")
    article_submit(article=article, by=writer)
    with pytest.raises(InvalidTransition):
        waive(Article.objects.get(pk=article.pk), writer, reason="A later thought.")
    assert FindingWaiver.objects.count() == 2


def test_reasons_are_never_edited():
    article = make_draft(body=f"<p>{FLAGGED}</p>")
    waiver = waive(article, article.authors.first())
    waiver.reason = "Rewritten later."
    with pytest.raises(ValidationError):
        waiver.save()


# --- Over HTTP: the workspace form (no JavaScript needed), submission, and the review page ---

def workspace(client, article):
    return client.get(reverse("desk:article", args=[article.pk])).content.decode()


def test_the_workspace_lists_each_error_with_a_form_to_record_a_reason(client, article, writer):
    client.force_login(writer)
    page = workspace(client, article)
    checks = page.split('id="checks"')[1].split("</section>")[0]
    assert "1 error to fix, or to answer with a reason, before submission." in checks
    assert FLAGGED in checks
    assert f'action="{reverse("desk:waive_finding", args=[article.pk])}"' in checks
    assert 'name="csrfmiddlewaretoken"' in checks
    assert f'name="excerpt" value="{FLAGGED}"' in checks
    assert 'textarea id="reason-1" name="reason"' in checks


def test_a_missing_section_is_listed_as_writing_to_do_with_no_reason_box(client, writer):
    article = make_draft(writer, sections={**make_draft().sections_dict(), "legal_status": "<p>TBD</p>"})
    client.force_login(writer)
    page = workspace(client, article)
    checks = page.split('id="checks"')[1].split("</section>")[0]
    assert "No error needs a reason before submission; 1 required section to write." in checks
    assert 'name="reason"' not in checks
    # The section itself is listed once, in the gate panel above, linked to its field.
    gate = page.split('data-gate-panel')[1].split("</section>")[0]
    assert "Legal status" in gate and "#field-section_legal_status" in gate


def test_a_writer_records_a_reason_over_http_then_submits(client, article, writer):
    client.force_login(writer)
    refused = client.post(reverse("desk:submit", args=[article.pk]), follow=True).content.decode()
    assert "The automated checks found errors that need a fix or a recorded reason" in refused
    assert Article.objects.get(pk=article.pk).status == "draft"

    response = client.post(reverse("desk:waive_finding", args=[article.pk]), {
        "code": "DOSE_UNSOURCED", "field": "body", "excerpt": FLAGGED, "reason": REASON})
    assert response.status_code == 302
    assert response.url == reverse("desk:article", args=[article.pk]) + "#checks"
    page = workspace(client, article)
    assert "Reason recorded." in page
    assert f"“{escape(REASON)}”" in page
    assert "Kept text a check flagged, with a reason by " in page  # the workflow log, in words

    submitted = client.post(reverse("desk:submit", args=[article.pk]), follow=True).content.decode()
    assert "Submitted for medical review." in submitted
    assert Article.objects.get(pk=article.pk).status == "in_review"


def test_a_refused_reason_is_reported_and_nothing_is_recorded(client, article, writer):
    client.force_login(writer)
    page = client.post(reverse("desk:waive_finding", args=[article.pk]), {
        "code": "DOSE_UNSOURCED", "field": "body", "excerpt": FLAGGED, "reason": ""}, follow=True).content.decode()
    assert "Say why this text should stay as it is." in page
    assert not FindingWaiver.objects.exists()


def test_recording_a_reason_needs_login_edit_rights_and_a_post(client, article):
    url = reverse("desk:waive_finding", args=[article.pk])
    data = {"code": "DOSE_UNSOURCED", "field": "body", "excerpt": FLAGGED, "reason": REASON}
    assert client.post(url, data).url.startswith(reverse("login"))
    client.force_login(make_writer())
    assert client.post(url, data).status_code == 404
    client.force_login(article.authors.first())
    assert client.get(url).status_code == 405
    assert not FindingWaiver.objects.exists()


def test_the_review_page_shows_the_findings_beside_the_diff_with_the_writers_reason(client, writer):
    warning = "Saffron shows great promise for lifting low mood."
    article = make_draft(writer, body=f"<p>{FLAGGED} {warning}</p>")
    waive(article, writer)
    article_submit(article=article, by=writer)
    client.force_login(make_reviewer())
    page = client.get(reverse("desk:review", args=[article.pk])).content.decode()
    assert page.index('class="review-diff"') < page.index('class="review-side"') < page.index('id="checks"')
    checks = page.split('id="checks"')[1].split("</section>")[0]
    assert "No error needs a reason before submission; 1 answered with a reason; 1 warning." in checks
    assert '<a href="#diff-body">Body</a>' in checks
    assert FLAGGED in checks and warning in checks
    assert f"<strong>Writer's reason</strong> ({writer.get_username()}," in checks
    assert f"“{escape(REASON)}”" in checks
    assert 'name="reason"' not in checks  # the reviewer reads reasons; writers record them
