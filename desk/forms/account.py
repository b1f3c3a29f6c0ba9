"""Login with an optional second factor, and the two-factor set-up form."""
from django import forms
from django.contrib.auth import user_login_failed
from django.contrib.auth.forms import AuthenticationForm

from reviews.accounts import has_second_factor, verify_second_factor


class LoginForm(AuthenticationForm):
    """Username and password (through django-axes, which counts failures), then the code from an
    authenticator app or a recovery code when the person has set two factors up."""

    otp_token = forms.CharField(
        label="Code from your authenticator app", required=False, max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
        help_text="Only if you have set up two-factor login: 6 digits, or one of your recovery codes.",
    )

    def clean(self):
        cleaned = super().clean()
        self.otp_device = None
        user = self.get_user()
        if user is not None and has_second_factor(user):
            self.otp_device = verify_second_factor(user, self.cleaned_data.get("otp_token", ""))
            if self.otp_device is None:
                # A right password with a wrong code is still a failed login: axes counts it.
                user_login_failed.send(sender=__name__, credentials={"username": user.get_username()},
                                       request=self.request)
                self.user_cache = None
                raise forms.ValidationError(
                    "Enter the current code from your authenticator app, or one of your recovery codes.",
                    code="otp_required")
        return cleaned


class AppConfirmForm(forms.Form):
    token = forms.CharField(label="The 6-digit code the app shows now", max_length=12,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))
