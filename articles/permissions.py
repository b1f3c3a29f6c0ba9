"""Roles and the question "is this person a contributor to this article".

reviews.permissions.available_actions builds the full answer on these; articles code that only
needs "may this person see or change the working copy" asks here.
"""
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from reversion.models import Version

from .models import Article

WRITERS = "Writers"
REVIEWERS = "Medical reviewers"
EDITORS = "Editors"


def _group_names(user) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_cms_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._cms_group_names = cached
    return cached


def is_writer(user) -> bool:
    return WRITERS in _group_names(user)


def is_reviewer(user) -> bool:
    return REVIEWERS in _group_names(user)


def is_editor(user) -> bool:
    # Superusers run the desk like editors; they gain no exemption from the review rules.
    return user.is_authenticated and (user.is_superuser or EDITORS in _group_names(user))


def contributor_ids(article: Article) -> set[int]:
    """Authors, and everyone who saved a revision of the article since its last approval."""
    ids = set(article.authors.values_list("pk", flat=True))
    since = article.publications.order_by("-revision_id").values_list("revision_id", flat=True).first()
    versions = Version.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id=str(article.pk)
    )
    if since is not None:
        versions = versions.filter(revision_id__gt=since)
    ids.update(uid for uid in versions.values_list("revision__user_id", flat=True) if uid is not None)
    return ids


def is_contributor(user, article: Article) -> bool:
    return user.is_authenticated and user.pk in contributor_ids(article)


def can_view_working_copy(user, article: Article) -> bool:
    if not user.is_authenticated:
        return False
    if is_editor(user) or is_contributor(user, article):
        return True
    if is_reviewer(user):
        return (article.status in (Article.Status.IN_REVIEW, Article.Status.SCHEDULED)
                or article.live_publication_id is not None)
    return False


def can_edit(user, article: Article, *, contributor: bool | None = None) -> bool:
    """Edit, revert, submit and withdraw: editors, and writers who contribute to the article."""
    if is_editor(user):
        return True
    if not is_writer(user):
        return False
    return is_contributor(user, article) if contributor is None else contributor


def can_create(user) -> bool:
    return is_editor(user) or is_writer(user)


def article_for_view(user, pk: int) -> Article:
    """The article, or the same 404 whether it is missing or simply not this person's to see."""
    article = Article.objects.select_related("article_type").filter(pk=pk).first()
    if article is None or not can_view_working_copy(user, article):
        raise Http404("No article found.")
    return article
