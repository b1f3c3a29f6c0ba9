"""A refusal is a page in the site's layout that says why and what to do, not a bare 403."""
from django.test import Client
from django.urls import reverse

from tests.factories import make_draft, make_reviewer, make_writer
from tests.public.html import parse


def test_a_reviewer_refused_the_new_article_form_sees_why_and_what_to_do(client):
    reviewer = make_reviewer()
    client.force_login(reviewer)

    response = client.get(reverse("desk:new"))

    assert response.status_code == 403
    page = parse(response.content.decode())
    assert page.find("link", rel="stylesheet") is not None  # the site's layout, styled
    assert "Only writers and editors can create articles." in page.find("p", **{"class": "refusal-reason"}).text()
    assert "ask an editor to check your roles" in page.text()
    assert page.find("a", href=reverse("desk:dashboard")) is not None


def test_a_form_post_without_its_csrf_token_gets_the_expired_form_page():
    csrf_client = Client(enforce_csrf_checks=True)
    writer = make_writer()
    csrf_client.force_login(writer)

    response = csrf_client.post(reverse("desk:new"), {"title": "Melatonin"})

    assert response.status_code == 403
    text = parse(response.content.decode()).text()
    assert "This form has expired" in text
    assert "Nothing was saved." in text


def test_a_refused_submission_shows_one_message_and_each_failure_once(client):
    writer = make_writer()
    article = make_draft(writer, sections={}, references=[])
    client.force_login(writer)

    page = parse(client.post(reverse("desk:submit", args=[article.pk]), follow=True).content.decode())

    boxes = page.find("div", **{"class": "messages"}).find_all("p")
    assert len(boxes) == 1
    assert "The article does not pass the submission gate" in boxes[0].text()
    failures = [li.text().strip() for li in page.find("ul", **{"class": "gate-failures"}).find_all("li")]
    assert len(failures) >= 3  # sections and references are missing
    text = page.text()
    for failure in failures:
        assert text.count(failure) == 1, failure


def test_a_blank_new_article_form_shows_what_submission_needs_and_no_errors(client):
    client.force_login(make_writer())

    page = parse(client.get(reverse("desk:new")).content.decode())

    assert page.find_all(cls="finding-error") == []
    assert page.find_all(cls="error-summary") == []
    panel = page.find("section", **{"class": "gate"})
    assert "To be submitted for medical review, the article will need:" in panel.text()
    assert "Not yet" not in panel.text()
    assert "The article needs a title." in panel.text()


def test_a_refused_new_article_form_shows_its_findings(client):
    client.force_login(make_writer())

    page = client.post(reverse("desk:new"), {"title": "", "article_type": "substance"}).content.decode()

    assert "Not yet:" in page
