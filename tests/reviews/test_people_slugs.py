"""People-page addresses (/people/<slug>/) are one person's each: a reviewer profile cannot take
another person's username, nor another profile's current or former slug; a changed slug leaves
its old address redirecting to the new one, so published bylines keep reaching the reviewer."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Publication
from reviews.models import ProfileSlugHistory, ReviewerProfile
from reviews.permissions import WRITERS
from reviews.team import person_profile_save
from tests.factories import make_editor, make_published, make_reviewer, make_writer
from tests.public.html import parse


def profile_of(user) -> ReviewerProfile:
    return ReviewerProfile.objects.get(user=user)


def save_slug(reviewer, slug, *, by=None):
    profile = profile_of(reviewer)
    return person_profile_save(person=reviewer, by=by or make_editor(), credentials=profile.credentials,
                               registration_number=profile.registration_number, specialty=profile.specialty,
                               bio=profile.bio, slug=slug)


def post_profile(client, reviewer, slug):
    profile = profile_of(reviewer)
    return client.post(reverse("desk:team_profile", args=[reviewer.pk]), {
        "credentials": profile.credentials, "registration_number": "", "specialty": profile.specialty,
        "bio": "", "slug": slug})


def page_text(response) -> str:
    return parse(response.content.decode()).text()


# --- Refusals ---

def test_a_profile_cannot_take_another_persons_username(client):
    make_writer("wendy")
    reviewer = make_reviewer("rosei")
    editor = make_editor()
    client.force_login(editor)

    response = post_profile(client, reviewer, "wendy")

    assert response.status_code == 200
    assert '"wendy" is another person\'s username, the address of their public page' in page_text(response)
    assert profile_of(reviewer).slug != "wendy"
    with pytest.raises(ValidationError) as refused:  # the service refuses it too, for any caller
        save_slug(reviewer, "wendy", by=editor)
    assert "another person's username" in refused.value.message_dict["slug"][0]


def test_the_model_refuses_another_persons_username_wherever_it_is_saved_from():
    make_writer("wendy")
    profile = profile_of(make_reviewer())
    profile.slug = "Wendy"  # a reader's browser would not tell the two apart

    with pytest.raises(ValidationError) as refused:
        profile.full_clean()

    assert "another person's username" in refused.value.message_dict["slug"][0]


def test_a_profile_may_use_its_own_username():
    reviewer = make_reviewer("rosei")

    save_slug(reviewer, "rosei")

    assert profile_of(reviewer).slug == "rosei"


def test_a_profile_cannot_take_another_profiles_former_slug(client):
    first, second = make_reviewer("first"), make_reviewer("second", first_name="Sam", last_name="Berg")
    save_slug(first, "dr-osei")
    save_slug(first, "rita-osei-md")  # dr-osei is now a former address of the first reviewer
    client.force_login(make_editor())

    response = post_profile(client, second, "dr-osei")

    assert response.status_code == 200
    assert '"dr-osei" was another reviewer\'s address, and their published bylines still link to it' \
        in page_text(response)
    with pytest.raises(ValidationError) as refused:
        save_slug(second, "dr-osei")
    assert "was another reviewer's address" in refused.value.message_dict["slug"][0]
    assert profile_of(second).slug == "sam-berg"


def test_a_profile_cannot_take_another_profiles_current_slug():
    first, second = make_reviewer("first"), make_reviewer("second", first_name="Sam", last_name="Berg")
    save_slug(first, "dr-osei")

    with pytest.raises(ValidationError) as refused:
        save_slug(second, "dr-osei")
    assert refused.value.message_dict["slug"] == ['"dr-osei" is another reviewer\'s address: choose another one.']


def test_a_slug_made_from_a_name_avoids_former_slugs_and_usernames():
    first = make_reviewer("first", first_name="Sam", last_name="Berg")
    save_slug(first, "samuel-berg")  # sam-berg becomes a former address
    make_writer("sam-berg-2")

    second = make_reviewer("second", first_name="Sam", last_name="Berg")

    assert profile_of(second).slug == "sam-berg-3"


def test_an_invited_username_cannot_be_a_reviewers_address(client):
    reviewer = make_reviewer("rosei")
    save_slug(reviewer, "dr-osei")
    save_slug(reviewer, "rita-osei")
    client.force_login(make_editor())

    response = client.post(reverse("desk:team_invite"), {
        "first_name": "Dora", "email": "dora@example.org", "username": "dr-osei", "roles": [WRITERS]})

    assert response.status_code == 200
    assert '"dr-osei" is the address of a reviewer\'s public page' in page_text(response)


# --- History and redirects ---

def test_changing_a_slug_keeps_the_old_one_as_history():
    reviewer = make_reviewer("rosei")
    old = profile_of(reviewer).slug

    save_slug(reviewer, "dr-rita-osei")

    assert list(ProfileSlugHistory.objects.values_list("profile__user__username", "slug")) == [("rosei", old)]


def test_a_profile_may_take_back_its_own_former_slug():
    reviewer = make_reviewer("rosei")
    old = profile_of(reviewer).slug
    save_slug(reviewer, "dr-rita-osei")

    save_slug(reviewer, old)

    assert profile_of(reviewer).slug == old
    assert list(ProfileSlugHistory.objects.values_list("slug", flat=True)) == ["dr-rita-osei"]


def test_an_old_slug_redirects_permanently_to_the_current_one(client):
    reviewer = make_reviewer("rosei")
    article = make_published(reviewer=reviewer)
    old = profile_of(reviewer).slug
    byline = Publication.objects.get(article=article).reviewer_slug
    assert byline == old  # the publication froze the address its byline links to

    save_slug(reviewer, "dr-rita-osei")
    response = client.get(reverse("public:person", args=[byline]))

    assert response.status_code == 301
    assert response["Location"] == reverse("public:person", args=["dr-rita-osei"])
    assert client.get(response["Location"]).status_code == 200


def test_an_old_slug_of_someone_with_nothing_live_is_a_plain_404(client):
    reviewer = make_reviewer("rosei")
    old = profile_of(reviewer).slug
    save_slug(reviewer, "dr-rita-osei")

    assert client.get(reverse("public:person", args=[old])).status_code == 404


def test_the_desk_form_changes_the_slug_and_the_old_address_still_works(client):
    reviewer = make_reviewer("rosei")
    make_published(reviewer=reviewer)
    old = profile_of(reviewer).slug
    client.force_login(make_editor())

    response = post_profile(client, reviewer, "dr-rita-osei")

    assert response.status_code == 302
    assert profile_of(reviewer).slug == "dr-rita-osei"
    assert client.get(reverse("public:person", args=[old])).status_code == 301
