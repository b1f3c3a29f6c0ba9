"""Forms readers fill in. The public pages' HTML writes their fields by hand (a cached page has no
form object to render), under these names and the ids of AUTO_ID."""
from django import forms

AUTO_ID = "feedback-%s"


class ReaderFeedbackForm(forms.Form):
    """ "Report a problem with this page". reviews.feedback.feedback_receive checks the message
    and the address again: the form is only the first of the two."""

    # No max_length here: reviews.feedback refuses an over-long report, in one wording.
    message = forms.CharField(error_messages={"required": "Describe the problem with this page before sending it."})
    email = forms.EmailField(
        required=False, error_messages={"invalid": "Enter an email address like name@example.com, or leave it empty."})
    # The publication on the reader's screen (the page may be an earlier one, kept by a cache).
    publication = forms.CharField(required=False)
    # The honeypot: hidden from people (static/css/site.css, .feedback-trap), filled in by bots
    # that complete every field.
    website = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", AUTO_ID)
        super().__init__(*args, **kwargs)

    def caught_in_the_trap(self) -> bool:
        return bool(self.data.get("website", "").strip())
