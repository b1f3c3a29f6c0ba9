"""Public pages about the people behind the articles: writers and medical reviewers.

One address space, /people/<slug>/. A person with a reviewer profile (a clinician) is found by the
profile's slug, which bylines of their reviews link to (the publication freezes it); anyone else by
username, which writers' bylines link to. A clinician who also writes is reached through both, and
the username address redirects to the profile's. A profile's former slugs (ProfileSlugHistory)
redirect permanently to its current one. No profile may take another person's username or another
profile's current or former slug (reviews.models.people_slug_conflict); should one still collide,
the current profile slug wins, then the username, then a former slug.

A person has a page only while a live publication names them as writer or reviewer: for anyone
else (an editor, a writer with only drafts) the answer is the same 404 as for a name never used,
so the site does not reveal who works on the desk.
"""
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render

from reviews.models import ProfileSlugHistory

from .caching import public_changed_at, public_response, versions
from .selectors import CARD_FIELDS, live_publications_by_person


def person_for_slug(slug: str):
    """The user a people-page slug names (profile slug first, then username), or None."""
    users = list(get_user_model().objects.select_related("reviewer_profile")
                 .filter(Q(reviewer_profile__slug=slug) | Q(username=slug))[:2])
    for user in users:
        profile = getattr(user, "reviewer_profile", None)
        if profile is not None and profile.slug == slug:
            return user
    return users[0] if users else None


def person_slug(user) -> str:
    profile = getattr(user, "reviewer_profile", None)
    return profile.slug if profile is not None and profile.slug else user.get_username()


def person_detail(request, slug):
    person, former = person_for_slug(slug), False
    if person is None:
        # An address a reviewer profile had before: bylines published then still link to it.
        old = ProfileSlugHistory.objects.select_related("profile__user").filter(slug=slug).first()
        person, former = (old.profile.user, True) if old else (None, False)
    if person is None:
        raise Http404("No such person.")
    publications = list(live_publications_by_person(person.pk)
                        .only(*CARD_FIELDS, "authors", "reviewer_id", "sign_offs").order_by("-published_at", "-pk"))
    if not publications:
        raise Http404("No such person.")
    canonical = person_slug(person)
    if slug != canonical:
        # Permanent from a former address, so search engines move the page; from a username, not:
        # the username answers again should the profile go.
        return redirect("public:person", slug=canonical, permanent=former)
    profile = getattr(person, "reviewer_profile", None)
    written = [p for p in publications if any(a.get("id") == person.pk for a in p.authors)]
    reviewed = [p for p in publications
                if p.reviewer_id == person.pk or any(s.get("id") == person.pk for s in p.sign_offs)]
    name = person.get_full_name() or person.get_username()
    context = {"name": name, "profile": profile, "written": written, "reviewed": reviewed}
    return public_response(
        request,
        etag_parts=("person", person.pk, name,
                    (profile.slug, profile.credentials, profile.specialty, profile.bio) if profile else None,
                    versions(written), versions(reviewed)),
        changed=[public_changed_at(), *(p.published_at for p in publications)],
        render=lambda: render(request, "public/person_detail.html", context),
    )
