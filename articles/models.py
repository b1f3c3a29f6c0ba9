import hashlib
import json

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .sections import SECTION_CHOICES, SECTION_KEYS


class ArticleType(models.Model):
    """Which safety sections an article of this kind must fill, and how often it is re-reviewed."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    required_sections = models.JSONField(default=list, blank=True)
    optional_sections = models.JSONField(default=list, blank=True)
    min_references = models.PositiveSmallIntegerField(default=1)
    review_interval_months = models.PositiveSmallIntegerField(default=24)
    # How long a review step of a submission of this type has, by default: its due date, set when
    # the submission reaches the step.
    review_turnaround_days = models.PositiveSmallIntegerField(
        default=7, help_text="Days a reviewer has for each review step of a submission, by default; "
                             "an editor can change one review's due date on the desk.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_interval_months__gte=1),
                name="articletype_review_interval_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(review_turnaround_days__gte=1),
                name="articletype_review_turnaround_positive",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        for field in ("required_sections", "optional_sections"):
            value = getattr(self, field)
            if not isinstance(value, list):
                raise ValidationError({field: "A list of section keys."})
            unknown = [key for key in value if key not in SECTION_KEYS]
            if unknown:
                raise ValidationError(
                    {field: f"Unknown section keys: {', '.join(map(str, unknown))}. "
                            f"Known keys: {', '.join(SECTION_KEYS)}."}
                )
        both = set(self.required_sections) & set(self.optional_sections)
        if both:
            raise ValidationError(
                {"optional_sections": f"Already required: {', '.join(sorted(both))}."}
            )

    def sections_in_use(self) -> list[str]:
        """Required and optional section keys, in the fixed reading order."""
        used = set(self.required_sections) | set(self.optional_sections)
        return [key for key in SECTION_KEYS if key in used]


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Article(models.Model):
    """The working copy. Readers never see it: they see its Publication snapshots."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In medical review"
        # Approved with a go-live time that has not come yet; read-only like a review.
        SCHEDULED = "scheduled", "Approved, scheduled"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    # SlugField's validator accepts ASCII only, which keeps URLs predictable for every reader.
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=False)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    article_type = models.ForeignKey(ArticleType, on_delete=models.PROTECT, related_name="articles")
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="authored_articles")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Bumped on every content save; an editor that loaded an older one is refused (StaleEdit).
    version = models.PositiveIntegerField(default=1)
    submitted_hash = models.CharField(max_length=64, blank=True)
    submitted_revision = models.ForeignKey(
        "reversion.Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    live_publication = models.OneToOneField(
        "Publication", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scheduled_publication = models.OneToOneField(
        "Publication", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The lead image and the words that go with it are content: revisioned and hashed with the
    # text, so the reviewer approves the picture and the alt text readers will get.
    lead_image = models.ForeignKey("Image", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lead_image_alt = models.CharField("lead image alt text", max_length=300, blank=True)
    lead_image_caption = models.CharField(max_length=300, blank=True)
    lead_image_credit = models.CharField("lead image credit or licence", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What the desk's rows show of the working copy's checks, stored by every content save
    # (articles.services.content_save), since running the checks for each row of a list of
    # 50,000 articles is out of the question: the submission gate's failures, and the error
    # findings of the automated checks (answered with a reason or not). Null: not saved since the
    # columns came (migration 0017), shown as a dash.
    gate_failure_count = models.PositiveIntegerField(null=True, blank=True, editable=False)
    error_finding_count = models.PositiveIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-updated_at"]
        # The desk's lists, newest first (the editorial lists; migration 0015): all of them, by state,
        # by type. Each ends with id, the lists' tie-break, so a page is read off the index.
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="article_newest_first"),
            models.Index(fields=["status", "-updated_at", "-id"], name="article_status_newest"),
            models.Index(fields=["article_type", "-updated_at", "-id"], name="article_type_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "in_review", "scheduled", "published"]),
                name="article_status_valid_with_scheduled",
            ),
            models.CheckConstraint(
                condition=models.Q(status="scheduled", scheduled_publication__isnull=False)
                | (~models.Q(status="scheduled") & models.Q(scheduled_publication__isnull=True)),
                name="article_scheduled_has_scheduled_publication",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(live_publication__isnull=False),
                name="article_published_has_live_publication",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="in_review") | ~models.Q(submitted_hash=""),
                name="article_in_review_has_submitted_hash",
            ),
        ]

    def __str__(self):
        return self.title

    def sections_dict(self) -> dict[str, str]:
        return {section.key: section.content for section in self.sections.all()}


class ArticleSection(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=40, choices=SECTION_CHOICES)
    content = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "key"], name="unique_section_per_article"),
        ]

    def __str__(self):
        return f"{self.article_id}:{self.key}"


