"""Accounts fit for medical content: throttled logins, two factors, password reset by email,
idle staff sessions, and approval as an electronic signature."""
import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import Article, AuditEntry
from reviews.accounts import SIGNATURE_MEANING
from tests.desk.test_review_views import approve_data
from tests.factories import make_in_review, make_reviewer, make_writer

PASSWORD = "pw-for-tests-only"


def log_in(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


# --- Throttling ---

def test_twenty_wrong_passwords_lock_the_account_even_against_the_right_one(client):
    writer = make_writer()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, writer.username, "wrong-password").status_code == 200
    assert log_in(client, writer.username, "wrong-password").status_code == 429  # the twentieth
    locked = log_in(client, writer.username)
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_logins_are_logged_with_the_username_and_address(client):
    from axes.models import AccessFailureLog
    writer = make_writer()
    log_in(client, writer.username, "wrong-password")
    failure = AccessFailureLog.objects.get()
    assert failure.username == writer.username and failure.ip_address == "127.0.0.1"


def test_one_address_guessing_many_accounts_is_locked_out_too(client):
    people = [make_writer() for _ in range(3)]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, people[attempt % 3].username, "wrong-password")
    assert log_in(client, make_writer().username).status_code == 429


def test_a_forged_forwarded_for_header_does_not_reset_the_count_without_a_trusted_proxy(client):
    writer = make_writer()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": f"nobody{attempt}", "password": "x"},
                    HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")
    assert log_in(client, writer.username).status_code == 429


def test_a_successful_login_is_not_throttled_by_a_few_typos(client):
    writer = make_writer()
    for _ in range(3):
        log_in(client, writer.username, "typo")
    assert log_in(client, writer.username).status_code == 302


# --- Two factors ---

def enrol(client, user) -> list[str]:
    client.force_login(user)
    client.post(reverse("two_factor"), {"step": "start"})
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page = client.post(reverse("two_factor"), {"step": "confirm", "token": code_for(device)})
    client.logout()
    return re.findall(r"<li><code>([^<]+)</code></li>", page.content.decode())


def test_a_reviewer_sets_up_an_authenticator_app_and_gets_recovery_codes(client):
    reviewer = make_reviewer()
    client.force_login(reviewer)
    page = client.post(reverse("two_factor"), {"step": "start"}).content.decode()
    assert "<svg" in page and "Enter the 6-digit code" in page
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    wrong = client.post(reverse("two_factor"), {"step": "confirm", "token": "000000"}).content.decode()
    assert "That code does not match" in wrong
    done = client.post(reverse("two_factor"), {"step": "confirm", "token": code_for(device)}).content.decode()
    assert "Two-factor login is <strong>on</strong>" in done
    assert done.count("<li><code>") == 10


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)  # no wait after a wrong code
def test_once_enrolled_the_login_asks_for_the_code_and_refuses_a_wrong_one(client):
    # The clock stands still from enrolment to the replay, so both fall in one 30-second step: a
    # step that ended between them made the replayed code a new one and the test fail by chance.
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        reviewer = make_reviewer()
        codes = enrol(client, reviewer)
        device = TOTPDevice.objects.get(user=reviewer, confirmed=True)
        refused = log_in(client, reviewer.username)
        assert refused.status_code == 200 and "Enter the current code" in refused.content.decode()
        assert log_in(client, reviewer.username, otp_token="123456").status_code == 200
        # A code is good once (no replay): the next one the app shows, half a minute later, logs in.
        assert log_in(client, reviewer.username, otp_token=code_for(device)).status_code == 200
    later = start + timedelta(seconds=31)
    with time_machine.travel(later, tick=False):
        assert log_in(client, reviewer.username, otp_token=code_for(device)).status_code == 302
    client.logout()
    # A recovery code works once.
    assert log_in(client, reviewer.username, otp_token=codes[0]).status_code == 302
    client.logout()
    assert log_in(client, reviewer.username, otp_token=codes[0]).status_code == 200


def test_the_back_office_login_goes_through_the_same_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_where_required_reviewers_must_set_up_a_second_factor_before_the_desk(client):
    reviewer = make_reviewer()
    client.force_login(reviewer)
    response = client.get(reverse("desk:dashboard"))
    assert response.status_code == 302 and response["Location"] == reverse("two_factor")
    page = client.get(reverse("two_factor")).content.decode()
    assert "Set it up to go on" in page and "Turn two-factor login off" not in page
    # Writers are free to choose.
    client.force_login(make_writer())
    assert client.get(reverse("desk:dashboard")).status_code == 200


