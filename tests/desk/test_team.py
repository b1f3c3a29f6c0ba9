"""Running the team from the desk: the team page, invitations, roles, reviewer profiles and access,
over HTTP, as an editor (and anyone else) sees them."""
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from reviews.models import ReviewerProfile
from reviews.permissions import EDITORS, REVIEWERS, WRITERS
from tests.factories import make_editor, make_in_review, make_published, make_reviewer, make_user, make_writer
from tests.public.html import parse

NEW_PASSWORD = "a-long-unusual-passphrase-2026"


def page_text(response) -> str:
    return parse(response.content.decode()).text()


def log_in(client, username, password):
    """The login form, as a person fills it in."""
    return client.post(reverse("login"), {"username": username, "password": password})


def invite(client, **fields):
    data = {"first_name": "Mary-Ann", "last_name": "O'Neil", "email": "mary@example.org", "username": "",
            "roles": [WRITERS]}
    data.update(fields)
    return client.post(reverse("desk:team_invite"), data, HTTP_HOST="desk.example.org:8443")


def awaiting_review_shown(client, person) -> bool:
    client.force_login(person)
    return "Awaiting review" in page_text(client.get(reverse("desk:dashboard")))


# --- Inviting ---

def test_an_editor_invites_someone_who_sets_a_password_from_the_mailed_link_and_logs_in(client):
    client.force_login(make_editor(first_name="Eddie", last_name="Tor"))
    response = invite(client)
    person = User.objects.get(email="mary@example.org")
    assert response.status_code == 302 and response.url == reverse("desk:team_person", args=[person.pk])
    assert person.username == "mary" and person.is_active and not person.has_usable_password()

    [message] = mail.outbox
    assert message.to == ["mary@example.org"]
    # Plain text: the name is written as typed, not HTML-escaped.
    assert "Hello Mary-Ann O'Neil" in message.body and "Eddie Tor invited you" in message.body
    assert "Your username is mary." in message.body
    link = re.search(r"https?://\S+/team/welcome/\S+", message.body).group()
    assert link.startswith("http://desk.example.org:8443/editorial/team/welcome/")

    client.logout()
    form_page = client.get(link, follow=True)
    assert "Choose your password" in page_text(form_page)
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert done.request["PATH_INFO"] == reverse("login")
    assert "Password saved. Log in as mary." in page_text(done)

    response = log_in(client, "mary", NEW_PASSWORD)
    assert response.status_code == 302 and response.url == "/editorial/"
    assert client.get(reverse("desk:dashboard")).status_code == 200


def test_an_invitation_link_works_only_once(client):
    client.force_login(make_editor())
    invite(client)
    link = re.search(r"https?://\S+/team/welcome/\S+", mail.outbox[0].body).group()
    client.logout()
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "This link no longer works" in page_text(client.get(link, follow=True))


def test_the_username_is_the_one_typed_when_the_editor_changes_the_suggestion(client):
    client.force_login(make_editor())
    invite(client, username="mary.oneil")
    assert User.objects.get(email="mary@example.org").username == "mary.oneil"


def test_a_taken_email_is_refused_and_the_form_keeps_what_was_typed(client):
    make_writer("mary_old", email="Mary@Example.org")
    client.force_login(make_editor())
    response = invite(client, username="mary.new", roles=[WRITERS, REVIEWERS])
    assert response.status_code == 200
    page = parse(response.content.decode())
    assert "Someone on the team already has this email address" in page.text()
    assert page.find_all("input", name="first_name")[0].attrs["value"] == "Mary-Ann"
    assert page.find_all("input", name="username")[0].attrs["value"] == "mary.new"
    assert {box.attrs["value"] for box in page.find_all("input", name="roles") if "checked" in box.attrs} == {
        WRITERS, REVIEWERS}
    assert not User.objects.filter(username="mary.new").exists() and mail.outbox == []


def test_a_taken_username_is_refused_with_a_clear_message(client):
    make_writer("mary")
    client.force_login(make_editor())
    response = invite(client, username="Mary")
    assert 'The username "Mary" is taken' in page_text(response)
    assert not User.objects.filter(email="mary@example.org").exists()


