"""Back office. Articles are read-only here: every change to one goes through the services
(the editorial desk, import, revert), so the admin can never get around the workflow or the gate.
django-reversion's VersionAdmin is deliberately not used: its revert and recover views save
objects directly. Who may see which article is the lifecycle's answer, not this app's: the admins
below that show article content are registered again, with that rule added, by the app that owns it."""
from django import forms
from django.contrib import admin
from django.db import models
from django.utils.html import format_html_join

from .models import Article, ArticleSection, ArticleType, AuditEntry, Image, Publication, Reference, Topic
from .sections import SECTION_CHOICES
from .selectors import article_history


class ArticleTypeForm(forms.ModelForm):
    required_sections = forms.MultipleChoiceField(
        choices=SECTION_CHOICES, widget=forms.CheckboxSelectMultiple, required=False,
        help_text="An article of this type cannot be submitted until each of these holds real content.",
    )
    optional_sections = forms.MultipleChoiceField(
        choices=SECTION_CHOICES, widget=forms.CheckboxSelectMultiple, required=False,
        help_text="Shown to writers, but not required.",
    )

    class Meta:
        model = ArticleType
        fields = ["key", "name", "required_sections", "optional_sections", "min_references",
                  "review_interval_months", "review_turnaround_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_turnaround_days"].required = False

    def clean_review_turnaround_days(self):
        # Left empty, the type keeps its turnaround (a new one gets the default, 7 days).
        value = self.cleaned_data.get("review_turnaround_days")
        return value if value is not None else self.instance.review_turnaround_days


@admin.register(ArticleType)
class ArticleTypeAdmin(admin.ModelAdmin):
    form = ArticleTypeForm
    list_display = ["name", "key", "min_references", "review_interval_months", "review_turnaround_days"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible to staff, changed only by the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SectionInline(ReadOnlyInline):
    model = ArticleSection
    fields = ["key", "content"]


class ReferenceInline(ReadOnlyInline):
    model = Reference
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ["position", "title", "doi", "pmid", "url", "source", "year"]


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "article_type", "is_live", "updated_at"]
    list_filter = ["status", "article_type", "topics"]
    search_fields = ["title", "slug"]
    list_select_related = ["article_type"]
    readonly_fields = ["revision_history"]
    fields = ["title", "slug", "status", "article_type", "topics", "authors", "summary", "body",
              "version", "live_publication", "revision_history"]
    inlines = [SectionInline, ReferenceInline]

    @admin.display(boolean=True, description="Live")
    def is_live(self, article):
        return article.live_publication_id is not None

    @admin.display(description="Revisions, newest first")
    def revision_history(self, article):
        rows = [
            (meta.revision_id, f"{meta.revision.date_created:%Y-%m-%d %H:%M}",
             meta.revision.user or "-", meta.get_status_display(), meta.revision.comment)
            for meta in article_history(article)
        ]
        return format_html_join("\n", "<div>#{} {} by {} ({}): {}</div>", rows)


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["title", "reviewer_name", "reviewer_credentials", "reviewed_at", "next_review_due"]
    list_filter = ["next_review_due"]
    search_fields = ["title"]


@admin.register(Image)
class ImageAdmin(ReadOnlyAdmin):
    """Uploads, to look up; they are never edited (content refers to them by id and key)."""

    list_display = ["original_name", "format", "width", "height", "uploaded_by", "uploaded_at", "article"]
    list_filter = ["format"]
    list_select_related = ["uploaded_by", "article"]
    search_fields = ["original_name", "key", "alt_text"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "article", "actor", "action", "from_status", "to_status", "comment"]
    list_filter = ["action"]
    list_select_related = ["article", "actor"]