# --- Password reset, idle sessions ---

def test_a_forgotten_password_is_reset_through_a_link_sent_by_email(client):
    writer = make_writer(email="amira@example.org")
    client.post(reverse("password_reset"), {"email": "amira@example.org"})
    assert len(mail.outbox) == 1 and "&amp;" not in mail.outbox[0].body
    link = next(word for word in mail.outbox[0].body.split() if "/accounts/reset/" in word)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    client.post(form_page.redirect_chain[-1][0], {"new_password1": "a-new-long-passphrase",
                                                  "new_password2": "a-new-long-passphrase"})
    assert log_in(client, writer.username, "a-new-long-passphrase").status_code == 302


def test_a_reviewers_session_ends_after_idle_time(client):
    client.force_login(make_reviewer())
    assert client.get(reverse("desk:dashboard")).status_code == 200
    session = client.session
    session["account_last_seen"] = time.time() - settings.SESSION_IDLE_TIMEOUT_SECONDS - 5
    session.save()
    response = client.get(reverse("desk:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


# --- Approval as an electronic signature ---

def review_url(article):
    return reverse("desk:review", args=[article.pk])


@pytest.mark.parametrize("signature,refusal", [
    ({"sign_meaning": "", "sign_password": PASSWORD}, "Tick the statement to sign"),
    ({"sign_meaning": "on", "sign_password": ""}, "Enter your password to sign"),
    ({"sign_meaning": "on", "sign_password": "not-my-password"}, "That is not your password"),
])
def test_an_approval_without_a_valid_signature_approves_nothing(client, signature, refusal):
    article = make_in_review()
    reviewer = make_reviewer()
    client.force_login(reviewer)
    page = client.post(review_url(article), approve_data(article, **signature)).content.decode()
    assert refusal in page
    assert Article.objects.get(pk=article.pk).status == "in_review"


def test_the_review_page_states_what_signing_means(client):
    article = make_in_review()
    client.force_login(make_reviewer())
    page = client.get(review_url(article)).content.decode()
    assert SIGNATURE_MEANING in page and "Your password, to sign" in page


def test_a_signed_approval_records_signer_credentials_time_meaning_and_content_hash(client):
    article = make_in_review()
    submitted_hash = Article.objects.get(pk=article.pk).submitted_hash
    reviewer = make_reviewer(credentials="MD, FRCP")
    client.force_login(reviewer)
    response = client.post(review_url(article), approve_data(article))
    assert response.status_code == 302
    row = AuditEntry.objects.filter(article=article, action="approve").get()
    signature = row.details["signature"]
    assert signature["signer"] == reviewer.username and signature["credentials"] == "MD, FRCP"
    assert signature["meaning"] == SIGNATURE_MEANING and signature["content_hash"] == submitted_hash
    assert signature["method"] == "password" and signature["signed_at"]


def test_a_reviewer_with_a_second_factor_signs_with_it(client):
    article = make_in_review()
    reviewer = make_reviewer()
    enrol(client, reviewer)
    client.force_login(reviewer)
    device = TOTPDevice.objects.get(user=reviewer, confirmed=True)
    refused = client.post(review_url(article), approve_data(article)).content.decode()
    assert "Enter the current code from your authenticator app" in refused
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=False):
        signed = client.post(review_url(article), approve_data(article, sign_token=code_for(device)))
    assert signed.status_code == 302
    row = AuditEntry.objects.filter(article=article, action="approve").get()
    assert row.details["signature"]["method"] == "password and second factor"


def test_wrong_signing_passwords_count_as_failed_logins(client):
    from axes.models import AccessFailureLog
    article = make_in_review()
    client.force_login(make_reviewer())
    client.post(review_url(article), approve_data(article, sign_password="guess"))
    assert AccessFailureLog.objects.count() == 1


def test_the_back_office_view_on_site_shortcut_is_closed(client):
    from django.contrib.auth.models import User
    client.force_login(User.objects.create_superuser("root", "root@example.org", PASSWORD))
    assert client.get("/admin/r/1/1/").status_code == 404
