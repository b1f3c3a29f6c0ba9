"""The editors' reader-feedback queue: its filters, and the note that goes with a triage action."""
from django import forms

from .hygiene import StripControlCharacters

SHOW_CHOICES = [("new", "New"), ("handled", "Handled"), ("all", "All")]


class FeedbackFilterForm(forms.Form):
    """?show=new|handled|all (new by default) and ?article=<pk> (one article's queue)."""

    show = forms.ChoiceField(choices=SHOW_CHOICES, required=False)
    article = forms.IntegerField(required=False, min_value=1)

    def show_value(self) -> str:
        return (self.cleaned_data.get("show") if self.is_valid() else "") or "new"

    def article_id(self) -> int | None:
        return self.cleaned_data.get("article") if self.is_valid() else None


class TriageForm(StripControlCharacters, forms.Form):
    """One form per report with a button per action (dismiss, save note, re-review). Its length is
    checked by reviews.feedback, the one place that refuses an over-long note."""

    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next = forms.CharField(required=False)
