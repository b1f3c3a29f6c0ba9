from django import forms

from reviews.accounts import SIGNATURE_MEANING

from articles.models import Article, ArticleType, Topic

from reviews.comments import NewComment
from reviews.models import CHECKLIST, COMMENT_TARGETS, NOTIFICATION_CATEGORIES

from .hygiene import StripControlCharacters


class ReviewForm(StripControlCharacters, forms.Form):
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

    # The submission on the reviewer's screen: the decision is refused for any other
    # (reviews.workflow.guard_reviewing_current_submission).
    reviewed_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reviewed_hash = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    # The electronic signature an approval is (reviews.accounts.signature_confirm): its meaning
    # acknowledged and the password again, and the second factor when the reviewer has one.
    sign_meaning = forms.BooleanField(required=False, label=SIGNATURE_MEANING)
    sign_password = forms.CharField(required=False, label="Your password, to sign",
                                    widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    sign_token = forms.CharField(required=False, max_length=32, label="Code from your authenticator app",
                                 widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, question, mandatory in CHECKLIST:
            self.fields[f"check_{key}"] = forms.BooleanField(
                required=False, label=question + (" (required for approval)" if mandatory else ""),
            )
            self.fields[f"check_{key}"].mandatory = mandatory

    def checklist_fields(self, step=None):
        """The checklist the review step answers (the whole list without a step), each field
        marked mandatory as that step requires."""
        keys = step.checklist_keys() if step is not None else [key for key, _, _ in CHECKLIST]
        mandatory = set(step.mandatory_keys()) if step is not None else None
        fields = []
        for key in keys:
            field = self[f"check_{key}"]
            if mandatory is not None:
                field.field.mandatory = key in mandatory
            fields.append(field)
        return fields

    def checklist(self) -> dict:
        return {key: bool(self.cleaned_data.get(f"check_{key}")) for key, _, _ in CHECKLIST}


class CommentForm(StripControlCharacters, forms.Form):
    """A reviewer's new comment: on the passage selected in the diff, or on a whole part."""

    section = forms.ChoiceField(choices=COMMENT_TARGETS, label="About")
    quote = forms.CharField(widget=forms.HiddenInput, required=False)
    quote_prefix = forms.CharField(widget=forms.HiddenInput, required=False)
    quote_suffix = forms.CharField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Comment")

    def new_comment(self):
        data = self.cleaned_data
        return NewComment(section=data["section"], text=data.get("text", ""), quote=data.get("quote", ""),
                          prefix=data.get("quote_prefix", ""), suffix=data.get("quote_suffix", ""))


class CommentReplyForm(StripControlCharacters, forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Reply")


class UnpublishForm(StripControlCharacters, forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why it is being unpublished")


class DashboardFilterForm(StripControlCharacters, forms.Form):
    status = forms.ChoiceField(choices=[("", "Any state"), *Article.Status.choices], required=False)
    article_type = forms.ModelChoiceField(ArticleType.objects.all(), required=False, empty_label="Any type",
                                          to_field_name="key", label="Type")
    topic = forms.ModelChoiceField(Topic.objects.all(), required=False, empty_label="Any topic",
                                   to_field_name="slug")
    person = forms.CharField(required=False, label="Author (username)")


class NotificationPreferencesForm(StripControlCharacters, forms.Form):
    """One checkbox per category of email; ticked means "send me these"."""

    def __init__(self, *args, opted_out: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in NOTIFICATION_CATEGORIES:
            self.fields[key] = forms.BooleanField(required=False, label=label, initial=key not in opted_out)

    def opted_out(self) -> set[str]:
        return {key for key, wanted in self.cleaned_data.items() if not wanted}