class Reference(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=500)
    url = models.URLField(max_length=1000, blank=True)
    doi = models.CharField(max_length=200, blank=True)
    pmid = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    accessed = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="unique_reference_position"),
        ]

    def __str__(self):
        return self.title


class RevisionMeta(models.Model):
    """What a django-reversion revision of an article meant: its state and content hash."""

    revision = models.OneToOneField("reversion.Revision", on_delete=models.CASCADE, related_name="article_meta")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revision_metas")
    status = models.CharField(max_length=20, choices=Article.Status.choices)
    content_hash = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    # The sections and references this revision held, as one value ({"sections": {key: html},
    # "references": [...]}, ArticleContent's own shapes): one row per revision instead of a
    # reversion version row for every section and reference. The article's own fields are in its
    # reversion version. Null for revisions saved before, whose sections and references are in
    # reversion version rows of their own (ArticleContent.from_revision reads both).
    content = models.JSONField(null=True, blank=True)


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(f"{self.model._meta.verbose_name} rows are never edited.")

    def delete(self):
        raise ValidationError(f"{self.model._meta.verbose_name} rows are never deleted.")


class ImmutableModel(models.Model):
    """Rows written once: updates and deletes are refused, one by one or in bulk, so history
    cannot be rewritten through the ORM."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(f"{self._meta.verbose_name} rows are never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(f"{self._meta.verbose_name} rows are never deleted.")


class Publication(ImmutableModel):
    """An approved revision, frozen as readers see it. Public pages read only these."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="publications")
    revision = models.ForeignKey("reversion.Revision", on_delete=models.PROTECT, related_name="+")
    # The submission this approval consumed. One approval per submission, enforced by the database:
    # two reviewers approving at once cannot both publish. The same revision may be published
    # again later (after an unpublish, or a re-review with no changes) through a new submission.
    submission = models.OneToOneField("AuditEntry", on_delete=models.PROTECT, related_name="publication")
    content_hash = models.CharField(max_length=64)
    slug = models.SlugField(max_length=200)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    body = models.TextField()
    # [{"key", "title", "html"}] in reading order, and [{"title", "url", "doi", ...}] in order.
    sections = models.JSONField(default=list)
    references = models.JSONField(default=list)
    # [{"id", "name", "username"}]
    authors = models.JSONField(default=list)
    # [{"slug", "name"}] by name: the topics the article was filed under when it was approved, so a
    # topic added to or removed from the working copy reaches readers only with the next approval.
    topics = models.JSONField(default=list)
    article_type_name = models.CharField(max_length=100)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer_name = models.CharField(max_length=200)
    reviewer_credentials = models.CharField(max_length=200)
    # The reviewer's people page (/people/<slug>/), frozen with the name it links.
    reviewer_slug = models.SlugField(max_length=100, blank=True)
    reviewed_at = models.DateTimeField()
    # Every sign-off of the review, in order: [{"id", "step", "name", "credentials", "slug", "signed_at"}].
    # The reviewer fields above are the last signer's, who published it.
    sign_offs = models.JSONField(default=list, blank=True)
    next_review_due = models.DateField()
    published_at = models.DateTimeField()
    first_published_at = models.DateTimeField()
    # {"src", "srcset", "webp_srcset", "sizes", "width", "height", "alt", "caption", "credit"},
    # or {} without one (articles.figures.lead_picture).
    lead_image = models.JSONField(default=dict, blank=True)
    # Public search: title weighted A, summary B, body and section text C, tags
    # stripped. Set on PostgreSQL by a BEFORE INSERT trigger (migration 0012), so every insert,
    # bulk_create included, carries it; null on SQLite, which searches the text itself.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_at"]
        indexes = [GinIndex(fields=["search_vector"], name="publication_search"),
                   # Public lists, newest first (migration 0013; it also adds PostgreSQL-only GIN
                   # indexes on topics, authors and sign_offs, which are not declared here).
                   models.Index(fields=["-published_at", "-id"], name="publication_newest_first"),
                   # The article sitemaps number the live publications by id and print each one's
                   # slug and date: read off this index, merged with the index of live ids
                   # (Article.live_publication), never from the rows (migration 0016).
                   models.Index(fields=["id", "published_at", "slug"], name="publication_sitemap")]

    def __str__(self):
        return f"{self.title} (reviewed {self.reviewed_at:%Y-%m-%d})"


