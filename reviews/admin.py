from django import forms
from django.contrib import admin

from articles.admin import ArticleTypeAdmin, ReadOnlyAdmin
from articles.models import ArticleType

from .models import CHECKLIST, CommentReply, Review, ReviewComment, ReviewerProfile, ReviewStep


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


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["article", "reviewer", "decision", "rating", "created_at"]
    list_filter = ["decision"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(ReadOnlyAdmin):
    list_display = ["article", "section", "author", "created_at", "answered_at", "resolved_at"]


@admin.register(CommentReply)
class CommentReplyAdmin(ReadOnlyAdmin):
    list_display = ["comment", "author", "created_at"]
