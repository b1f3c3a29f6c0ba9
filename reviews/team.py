"""The team: who works on the desk, in which roles, with which reviewer credentials, and whether
they may still log in. Each write is one transaction with the rows it changes locked; they refuse
what would leave the desk without an editor, whichever page asked.
"""
import re

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .models import ReviewerProfile, ReviewStep
from .permissions import EDITORS, REVIEWERS, WRITERS

User = get_user_model()

CORE_ROLES = (
    (WRITERS, "Writer", "drafts articles and answers the reviewers"),
    (REVIEWERS, "Medical reviewer", "reviews, comments on and approves articles"),
    (EDITORS, "Editor", "runs the desk: every article, unpublishing, the team"),
)


def roles() -> list[tuple[str, str, str]]:
    """(group, label, what it does): the core roles, then each group that signs a review step
    (Pharmacists...), so a step added in the admin is a role an editor can give here."""
    steps = {}
    for name, step in ReviewStep.objects.values_list("group__name", "name").order_by("position", "name"):
        steps.setdefault(name, []).append(step)
    core = {name for name, _, _ in CORE_ROLES}
    return [*CORE_ROLES, *((name, name, "signs " + " and ".join(sorted(set(names))))
                           for name, names in sorted(steps.items()) if name not in core)]


def role_names() -> tuple[str, ...]:
    return tuple(name for name, _, _ in roles())


def role_choices() -> list[tuple[str, str]]:
    return [(name, f"{label}: {what}") for name, label, what in roles()]


def describe_roles(names) -> str:
    """"writer and medical reviewer", in the order of roles(); "no role" for none."""
    core = {name for name, _, _ in CORE_ROLES}
    # "medical reviewer" reads as a role; a group's own name ("Pharmacists") keeps its capital.
    labels = [label.lower() if name in core else label for name, label, _ in roles() if name in names]
    if not labels:
        return "no role"
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def suggested_username(email: str) -> str:
    """The part of the address before the @, in the characters a username may hold, made unique."""
    base = re.sub(r"[^\w.+-]", "", email.partition("@")[0].lower())[:140] or "person"
    username, n = base, 2
    while User.objects.filter(username__iexact=username).exists():
        username, n = f"{base}{n}", n + 1
    return username


# --- Forms ---


def _role_groups(names) -> list[Group]:
    return list(Group.objects.filter(name__in=[name for name in role_names() if name in names]))


def _lock_person(person) -> "User":
    # The Editors row first, then the person: every change to who may edit waits for the one before
    # it, so two editors removing each other at once cannot leave the desk with none.
    Group.objects.select_for_update().get(name=EDITORS)
    return User.objects.select_for_update().get(pk=person.pk)


def _record(by, person, message: str, flag=CHANGE) -> None:
    """One row of the team's history (django.contrib.admin's log: the back office shows it too)."""
    LogEntry.objects.log_actions(by.pk, [person], flag, message, single_object=True)


def _refuse_unless_another_editor(person, message: str) -> None:
    if not User.objects.filter(groups__name=EDITORS, is_active=True).exclude(pk=person.pk).exists():
        raise ValidationError(message)


@transaction.atomic
def person_invite(*, by, first_name: str, last_name: str, email: str, username: str, roles) -> "User":
    """An active person with the given roles and no password yet: they choose one from the
    invitation link (desk.views.team.send_password_link)."""
    username = username or suggested_username(email)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f'The username "{username}" is taken: choose another one.'})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Someone on the team already has this email address."})
    person = User(username=username, email=email, first_name=first_name, last_name=last_name, is_active=True)
    person.set_unusable_password()
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # the same username, invited by someone else a moment ago
        raise ValidationError({"username": f'The username "{username}" is taken: choose another one.'}) from exc
    person.groups.add(*_role_groups(roles))
    _record(by, person, f"Invited as {describe_roles(roles)}.", flag=ADDITION)
    return person


@transaction.atomic
def person_set_roles(*, person, roles, by) -> "User":
    """Give and take the three roles; any other group the person is in stays as it is."""
    person = _lock_person(person)
    holds = set(person.groups.filter(name__in=role_names()).values_list("name", flat=True))
    if EDITORS in holds and EDITORS not in roles and person.is_active:
        yourself = person.pk == by.pk
        _refuse_unless_another_editor(person, (
            "You are the last editor" if yourself else f"{person.get_full_name() or person.username} is the last editor"
        ) + ": give someone else the editor role first, so that someone can still run the desk.")
    person.groups.remove(*_role_groups(holds - set(roles)))
    person.groups.add(*_role_groups(set(roles) - holds))
    if holds != set(roles) & set(role_names()):
        _record(by, person, f"Roles: {describe_roles(holds)} → {describe_roles(roles)}.")
    return person


@transaction.atomic
def person_profile_save(*, person, by, credentials: str, registration_number: str, specialty: str,
                        bio: str, slug: str = "") -> ReviewerProfile:
    """Create or change the reviewer profile. Its public address (slug) is the one given, else a
    new profile's is made from the name and an existing one's is kept. A changed address is
    refused when it is someone else's (username, or a profile's current or former address); the
    old one then redirects to it (ReviewerProfile.save), so published bylines keep working."""
    profile = ReviewerProfile.objects.select_for_update().filter(user=person).first()
    if profile is None:
        if not person.groups.filter(name=REVIEWERS).exists():
            raise ValidationError("Give them the medical reviewer role first.")
        profile = ReviewerProfile(user=person)
    profile.credentials, profile.registration_number = credentials, registration_number
    profile.specialty, profile.bio = specialty, bio
    if slug:
        profile.slug = slug
    # An empty slug (a new profile's, until save() makes one) is not checked; a given one is, by
    # the field's validators and ReviewerProfile.clean.
    profile.full_clean(exclude=["user"] if profile.slug else ["slug", "user"])
    created = profile.pk is None
    profile.save()
    _record(by, person, "Reviewer profile " + ("created" if created else "changed") + f": {profile.credentials}.")
    return profile


@transaction.atomic
def person_set_active(*, person, active: bool, by) -> "User":
    """Deactivate (they can no longer log in; everything they wrote, reviewed or published stays)
    or reactivate."""
    person = _lock_person(person)
    if not active:
        if person.pk == by.pk:
            raise ValidationError("You cannot deactivate yourself: ask another editor.")
        if person.is_active and person.groups.filter(name=EDITORS).exists():
            _refuse_unless_another_editor(person, f"{person.get_full_name() or person.username} is the last "
                                                  "editor: give someone else the editor role first.")
    if person.is_active != active:
        person.is_active = active
        person.save(update_fields=["is_active"])
        _record(by, person, "Reactivated." if active else "Deactivated.")
    return person


def password_link_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
