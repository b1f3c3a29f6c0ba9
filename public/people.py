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

The two lists, written and reviewed, are paginated each by its own parameter (?written=2,
?reviewed=3), with their counts read in one aggregate query. Lists and counts come from the rows
naming each live publication's people (articles.models.LiveListing): a page is an index range
scan and a count reads the index only, for a reviewer of thousands of articles as for one of
three. The person (name, profile) is read on every request, since it changes without a publish;
the lists are read only when the version kept for this person and these pages is stale
(caching.public_page).
"""
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.functional import cached_property

from reviews.models import ProfileSlugHistory

from .caching import Page, public_changed_at, public_page, versions
from .selectors import (
    live_publications_by_person,
    live_publications_reviewed_by,
    live_publications_written_by,
    person_counts,
)
from .views import PER_PAGE, page_number

LIST_FIELDS = ("slug", "title", "published_at", "reviewed_at")


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


class CountedPaginator(Paginator):
    """A Paginator told its count, read beforehand with another in one aggregate query."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _list_page(queryset, count: int, number: int):
    """One page of a person's list (the selector's order: newest first); no query for an empty list."""
    listed = queryset.only(*LIST_FIELDS) if count else []
    return CountedPaginator(listed, PER_PAGE, count=count).get_page(number)


def person_detail(request, slug):
    person, former = person_for_slug(slug), False
    if person is None:
        # An address a reviewer profile had before: bylines published then still link to it.
        old = ProfileSlugHistory.objects.select_related("profile__user").filter(slug=slug).first()
        person, former = (old.profile.user, True) if old else (None, False)
    if person is None:
        raise Http404("No such person.")
    canonical = person_slug(person)
    if slug != canonical:
        if not live_publications_by_person(person.pk).exists():
            raise Http404("No such person.")
        # Permanent from a former address, so search engines move the page; from a username, not:
        # the username answers again should the profile go.
        return redirect("public:person", slug=canonical, permanent=former)
    profile = getattr(person, "reviewer_profile", None)
    name = person.get_full_name() or person.get_username()
    numbers = page_number(request, "written"), page_number(request, "reviewed")

    def load() -> Page:
        counts = person_counts(person.pk)
        if not counts["written"] and not counts["reviewed"]:
            raise Http404("No such person.")
        written = _list_page(live_publications_written_by(person.pk), counts["written"], numbers[0])
        reviewed = _list_page(live_publications_reviewed_by(person.pk), counts["reviewed"], numbers[1])
        context = {"name": name, "profile": profile, "written": written, "reviewed": reviewed}
        return Page(
            etag_parts=("person", person.pk, written.number, counts["written"], versions(written),
                        reviewed.number, counts["reviewed"], versions(reviewed)),
            changed=[public_changed_at(), *(p.published_at for p in (*written, *reviewed))],
            render=lambda: render(request, "public/person_detail.html", context),
        )

    return public_page(
        request, f"person:{person.pk}:{numbers[0]}:{numbers[1]}", load,
        # Read on every request: a name, a username or a profile changes without a publish.
        extra_parts=(canonical, name, (profile.credentials, profile.specialty, profile.bio) if profile else None),
    )
