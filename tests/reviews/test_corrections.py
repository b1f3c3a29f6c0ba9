"""Corrections: a minor note shows at once; a medical one waits for the review of the change."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.errors import NotAllowed
from articles.models import AuditEntry, Correction
from public.selectors import visible_corrections
from reviews.editing import correction_add, correction_approve, correction_withdraw
from reviews.workflow import article_approve, article_submit
from tests.factories import as_reviewed, ALL_YES, edit_article, make_draft, make_editor, make_published, make_reviewer, make_writer


def test_a_minor_correction_is_shown_to_readers_once_another_reviewer_has_read_it_and_logged():
    writer = make_writer()
    article = make_published(writer)
    note = correction_add(article=article, by=writer, kind="minor", note="Fixed a broken link to the NHS page.")
    assert list(visible_corrections(article.live_publication)) == []
    correction_approve(correction=note, by=make_reviewer())
    shown = list(visible_corrections(article.live_publication))
    assert [c.note for c in shown] == ["Fixed a broken link to the NHS page."]
    assert AuditEntry.objects.filter(article=article, action="correction_minor").exists()
    assert AuditEntry.objects.filter(article=article, action="correction_reviewed").exists()


def test_a_writer_cannot_approve_their_own_note_and_a_writer_cannot_approve_any():
    writer = make_writer()
    article = make_published(writer)
    note = correction_add(article=article, by=writer, kind="minor", note="Fixed a typo.")
    with pytest.raises(NotAllowed):
        correction_approve(correction=note, by=writer)
    with pytest.raises(NotAllowed):
        correction_approve(correction=note, by=make_writer())
    editor_note = correction_add(article=article, by=make_editor(), kind="minor", note="Fixed a heading.")
    with pytest.raises(NotAllowed):
        correction_approve(correction=editor_note, by=editor_note.created_by)


def test_a_note_is_withdrawn_with_a_reason_and_readers_no_longer_see_it():
    writer = make_writer()
    article = make_published(writer)
    note = correction_add(article=article, by=writer, kind="minor", note="Fixed a broken link.")
    correction_approve(correction=note, by=make_reviewer())
    with pytest.raises(ValidationError):
        correction_withdraw(correction=note, by=writer, reason="  ")
    correction_withdraw(correction=note, by=writer, reason="The link was right after all.")
    assert list(visible_corrections(article.live_publication)) == []
    row = AuditEntry.objects.get(article=article, action="correction_withdrawn")
    assert "The link was right after all." in row.comment


def test_a_medical_note_is_part_of_what_the_reviewer_signs():
    writer = make_writer()
    article = make_published(writer)
    correction_add(article=article, by=writer, kind="medical", note="The maximum dose was corrected.")
    article = edit_article(article, writer, summary="A corrected summary of the safe dose.")
    article_submit(article=article, by=writer)
    article_approve(by=make_reviewer(), checklist=ALL_YES, rating=4, **as_reviewed(article))
    row = AuditEntry.objects.filter(article=article, action="approve").order_by("-id").first()
    assert [c["note"] for c in row.details["signature"]["corrections"]] == ["The maximum dose was corrected."]


def test_no_correction_on_a_scheduled_article_that_was_never_live():
    from datetime import timedelta

    from django.utils import timezone
    writer = make_writer()
    article = make_draft(writer)
    article_submit(article=article, by=writer)
    article_approve(by=make_reviewer(), checklist=ALL_YES, rating=4, go_live_at=timezone.now() + timedelta(days=2),
                    **as_reviewed(article))
    article.refresh_from_db()
    assert article.status == "scheduled"
    with pytest.raises(ValidationError, match="never live"):
        correction_add(article=article, by=writer, kind="minor", note="A typo.")


def test_a_medical_correction_waits_for_the_review_of_the_change():
    writer = make_writer()
    reviewer = make_reviewer()
    article = make_published(writer)
    correction_add(article=article, by=writer, kind="medical",
                   note="The maximum dose was wrong and has been corrected.")
    assert list(visible_corrections(article.live_publication)) == []
    article = edit_article(article, writer, summary="A corrected summary of the safe dose.")
    article_submit(article=article, by=writer)
    article_approve(**as_reviewed(article), by=reviewer, checklist=dict(ALL_YES), rating=4)
    article.refresh_from_db()
    shown = list(visible_corrections(article.live_publication))
    assert [c.kind for c in shown] == ["medical"]
    assert Correction.objects.get().publication == article.live_publication


def test_the_reviewer_sees_the_medical_correction_note_beside_the_diff(client):
    writer = make_writer()
    article = make_published(writer)
    correction_add(article=article, by=writer, kind="medical", note="Interactions with warfarin added.")
    article = edit_article(article, writer, summary="Now with warfarin.")
    article_submit(article=article, by=writer)
    client.force_login(make_reviewer("second_reviewer"))
    page = client.get(reverse("desk:review", args=[article.pk])).content.decode()
    assert "Interactions with warfarin added." in page


def test_a_correction_needs_a_note_and_a_published_article():
    writer = make_writer()
    with pytest.raises(ValidationError):
        correction_add(article=make_draft(writer), by=writer, kind="minor", note="Typo fixed.")
    with pytest.raises(ValidationError):
        correction_add(article=make_published(writer), by=writer, kind="minor", note="   ")


def test_only_writers_of_the_article_and_editors_record_corrections():
    article = make_published()
    with pytest.raises(NotAllowed):
        correction_add(article=article, by=make_writer(), kind="minor", note="Not mine to correct.")


def test_the_desk_records_a_correction_without_javascript(client):
    writer = make_writer()
    article = make_published(writer)
    client.force_login(writer)
    page = client.get(reverse("desk:article", args=[article.pk])).content.decode()
    assert "Record a correction for readers" in page
    client.post(reverse("desk:correction_new", args=[article.pk]), {"kind": "minor", "note": "Typo in the title."})
    assert Correction.objects.get().note == "Typo in the title."


def test_the_public_page_and_its_json_ld_list_the_corrections(client):
    import json
    import re

    writer = make_writer()
    article = make_published(writer)
    note = correction_add(article=article, by=writer, kind="minor", note="Fixed the spelling of a drug name.")
    correction_approve(correction=note, by=make_reviewer())
    page = client.get(f"/articles/{article.slug}/").content.decode()
    log = page.split('id="corrections"')[1].split("</section>")[0]
    assert "(minor change): Fixed the spelling of a drug name." in log
    data = json.loads(re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert [c["text"] for c in data["correction"]] == ["Fixed the spelling of a drug name."]


# --- On the desk ---

def test_a_reviewer_approves_a_minor_note_on_the_desk_and_its_writer_cannot(client):
    writer = make_writer()
    article = make_published(writer)
    note = correction_add(article=article, by=writer, kind="minor", note="Fixed a typo in a heading.")
    client.force_login(writer)
    page = client.get(reverse("desk:article", args=[article.pk])).content.decode()
    assert "waiting for a reviewer or an editor to read it" in page and "Approve the note" not in page
    assert client.post(reverse("desk:correction_approve", args=[note.pk])).status_code == 403
    client.force_login(make_reviewer())
    response = client.post(reverse("desk:correction_approve", args=[note.pk]), follow=True)
    assert "Note approved: readers see it now." in response.content.decode()
    assert Correction.objects.get(pk=note.pk).published_at is not None


def test_a_writer_withdraws_a_note_on_the_desk_and_a_reason_is_required(client):
    writer = make_writer()
    article = make_published(writer)
    note = correction_add(article=article, by=writer, kind="medical", note="The dose was corrected.")
    client.force_login(writer)
    refused = client.post(reverse("desk:correction_withdraw", args=[note.pk]), {"reason": " "}, follow=True)
    assert "Say why the note is withdrawn." in refused.content.decode()
    done = client.post(reverse("desk:correction_withdraw", args=[note.pk]), {"reason": "Recorded twice."}, follow=True)
    assert "Note withdrawn" in done.content.decode()
    assert "withdrawn" in done.content.decode() and "Recorded twice." in done.content.decode()


def test_a_note_on_an_article_someone_may_not_see_is_404(client):
    writer = make_writer()
    article = make_published(writer)
    note = correction_add(article=article, by=writer, kind="minor", note="A typo.")
    other = make_writer()
    client.force_login(other)
    assert client.post(reverse("desk:correction_approve", args=[note.pk])).status_code in (403, 404)
