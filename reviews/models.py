from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article
from articles.sections import SECTION_CHOICES

# (key, question, mandatory for approval), in the order the reviewer answers them.
CHECKLIST = (
    ("accuracy", "The content is medically accurate.", True),
    ("claims_substantiated", "Every claim is substantiated by the cited sources.", True),
    ("sources_adequate", "The sources are adequate: current, relevant and of sound quality.", True),
    ("safety_sections_complete", "The safety sections are complete for this kind of article.", True),
    ("dosing_safe", "Any dosing information is safe, sourced, and never self-titration advice.", True),
    ("regulatory_framing", "The legal and regulatory status is framed correctly.", True),
    ("balance", "Benefits and harms are presented in balance.", False),
    ("uncertainty_stated", "Uncertainty and gaps in the evidence are stated.", False),
    ("alternatives", "Alternatives, including no treatment, are mentioned where relevant.", False),
    ("supports_clinical_care", "The article supports, rather than replaces, clinical care.", False),
    ("no_commercial_content", "There is no commercial content: no products, shops or calls to buy.", True),
    ("dates_current", "Dates, figures and guidance are current.", False),
    ("clear_for_audience", "The article is clear for its intended audience.", False),
    ("no_conflict_of_interest", "I have no conflict of interest with this article.", False),
)
CHECKLIST_KEYS = tuple(key for key, _, _ in CHECKLIST)
MANDATORY_CHECKLIST_KEYS = tuple(key for key, _, mandatory in CHECKLIST if mandatory)

# Where a reviewer's comment can point: the article's own fields and every safety section.
COMMENT_TARGETS = [
    ("general", "The whole article"), ("title", "Title"), ("summary", "Summary"), ("body", "Body"),
    *SECTION_CHOICES,
    ("references", "References"),
]


