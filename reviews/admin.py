"""Back office for the lifecycle: review steps on article types, reviewer profiles, and, for every
admin that shows article content (articles' own included), the desk's answer to "may this person
see this article" (reviews.permissions). articles/admin.py keeps the read-only base classes; it
cannot name the permissions, so the per-person rule is added here."""
from functools import reduce

from django import forms
from django.contrib import admin

from articles.admin import (ArticleAdmin, ArticleTypeAdmin, AuditEntryAdmin, ImageAdmin, PublicationAdmin,
                            ReadOnlyAdmin)
from articles.models import Article, ArticleType, AuditEntry, Image, Publication

from .models import CHECKLIST, CommentReply, Review, ReviewComment, ReviewerProfile, ReviewStep
from .permissions import can_view_working_copy, is_editor, viewable_articles


class ReviewStepForm(forms.ModelForm):
    checklist = forms.MultipleChoiceField(
        choices=[(key, question) for key, question, _ in CHECKLIST], widget=forms.CheckboxSelectMultiple,
        required=False, help_text="The questions this step answers (none ticked: the whole checklist). "
                                  "Those marked mandatory in the checklist stay mandatory for approval.")

    class Meta:
        model = ReviewStep
        fields = ["position", "name", "group", "credentials_required", "checklist"]


class ReviewStepInline(admin.StackedInline):
    """The sign-offs an article of this type needs, in order: adding a step is adding a row."""

    model = ReviewStep
    form = ReviewStepForm
    extra = 0
    ordering = ["position"]


# The type's admin, with its review steps: the lifecycle adds them, so articles need not know them.
admin.site.unregister(ArticleType)


@admin.register(ArticleType)
class ArticleTypeWithStepsAdmin(ArticleTypeAdmin):
    inlines = [ReviewStepInline]


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "credentials", "specialty", "registration_number"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "credentials"]


class DeskVisibility:
    """Rows and pages only for articles this person may see on the desk (can_view_working_copy).

    The queryset rule covers the changelist, its search, filters and counts, the change and history
    pages (an object outside it answers like one that does not exist) and the autocomplete of any
    field pointing here; has_view_permission asks the per-article answer again for one object.
    """

    # The lookup from this model to its article; "" when the model is the article.
    article_lookup = "article"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_editor(request.user):
            return queryset
        return self.visible_to(request.user, queryset)

    def visible_to(self, user, queryset):
        if not self.article_lookup:
            return viewable_articles(user, queryset)
        return queryset.filter(**{f"{self.article_lookup}__in": viewable_articles(user)})

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or is_editor(request.user) or self.may_see(request.user, obj)

    def may_see(self, user, obj) -> bool:
        article = reduce(getattr, filter(None, self.article_lookup.split("__")), obj)
        return can_view_working_copy(user, article)


# articles' admins, with the desk's rule added (articles may not name reviews.permissions).
for model in (Article, Publication, AuditEntry, Image):
    admin.site.unregister(model)


@admin.register(Article)
class DeskArticleAdmin(DeskVisibility, ArticleAdmin):
    article_lookup = ""


@admin.register(Publication)
class DeskPublicationAdmin(DeskVisibility, PublicationAdmin):
    pass


@admin.register(AuditEntry)
class DeskAuditEntryAdmin(DeskVisibility, AuditEntryAdmin):
    pass


@admin.register(Image)
class DeskImageAdmin(DeskVisibility, ImageAdmin):
    """An image uploaded for a new article has no article yet: its uploader sees it (and editors)."""

    def visible_to(self, user, queryset):
        return super().visible_to(user, queryset) | queryset.filter(article__isnull=True, uploaded_by=user)

    def may_see(self, user, obj) -> bool:
        if obj.article_id is None:
            return obj.uploaded_by_id == user.pk
        return super().may_see(user, obj)


@admin.register(Review)
class ReviewAdmin(DeskVisibility, ReadOnlyAdmin):
    list_display = ["article", "reviewer", "decision", "rating", "created_at"]
    list_filter = ["decision"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(DeskVisibility, ReadOnlyAdmin):
    list_display = ["article", "section", "author", "created_at", "answered_at", "resolved_at"]


@admin.register(CommentReply)
class CommentReplyAdmin(DeskVisibility, ReadOnlyAdmin):
    article_lookup = "comment__article"
    list_display = ["comment", "author", "created_at"]