class LiveListing(models.Model):
    """One name a live publication is found under: a person it names (a writer of its byline, or
    a reviewer who signed it) or a topic it is filed under, with its publication time.

    Derived from the snapshot and kept beside Article.live_publication, in the same transaction,
    by articles.services.live_publication_set: a publication has rows only while it is live. The
    public lists, counts and sitemap dates of a person or a topic are then index range scans
    (migration 0016), where reading them from every snapshot's JSON grew with the site.
    """

    class Role(models.TextChoices):
        WRITER = "writer", "Writer"
        # The last signer (Publication.reviewer) or the signer of any review step (sign_offs).
        REVIEWER = "reviewer", "Reviewer"
        TOPIC = "topic", "Topic"

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="listings",
                                    db_index=False)  # the unique constraint's index leads with it
    role = models.CharField(max_length=10, choices=Role.choices)
    # The user id the snapshot names, as its JSON holds it: no database constraint, since a
    # co-writer's account can be deleted while a publication naming them waits to go live, and the
    # people pages join the users table as they did the JSON.
    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
                               db_constraint=False, db_index=False, related_name="+")
    # The slug the snapshot froze (Publication.topics), not a key: a topic renamed later lists
    # this publication under its new slug only once it is approved again, as readers see it.
    topic = models.SlugField(max_length=100, blank=True, db_index=False)
    # The publication's (publications are never edited), so a list is read in order off an index.
    published_at = models.DateTimeField()

    class Meta:
        indexes = [
            # A person's list of one role, newest first (a page is a range scan with LIMIT), their
            # counts (index only), their newest publication (one probe a role).
            models.Index(fields=["person", "role", "-published_at", "-publication"], name="listing_person_newest",
                         condition=models.Q(person__isnull=False)),
            # A topic's list, count and newest publication, the same way.
            models.Index(fields=["topic", "-published_at", "-publication"], name="listing_topic_newest",
                         condition=models.Q(role="topic")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="topic", person__isnull=True) & ~models.Q(topic="")
                | models.Q(role__in=["writer", "reviewer"], person__isnull=False, topic=""),
                name="listing_names_a_person_or_a_topic",
            ),
            models.UniqueConstraint(fields=["publication", "role", "person"], name="listing_person_once"),
            models.UniqueConstraint(fields=["publication", "topic"], condition=models.Q(role="topic"),
                                    name="listing_topic_once"),
        ]

    def __str__(self):
        return f"{self.publication_id} {self.role} {self.person_id or self.topic}"


class AuditEntry(ImmutableModel):
    """One row per workflow transition: who, when, from, to, which revision, why.

    The rows form a hash chain (articles.audit): each holds the sha256 of its own content and of
    the row before it, so a row edited or deleted behind the ORM shows in `manage.py verify_audit`.
    """

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="audit_entries")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Set by audit_record before hashing (auto_now_add would set it during save, after the hash).
    at = models.DateTimeField(default=timezone.now, editable=False)
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    revision = models.ForeignKey(
        "reversion.Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(blank=True)
    # Facts beside the comment, e.g. an electronic signature's signer, credentials, meaning and
    # content hash. Hashed with the rest, so it holds JSON that reads back unchanged (no floats).
    details = models.JSONField(default=dict, blank=True)
    # sha256 hex of the row before (64 zeros for the first row), and of this row's content with it.
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        constraints = [
            # One successor per row: two writers that read the same last row cannot both append.
            models.UniqueConstraint(fields=["prev_hash"], name="audit_chain_does_not_fork"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.from_status}->{self.to_status}"


class Correction(models.Model):
    """A note to readers that the article was corrected, shown in its corrections log.

    A minor correction (a typo, a broken link: no change in medical meaning) is a note only: it
    is shown once a reviewer or an editor other than its writer has read it (a one-step review).
    A medical correction describes a change in medical meaning: the reviewer who approves the
    change signs the note with it, and it is shown when the reviewed version goes live. The
    changed text itself always goes through review, whatever the note says. A note can be
    withdrawn, with a reason, and is then no longer shown; the row stays, as does its audit trail.
    """

    class Kind(models.TextChoices):
        MINOR = "minor", "Minor change"
        MEDICAL = "medical", "Medical change"

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="corrections")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    note = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when readers can see it; for a medical change, with the publication that carried it.
    published_at = models.DateTimeField(null=True, blank=True)
    publication = models.ForeignKey(Publication, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="corrections")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    @property
    def state(self) -> str:
        if self.withdrawn_at:
            return "withdrawn"
        if self.published_at:
            return "shown"
        return "waiting for review"

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="medical", published_at__isnull=False, publication__isnull=True),
                name="medical_correction_published_with_a_reviewed_publication",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.note[:60]}"


