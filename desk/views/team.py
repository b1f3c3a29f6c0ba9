"""The team, run from the desk by editors: who is on it, inviting people, their roles, their reviewer
profiles, and their access. Anyone else gets 403 (or the login page).

A new person has no password: the invitation mails a link to Django's own password-reset view
(WelcomeView), so the password is chosen by its owner and never passes through an editor.
"""
from functools import wraps

from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import PasswordResetConfirmView
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from reviews.models import ReviewerProfile
from reviews.permissions import REVIEWERS, is_editor

from reviews.team import (describe_roles, role_names, password_link_days, person_invite, person_profile_save, person_set_active,
                          person_set_roles)

from ..forms.team import InviteForm, ReviewerProfileForm, RolesForm

User = get_user_model()
PAGE_SIZE = 25
CREDENTIALS_NEEDED = "Add their credentials in the reviewer profile below: approval needs them."


def editor_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_editor(request.user):
            raise PermissionDenied("Only editors manage the team.")
        return view(request, *args, **kwargs)
    return wrapper


def _with_roles(queryset):
    """People with `roles` (their role groups, in a list) and their reviewer profile, in three
    queries however many there are."""
    return queryset.select_related("reviewer_profile").prefetch_related(
        Prefetch("groups", queryset=Group.objects.filter(name__in=role_names()).order_by("name"), to_attr="roles"))


def _name(person) -> str:
    return person.get_full_name() or person.get_username()


@never_cache
@editor_required
def team(request):
    people = _with_roles(User.objects.order_by("-is_active", "first_name", "last_name", "username"))
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "desk/team/team_list.html", {"page": page})


@never_cache
@editor_required
def team_invite(request):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = person_invite(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if send_password_link(request, person, invited_by=request.user):
                messages.success(request, f"Invitation sent to {person.email}. {_name(person)} logs in as "
                                          f"{person.username} once they have chosen a password.")
            if REVIEWERS in form.cleaned_data["roles"]:
                messages.info(request, CREDENTIALS_NEEDED)
            return redirect("desk:team_person", pk=person.pk)
    return render(request, "desk/team/team_invite.html", {"form": form, "days": password_link_days()})


def send_password_link(request, person, *, invited_by) -> bool:
    """Email `person` a link to choose their password, at this site's own address. A mail failure
    is reported to the editor, who can send the link again from the person's page."""
    path = reverse("desk:team_welcome", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
                                                "token": default_token_generator.make_token(person)})
    context = {
        "person": person, "name": _name(person), "invited_by": _name(invited_by),
        "first_time": not person.has_usable_password(),
        "roles": describe_roles({group.name for group in person.groups.filter(name__in=role_names())}),
        "link": request.build_absolute_uri(path), "login_url": request.build_absolute_uri(reverse("login")),
        "days": password_link_days(),
    }
    subject = " ".join(render_to_string("desk/team/password_link_subject.txt", context).split())
    body = render_to_string("desk/team/password_link_email.txt", context)
    try:
        EmailMessage(subject=subject, body=body, to=[person.email]).send()
    except Exception:  # noqa: BLE001 - the person exists either way; the editor is told and can resend
        messages.error(request, f"The email to {person.email} could not be sent. Use \"Email a link to set a "
                                "password\" on their page to try again.")
        return False
    return True


def _person_context(request, person, **forms) -> dict:
    profile = getattr(person, "reviewer_profile", None)
    holds = {group.name for group in person.roles}
    context = {
        "person": person, "profile": profile, "is_self": person.pk == request.user.pk,
        "days": password_link_days(),
        "roles_form": RolesForm(initial={"roles": sorted(holds)}),
        "profile_form": ReviewerProfileForm(instance=profile) if profile else ReviewerProfileForm(),
        "shows_profile": profile is not None or REVIEWERS in holds or "profile_form" in forms,
        "history": LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User),
                                           object_id=str(person.pk)).select_related("user")[:20],
    }
    context.update(forms)
    return context


def _person(pk):
    return get_object_or_404(_with_roles(User.objects.all()), pk=pk)


@never_cache
@editor_required
def team_person(request, pk):
    return _person_page(request, _person(pk))


def _person_page(request, person, **forms):
    """The person's page; a refused form comes back with what was typed and why."""
    return render(request, "desk/team/team_person.html", _person_context(request, person, **forms))


@editor_required
@require_POST
def team_roles(request, pk):
    person = _person(pk)
    form = RolesForm(request.POST)
    if form.is_valid():
        roles = set(form.cleaned_data["roles"])
        try:
            person_set_roles(person=person, roles=roles, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Roles saved: {_name(person)} is now {describe_roles(roles)}.")
            if REVIEWERS in roles and not ReviewerProfile.objects.filter(user=person).exists():
                messages.info(request, CREDENTIALS_NEEDED)
            return redirect("desk:team_person", pk=person.pk)
    return _person_page(request, person, roles_form=form)


@editor_required
@require_POST
def team_profile(request, pk):
    person = _person(pk)
    form = ReviewerProfileForm(request.POST, instance=getattr(person, "reviewer_profile", None))
    if form.is_valid():
        try:
            person_profile_save(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Reviewer profile of {_name(person)} saved. Readers see it on their "
                                      "public page.")
            return redirect("desk:team_person", pk=person.pk)
    return _person_page(request, person, profile_form=form)


@editor_required
@require_POST
def team_access(request, pk):
    person = _person(pk)
    active = request.POST.get("active") == "1"
    try:
        person_set_active(person=person, active=active, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{_name(person)} can log in again." if active else (
            f"{_name(person)} is deactivated and can no longer log in. Their articles, reviews and "
            "publications stay as they are."))
    return redirect("desk:team_person", pk=person.pk)


@editor_required
@require_POST
def team_password_link(request, pk):
    person = _person(pk)
    if not person.is_active:
        messages.error(request, "Reactivate them first: a deactivated person cannot log in.")
    elif not person.email:
        messages.error(request, "They have no email address to send the link to.")
    elif send_password_link(request, person, invited_by=request.user):
        messages.success(request, f"A link to set a password was sent to {person.email}.")
    return redirect("desk:team_person", pk=person.pk)


class WelcomeView(PasswordResetConfirmView):
    """The mailed link: the invited (or locked-out) person chooses a password, then logs in."""

    template_name = "desk/team/welcome.html"
    success_url = reverse_lazy("login")
    title = "Choose your password"

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, f"Password saved. Log in as {form.user.get_username()}.")
        return response
