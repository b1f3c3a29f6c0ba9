"""The team pages: inviting a person, their roles, their reviewer profile, their access.

The forms parse what an editor typed; the writes are reviews.team's.
"""
from django import forms
from django.contrib.auth.models import BaseUserManager
from django.core.exceptions import ValidationError

from reviews.models import ReviewerProfile, people_slug_conflict
from reviews.team import User, role_choices

from .hygiene import StripControlCharacters


class InviteForm(StripControlCharacters, forms.Form):
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
        # A writer's public page is /people/<username>/, which a reviewer's address would shadow.
        if username and people_slug_conflict(username, user_id=None):
            raise ValidationError(f'"{username}" is the address of a reviewer\'s public page, now or before: '
                                  "choose another username.")
        return username


class RolesForm(StripControlCharacters, forms.Form):
    roles = forms.MultipleChoiceField(choices=role_choices, widget=forms.CheckboxSelectMultiple, required=False)


class ReviewerProfileForm(StripControlCharacters, forms.ModelForm):
    """The profile, and its public address (slug): not another person's username, nor another
    profile's current or former address (reviews.models.people_slug_conflict, which the service
    asks again through ReviewerProfile.clean).

    The slug is not one of the model fields the form writes into its instance: on a refused form
    the page still shows the address readers see now, not the one typed."""

    slug = forms.SlugField(
        max_length=100, required=False, label="Public address",
        help_text="The end of their public page's address, /people/…/: lowercase letters, digits and "
                  "hyphens. Leave empty to make one from their name. When it changes, the old address "
                  "redirects to the new one, so published bylines keep working.")

    class Meta:
        model = ReviewerProfile
        fields = ["credentials", "registration_number", "specialty", "bio"]
        labels = {"registration_number": "Registration body and number"}
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].initial = self.instance.slug

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug and slug != self.instance.slug:
            problem = people_slug_conflict(slug, user_id=self.instance.user_id)
            if problem:
                raise ValidationError(problem)
        return slug