class Image(ImmutableModel):
    """An uploaded image as stored: re-encoded from its pixels, without metadata, under a random name.

    Never edited after upload: content refers to it (the lead image by id, body images by key),
    so a hash that covers the reference covers the picture too.
    """

    class Format(models.TextChoices):
        JPEG = "JPEG", "JPEG"
        PNG = "PNG", "PNG"
        WEBP = "WEBP", "WebP"
        GIF = "GIF", "GIF"

    # 32 random hex digits, made on the server; the file names derive from it.
    key = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(max_length=200)
    format = models.CharField(max_length=4, choices=Format.choices)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    byte_size = models.PositiveIntegerField()
    # The uploader's file name, kept as a label for people only; never used as a path.
    original_name = models.CharField(max_length=255, blank=True)
    # As typed at upload: a starting point. What readers get is the alt text stored with each use.
    alt_text = models.CharField(max_length=300, blank=True)
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField("credit or licence", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # The article it was uploaded for, when there was one yet (a new article's images have none).
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.PROTECT, related_name="images")

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(width__gte=1, height__gte=1), name="image_has_pixels"),
        ]

    def __str__(self):
        return f"{self.original_name} ({self.width}×{self.height} {self.format})"


class Rendition(ImmutableModel):
    """One size of an image in one format, made once and reused."""

    image = models.ForeignKey(Image, on_delete=models.PROTECT, related_name="renditions")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=4, choices=Image.Format.choices)
    file = models.FileField(max_length=200)

    class Meta:
        ordering = ["format", "width"]
        constraints = [
            models.UniqueConstraint(fields=["image", "width", "format"], name="unique_rendition"),
        ]

    def __str__(self):
        return f"{self.image.key} {self.width}w {self.format}"


def content_hash(payload: dict) -> str:
    """A stable hash of article content; equal content gives equal hashes whatever its revision id."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class FindingWaiver(ImmutableModel):
    """A writer's reason for keeping text an automated check flags as an error (articles.checks).

    Tied to the flagged text by its fingerprint, not to a revision: the reason stays answered while
    that text is unchanged, and stops counting the moment the text changes. Never edited; a new
    reason for new text is a new row, and each one is also in the audit log.
    """

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="finding_waivers")
    code = models.CharField(max_length=40)
    field = models.CharField(max_length=40)
    # sha256 of the excerpt (articles.checks.engine.fingerprint); the excerpt is kept for people.
    fingerprint = models.CharField(max_length=64)
    excerpt = models.TextField(blank=True)
    reason = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "code", "field", "fingerprint"],
                                    name="one_waiver_per_flagged_text"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="waiver_has_a_reason"),
        ]

    def __str__(self):
        return f"{self.code} on {self.field}: {self.reason[:60]}"


class ArticleSlugHistory(models.Model):
    """A slug an article's publications carried before the article moved to another one.

    Written in the same transaction as the change (articles.services.content_save), when a
    publication of the article carries the old slug: readers and search engines may hold it. The
    row reserves the slug, so no other article can take it, and the public article page answers
    it with a permanent redirect to wherever the article's live publication is now.
    """

    # Unique across the history; a current slug of another article is refused by the service.
    slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="former_slugs")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name_plural = "article slug history"

    def __str__(self):
        return f"{self.slug} -> article {self.article_id}"


class ImportUpload(models.Model):
    """One file uploaded on the desk for import, kept between its preview and its draft.

    Private to whoever uploaded it (the batch token alone opens nothing) and short-lived: rows
    older than IMPORT_UPLOAD_HOURS are removed at the next upload. The source is text (a Word
    file converted once, at upload), parsed again when the draft is created, so what reaches the
    services is the server's own reading of the file, never HTML posted back by a browser.
    """

    class Format(models.TextChoices):
        TEXT = "text", "Plain text"
        HTML = "html", "HTML"

    batch = models.CharField(max_length=32)
    position = models.PositiveSmallIntegerField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The uploader's file name, a label for people only; never used as a path.
    name = models.CharField(max_length=255)
    format = models.CharField(max_length=4, choices=Format.choices)
    source = models.TextField(blank=True)
    # Why the file cannot be imported at all (unreadable, not UTF-8...), with its line; "" when it can.
    problem = models.TextField(blank=True)
    # Why the last attempt to make its draft was refused (no title, refused by the services...).
    refusal = models.TextField(blank=True)
    # The draft made from it: set once, so creating again (a double click, a retried batch) skips it.
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="import_upload_position_once"),
        ]
        indexes = [models.Index(fields=["owner", "batch"], name="import_upload_owner_batch"),
                   models.Index(fields=["created_at"], name="import_upload_created")]

    def __str__(self):
        return f"{self.name} ({self.batch}:{self.position})"
