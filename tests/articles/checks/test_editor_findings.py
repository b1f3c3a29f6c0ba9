"""The automated checks in the editor: each finding under its field, refreshed on every save and by
the live check."""
from django.urls import reverse

from reviews.editing import finding_waive
from tests.desk.test_editorial_views import editor_post
from tests.factories import SECTION_TEXT, make_draft, make_writer

FLAGGED = "Take two capsules with breakfast."


def findings_under(page: str, field: str) -> str:
    return page.split(f'data-findings-for="{field}"')[1].split("</ul>")[0]


def test_the_editor_lists_each_finding_under_its_field(client):
    writer = make_writer()
    article = make_draft(writer, body=f"<p>{FLAGGED}</p>", sections={
        **{key: f"<p>{text}</p>" for key, text in SECTION_TEXT.items()},
        "alternatives": f"<p>{SECTION_TEXT['alternatives']} Studies show it beats every other option.</p>"})
    client.force_login(writer)
    page = client.get(reverse("desk:edit", args=[article.pk])).content.decode()
    body = findings_under(page, "body")
    assert "A dose or dosing frequency needs a source" in body and FLAGGED in body
    alternatives = page.split('data-section="alternatives"')[1].split('data-section="')[0]
    assert "This appeals to research without naming it." in findings_under(alternatives, "alternatives")
    assert 'data-findings-for="title" hidden' in page
    # Under the field itself: the body's list follows the body's textarea, before the next field.
    assert page.index('id="field-body"') < page.index('data-findings-for="body"') < page.index("Safety sections")


def test_a_refused_save_shows_the_findings_of_the_text_just_typed(client):
    writer = make_writer()
    article = make_draft(writer)
    client.force_login(writer)
    page = client.post(reverse("desk:edit", args=[article.pk]), editor_post(
        article, title="", body=f"<p>{FLAGGED}</p>")).content.decode()
    assert "This field is required." in page  # refused: the title is missing
    assert FLAGGED in findings_under(page, "body")


def test_saving_refreshes_the_findings_shown_at_the_field(client):
    writer = make_writer()
    article = make_draft(writer, body=f"<p>{FLAGGED}</p>")
    client.force_login(writer)
    response = client.post(reverse("desk:edit", args=[article.pk]), editor_post(
        article, body="<p>Valerian is a plant whose root is sold as a sleep aid.</p>"))
    assert response.status_code == 302
    page = client.get(reverse("desk:edit", args=[article.pk])).content.decode()
    assert 'data-findings-for="body" hidden' in page
    assert FLAGGED not in page.split('id="field-body"')[1].split("Safety sections")[0].split("</textarea>")[1]


def test_the_editor_shows_a_recorded_reason_with_its_finding(client):
    writer = make_writer()
    article = make_draft(writer, body=f"<p>{FLAGGED}</p>")
    finding_waive(article=article, by=writer, code="DOSE_UNSOURCED", field="body", excerpt=FLAGGED,
                  reason="The label's own dose, cited in the dosing section.")
    client.force_login(writer)
    page = client.get(reverse("desk:edit", args=[article.pk])).content.decode()
    assert "Reason recorded: The label&#x27;s own dose, cited in the dosing section." in findings_under(page, "body")


def test_the_live_check_returns_each_finding_with_its_field(client):
    client.force_login(make_writer())
    data = editor_post(body=f"<p>{FLAGGED}</p>", summary="Buy our valerian drops today.")
    findings = client.post(reverse("desk:gate"), data).json()["findings"]
    assert [(f["field"], f["code"], f["severity"]) for f in findings] == [
        ("summary", "COMMERCIAL_CTA", "error"), ("body", "DOSE_UNSOURCED", "error")]
    assert findings[1]["excerpt"] == FLAGGED and findings[1]["reason"] == ""


def test_the_live_check_on_an_article_brings_its_recorded_reasons(client):
    writer = make_writer()
    article = make_draft(writer, body=f"<p>{FLAGGED}</p>")
    finding_waive(article=article, by=writer, code="DOSE_UNSOURCED", field="body", excerpt=FLAGGED,
                  reason="Quoted from the label.")
    client.force_login(writer)
    url = reverse("desk:gate") + f"?article={article.pk}"
    [finding] = client.post(url, editor_post(article, body=f"<p>{FLAGGED}</p>")).json()["findings"]
    assert finding["reason"] == "Quoted from the label."
    assert client.post(reverse("desk:gate") + f"?article={article.pk}", editor_post(article)).status_code == 200
    client.force_login(make_writer())
    assert client.post(url, editor_post(article)).status_code == 404
