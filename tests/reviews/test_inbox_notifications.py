"""Every notification lands in each recipient's desk inbox as well as in their mail, and each event
names the right people, times and publication in both (issue 15). Opting out of a category stops
both; nobody hears about their own action; an address-less person still gets the line."""
import datetime
import logging

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from reviews.comments import NewComment
from reviews.models import NOTIFICATION_CATEGORIES, InboxMessage, NotificationOptOut
from reviews.notifications import notify
from reviews.workflow import (article_approve, article_go_live, article_request_changes, article_submit,
                              article_unpublish)
from tests.factories import (ALL_YES, another_reviewer, as_reviewed, edit_article, make_draft, make_editor,
                             make_in_review, make_published, make_reviewer, make_user, make_writer)

START = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)


def lines(user) -> list[str]:
    return [m.text for m in InboxMessage.objects.filter(recipient=user).order_by("id")]


def mails_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def reload(article) -> Article:
    return Article.objects.select_related("article_type").get(pk=article.pk)


@pytest.fixture
def writer():
    return make_writer("wes", first_name="Wes", last_name="Tan", email="wes@example.org")


# --- One test per event ---

@time_machine.travel(START, tick=False)
def test_a_submission_tells_each_reviewer_who_submitted_which_article(writer, django_capture_on_commit_callbacks):
    reviewer = make_reviewer(email="rita@example.org")
    article = make_draft(writer, title="Kava & anxiety")

    with django_capture_on_commit_callbacks(execute=True):
        article_submit(article=article, by=writer)

    assert lines(reviewer) == ['Wes Tan submitted "Kava & anxiety" for medical review on 1 Mar 2027, 09:00.']
    [message] = mails_to("rita@example.org")
    assert message.subject == "Submitted for medical review: Kava & anxiety"
    assert message.body.startswith('Wes Tan submitted "Kava & anxiety" (Substance, drug or supplement) for medical '
                                   "review: Medical review.")
    assert InboxMessage.objects.get(recipient=reviewer).path == reverse("desk:article", args=[article.pk])
    assert lines(writer) == []


@time_machine.travel(START, tick=False)
def test_a_signed_first_step_tells_the_next_steps_signers_who_signed_and_what_it_awaits(
        writer, django_capture_on_commit_callbacks):
    doctor = make_reviewer(first_name="Rita", last_name="Osei", email="rita@example.org")
    pharmacist = make_reviewer(first_name="Pia", last_name="Lund", credentials="PharmD", email="pia@example.org")
    pharmacist.groups.add(Group.objects.get(name="Pharmacists"))
    article = make_in_review(writer, type_key="medicine", title="Naproxen for pain")
    mail.outbox.clear()
    InboxMessage.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        article_approve(**as_reviewed(article), by=doctor, checklist=dict(ALL_YES), rating=4)

    assert lines(pharmacist) == ['Rita Osei signed the Medical review of "Naproxen for pain" on 1 Mar 2027, 09:00; '
                                 "it awaits Pharmacist review."]
    [message] = mail.outbox
    assert message.to == ["pia@example.org"] and message.subject == "Awaiting Pharmacist review: Naproxen for pain"
    assert "It now awaits Pharmacist review, which you may sign." in message.body
    assert lines(doctor) == [] and lines(writer) == []  # the signer, and the author, have nothing to sign


@time_machine.travel(START, tick=False)
def test_changes_requested_tells_the_authors_which_reviewer_asked_and_their_note(
        writer, django_capture_on_commit_callbacks):
    reviewer = another_reviewer(first_name="Ada", last_name="Quinn")
    article = make_in_review(writer, title="Valerian root")

    with django_capture_on_commit_callbacks(execute=True):
        article_request_changes(**as_reviewed(article), by=reviewer, summary="One citation is missing.",
                                comments=[NewComment("side_effects", "Add liver risks.")])

    assert lines(writer) == ['Ada Quinn asked for changes to "Valerian root" on 1 Mar 2027, 09:00: '
                             "One citation is missing."]
    [message] = mails_to("wes@example.org")
    assert message.subject == "Changes requested: Valerian root"
    assert message.body.startswith('Ada Quinn asked for changes to "Valerian root".\n\nTheir note:\n'
                                   "One citation is missing.\n")


