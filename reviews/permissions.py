"""One answer to "may this person do that": roles, contributors, and available_actions.

Templates draw buttons from available_actions, views check it, and the workflow services check it
again (role_refusal), so nothing offers an action a service will refuse. Whether the state allows
an action is read from the state table (reviews.states); whether the person may, from their roles.
Roles are groups; a person may hold several.
"""
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from reversion.models import Version

from articles.models import Article, Publication

from .states import TRANSITIONS, Action
from .steps import progress, reviewer_group_names

WRITERS = "Writers"
REVIEWERS = "Medical reviewers"
EDITORS = "Editors"


def group_names(user) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_cms_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._cms_group_names = cached
    return cached


def is_writer(user) -> bool:
    return WRITERS in group_names(user)


def is_reviewer(user) -> bool:
    """A member of a group that signs a review step (the medical reviewers, the pharmacists...)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_cms_is_reviewer", None)
    if cached is None:
        cached = bool(group_names(user) & reviewer_group_names())
        user._cms_is_reviewer = cached
    return cached


def is_editor(user) -> bool:
    # Superusers run the desk like editors; they gain no exemption from the review rules.
    return user.is_authenticated and (user.is_superuser or EDITORS in group_names(user))


def contributor_ids(article: Article) -> set[int]:
    """Authors, and everyone who saved a revision of the article since its last approval.

    Kept on the article object, as reviews.steps.progress keeps the review: a page asks it several
    times (may they see it, which buttons). Keyed on the fields every change of the answer moves:
    a save bumps the version, an approval sets a publication.
    """
    key = (article.version, article.status, article.live_publication_id, article.scheduled_publication_id)
    cached = getattr(article, "_contributor_ids", None)
    if cached is not None and cached[0] == key:
        return set(cached[1])
    ids = _contributor_ids(article)
    article._contributor_ids = (key, frozenset(ids))
    return ids


def _contributor_ids(article: Article) -> set[int]:
    ids = set(article.authors.values_list("pk", flat=True))
    since = article.publications.order_by("-revision_id").values_list("revision_id", flat=True).first()
    # get_for_object filters on db as well as content type and object id, as reversion writes the
    # rows: the leading columns of reversion's unique index (db, content_type, object_id, revision),
    # which PostgreSQL cannot use without db.
    versions = Version.objects.get_for_object(article).order_by()
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


def authored_by(user) -> Exists:
    """For a filter over articles: `user` is one of the authors. Exists rather than a join through
    authors, which would repeat an article once per author whenever another branch of an OR
    matches."""
    return Exists(Article.authors.through.objects.filter(article=OuterRef("pk"), user=user))


def saved_since_last_approval(user) -> Exists:
    """For a filter over articles: `user` saved a revision after the revision of the latest
    publication (revision ids only grow): the rest of contributor_ids, as SQL."""
    last_approved = Coalesce(Subquery(
        Publication.objects.filter(article=OuterRef(OuterRef("pk"))).order_by("-revision_id")
        .values("revision_id")[:1]
    ), Value(0))
    # get_for_model adds db (the alias reversion writes), so the index on (db, content_type,
    # object_id, revision) applies, as in contributor_ids: each article is one probe of it.
    return Exists(Version.objects.get_for_model(Article).filter(
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        revision__user=user, revision_id__gt=last_approved))


def viewable_articles(user, articles: QuerySet | None = None) -> QuerySet:
    """The articles (of `articles`, default all) whose working copy this person may see: the
    answer of can_view_working_copy, asked of a whole list in one query (the back office's lists).
    The two must agree; tests/test_admin_permissions.py compares them article by article."""
    articles = Article.objects.all() if articles is None else articles
    if not user.is_authenticated:
        return articles.none()
    if is_editor(user):
        return articles
    visible = Q(authored_by(user)) | Q(saved_since_last_approval(user))
    if is_reviewer(user):
        visible |= (Q(status__in=[Article.Status.IN_REVIEW, Article.Status.SCHEDULED])
                    | Q(live_publication__isnull=False))
    return articles.filter(visible)


def _writer_side(user, article: Article, *, contributor: bool | None = None) -> bool:
    """Edit, revert, submit and withdraw: editors, and writers who contribute to the article."""
    if is_editor(user):
        return True
    if not is_writer(user):
        return False
    return is_contributor(user, article) if contributor is None else contributor


def may_create(user) -> bool:
    """Start a new article or upload an image for one: writers and editors."""
    return is_editor(user) or is_writer(user)


def may_triage_feedback(user) -> bool:
    """Read readers' reports of problems and act on them (dismiss, note, send to re-review):
    editors, who run the desk. Readers' email addresses are shown to them alone; a reviewer sees
    the reports sent to their review on the review page."""
    return is_editor(user)


def article_for_view(user, pk: int) -> Article:
    """The article, or the same 404 whether it is missing or simply not this person's to see."""
    article = Article.objects.select_related("article_type").filter(pk=pk).first()
    if article is None or not can_view_working_copy(user, article):
        raise Http404("No article found.")
    return article


def _state_allows(article: Article, action: Action) -> bool:
    if action == Action.UNPUBLISH and article.live_publication_id is None:
        return False
    return (article.status, action) in TRANSITIONS


def role_refusal(user, article: Article, action: Action, *, contributor: bool | None = None) -> str | None:
    """Why this person may not take this action, or None when their role allows it."""
    if not user.is_authenticated:
        return "Log in first."
    if contributor is None:
        contributor = user.pk in contributor_ids(article)
    editor = is_editor(user)
    if action in (Action.EDIT, Action.REVERT, Action.WAIVE_FINDING, Action.SUBMIT, Action.WITHDRAW,
                  Action.UNSCHEDULE):
        if _writer_side(user, article, contributor=contributor):
            return None
        return "Only the article's writers and editors can do this."
    if action in (Action.APPROVE, Action.SCHEDULE, Action.REQUEST_CHANGES, Action.COMMENT):
        if not is_reviewer(user):
            return "Only medical reviewers can review articles."
        if contributor:
            return ("You wrote or changed this article since its last approval, so another "
                    "reviewer must review it.")
        if action in (Action.APPROVE, Action.SCHEDULE):
            return _step_refusal(user, article)
        return None
    if action == Action.UNPUBLISH:
        return None if editor else "Only editors can unpublish an article."
    if action == Action.GO_LIVE:
        return "Scheduled articles go live by themselves (publish_scheduled)."
    return "Unknown action."


def _step_refusal(user, article: Article) -> str | None:
    """Who may sign the step the review is at: a member of its group who signed no other step of
    this review."""
    review = progress(article)
    step = review.current
    if step is None:
        return None
    if step.group.name not in group_names(user):
        return f"The next step, {step.name}, is signed by a member of {step.group.name}."
    if user.pk in review.signer_ids:
        return (f"You signed an earlier step of this review; {step.name} needs a second person, "
                "so one person never signs twice.")
    return None


def may(user, article: Article, action: Action) -> bool:
    """One question of available_actions: may this person take this action on this article now."""
    return action in available_actions(user, article)


def available_actions(user, article: Article) -> frozenset[Action]:
    if not user.is_authenticated:
        return frozenset()
    contributor = user.pk in contributor_ids(article)
    return frozenset(
        action for action in Action
        if _state_allows(article, action)
        and role_refusal(user, article, action, contributor=contributor) is None
    )


COMMENT_VERBS = ("reply", "answer", "resolve")


def comment_refusal(user, article: Article, verb: str, *, contributor: bool | None = None) -> str | None:
    """Why this person may not reply to, answer or resolve a comment on this article, or None.

    The writer's side answers (writers who may edit, and editors); reviewers who may review the
    article resolve, whoever opened the comment; both sides reply.
    """
    if not user.is_authenticated:
        return "Log in first."
    if contributor is None:
        contributor = user.pk in contributor_ids(article)
    writer_side = _writer_side(user, article, contributor=contributor)
    reviewer_side = role_refusal(user, article, Action.COMMENT, contributor=contributor) is None
    if verb == "answer":
        return None if writer_side else ("Only the article's writers and editors mark a comment answered; "
                                         "a reviewer resolves it.")
    if verb == "resolve":
        return None if reviewer_side else ("Only a medical reviewer who did not change the article resolves "
                                           "its comments; the writer marks them answered.")
    if verb == "reply":
        return None if writer_side or reviewer_side else "Only the article's writers and its reviewers reply."
    return "Unknown action."


def comment_verbs(user, article: Article) -> frozenset[str]:
    """What this person may do with the comments of this article (states aside), asked once a page."""
    if not user.is_authenticated:
        return frozenset()
    contributor = user.pk in contributor_ids(article)
    return frozenset(verb for verb in COMMENT_VERBS
                     if comment_refusal(user, article, verb, contributor=contributor) is None)


# --- Review assignments (reviews.assignments) ---

def may_assign_reviews(user) -> bool:
    """Hand a review step to someone, or change when it is due: editors, who run the desk."""
    return is_editor(user)


def step_taker_refusal(person, article: Article, *, yourself: bool = False) -> str | None:
    """Why `person` may not be given, or take, the step the article's review waits for, or None.

    The same rule as signing it (role_refusal for APPROVE: a member of the step's group who did
    not write or change the article and signed no earlier step of this review), in words about
    the person named (an editor reads it about someone else), or about "you" when `yourself`.
    Inactive accounts are refused.
    """
    name = "You" if yourself else person.get_full_name() or person.get_username()
    are = "are" if yourself else "is"
    if not person.is_active:
        return f"{name}r account is switched off." if yourself else f"{name}'s account is switched off."
    if article.status != Article.Status.IN_REVIEW:
        return "The article is not in review."
    review = progress(article)
    step = review.current
    if step is None:
        return "Every step of this review is signed."
    if step.group.name not in group_names(person):
        return f"{name} {are} not in {step.group.name}, who sign the {step.name}."
    if person.pk in contributor_ids(article):
        return f"{name} wrote or changed this article since its last approval, so may not review it."
    if person.pk in review.signer_ids:
        return f"{name} signed an earlier step of this review; the {step.name} needs a second person."
    return None
