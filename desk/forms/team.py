"""The team pages: inviting a person, their roles, their reviewer profile, their access.

The forms parse what an editor typed; the writes are reviews.team's.
"""
from django import forms
from django.contrib.auth.models import BaseUserManager
from django.core.exceptions import ValidationError

from reviews.models import ReviewerProfile
from reviews.team import User, role_choices


class InviteForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(max_length=254, help_text="The invitation goes here.")
    username = forms.CharField(
        max_length=150, required=False, validators=[User.username_validator],
        help_text="What they log in with. Leave empty to use the part of the email address before the @.")
    roles = forms.MultipleChoiceField(choices=role_choices, widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": "Choose at least one role."})

    def clean_email(self):
        email = BaseUserManager.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError("Someone on the team already has this email address: open their page from "
                                  "the team list instead.")
        return email

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if username and User.objects.filter(username__iexact=username).exists():
            raise ValidationError(f'The username "{username}" is taken: choose another one.')
        return username


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(choices=role_choices, widget=forms.CheckboxSelectMultiple, required=False)


class ReviewerProfileForm(forms.ModelForm):
    class Meta:
        model = ReviewerProfile
        fields = ["credentials", "registration_number", "specialty", "bio"]
        labels = {"registration_number": "Registration body and number"}
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}