def test_a_scheduled_re_approval_names_the_reviewer_who_approved_it_now_and_the_new_go_live_time(
        writer, django_capture_on_commit_callbacks):
    """The defect: the message read the live publication (the earlier approval, by someone else,
    live since another time) instead of the one just scheduled."""
    with time_machine.travel(START, tick=False):
        article = make_published(writer, reviewer=another_reviewer(first_name="Old", last_name="Reviewer"),
                                 title="Magnesium and sleep")
    second = another_reviewer(first_name="Bea", last_name="Second", credentials="PharmD")
    with time_machine.travel(START + datetime.timedelta(days=40), tick=False):
        edit_article(article, writer, summary="What it is, how it is used, and how to stay safe.")
        article_submit(article=reload(article), by=writer)
        InboxMessage.objects.all().delete()
        mail.outbox.clear()
        go_live = datetime.datetime(2027, 4, 20, 8, 30, tzinfo=datetime.timezone.utc)
        with django_capture_on_commit_callbacks(execute=True):
            article_approve(**as_reviewed(article), by=second, checklist=dict(ALL_YES), rating=4, go_live_at=go_live)

    assert lines(writer) == ['Bea Second, PharmD approved "Magnesium and sleep" on 10 Apr 2027, 09:00; '
                             "it goes live 20 Apr 2027, 08:30 UTC."]
    [message] = mails_to("wes@example.org")
    assert message.subject == "Approved, goes live 20 Apr 2027 08:30: Magnesium and sleep"
    assert message.body.startswith('"Magnesium and sleep" was approved by Bea Second, PharmD on 10 April 2027, 09:00.\n'
                                   "It goes live on 20 April 2027, 08:30 UTC.\n")
    assert "Old Reviewer" not in message.body + lines(writer)[0]


def test_approved_without_a_named_publication_is_about_the_scheduled_one(writer):
    with time_machine.travel(START, tick=False):
        article = make_published(writer, reviewer=another_reviewer(first_name="Old", last_name="Reviewer"))
        edit_article(article, writer, summary="What it is, how it is used, and how to stay safe.")
        article_submit(article=reload(article), by=writer)
        article_approve(**as_reviewed(article), by=another_reviewer(first_name="New", last_name="Reviewer"),
                        checklist=dict(ALL_YES), rating=4, go_live_at=START + datetime.timedelta(days=3))
    InboxMessage.objects.all().delete()

    notify("approved", article_id=article.pk)

    assert lines(writer)[0].startswith("New Reviewer, MD approved")


@time_machine.travel(START, tick=False)
def test_an_approval_that_publishes_tells_the_authors_who_reviewed_it_and_when_it_went_live(
        writer, django_capture_on_commit_callbacks):
    reviewer = another_reviewer(first_name="Ada", last_name="Quinn")
    article = make_in_review(writer, title="Zinc for colds")

    with django_capture_on_commit_callbacks(execute=True):
        article_approve(**as_reviewed(article), by=reviewer, checklist=dict(ALL_YES), rating=4)

    assert lines(writer) == ['"Zinc for colds" went live on 1 Mar 2027, 09:00, medically reviewed by Ada Quinn, MD.']
    [message] = mails_to("wes@example.org")
    assert message.subject == "Published: Zinc for colds"
    assert message.body.startswith('"Zinc for colds" is published, medically reviewed by Ada Quinn, MD. '
                                   "Live since 1 March 2027, 09:00 UTC.\nNext review due: 1 March 2028.\n")


def test_a_scheduled_publication_going_live_tells_the_authors_its_own_time_and_reviewer(
        writer, django_capture_on_commit_callbacks):
    reviewer = another_reviewer(first_name="Ada", last_name="Quinn")
    with time_machine.travel(START, tick=False):
        article = make_in_review(writer, title="Zinc for colds")
        article_approve(**as_reviewed(article), by=reviewer, checklist=dict(ALL_YES), rating=4,
                        go_live_at=START + datetime.timedelta(days=2))
    InboxMessage.objects.all().delete()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        article_go_live(article=reload(article), now=START + datetime.timedelta(days=2, minutes=5))

    assert lines(writer) == ['"Zinc for colds" went live on 3 Mar 2027, 09:00, medically reviewed by Ada Quinn, MD.']
    assert [m.subject for m in mails_to("wes@example.org")] == ["Published: Zinc for colds"]


