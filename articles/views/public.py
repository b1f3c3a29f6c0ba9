"""Public pages. They read publications only: nothing here touches a working copy."""
from django.shortcuts import render
from django.utils import timezone

from ..selectors import live_publication_by_slug, live_publications


def home(request):
    publications = live_publications().only(
        "slug", "title", "summary", "published_at", "reviewer_name", "reviewer_credentials"
    )[:20]
    return render(request, "articles/home.html", {"publications": publications})


def article_detail(request, slug):
    publication = live_publication_by_slug(slug)
    return render(request, "articles/article_detail.html", {
        "publication": publication,
        "review_overdue": publication.next_review_due < timezone.localdate(),
    })
