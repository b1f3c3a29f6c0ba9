"""Accounts fit for medical sign-off: second factors (an authenticator app and one-time recovery
codes, through django-otp), who must have one, and re-authentication for an electronic
signature. Views (desk.views.account) stay thin over these functions."""
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .permissions import is_editor, is_reviewer

RECOVERY_CODES = 10
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
SETUP_DEVICE_NAME = "Authenticator app (being set up)"
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def second_factor_expected(user) -> bool:
    """Reviewers, editors and staff sign or publish medical content: a second factor is theirs to
    have (required when settings.TWO_FACTOR_REQUIRED); writers may enrol."""
    return bool(user.is_authenticated and (user.is_staff or is_reviewer(user) or is_editor(user)))


def second_factor_required(user) -> bool:
    return settings.TWO_FACTOR_REQUIRED and second_factor_expected(user)


def has_second_factor(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def verify_second_factor(user, token: str):
    """The confirmed device that accepts this code (an app's 6 digits or a recovery code), or
    None. A recovery code is used up."""
    token = "".join((token or "").split())
    if not token:
        return None
    return match_token(user, token)


@transaction.atomic
def app_setup_start(user) -> TOTPDevice:
    """A new, unconfirmed authenticator-app device (replacing an earlier unfinished one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=SETUP_DEVICE_NAME, confirmed=False)


def app_setup_pending(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()


@transaction.atomic
def app_setup_confirm(user, token: str) -> list[str]:
    """Confirm the app with a code it shows; returns fresh recovery codes (shown once)."""
    device = app_setup_pending(user)
    if device is None:
        raise ValidationError({"token": "Start the set-up again: there is no app waiting to be confirmed."})
    if not device.verify_token("".join((token or "").split())):
        raise ValidationError({"token": "That code does not match. Check the phone's clock and try the "
                                        "newest code."})
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.name = APP_DEVICE_NAME
    device.save(update_fields=["confirmed", "name"])
    return recovery_codes_renew(user)


@transaction.atomic
def recovery_codes_renew(user) -> list[str]:
    """Ten new one-time codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    # 12 characters from an alphabet without look-alikes (about 58 bits), shown as xxxx-xxxx-xxxx:
    # 14 characters, within django-otp's 16.
    codes = ["-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3))
             for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def second_factor_remove(user) -> None:
    """Turn two factors off; refused while the person is required to have them."""
    if second_factor_required(user):
        raise ValidationError("Reviewers and editors must keep a second factor on this site.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# --- Electronic signature (a review sign-off) ---

SIGNATURE_MEANING = "I have medically reviewed this revision and approve its publication."


@dataclass(frozen=True)
class Signature:
    """What the signer confirmed, and how they proved it was them, at the moment of signing."""

    meaning: str
    method: str      # "password" or "password and second factor"
    signed_at: str   # ISO 8601


def signature_confirm(*, user, request, password: str, token: str, meaning_confirmed: bool) -> Signature:
    """Re-authenticate a reviewer signing a review step: the meaning acknowledged, the password
    again, and the second factor when they have one. Each failure names its field. A wrong
    password counts as a failed login (django-axes), so signing cannot be used to guess it."""
    errors = {}
    if not meaning_confirmed:
        errors["sign_meaning"] = "Tick the statement to sign: it is what your approval means."
    if not password:
        errors["sign_password"] = "Enter your password to sign."
    elif not user.check_password(password):
        errors["sign_password"] = "That is not your password. Nothing was approved."
        user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    method = "password"
    if has_second_factor(user):
        if verify_second_factor(user, token) is None:
            errors["sign_token"] = "Enter the current code from your authenticator app (or a recovery code)."
        method = "password and second factor"
    if errors:
        raise ValidationError(errors)
    return Signature(meaning=SIGNATURE_MEANING, method=method, signed_at=timezone.now().isoformat())
