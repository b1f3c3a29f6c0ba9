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

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_interval_months__gte=1),
                name="articletype_review_interval_positive",
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
                   models.Index(fields=["-published_at", "-id"], name="publication_newest_first")]

    def __str__(self):
        return f"{self.title} (reviewed {self.reviewed_at:%Y-%m-%d})"


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
