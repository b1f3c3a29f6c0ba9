"""Reads for the public pages. They touch publications only, never working copies."""
from django.db.models import Count, Q
from django.http import Http404

from articles.models import ArticleSlugHistory, Correction, LiveListing, Publication
from articles.selectors import live_publications


def live_publication_by_slug(slug: str) -> Publication:
    """The live snapshot, or the same 404 for a draft, a withdrawn article or a slug never used."""
    publication = live_publications().filter(slug=slug).first()
    if publication is None:
        raise Http404("No article found.")
    return publication


def moved_to(slug: str) -> str | None:
    """The slug of the live publication of the article that used to be at `slug` (its former
    slug, ArticleSlugHistory), or None: never used, or that article is not live. One query."""
    target = (ArticleSlugHistory.objects.filter(slug=slug, article__live_publication__isnull=False)
              .values_list("article__live_publication__slug", flat=True).first())
    return target if target and target != slug else None


def visible_corrections(publication: Publication):
    """The corrections log readers see beside this publication, newest first."""
    return (Correction.objects.filter(article_id=publication.article_id, published_at__isnull=False,
                                      withdrawn_at__isnull=True)
            .only("kind", "note", "published_at").order_by("-published_at", "-id"))


# --- Public lists. Each is one query; the fields are the ones a publication card shows. ---

CARD_FIELDS = ("slug", "title", "summary", "published_at", "reviewed_at", "reviewer_name",
               "reviewer_credentials")


def public_cards(queryset=None):
    """Live publications with only what a card shows, newest first."""
    return (queryset if queryset is not None else live_publications()).only(*CARD_FIELDS).order_by(
        "-published_at", "-pk")


# --- The lists of a topic and of a person, read from the rows that name each live publication's
# topics, writers and reviewers (articles.models.LiveListing, kept with Article.live_publication),
# not from every snapshot's JSON: a page is a slice of an index and a count reads the index only,
# however many articles the topic or the person has. ---

class ListedPublications:
    """The live publications listed under one name (LiveListing fields), newest first, as a
    Paginator reads them: count() counts the name's index entries, and a slice is taken off that
    index (an OFFSET skips index entries, not publications) before the slice's publications, and
    only those, are read in the same query. Page 150 of a reviewer's list costs what page 1 does."""

    def __init__(self, fields=(), **name):
        self.name, self.fields = name, fields
        self.listings = LiveListing.objects.filter(**name).order_by("-published_at", "-publication_id")

    def only(self, *fields) -> "ListedPublications":
        return ListedPublications(fields, **self.name)

    def count(self) -> int:
        return self.listings.count()

    def __getitem__(self, window: slice) -> list[Publication]:
        ids = self.listings.values("publication_id")[window]
        publications = Publication.objects.filter(pk__in=ids).order_by("-published_at", "-pk")
        return list(publications.only(*self.fields) if self.fields else publications)


def live_publications_in_topic(slug: str) -> ListedPublications:
    """Live publications filed under the topic, by the topics frozen in each snapshot; newest first."""
    return ListedPublications(role=LiveListing.Role.TOPIC, topic=slug)


def live_publications_by_person(user_id: int):
    """Live publications the person wrote (as the snapshot's byline says) or signed a review step of."""
    return Publication.objects.filter(
        pk__in=LiveListing.objects.filter(person_id=user_id).values("publication_id"))


def live_publications_written_by(user_id: int) -> ListedPublications:
    """Newest first."""
    return ListedPublications(person_id=user_id, role=LiveListing.Role.WRITER)


def live_publications_reviewed_by(user_id: int) -> ListedPublications:
    """Reviewed: the last signer (reviewer) or the signer of any step (sign_offs); newest first."""
    return ListedPublications(person_id=user_id, role=LiveListing.Role.REVIEWER)


def person_counts(user_id: int) -> dict[str, int]:
    """{"written": n, "reviewed": m} in one query, read from the index of the person's rows only."""
    return LiveListing.objects.filter(person_id=user_id).aggregate(
        written=Count("role", filter=Q(role=LiveListing.Role.WRITER)),
        reviewed=Count("role", filter=Q(role=LiveListing.Role.REVIEWER)))