class ReviewerProfile(models.Model):
    """A clinician's credentials. Approval needs one with credentials filled in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile")
    slug = models.SlugField(
        max_length=100, unique=True, blank=True,
        help_text="Their public page's address, /people/<slug>/. Empty: made from the name. "
                  "A former address keeps working: it redirects to the new one.")
    credentials = models.CharField(max_length=100, help_text="As shown to readers, e.g. MD, PharmD, RN.")
    specialty = models.CharField(max_length=150, blank=True)
    registration_number = models.CharField(
        max_length=50, blank=True, help_text="Professional register and number, e.g. GMC 1234567."
    )
    bio = models.TextField(blank=True, help_text="Plain text shown on the reviewer's public page.")

    def __str__(self):
        return f"{self.display_name}, {self.credentials}"

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    def clean(self):
        super().clean()
        problem = people_slug_conflict(self.slug, user_id=self.user_id) if self.slug else None
        if problem:
            raise ValidationError({"slug": problem})

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(self.display_name)[:90] or "reviewer"
            slug, n = base, 2
            # Two clinicians may share a name; their public pages may not share an address, nor take
            # another person's username, which is the address of a writer's page (public.people).
            while people_slug_conflict(slug, user_id=self.user_id):
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        update_fields = kwargs.get("update_fields")
        if self.pk is None or (update_fields is not None and "slug" not in update_fields):
            return super().save(*args, **kwargs)
        # Here rather than in a service: the back office saves profiles too, and a byline published
        # under the old address must keep reaching this person (public.people redirects it).
        with transaction.atomic():
            former = ReviewerProfile.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
            super().save(*args, **kwargs)
            if former and former != self.slug:
                ProfileSlugHistory.objects.filter(profile=self, slug=self.slug).delete()  # taken back
                ProfileSlugHistory.objects.get_or_create(profile=self, slug=former)


class ProfileSlugHistory(models.Model):
    """An address a reviewer profile had before: /people/<slug>/ redirects from it to the current
    one (published bylines froze it), and no one else may take it."""

    profile = models.ForeignKey(ReviewerProfile, on_delete=models.CASCADE, related_name="former_slugs")
    slug = models.SlugField(max_length=100, unique=True)
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "profile slug history"

    def __str__(self):
        return f"{self.slug} (now {self.profile.slug})"


def people_slug_conflict(slug: str, *, user_id) -> str | None:
    """Why `slug` may not be the people-page address of user_id's reviewer profile, or None.

    /people/<slug>/ names a profile by its slug and anyone else by username (public.people), so a
    profile may not take another person's username, nor another profile's address, current or
    former. Compared ignoring case, as a reader would type it.
    """
    if get_user_model().objects.filter(username__iexact=slug).exclude(pk=user_id).exists():
        return (f'"{slug}" is another person\'s username, the address of their public page: '
                "choose another address.")
    if ReviewerProfile.objects.filter(slug__iexact=slug).exclude(user_id=user_id).exists():
        return f'"{slug}" is another reviewer\'s address: choose another one.'
    if ProfileSlugHistory.objects.filter(slug__iexact=slug).exclude(profile__user_id=user_id).exists():
        return (f'"{slug}" was another reviewer\'s address, and their published bylines still link to '
                "it: choose another one.")
    return None


class ReviewStep(models.Model):
    """One sign-off an article of a type needs before it is published, in order: "Medical review",
    then for medicines "Pharmacist review". Data an editor changes in the admin; each step is
    signed by a member of its group, each by a different person, all on the same content hash."""

    article_type = models.ForeignKey("articles.ArticleType", on_delete=models.CASCADE, related_name="review_steps")
    position = models.PositiveSmallIntegerField(help_text="Order of the step: 1 is signed first.")
    name = models.CharField(max_length=100, help_text='As shown on the desk and to readers, e.g. "Pharmacist review".')
    group = models.ForeignKey("auth.Group", on_delete=models.PROTECT, related_name="+",
                              help_text="Members of this group may sign the step.")
    credentials_required = models.BooleanField(
        default=True, help_text="The signer needs a reviewer profile with credentials (MD, PharmD...).")
    checklist = models.JSONField(
        default=list, blank=True,
        help_text="Keys of the reviewer checklist this step answers; empty means the whole checklist.")

    class Meta:
        ordering = ["article_type", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article_type", "position"], name="one_review_step_per_position"),
        ]

    def __str__(self):
        return f"{self.article_type}: {self.position}. {self.name}"

    def clean(self):
        unknown = [key for key in self.checklist or [] if key not in CHECKLIST_KEYS]
        if not isinstance(self.checklist, list) or unknown:
            raise ValidationError({"checklist": f"A list of checklist keys; unknown: {', '.join(map(str, unknown))}. "
                                                f"Known: {', '.join(CHECKLIST_KEYS)}."})

    def checklist_keys(self) -> tuple[str, ...]:
        return tuple(key for key in CHECKLIST_KEYS if not self.checklist or key in self.checklist)

    def mandatory_keys(self) -> tuple[str, ...]:
        return tuple(key for key in MANDATORY_CHECKLIST_KEYS if key in self.checklist_keys())


class Review(models.Model):
    """One reviewer's decision on one exact revision: a sign-off of one review step, or changes
    requested."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="reviews")
    revision = models.ForeignKey("reversion.Revision", on_delete=models.PROTECT, related_name="+")
    content_hash = models.CharField(max_length=64)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    checklist = models.JSONField(default=dict, blank=True)
    # DISCERN question 16: overall quality of the publication as a source of information.
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The step this decision was taken at, and the submission (its audit row) it belongs to: the
    # sign-offs of one submission make up one review.
    step = models.ForeignKey(ReviewStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submission = models.ForeignKey("articles.AuditEntry", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="review_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=~models.Q(decision="approved") | models.Q(rating__isnull=False),
                name="review_approval_has_rating",
            ),
        ]


class ReviewComment(models.Model):
    """A reviewer's comment on a passage of one section (or on the whole section), with its thread.

    A comment is open until the writer answers it, and stays unresolved until a reviewer resolves
    it: submission waits for an answer, approval for a resolution (reviews.workflow).
    """

    class State(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered by the writer"
        RESOLVED = "resolved", "Resolved"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="review_comments")
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.PROTECT, related_name="comments")
    # The submitted revision on the reviewer's screen when the comment was written.
    revision = models.ForeignKey("reversion.Revision", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    section = models.CharField(max_length=40, choices=COMMENT_TARGETS, default="general")
    # The passage the comment is about, as plain text, with a little of the text either side: the
    # W3C Web Annotation "text quote" selector, which finds the passage again after edits around it.
    # Empty for a comment on the whole section.
    quote = models.TextField(blank=True)
    quote_prefix = models.CharField(max_length=64, blank=True)
    quote_suffix = models.CharField(max_length=64, blank=True)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_section_display()}: {self.text[:60]}"

    @property
    def state(self) -> str:
        if self.resolved_at is not None:
            return self.State.RESOLVED
        if self.answered_at is not None:
            return self.State.ANSWERED
        return self.State.OPEN

    def get_state_display(self) -> str:
        return self.State(self.state).label

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    def describe(self) -> str:
        """How a refusal names this comment: its section and the start of its passage or text."""
        about = self.quote or self.text
        excerpt = about if len(about) <= 60 else about[:57].rstrip() + "..."
        return f'{self.get_section_display()}: "{excerpt}"'