def test_a_suggested_username_that_is_taken_gets_a_number(client):
    make_writer("mary")
    client.force_login(make_editor())
    invite(client)
    assert User.objects.get(email="mary@example.org").username == "mary2"


# --- Who may use the team pages ---

TEAM_PAGES = [("get", "desk:team", False), ("get", "desk:team_invite", False), ("post", "desk:team_invite", False),
              ("get", "desk:team_person", True), ("post", "desk:team_roles", True),
              ("post", "desk:team_profile", True), ("post", "desk:team_access", True),
              ("post", "desk:team_password_link", True)]


@pytest.fixture
def someone():
    return make_writer("someone", email="someone@example.org")


def _answer(client, method, name, with_person, someone):
    url = reverse(name, args=[someone.pk] if with_person else [])
    data = {"roles": [EDITORS], "active": "0", "credentials": "MD", "first_name": "X", "email": "x@example.org"}
    return getattr(client, method)(url, data) if method == "post" else client.get(url)


@pytest.mark.parametrize("method,name,with_person", TEAM_PAGES)
def test_a_writer_gets_403_on_every_team_page(client, someone, method, name, with_person):
    client.force_login(make_writer())
    assert _answer(client, method, name, with_person, someone).status_code == 403
    someone.refresh_from_db()
    assert someone.is_active and not someone.groups.filter(name=EDITORS).exists() and mail.outbox == []


@pytest.mark.parametrize("method,name,with_person", TEAM_PAGES)
def test_a_reviewer_gets_403_on_every_team_page(client, someone, method, name, with_person):
    client.force_login(make_reviewer())
    assert _answer(client, method, name, with_person, someone).status_code == 403


@pytest.mark.parametrize("method,name,with_person", TEAM_PAGES)
def test_anyone_logged_out_is_sent_to_the_login_page(client, someone, method, name, with_person):
    response = _answer(client, method, name, with_person, someone)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_only_editors_see_the_team_link(client):
    client.force_login(make_writer())
    assert "Team" not in page_text(client.get(reverse("desk:dashboard")))
    client.force_login(make_editor())
    page = parse(client.get(reverse("desk:dashboard")).content.decode())
    nav = page.find_all("nav", **{"aria-label": "Site"})[0]
    assert [a.attrs["href"] for a in nav.find_all("a") if a.text() == "Team"] == [reverse("desk:team")]


# --- The team page ---

def test_the_team_page_lists_everyone_with_roles_access_and_last_login(client):
    editor = make_editor("chief", first_name="Chief", last_name="Editor", email="chief@example.org")
    make_reviewer("doc", email="doc@example.org", first_name="Rita", last_name="Osei")
    gone = make_writer("gone", first_name="Former", last_name="Writer")
    gone.is_active = False
    gone.save()
    client.force_login(editor)
    rows = {row.find_all("td")[1].text(): [cell.text() for cell in row.find_all("td")]
            for row in parse(client.get(reverse("desk:team")).content.decode()).find_all("tr")[1:]}
    assert rows["doc"] == ["Rita Osei, MD", "doc", "doc@example.org", "Medical reviewer", "Active", "never"]
    assert rows["gone"][3:5] == ["Writer", "Deactivated"]
    assert rows["chief"][0] == "Chief Editor" and rows["chief"][3] == "Editor"
    assert rows["chief"][5] != "never"  # force_login records the login


# The session, the editor, their roles, the groups that sign review steps (roles too), the count,
# the page, the page's roles, the header's unread inbox count.
QUERY_LIMIT = 8


@pytest.mark.parametrize("count", [3, 60])
def test_the_team_page_costs_the_same_queries_however_many_people(client, django_assert_max_num_queries, count):
    editor = make_editor()
    for n in range(count):
        make_user(f"person{n:03}", groups=[WRITERS, REVIEWERS] if n % 2 else [WRITERS],
                           credentials="MD" if n % 3 == 0 else None)
    client.force_login(editor)
    with django_assert_max_num_queries(QUERY_LIMIT):
        response = client.get(reverse("desk:team"))
    assert response.status_code == 200
    assert len(parse(response.content.decode()).find_all("tr")) - 1 == min(count + 1, 25)