@time_machine.travel(START, tick=False)
def test_unpublishing_tells_the_authors_and_the_editors_who_unpublished_it_and_why(
        writer, django_capture_on_commit_callbacks):
    reviewer = make_reviewer(first_name="Rita", last_name="Osei", email="rita@example.org")
    article = make_published(writer, reviewer=reviewer, title="Kava & anxiety")
    acting = make_editor(first_name="Eddie", last_name="Tor", email="eddie@example.org")
    other_editor = make_editor(first_name="Elena", last_name="Marsh", email="elena@example.org")
    InboxMessage.objects.all().delete()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        article_unpublish(article=reload(article), by=acting, reason="Dosing advice is out of date.")

    expected = 'Eddie Tor unpublished "Kava & anxiety" on 1 Mar 2027, 09:00: Dosing advice is out of date.'
    assert lines(writer) == [expected] and lines(other_editor) == [expected]
    assert lines(acting) == [] and lines(reviewer) == []
    assert sorted(m.to[0] for m in mail.outbox) == ["elena@example.org", "wes@example.org"]
    for message in mail.outbox:
        assert message.subject == "Unpublished: Kava & anxiety"
        assert message.body.startswith('Eddie Tor unpublished "Kava & anxiety" on 1 March 2027, 09:00; it was live '
                                       "since 1 March 2027, medically reviewed by Rita Osei.")
        assert "Why:\nDosing advice is out of date.\n" in message.body


def test_a_review_due_reminder_tells_the_editors_and_the_last_reviewer_when_it_was_due(writer):
    editor = make_editor(email="editor@example.org")
    reviewer = another_reviewer(first_name="Ada", last_name="Quinn", email="ada@example.org")
    with time_machine.travel(START, tick=False):
        make_published(writer, reviewer=reviewer, title="Needs a look")
    InboxMessage.objects.all().delete()
    mail.outbox.clear()

    with time_machine.travel(START + datetime.timedelta(days=370), tick=False):
        call_command("review_due", stdout=None)

    expected = '"Needs a look" was due for its medical review on 1 Mar 2028; last reviewed by Ada Quinn on 1 Mar 2027.'
    assert lines(editor) == [expected] and lines(reviewer) == [expected]
    assert lines(writer) == []
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "editor@example.org"]
    assert mail.outbox[0].subject == "Medical review due 1 Mar 2028: Needs a look"


@pytest.fixture
def everyone():
    """An article live, and someone each category concerns: its author, a reviewer who did not
    write it, an editor."""
    writer = make_writer(email="writer@example.org")
    reviewer = make_reviewer(email="doctor@example.org")
    people = {"writer": writer, "reviewer": reviewer, "other reviewer": make_reviewer(email="second@example.org"),
              "editor": make_editor(email="editor@example.org")}
    article = make_published(writer, reviewer=reviewer, title="Sleep & stress")
    InboxMessage.objects.all().delete()
    mail.outbox.clear()
    return article, people


@pytest.mark.parametrize("category", [key for key, _ in NOTIFICATION_CATEGORIES])
def test_every_category_lands_in_the_inbox_as_well_as_in_the_mail(everyone, category):
    article, people = everyone

    sent = notify(category, article_id=article.pk, publication=article.live_publication, reason="Out of date.")

    messages = list(InboxMessage.objects.select_related("recipient"))
    assert messages and sent == len(messages)
    assert sorted(m.recipient.email for m in messages) == sorted(m.to[0] for m in mail.outbox)
    for message in messages:
        assert message.category == category and message.article_id == article.pk
        assert "Sleep & stress" in message.text and "\n" not in message.text
        assert message.path == reverse("desk:article", args=[article.pk])


@pytest.mark.parametrize("category", [key for key, _ in NOTIFICATION_CATEGORIES])
def test_turning_a_category_off_stops_both_its_inbox_line_and_its_mail(everyone, category):
    article, people = everyone
    for person in people.values():
        NotificationOptOut.objects.create(user=person, category=category)

    assert notify(category, article_id=article.pk, publication=article.live_publication, reason="Why.") == 0
    assert not InboxMessage.objects.exists() and mail.outbox == []