class CommentReply(models.Model):
    """One message in a comment's thread, from the writer or a reviewer. Never edited."""

    comment = models.ForeignKey(ReviewComment, on_delete=models.PROTECT, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "comment replies"


NOTIFICATION_CATEGORIES = (
    ("submitted", "An article is submitted for medical review (to reviewers)"),
    ("changes_requested", "A reviewer asks for changes to my article"),
    ("approved", "My article is approved and scheduled to go live"),
    ("published", "My article is published"),
    ("unpublished", "An editor unpublishes my article"),
    ("review_due", "A published article is due for its medical review (to editors and its last reviewer)"),
    ("assigned", "A review step is assigned to me, or someone takes one (to the assignee and editors)"),
    ("assignment_due", "A review step I am assigned is due soon or overdue (overdue: to editors too)"),
)


class NotificationOptOut(models.Model):
    """A category of email this person turned off. Everything is on until turned off."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_opt_outs")
    category = models.CharField(max_length=30, choices=NOTIFICATION_CATEGORIES)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "category"], name="one_opt_out_per_category")]


class ReviewReminder(models.Model):
    """That a review-due reminder went out for a publication, so cron runs send each one once."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due within 30 days"
        OVERDUE = "overdue", "Overdue"

    publication = models.ForeignKey("articles.Publication", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["publication", "kind"], name="one_reminder_per_kind")]


class InboxMessage(models.Model):
    """One notification in a person's inbox on the desk: the line, written when it was sent (as the
    mail was, so it keeps naming who did what then), and the desk page it leads to. Unread until
    opened or marked read."""

    # No index of its own: both indexes below lead with it.
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False,
                                  related_name="inbox_messages")
    category = models.CharField(max_length=30, choices=NOTIFICATION_CATEGORIES)
    # The line names the article in its own words, so it still reads right if the article goes.
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(max_length=500)
    path = models.CharField(max_length=500, help_text="A path on this site, such as /editorial/articles/7/.")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="inbox_newest_first"),
            # The header's count on every desk page, and the "unread" filter: only unread rows.
            models.Index(fields=["recipient", "-created_at", "-id"], condition=models.Q(read_at__isnull=True),
                         name="inbox_unread_newest_first"),
        ]
        constraints = [
            # Opening a line redirects to its path: only ever to a page of this site.
            models.CheckConstraint(
                condition=models.Q(path__startswith="/") & ~models.Q(path__startswith="//")
                & ~models.Q(path__startswith="/\\"),
                name="inbox_path_is_on_this_site"),
        ]

    def __str__(self):
        return self.text

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


# Bounds on what a reader and an editor may write (reviews.feedback refuses longer text).
FEEDBACK_MESSAGE_LIMIT = 2000
FEEDBACK_NOTE_LIMIT = 2000


class ReaderFeedback(models.Model):
    """A reader's "Report a problem with this page", tied to the publication they read, and what an
    editor did with it: dismissed, noted, or sent to the article's medical re-review
    (reviews.feedback writes every change)."""

    class State(models.TextChoices):
        NEW = "new", "New"
        DISMISSED = "dismissed", "Dismissed"
        NOTED = "noted", "Noted"
        RE_REVIEW = "re_review", "Sent to re-review"

    # No index of its own: the article index below leads with it.
    article = models.ForeignKey(Article, on_delete=models.PROTECT, db_index=False, related_name="reader_feedback")
    # The snapshot on the reader's screen: a report about wording since changed reads differently.
    publication = models.ForeignKey("articles.Publication", on_delete=models.PROTECT, related_name="+")
    # Plain text as the reader typed it; never HTML, so always shown escaped.
    message = models.TextField(max_length=FEEDBACK_MESSAGE_LIMIT)
    email = models.EmailField(blank=True, help_text="Left by the reader for a reply; shown to editors only.")
    created_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=20, choices=State.choices, default=State.NEW)
    editor_note = models.TextField(blank=True, max_length=FEEDBACK_NOTE_LIMIT)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "reader feedback"
        indexes = [
            models.Index(fields=["article", "state", "-created_at", "-id"], name="feedback_article_state"),
            # The desk's count of new reports (every dashboard) and the "new" queue: new rows only.
            models.Index(fields=["-created_at", "-id"], condition=models.Q(state="new"), name="feedback_new_newest"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=["new", "dismissed", "noted", "re_review"]),
                                   name="feedback_state_valid"),
            models.CheckConstraint(condition=~models.Q(message=""), name="feedback_has_message"),
            # Who handled a report, and when, is known exactly when it is no longer new.
            models.CheckConstraint(
                condition=models.Q(state="new", handled_by__isnull=True, handled_at__isnull=True)
                | (~models.Q(state="new") & models.Q(handled_by__isnull=False, handled_at__isnull=False)),
                name="feedback_handled_has_who_and_when"),
            models.CheckConstraint(condition=~models.Q(state="noted") | ~models.Q(editor_note=""),
                                   name="feedback_noted_has_note"),
        ]

    def __str__(self):
        excerpt = self.message if len(self.message) <= 60 else self.message[:57].rstrip() + "..."
        return f"{self.get_state_display()}: {excerpt}"