# --- Roles ---

def test_roles_given_and_taken_change_what_the_person_can_do_on_the_desk(client):
    writer = make_writer("newdoc", first_name="New", last_name="Doctor")
    editor = make_editor()
    make_in_review(title="Magnesium and cramps")
    assert not awaiting_review_shown(client, writer)

    client.force_login(editor)
    response = client.post(reverse("desk:team_roles", args=[writer.pk]), {"roles": [WRITERS, REVIEWERS]}, follow=True)
    assert "Roles saved: New Doctor is now writer and medical reviewer." in page_text(response)
    assert "Add their credentials" in page_text(response)
    assert awaiting_review_shown(client, writer)
    assert client.get(reverse("desk:team")).status_code == 403

    client.force_login(editor)
    client.post(reverse("desk:team_roles", args=[writer.pk]), {"roles": [EDITORS]})
    assert not awaiting_review_shown(client, writer)
    assert client.get(reverse("desk:team")).status_code == 200


def test_the_last_editor_cannot_take_their_own_editor_role_away(client):
    editor = make_editor()
    client.force_login(editor)
    response = client.post(reverse("desk:team_roles", args=[editor.pk]), {"roles": [WRITERS]})
    assert response.status_code == 200
    assert "You are the last editor: give someone else the editor role first" in page_text(response)
    assert list(editor.groups.values_list("name", flat=True)) == [EDITORS]


def test_an_editor_can_step_down_while_another_editor_remains(client):
    editor, other = make_editor(), make_editor(first_name="Other", last_name="Editor")
    client.force_login(editor)
    client.post(reverse("desk:team_roles", args=[editor.pk]), {"roles": [WRITERS]})
    assert list(editor.groups.values_list("name", flat=True)) == [WRITERS]
    client.force_login(other)
    response = client.post(reverse("desk:team_roles", args=[other.pk]), {"roles": []})
    assert "Other Editor is the last editor" not in page_text(response)
    assert "You are the last editor" in page_text(response)


def test_a_deactivated_editor_does_not_count_as_the_editor_who_remains(client):
    editor, former = make_editor(), make_editor()
    former.is_active = False
    former.save()
    client.force_login(editor)
    response = client.post(reverse("desk:team_roles", args=[editor.pk]), {"roles": []})
    assert "You are the last editor" in page_text(response)


# --- Access ---

def test_a_deactivated_person_cannot_log_in_and_their_published_article_keeps_their_byline(client):
    writer = make_writer("leaving", first_name="Lena", last_name="Leaving")
    article = make_published(writer, title="Zinc and colds")
    writer_session = client.__class__()
    writer_session.force_login(writer)
    client.force_login(make_editor())

    response = client.post(reverse("desk:team_access", args=[writer.pk]), {"active": "0"}, follow=True)
    assert "Lena Leaving is deactivated and can no longer log in" in page_text(response)

    assert writer_session.get(reverse("desk:dashboard")).status_code == 302  # their open session ends too
    client.logout()
    assert log_in(client, "leaving", "pw-for-tests-only").status_code == 200  # the form again, refused
    assert "_auth_user_id" not in client.session
    public = client.get(reverse("public:detail", args=[article.slug]))
    assert "By Lena Leaving" in page_text(public)


def test_a_reactivated_person_can_log_in_again(client):
    writer = make_writer("back")
    writer.is_active = False
    writer.save()
    client.force_login(make_editor())
    client.post(reverse("desk:team_access", args=[writer.pk]), {"active": "1"})
    client.logout()
    assert log_in(client, "back", "pw-for-tests-only").status_code == 302


def test_an_editor_cannot_deactivate_themselves(client):
    editor = make_editor()
    make_editor()
    client.force_login(editor)
    response = client.post(reverse("desk:team_access", args=[editor.pk]), {"active": "0"}, follow=True)
    assert "You cannot deactivate yourself" in page_text(response)
    editor.refresh_from_db()
    assert editor.is_active


