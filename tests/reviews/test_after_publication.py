"""After publication: scheduled go-live, re-review, due dates and reminders. Time is controlled
with time-machine, so "a year later" is a real year later as far as the code can tell."""
import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.errors import InvalidTransition
from articles.models import Article, AuditEntry, Publication
from reviews.workflow import article_approve, article_submit, article_unschedule
from tests.factories import as_reviewed, ALL_YES, edit_article, make_editor, make_in_review, make_published, make_reviewer, make_writer

START = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)


def schedule(article, reviewer, when):
    return article_approve(**as_reviewed(article), by=reviewer, checklist=dict(ALL_YES), rating=4, go_live_at=when)


def reload(article):
    return Article.objects.get(pk=article.pk)


@time_machine.travel(START, tick=False)
def test_a_scheduled_approval_stays_offline_until_its_time_and_then_goes_live_once(client):
    article = make_in_review(title="Scheduled for Monday")
    schedule(article, make_reviewer(), START + datetime.timedelta(days=2))
    assert reload(article).status == "scheduled"
    assert client.get(f"/articles/{article.slug}/").status_code == 404
    call_command("publish_scheduled")
    assert client.get(f"/articles/{article.slug}/").status_code == 404
    with time_machine.travel(START + datetime.timedelta(days=2, minutes=1), tick=False):
        call_command("publish_scheduled")
        call_command("publish_scheduled")
        assert reload(article).status == "published"
        assert "Scheduled for Monday" in client.get(f"/articles/{article.slug}/").content.decode()
    assert AuditEntry.objects.filter(article=article, action="go_live").count() == 1
    assert Publication.objects.filter(article=article).count() == 1


@time_machine.travel(START, tick=False)
def test_a_scheduled_article_is_read_only_until_it_is_unscheduled():
    writer = make_writer()
    article = make_in_review(writer)
    schedule(article, make_reviewer(), START + datetime.timedelta(hours=5))
    with pytest.raises(InvalidTransition):
        edit_article(article, writer, title="A late change")
    article_unschedule(article=reload(article), by=writer)
    with time_machine.travel(START + datetime.timedelta(days=1), tick=False):
        call_command("publish_scheduled")
    article = reload(article)
    assert article.status == "draft" and article.live_publication is None
    edit_article(article, writer, title="A late change")
    assert reload(article).title == "A late change"


@time_machine.travel(START, tick=False)
def test_the_desk_shows_scheduled_items_and_offers_to_unschedule_them(client):
    writer = make_writer()
    article = make_in_review(writer, title="Goes out on Friday")
    schedule(article, make_reviewer(), START + datetime.timedelta(days=4))
    client.force_login(make_editor())
    desk = client.get(reverse("desk:dashboard")).content.decode()
    scheduled = desk.split("Scheduled to go live")[1].split("</section>")[0]
    assert "Goes out on Friday" in scheduled
    page = client.get(reverse("desk:article", args=[article.pk])).content.decode()
    assert "Unschedule" in page
    client.post(reverse("desk:unschedule", args=[article.pk]))
    assert reload(article).status == "draft"


@time_machine.travel(START, tick=False)
def test_the_reviewer_schedules_from_the_review_page(client):
    article = make_in_review()
    client.force_login(make_reviewer())
    data = {f"check_{key}": "on" for key in ALL_YES}
    data.update({"rating": "5", "decision": "approve", "go_live_at": "2027-03-05T08:00",
                 "sign_meaning": "on", "sign_password": "pw-for-tests-only",
                 "reviewed_revision": article.submitted_revision_id, "reviewed_hash": article.submitted_hash})
    response = client.post(reverse("desk:review", args=[article.pk]), data)
    assert response.status_code == 302
    article = reload(article)
    assert article.status == "scheduled"
    assert article.scheduled_publication.published_at.date() == datetime.date(2027, 3, 5)


@time_machine.travel(START, tick=False)
def test_next_review_due_follows_the_article_type_interval():
    substance = make_published(type_key="substance").live_publication
    condition = make_published(type_key="condition").live_publication
    assert substance.next_review_due == datetime.date(2028, 3, 1)
    assert condition.next_review_due == datetime.date(2029, 3, 1)


@time_machine.travel(START, tick=False)
def test_an_overdue_article_stays_live_with_a_notice_and_on_the_editors_list(client):
    article = make_published(title="Aging advice")
    with time_machine.travel(START + datetime.timedelta(days=370), tick=False):
        page = client.get(f"/articles/{article.slug}/")
        assert page.status_code == 200
        assert "due for its medical review" in page.content.decode()
        client.force_login(make_editor())
        desk = client.get(reverse("desk:dashboard")).content.decode()
        overdue = desk.split("Medical review overdue")[1].split("</section>")[0]
        assert "Aging advice" in overdue


@time_machine.travel(START, tick=False)
def test_articles_due_within_thirty_days_are_listed_separately(client):
    article = make_published(title="Due next month")
    with time_machine.travel(START + datetime.timedelta(days=350), tick=False):
        client.force_login(make_editor())
        desk = client.get(reverse("desk:dashboard")).content.decode()
        soon = desk.split("Medical review due within 30 days")[1].split("</section>")[0]
        overdue = desk.split("Medical review overdue")[1].split("</section>")[0]
        assert article.title in soon and article.title not in overdue


@time_machine.travel(START, tick=False)
def test_a_re_review_renews_the_dates_with_a_new_snapshot(client):
    writer = make_writer()
    article = make_published(writer)
    first = reload(article).live_publication
    with time_machine.travel(START + datetime.timedelta(days=360), tick=False):
        article_submit(article=reload(article), by=writer)
        reviewer = make_reviewer("second_opinion")
        client.force_login(reviewer)
        review_page = client.get(reverse("desk:review", args=[article.pk])).content.decode()
        assert "Side effects <span class=\"unchanged\">(unchanged)</span>" in review_page
        article_approve(**as_reviewed(reload(article)), by=reviewer, checklist=dict(ALL_YES), rating=4)
    renewed = reload(article).live_publication
    assert renewed.pk != first.pk and renewed.revision_id == first.revision_id
    assert renewed.next_review_due == datetime.date(2029, 2, 24)
    assert renewed.first_published_at == first.published_at


@time_machine.travel(START, tick=False)
def test_review_due_reminds_editors_and_the_last_reviewer_once(capsys):
    make_editor(email="editor@example.org")
    reviewer = make_reviewer(email="doctor@example.org")
    make_published(reviewer=reviewer, title="Needs a look")
    with time_machine.travel(START + datetime.timedelta(days=370), tick=False):
        mail.outbox.clear()
        call_command("review_due")
        assert "OVERDUE" in capsys.readouterr().out
        assert sorted(m.to[0] for m in mail.outbox) == ["doctor@example.org", "editor@example.org"]
        assert "Needs a look" in mail.outbox[0].subject
        call_command("review_due")
        assert len(mail.outbox) == 2


def test_review_due_dry_run_sends_nothing(capsys):
    make_editor(email="editor@example.org")
    with time_machine.travel(START, tick=False):
        make_published()
    with time_machine.travel(START + datetime.timedelta(days=370), tick=False):
        call_command("review_due", "--dry-run")
    assert mail.outbox == []
    assert "1 article due" in capsys.readouterr().out