class CalendarFeedToken(models.Model):
    """The secret in a person's calendar feed address (/editorial/calendar/feed/<token>.ics).

    Calendar apps cannot log in, so the address itself is the key: random, one per person, made
    when they ask for it, and replaced (the old address then answers 404) when they reset it.
    Kept readable rather than hashed, because the desk shows the address again whenever the
    person adds the calendar to another app; what the feed shows is decided at every fetch by the
    person's roles now (reviews.calendar), so a token never outlives a change of role, and an
    inactive person's address answers 404.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="calendar_feed_token")
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self):
        return f"Calendar feed address of {self.user}"


class EditingDraft(models.Model):
    """One person's autosaved editor fields for one article (or for the article they are starting:
    article empty), kept until they save or discard it (reviews.drafts).

    Not a revision: never reviewed, never published, never shown to anyone but its owner. The
    fields are kept as typed ({name: [values]}, the form's own names), because they are only ever
    put back into that person's editor; whatever is saved from them goes through the services,
    which sanitize.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    fields = models.JSONField(default=dict)
    # The article's version the editor was opened on: a version names one revision of its article.
    # Empty for a new article.
    base_version = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="one_draft_per_person_and_article"),
            # NULLs are distinct in a unique index, so the "new article" draft needs its own.
            models.UniqueConstraint(fields=["user"], condition=models.Q(article__isnull=True),
                                    name="one_new_article_draft_per_person"),
        ]

    def __str__(self):
        return f"Unsaved changes of {self.user} to {self.article or 'a new article'}"


class EditingPresence(models.Model):
    """Who has an article open in the editor: a soft lock that informs and never blocks. The
    editor's page refreshes its row every few seconds (reviews.presence); a row not refreshed for
    a while means they left."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField()
    last_seen = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="one_presence_per_person_and_article"),
        ]

    def __str__(self):
        return f"{self.user} editing {self.article} since {self.since:%H:%M}"


class ReviewAssignment(models.Model):
    """Who reviews one step of one submission, and by when (reviews.assignments writes them).

    Made, unassigned, when a submission reaches a step (the submit, then each sign-off but the
    last), due the article type's turnaround later; given to a member of the step's group by an
    editor, or claimed by one; ended when the step is signed or the submission ends (withdrawn,
    sent back, submitted again). It routes the work and the mail: who may sign is still
    reviews.permissions' answer, assigned or not.
    """

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="review_assignments")
    # The "submit" audit row: the sign-offs of one submission make up one review (reviews.steps).
    submission = models.ForeignKey("articles.AuditEntry", on_delete=models.PROTECT, related_name="+")
    # Null for a type without steps, which gets the single medical review of reviews.steps.steps_for.
    step = models.ForeignKey(ReviewStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    step_position = models.PositiveSmallIntegerField()
    step_name = models.CharField(max_length=100)
    group = models.ForeignKey("auth.Group", on_delete=models.PROTECT, related_name="+",
                              help_text="Members of this group may sign the step, and take it.")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="review_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    assigned_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The reminders the daily review_due run sent to the assignee (once each; a new assignee or a
    # new due date clears them, so the new arrangement is reminded in its turn).
    reminded_soon_at = models.DateTimeField(null=True, blank=True)
    reminded_overdue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # "Assigned to me" and the reminders: open rows only, by due date.
            models.Index(fields=["assignee", "due_on"], condition=models.Q(ended_at__isnull=True),
                         name="assignment_open_by_assignee"),
            models.Index(fields=["due_on"], condition=models.Q(ended_at__isnull=True), name="assignment_open_by_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["article"], condition=models.Q(ended_at__isnull=True),
                                    name="one_open_assignment_per_article"),
            models.UniqueConstraint(fields=["submission", "step_position"], name="one_assignment_per_step"),
            models.CheckConstraint(
                condition=models.Q(assignee__isnull=True, assigned_at__isnull=True)
                | models.Q(assignee__isnull=False, assigned_at__isnull=False),
                name="assignment_assignee_has_a_time"),
        ]

    def __str__(self):
        who = self.assignee.get_username() if self.assignee_id else "unassigned"
        return f"{self.article_id} {self.step_name}: {who}, due {self.due_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
