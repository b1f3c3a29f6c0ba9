"""Reads for pages. Public reads touch only publications, never working copies."""
from django.db.models import F
from django.http import Http404

from .models import Publication, RevisionMeta


def live_publications():
    """Publications that are the live version of their article."""
    return Publication.objects.filter(pk=F("article__live_publication_id"))


def live_publication_by_slug(slug: str) -> Publication:
    """The live snapshot, or the same 404 for a draft, a withdrawn article or a slug never used."""
    publication = live_publications().filter(slug=slug).first()
    if publication is None:
        raise Http404("No article found.")
    return publication


def article_history(article):
    """Every revision of the article, newest first, with who, when, comment and state."""
    return (RevisionMeta.objects.filter(article=article)
            .select_related("revision", "revision__user")
            .order_by("-revision_id"))
