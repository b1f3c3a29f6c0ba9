"""seed_demo's news goes to the demo people's inboxes, not to the console, and the demo password
is the last line it prints (scripts/run serves right after it)."""
import pytest
from django.core import mail
from django.core.management import call_command

from reviews.models import InboxMessage


# Committed for real (a transactional test), so the notifications run when seed_demo's own
# transaction commits, inside its quiet mail block, as they do when it runs from scripts/run.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_seeding_the_demo_sends_no_mail_and_leaves_its_news_in_the_inboxes(capsys):
    call_command("seed_demo", password="a-long-demo-password")

    assert mail.outbox == []
    news = {(m.recipient.username, m.category) for m in InboxMessage.objects.select_related("recipient")}
    assert {("writer", "published"), ("writer", "changes_requested"), ("reviewer", "submitted"),
            ("pharmacist", "submitted")} <= news
    assert "Demo notifications are in each person's inbox" in capsys.readouterr().out


def test_the_demo_password_is_the_last_line_seed_demo_prints(capsys, settings):
    settings.SITE_URL = "http://127.0.0.1:8123"
    call_command("seed_demo", password="a-long-demo-password")

    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "Password for every demo user: a-long-demo-password"
    assert "Site: http://127.0.0.1:8123/ (the address links in notification mail use)" in lines
    assert not any("Subject:" in line for line in lines)
