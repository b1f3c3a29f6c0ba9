"""Readers report a problem with an article from its page: no login, no JavaScript, no CSRF token
(the page is cached and shared), a honeypot and a rate limit against spam."""
import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from reviews.models import ReaderFeedback
from reviews.workflow import article_unpublish
from tests.factories import make_draft, make_editor, make_published

from .html import parse

MESSAGE = "The interactions section does not mention grapefruit juice."


@pytest.fixture
def article():
    return make_published(title="Statins and grapefruit")


@pytest.fixture
def reader():
    # Like a browser: Django's test client skips CSRF checks unless asked not to.
    return Client(enforce_csrf_checks=True)


def feedback_url(article) -> str:
    return reverse("public:feedback", kwargs={"slug": article.slug})


def post(reader, article, **data):
    return reader.post(feedback_url(article), {"message": MESSAGE, **data})


def test_every_public_article_page_carries_the_form_without_a_csrf_token(client, article):
    page = parse(client.get(article.get_absolute_url()).content.decode())

    form = page.find("section", id="feedback").find("form")
    assert page.find("h2", id="feedback-heading").text() == "Report a problem with this page"
    assert (form.attrs["method"], form.attrs["action"]) == ("post", feedback_url(article))
    assert {field.attrs["name"] for field in form.find_all("input") + form.find_all("textarea")} == {
        "publication", "message", "email", "website"}
    live_id = Article.objects.get(pk=article.pk).live_publication_id
    assert form.find("input", name="publication").attrs["value"] == str(live_id)
    assert page.find("label", for_="feedback-message") and page.find("label", for_="feedback-email")
    assert not form.find_all("input", name="csrfmiddlewaretoken")


def test_the_editorial_preview_has_no_feedback_form(client, article):
    client.force_login(make_editor())
    html = client.get(reverse("desk:preview", args=[article.pk])).content.decode()

    assert 'id="feedback"' not in html


def test_a_reader_can_report_a_problem_without_logging_in(reader, article):
    response = post(reader, article, email="reader@example.org",
                    publication=str(Article.objects.get(pk=article.pk).live_publication_id))

    assert response.status_code == 303
    assert response["Location"] == reverse("public:feedback_thanks", kwargs={"slug": article.slug})
    feedback = ReaderFeedback.objects.get()
    assert (feedback.article_id, feedback.message, feedback.email) == (article.pk, MESSAGE, "reader@example.org")
    assert not response.cookies


def test_the_thank_you_page_needs_no_session_and_is_never_cached(reader, article):
    response = reader.get(post(reader, article)["Location"])

    assert response.status_code == 200
    assert "Thank you for your report" in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert not response.cookies


def test_an_empty_message_is_refused_and_the_form_keeps_the_email(reader, article):
    response = post(reader, article, message="   \n  ", email="reader@example.org")

    page = parse(response.content.decode())
    assert response.status_code == 400
    assert page.find("div", cls="error-summary").find_all("li")[0].text().endswith(
        "Describe the problem with this page before sending it.")
    assert [p.text() for p in page.find_all("p", cls="error-message")] == [
        "Describe the problem with this page before sending it."]
    assert page.find("input", name="email").attrs["value"] == "reader@example.org"
    assert "no-store" in response["Cache-Control"]
    assert not ReaderFeedback.objects.exists()


def test_an_over_long_message_is_refused_and_kept_as_typed(reader, article):
    typed = "The dose is wrong. " * 120  # 2,280 characters

    response = post(reader, article, message=typed, email="reader@example.org")

    page = parse(response.content.decode())
    assert response.status_code == 400
    assert page.find("p", cls="error-message").text() == "Keep your report to 2,000 characters (it has 2,279)."
    assert page.find("textarea", name="message").raw_text().strip() == typed.strip()
    assert not ReaderFeedback.objects.exists()


def test_what_the_reader_typed_is_shown_back_escaped(reader, article):
    response = post(reader, article, message=" ", email='"><script>alert(1)</script>')

    html = response.content.decode()
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_filled_honeypot_stores_nothing(reader, article):
    response = post(reader, article, website="https://cheap-pills.example")

    assert response.status_code == 303
    assert response["Location"] == reverse("public:feedback_thanks", kwargs={"slug": article.slug})
    assert not ReaderFeedback.objects.exists()


def test_the_sixth_report_in_ten_minutes_is_refused_with_429(reader, article):
    for _ in range(5):
        assert post(reader, article).status_code == 303

    refused = post(reader, article, message="A sixth report, kept on the page.")

    page = parse(refused.content.decode())
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 600
    assert page.find("h1").text() == "Too many reports from your connection"
    assert "try again after" in page.find("div", cls="notice").text()
    assert page.find("textarea", name="message").raw_text() == "A sixth report, kept on the page."
    assert "no-store" in refused["Cache-Control"]
    assert ReaderFeedback.objects.count() == 5


def test_the_limit_counts_each_client_address_apart(article):
    first, second = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    for _ in range(5):
        post(first, article)

    assert post(first, article).status_code == 429
    assert post(second, article).status_code == 303


def test_the_limit_comes_from_the_settings(reader, article, settings):
    settings.FEEDBACK_RATE_LIMIT = 1

    assert post(reader, article).status_code == 303
    assert post(reader, article).status_code == 429


def test_an_unknown_or_unpublished_slug_is_404(reader, article):
    draft = make_draft(title="A draft nobody may read")
    withdrawn = make_published(title="Withdrawn later")
    article_unpublish(article=withdrawn, by=make_editor(), reason="Under review")

    for slug in ("no-such-article", draft.slug, withdrawn.slug):
        url = reverse("public:feedback", kwargs={"slug": slug})
        assert reader.post(url, {"message": MESSAGE}).status_code == 404
        assert reader.get(url).status_code == 404
    assert not ReaderFeedback.objects.exists()


def test_the_form_has_a_page_of_its_own(reader, article):
    response = reader.get(feedback_url(article))

    page = parse(response.content.decode())
    assert response.status_code == 200
    assert page.find("section", id="feedback").find("form").attrs["action"] == feedback_url(article)
    assert page.find("meta", name="robots").attrs["content"] == "noindex"


def test_a_report_from_a_page_kept_by_a_cache_names_the_publication_it_showed(reader, article):
    from reviews.workflow import article_approve, article_submit
    from tests.factories import ALL_YES, another_reviewer, as_reviewed

    shown = Article.objects.get(pk=article.pk).live_publication_id
    article_submit(article=Article.objects.get(pk=article.pk), by=make_editor())
    article_approve(**as_reviewed(article), by=another_reviewer(), checklist=dict(ALL_YES), rating=5)

    post(reader, article, publication=str(shown))

    assert ReaderFeedback.objects.get().publication_id == shown


def test_the_policy_lets_the_form_post_to_this_site(client, article):
    policy = client.get(article.get_absolute_url())["Content-Security-Policy"]

    assert "form-action 'self'" in policy
