"""Reads for the public pages. They touch publications only, never working copies."""
from django.db import connection
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL
from django.http import Http404

from articles.models import Correction, Publication
from articles.selectors import live_publications


def live_publication_by_slug(slug: str) -> Publication:
    """The live snapshot, or the same 404 for a draft, a withdrawn article or a slug never used."""
    publication = live_publications().filter(slug=slug).first()
    if publication is None:
        raise Http404("No article found.")
    return publication


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


def _json_list_holds(field: str, key: str, value) -> Q:
    """Publications whose JSON list `field` holds an object with `key` equal to `value`.

    PostgreSQL answers with jsonb containment (@>). SQLite has no containment operator for JSON,
    so it walks the list with json_each; the value is a bound parameter either way.
    """
    assert key.isidentifier(), key  # keys come from code; values are bound parameters
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__contains": [{key: value}]})
    table = Publication._meta.db_table
    column = Publication._meta.get_field(field).column
    return Q(pk__in=RawSQL(
        f'SELECT p.id FROM "{table}" p, json_each(p."{column}") item '
        f"WHERE json_extract(item.value, '$.{key}') = %s", [value]))


def live_publications_in_topic(slug: str):
    """Live publications filed under the topic, by the topics frozen in each snapshot."""
    return live_publications().filter(_json_list_holds("topics", "slug", slug))


def _wrote(user_id: int) -> Q:
    return _json_list_holds("authors", "id", user_id)


def _reviewed(user_id: int) -> Q:
    return Q(reviewer_id=user_id) | _json_list_holds("sign_offs", "id", user_id)


def live_publications_by_person(user_id: int):
    """Live publications the person wrote (as the snapshot's byline says) or signed a review step of."""
    return live_publications().filter(_wrote(user_id) | _reviewed(user_id))


def live_publications_written_by(user_id: int):
    return live_publications().filter(_wrote(user_id))


def live_publications_reviewed_by(user_id: int):
    """Reviewed: the last signer (reviewer) or the signer of any step (sign_offs)."""
    return live_publications().filter(_reviewed(user_id))


def person_counts(user_id: int) -> dict[str, int]:
    """{"written": n, "reviewed": m} in one query. On PostgreSQL the GIN indexes on authors and
    sign_offs and the index on reviewer find the rows (a BitmapOr), whatever the size of the site."""
    return live_publications_by_person(user_id).aggregate(
        written=Count("pk", filter=_wrote(user_id)), reviewed=Count("pk", filter=_reviewed(user_id)))
