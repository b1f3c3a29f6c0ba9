"""Unpublishing from the desk: a confirmation page that shows what readers lose and asks why, then
an email to the authors with the reason and who unpublished it."""
import pytest
from django.core import mail
from django.urls import reverse

from articles.errors import Failure, TransitionRefused
from articles.models import Article
from reviews.models import NotificationOptOut
from tests.factories import make_editor, make_published, make_reviewer, make_writer
from tests.public.html import parse


def page_text(response) -> str:
    return parse(response.content.decode()).text()


@pytest.fixture
def published():
    writer = make_writer("lena", first_name="Lena", last_name="Writer", email="lena@example.org")
    return make_published(writer, make_reviewer(first_name="Rita", last_name="Osei", credentials="MD"),
                          title="Kava & anxiety")


def test_the_unpublish_button_leads_to_a_confirmation_page_showing_the_live_version(client, published):
    client.force_login(make_editor())
    workspace = parse(client.get(reverse("desk:article", args=[published.pk])).content.decode())
    [form] = [f for f in workspace.find_all("form") if f.attrs.get("action") == reverse("desk:unpublish",
                                                                                         args=[published.pk])]
    assert form.attrs["method"] == "get" and "Unpublish" in form.text()

    confirm = parse(client.get(reverse("desk:unpublish", args=[published.pk])).content.decode())
    facts = dict(zip([dt.text() for dt in confirm.find_all("dt")], [dd.text() for dd in confirm.find_all("dd")]))
    assert facts["Readers see"] == "Kava & anxiety"
    assert facts["Medically reviewed by"].startswith("Rita Osei, MD, on ")
    assert facts["Live since"]
    assert "Yes, unpublish" in confirm.text()
    assert Article.objects.get(pk=published.pk).live_publication_id is not None


def test_unpublishing_needs_a_reason(client, published):
    client.force_login(make_editor())
    response = client.post(reverse("desk:unpublish", args=[published.pk]), {"reason": "   "})
    assert response.status_code == 200
    assert "Why it is being unpublished: This field is required." in page_text(response)
    assert Article.objects.get(pk=published.pk).live_publication_id is not None
    assert client.get(published.get_absolute_url()).status_code == 200


def test_a_refused_unpublish_keeps_the_typed_reason(client, published, monkeypatch):
    def refuse(**kwargs):
        raise TransitionRefused([Failure("reason", "Say more about why.", "reason_missing")])

    monkeypatch.setattr("desk.views.review.article_unpublish", refuse)
    client.force_login(make_editor())
    response = client.post(reverse("desk:unpublish", args=[published.pk]), {"reason": "Dose advice is stale"})
    assert "Say more about why." in page_text(response)
    assert parse(response.content.decode()).find_all("textarea", name="reason")[0].text() == "Dose advice is stale"


def test_unpublishing_takes_the_article_down_and_mails_the_authors_the_reason(client, published,
                                                                             django_capture_on_commit_callbacks):
    client.force_login(make_editor(first_name="Eddie", last_name="Tor"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("desk:unpublish", args=[published.pk]),
                               {"reason": "The dosing advice is out of date & under review."}, follow=True)
    assert "Unpublished. Readers now get a 404" in page_text(response)
    assert client.get(published.get_absolute_url()).status_code == 404

    [message] = mail.outbox
    assert message.to == ["lena@example.org"]
    # Plain text: written as typed, not HTML-escaped.
    assert message.subject == "Unpublished: Kava & anxiety"
    assert 'Eddie Tor unpublished "Kava & anxiety"' in message.body
    assert "The dosing advice is out of date & under review." in message.body
    assert f"/editorial/articles/{published.pk}/" in message.body


def test_an_author_who_turned_these_emails_off_hears_nothing(client, published, django_capture_on_commit_callbacks):
    NotificationOptOut.objects.create(user=published.authors.get(), category="unpublished")
    client.force_login(make_editor())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("desk:unpublish", args=[published.pk]), {"reason": "Out of date."})
    assert Article.objects.get(pk=published.pk).live_publication_id is None
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["author", "reviewer"])
def test_only_editors_reach_the_confirmation_page(client, published, who):
    client.force_login(published.authors.get() if who == "author" else make_reviewer())
    assert client.get(reverse("desk:unpublish", args=[published.pk])).status_code == 403
    client.post(reverse("desk:unpublish", args=[published.pk]), {"reason": "Out of date."})
    assert Article.objects.get(pk=published.pk).live_publication_id is not None


def test_an_article_that_is_no_longer_live_is_not_unpublished_twice(client, published):
    client.force_login(make_editor())
    client.post(reverse("desk:unpublish", args=[published.pk]), {"reason": "Out of date."})
    response = client.post(reverse("desk:unpublish", args=[published.pk]), {"reason": "Again."}, follow=True)
    assert "This article is not live: there is nothing to unpublish." in page_text(response)
