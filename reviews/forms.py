from django import forms

from articles.models import Article, ArticleType, Topic

from .models import CHECKLIST, COMMENT_TARGETS


class ReviewForm(forms.Form):
    """The reviewer's checklist, overall rating and note. Mandatory items are marked in labels."""

    rating = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(1, 6)], coerce=int, required=False,
        widget=forms.RadioSelect, label="Overall quality as a source of information (1 = low, 5 = high)",
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              label="Note to the writer")
    go_live_at = forms.DateTimeField(
        required=False, label="Go live at (optional)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leave empty to publish on approval. A later time schedules it; until then it stays read-only.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, question, mandatory in CHECKLIST:
            self.fields[f"check_{key}"] = forms.BooleanField(
                required=False, label=question + (" (required for approval)" if mandatory else ""),
            )
            self.fields[f"check_{key}"].mandatory = mandatory

    def checklist_fields(self):
        return [self[f"check_{key}"] for key, _, _ in CHECKLIST]

    def checklist(self) -> dict:
        return {key: bool(self.cleaned_data.get(f"check_{key}")) for key, _, _ in CHECKLIST}


class CommentForm(forms.Form):
    section = forms.ChoiceField(choices=COMMENT_TARGETS, label="About")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Comment")


CommentFormSet = forms.formset_factory(CommentForm, extra=3, max_num=30, validate_max=True)


class ResolveCommentForm(forms.Form):
    reply = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                            label="Reply to the reviewer")


class UnpublishForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why it is being unpublished")


class DashboardFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any state"), *Article.Status.choices], required=False)
    article_type = forms.ModelChoiceField(ArticleType.objects.all(), required=False, empty_label="Any type",
                                          to_field_name="key", label="Type")
    topic = forms.ModelChoiceField(Topic.objects.all(), required=False, empty_label="Any topic",
                                   to_field_name="slug")
    person = forms.CharField(required=False, label="Author (username)")


class NotificationPreferencesForm(forms.Form):
    """One checkbox per category of email; ticked means "send me these"."""

    def __init__(self, *args, opted_out: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        from .models import NOTIFICATION_CATEGORIES

        for key, label in NOTIFICATION_CATEGORIES:
            self.fields[key] = forms.BooleanField(required=False, label=label, initial=key not in opted_out)

    def opted_out(self) -> set[str]:
        return {key for key, wanted in self.cleaned_data.items() if not wanted}