def test_an_editor_sends_a_new_password_link_to_someone_who_lost_theirs(client):
    writer = make_writer("forgetful", email="forgetful@example.org")
    client.force_login(make_editor())
    response = client.post(reverse("desk:team_password_link", args=[writer.pk]), follow=True)
    assert "A link to set a password was sent to forgetful@example.org" in page_text(response)
    assert mail.outbox[0].subject == "Set a new password for the editorial desk"
    assert "/editorial/team/welcome/" in mail.outbox[0].body


def test_each_change_to_a_person_is_recorded_with_who_made_it(client):
    writer = make_writer()
    client.force_login(make_editor("chief"))
    client.post(reverse("desk:team_roles", args=[writer.pk]), {"roles": [WRITERS, EDITORS]})
    client.post(reverse("desk:team_access", args=[writer.pk]), {"active": "0"})
    history = page_text(client.get(reverse("desk:team_person", args=[writer.pk])))
    assert "chief: Deactivated." in history
    assert "chief: Roles: writer → writer and editor." in history


# --- Reviewer profiles ---

def test_a_reviewer_profile_edited_on_the_desk_shows_on_the_public_people_page(client):
    reviewer = make_reviewer("rosei", first_name="Rita", last_name="Osei")
    make_published(reviewer=reviewer)
    slug = reviewer.reviewer_profile.slug
    client.force_login(make_editor())
    response = client.post(reverse("desk:team_profile", args=[reviewer.pk]), {
        "credentials": "MD, MPH", "registration_number": "GMC 7654321", "specialty": "Sleep medicine",
        "bio": "Rita Osei treats sleep disorders & writes about them."}, follow=True)
    assert "Reviewer profile of Rita Osei saved" in page_text(response)

    reviewer.reviewer_profile.refresh_from_db()
    assert reviewer.reviewer_profile.slug == slug  # published bylines keep their address
    public = page_text(client.get(reverse("public:person", args=[slug])))
    assert "Rita Osei, MD, MPH" in public and "Sleep medicine" in public
    assert "Rita Osei treats sleep disorders & writes about them." in public


def test_a_new_reviewer_gets_a_profile_from_the_desk_and_may_then_approve(client):
    writer = make_writer("clin", first_name="Cli", last_name="Nician")
    article = make_in_review(title="Iron and fatigue")
    client.force_login(make_editor())
    client.post(reverse("desk:team_roles", args=[writer.pk]), {"roles": [REVIEWERS]})
    assert "No reviewer profile yet" in page_text(client.get(reverse("desk:team_person", args=[writer.pk])))

    refused = client.post(reverse("desk:team_profile", args=[writer.pk]), {"credentials": "", "specialty": "GP"})
    assert refused.status_code == 200 and "Credentials: This field is required." in page_text(refused)
    assert 'value="GP"' in refused.content.decode()

    client.post(reverse("desk:team_profile", args=[writer.pk]), {"credentials": "PharmD", "specialty": "Pharmacy"})
    assert ReviewerProfile.objects.get(user=writer).slug == "cli-nician"
    client.force_login(writer)
    assert client.get(reverse("desk:review", args=[article.pk])).status_code == 200


def test_no_profile_is_made_for_someone_who_is_not_a_reviewer(client):
    writer = make_writer()
    client.force_login(make_editor())
    response = client.post(reverse("desk:team_profile", args=[writer.pk]), {"credentials": "MD"})
    assert "Give them the medical reviewer role first." in page_text(response)
    assert not ReviewerProfile.objects.filter(user=writer).exists()


def test_a_group_that_signs_a_review_step_is_a_role_an_editor_gives_on_the_desk(client):
    from django.contrib.auth.models import Group

    from tests.factories import make_editor, make_writer

    editor = make_editor()
    person = make_writer()
    client.force_login(editor)

    page = client.get(reverse("desk:team_person", args=[person.pk])).content.decode()

    assert "Pharmacists: signs Pharmacist review" in page
    assert Group.objects.filter(name="Pharmacists").exists()
