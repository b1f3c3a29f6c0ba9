"""Each person's private autosave of the article editor, and the saves that put it to rest.

A draft is not a revision: it is never reviewed, never published and never shown to anyone but the
person who typed it. It holds the editor's fields as typed, under the form's own names, with the
version of the article the editor was opened on, so that a return to the editor can put them back
and a save on top of someone else's can be merged. A save from the editor deletes its draft in
the same transaction, so a draft exists exactly while something typed is not saved.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.errors import NotAllowed
from articles.models import Article
from articles.sanitize import check_limits

from .editing import article_create, article_update, refuse_unless_allowed
from .models import EditingDraft
from .permissions import may_create
from .states import Action, next_status

# The editor sends about twenty fields, and nine for each reference row (at most 100 rows). A
# draft holding more was not sent by the editor, and nothing would read the rest.
MAX_DRAFT_VALUES = 1_500


def refuse_unless_editable(by, article: Article | None) -> None:
    """The question a save asks, asked of an autosave: may this person edit this article now
    (NotAllowed: not theirs to edit; InvalidTransition: not in this state, e.g. in review)."""
    if article is None:
        if not may_create(by):
            raise NotAllowed("Only writers and editors can create articles.")
        return
    refuse_unless_allowed(by, article, Action.EDIT)
    next_status(article.status, Action.EDIT)


def draft_errors(fields: dict[str, list[str]]) -> dict[str, list[str]]:
    """The sanitizer's size and nesting limits, on every value: a draft keeps nothing a save would
    refuse to read. Each value is checked, not only the rich-text ones, because a draft is stored
    before anyone knows which field a name belongs to."""
    errors: dict[str, list[str]] = {}
    if sum(len(values) for values in fields.values()) > MAX_DRAFT_VALUES:
        errors["__all__"] = [f"The editor sent more than {MAX_DRAFT_VALUES:,} values; nothing was kept."]
    for name, values in fields.items():
        for value in values:
            try:
                check_limits(value)
            except ValidationError as exc:
                errors.setdefault(name, []).extend(exc.messages)
                break
    return errors


@transaction.atomic
def draft_save(*, by, article: Article | None, fields: dict[str, list[str]],
               base_version: int | None) -> EditingDraft:
    """Keep this person's editor fields for this article (None: the new article they are
    writing), replacing what was kept before. Raises ValidationError past the sanitizer's limits."""
    refuse_unless_editable(by, article)
    errors = draft_errors(fields)
    if errors:
        raise ValidationError(errors)
    if article is not None and (base_version is None or not 0 < base_version <= article.version):
        # Only a tampered form names a version the article never had; the current one is the
        # safe reading (a later save is then checked against it, as any save is).
        base_version = article.version
    draft, _ = EditingDraft.objects.update_or_create(
        user=by, article=article,
        defaults={"fields": fields, "base_version": base_version if article is not None else None,
                  "updated_at": timezone.now()},
    )
    return draft


def draft_of(user, article: Article | None) -> EditingDraft | None:
    """This person's draft of the article (None: of a new article), if any. Only ever their own."""
    if not user.is_authenticated:
        return None
    return EditingDraft.objects.filter(user=user, article=article).first()


@transaction.atomic
def draft_discard(*, by, article: Article | None) -> bool:
    """Throw away this person's draft of the article (None: of a new article). True if there was one."""
    deleted, _ = EditingDraft.objects.filter(user=by, article=article).delete()
    return bool(deleted)


@transaction.atomic
def article_create_and_forget_draft(*, by, **arguments) -> Article:
    """reviews.editing.article_create, and the new-article draft it saved goes with it."""
    article = article_create(by=by, **arguments)
    EditingDraft.objects.filter(user=by, article__isnull=True).delete()
    return article


@transaction.atomic
def article_update_and_forget_draft(*, article: Article, by, **arguments) -> Article:
    """reviews.editing.article_update, and this person's draft of the article goes with it: what
    it held is now a revision. A refused save (stale, wrong state, invalid) keeps the draft."""
    article = article_update(article=article, by=by, **arguments)
    EditingDraft.objects.filter(user=by, article=article).delete()
    return article
