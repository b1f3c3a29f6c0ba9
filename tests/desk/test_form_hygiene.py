"""The desk's forms remove control characters before they validate, so a refused form shows the text
that will be kept and each check judges that text."""
from django.urls import reverse

from articles.models import Article
from reviews.models import ReviewerProfile
from reviews.permissions import REVIEWERS, WRITERS
from tests.desk.test_editorial_views import editor_post
from tests.factories import make_editor, make_reviewer, make_user, make_writer


def test_a_refused_editor_form_shows_the_typed_text_without_its_control_characters(client):
    client.force_login(make_writer())
    page = client.post(reverse("desk:new"), editor_post(**{
        "title": "My\x01 unsaved\x1b title", "summary": "Plain\x7f words.", "refs-0-doi": "doi:not-a-doi",
        "lead-alt": "A\x02 chart"})).content.decode()
    assert not Article.objects.exists()
    assert 'value="My unsaved title"' in page
    assert "Plain words." in page
    assert "\x01" not in page and "\x1b" not in page and "\x7f" not in page


def test_the_editor_saves_the_cleaned_text(client):
    client.force_login(make_writer())
    client.post(reverse("desk:new"), editor_post(**{"title": "Valerian\x03 for sleep", "comment": "First\x04 draft",
                                                     "refs-0-title": "A trial\x05 of valerian"}))
    article = Article.objects.get(title="Valerian for sleep")
    assert "A trial of valerian" in article.references.values_list("title", flat=True)


def test_an_invitation_judges_the_username_without_its_control_characters(client):
    make_writer("mary")
    client.force_login(make_editor())
    response = client.post(reverse("desk:team_invite"), {
        "first_name": "Mary\x06", "last_name": "", "email": "mary@example.org", "username": "ma\x07ry",
        "roles": [WRITERS]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The username &quot;mary&quot; is taken" in page or 'The username "mary" is taken' in page


def test_a_reviewer_profile_is_saved_without_control_characters(client):
    person = make_user(groups=[REVIEWERS])
    client.force_login(make_editor())
    response = client.post(reverse("desk:team_profile", args=[person.pk]), {
        "credentials": "MD\x08", "registration_number": "GMC\x0b 1234567", "specialty": "General\x0c practice",
        "bio": "Twenty years\x1f in practice.\r\nLikes tea."})
    assert response.status_code == 302
    profile = ReviewerProfile.objects.get(user=person)
    assert (profile.credentials, profile.registration_number, profile.specialty) == (
        "MD", "GMC 1234567", "General practice")
    assert profile.bio == "Twenty years in practice.\r\nLikes tea."


def test_a_review_note_is_saved_without_control_characters(client):
    from reviews.models import Review
    from tests.desk.test_review_views import approve_data
    from tests.factories import make_in_review

    article = make_in_review()
    client.force_login(make_reviewer())
    client.post(reverse("desk:review", args=[article.pk]),
                approve_data(article, decision="request_changes", comment="Add\x0e the dose\x0f source."))
    assert Review.objects.get(article=article).comment == "Add the dose source."
