"""Forms of the desk's lists: search and sort, an article's review assignment and due date, and an
editor's action on many articles at once."""
from django import forms
from django.contrib.auth import get_user_model

from articles.models import Article

from reviews.bulk import BULK_LIMIT
from reviews.desk_lists import SEARCH_LIMIT, SORT_KEYS

from .hygiene import StripControlCharacters


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        name = person.get_full_name()
        return f"{name} ({person.get_username()})" if name else person.get_username()


class DeskSearchForm(StripControlCharacters, forms.Form):
    """ "All articles": words to find in a title, a slug or an author's name, and the order."""

    q = forms.CharField(required=False, max_length=SEARCH_LIMIT, label="Search",
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": "Title, address or author"}))
    sort = forms.ChoiceField(required=False, widget=forms.HiddenInput,
                             choices=[("", "")] + [(f"{sign}{key}", key) for key in SORT_KEYS for sign in ("", "-")])

    def search(self) -> dict:
        """{"q": ..., "sort": ...} as given, each empty when absent or not valid."""
        if not self.is_bound:
            return {"q": "", "sort": ""}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"q": data.get("q", "").strip(), "sort": data.get("sort", "")}


class AssignForm(StripControlCharacters, forms.Form):
    assignee = PersonChoiceField(queryset=get_user_model().objects.none(), label="Assign to",
                                 empty_label="Choose a person")

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["assignee"].queryset = people


class DueDateForm(StripControlCharacters, forms.Form):
    due_on = forms.DateField(label="Due on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class BulkActionForm(StripControlCharacters, forms.Form):
    """The selected rows of "All articles" and what to do with them."""

    ASSIGN, RE_REVIEW = "assign", "re_review"
    action = forms.ChoiceField(choices=[(ASSIGN, "Assign to…"), (RE_REVIEW, "Start re-review")])
    articles = forms.ModelMultipleChoiceField(
        queryset=Article.objects.select_related("article_type").order_by("title", "pk"),
        error_messages={"required": "Select one or more articles first."})
    assignee = PersonChoiceField(queryset=get_user_model().objects.none(), required=False, label="Assign to",
                                 empty_label="Choose a reviewer")

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["assignee"].queryset = people

    def clean_articles(self):
        articles = self.cleaned_data["articles"]
        if len(articles) > BULK_LIMIT:
            raise forms.ValidationError(f"Act on at most {BULK_LIMIT} articles at once.")
        return articles

    def clean(self):
        data = super().clean()
        if data.get("action") == self.ASSIGN and not data.get("assignee"):
            self.add_error("assignee", "Choose whom to assign the reviews to.")
        return data