def test_turning_one_category_off_leaves_the_others_on(everyone):
    article, people = everyone
    NotificationOptOut.objects.create(user=people["writer"], category="unpublished")

    notify("published", article_id=article.pk, publication=article.live_publication)
    notify("unpublished", article_id=article.pk, publication=article.live_publication, reason="Why.")

    assert [m.category for m in InboxMessage.objects.filter(recipient=people["writer"])] == ["published"]
    assert [m.subject for m in mails_to("writer@example.org")] == ["Published: Sleep & stress"]


def test_a_person_without_an_email_address_still_gets_the_inbox_line(django_capture_on_commit_callbacks):
    reviewer = make_reviewer(email="")
    writer = make_writer()
    with django_capture_on_commit_callbacks(execute=True):
        article_submit(article=make_draft(writer, title="Ginseng"), by=writer)

    assert len(lines(reviewer)) == 1 and "Ginseng" in lines(reviewer)[0]
    assert mail.outbox == []


def test_nobody_gets_an_inbox_line_about_their_own_action(django_capture_on_commit_callbacks):
    """An editor who is also a reviewer and submits: the reviewers hear, they do not."""
    both = make_user(groups=["Editors", "Medical reviewers"], credentials="MD", email="both@example.org")
    other = make_reviewer()
    with django_capture_on_commit_callbacks(execute=True):
        article_submit(article=make_draft(make_writer()), by=both)

    assert lines(both) == [] and len(lines(other)) == 1


def test_an_inactive_person_hears_nothing():
    writer = make_writer(email="gone@example.org")
    article = make_published(writer)
    InboxMessage.objects.all().delete()
    mail.outbox.clear()
    writer.is_active = False
    writer.save(update_fields=["is_active"])

    assert notify("published", article_id=article.pk) == 0
    assert not InboxMessage.objects.exists() and mail.outbox == []


def test_a_mail_outage_keeps_the_transition_and_the_inbox_lines(monkeypatch, caplog,
                                                                 django_capture_on_commit_callbacks):
    class Down:
        def send_messages(self, messages):
            raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("reviews.notifications.get_connection", lambda: Down())
    reviewer = make_reviewer(email="doctor@example.org")
    writer = make_writer()
    article = make_draft(writer)

    with caplog.at_level(logging.ERROR, logger="reviews.notifications"):
        with django_capture_on_commit_callbacks(execute=True):
            article_submit(article=article, by=writer)

    assert reload(article).status == Article.Status.IN_REVIEW
    assert len(lines(reviewer)) == 1
    assert "Could not send submitted notification mail" in caplog.text


def test_a_failure_to_notify_never_turns_a_committed_transition_into_an_error(monkeypatch, caplog,
                                                                              django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise RuntimeError("the inbox table is gone")

    monkeypatch.setattr("reviews.notifications.notify", broken)
    writer = make_writer()
    article = make_draft(writer)

    with django_capture_on_commit_callbacks(execute=True):
        article_submit(article=article, by=writer)

    assert reload(article).status == Article.Status.IN_REVIEW
    assert "the inbox table is gone" in caplog.text


def test_links_in_mail_name_the_sites_own_address_and_inbox_lines_keep_only_the_path(
        settings, writer, django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://127.0.0.1:8765/"
    reviewer = make_reviewer(email="doctor@example.org")
    article = make_draft(writer)
    with django_capture_on_commit_callbacks(execute=True):
        article_submit(article=article, by=writer)

    [message] = mail.outbox
    assert f"http://127.0.0.1:8765/editorial/articles/{article.pk}/\n" in message.body
    assert "http://127.0.0.1:8765/editorial/notifications/" in message.body
    assert ":8000" not in message.body
    assert InboxMessage.objects.get(recipient=reviewer).path == f"/editorial/articles/{article.pk}/"


def test_a_long_reason_is_cut_to_one_line_in_the_inbox_and_kept_whole_in_the_mail(everyone):
    article, people = everyone
    reason = "The dosing table needs a second look.\n\n" + "Every row is out of date. " * 40

    notify("unpublished", article_id=article.pk, publication=article.live_publication, reason=reason)

    [text] = lines(people["writer"])
    assert len(text) <= 500 and text.endswith("…") and "\n" not in text
    assert reason in mails_to("writer@example.org")[0].body
