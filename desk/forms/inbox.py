"""The inbox's two inputs: which lines to show, and how far "mark all read" reaches."""
from django import forms


class InboxFilterForm(forms.Form):
    show = forms.ChoiceField(choices=[("all", "All"), ("unread", "Unread only")], required=False)

    def unread_only(self) -> bool:
        return self.is_valid() and self.cleaned_data["show"] == "unread"


class MarkAllReadForm(forms.Form):
    # When the page with the button was drawn (reviews.inbox.inbox_mark_all_read): a line that
    # arrived later stays unread. Missing or malformed: every unread line.
    shown_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)
