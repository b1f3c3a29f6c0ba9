import datetime
import re
from dataclasses import dataclass

from django import forms

from articles.models import ArticleType, Topic
from reviews.calendar import CalendarFilters, EventKind, calendar_reviewers
from reviews.log import person_label

from .hygiene import StripControlCharacters

MONTH_VIEW, LIST_VIEW = "month", "list"
# A month's range is computed in local time, which must stay inside the years datetime can hold
# (1 to 9999) in every time zone; nobody plans a go-live outside these.
FIRST_YEAR, LAST_YEAR = 1900, 2999


@dataclass(frozen=True)
class CalendarQuery:
    """What a calendar page shows: which view, which month (its first day), or in the list view
    possibly one day of it, and the filters."""

    view: str
    month: datetime.date
    day: datetime.date | None
    filters: CalendarFilters


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        # As the log names people: "Amira Patel, MD" (the queryset brings the profile along).
        return person_label(user)


def _in_range(day: datetime.date, field: str) -> datetime.date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise forms.ValidationError(f"Choose a {field} between {FIRST_YEAR} and {LAST_YEAR}.")
    return day


class CalendarForm(StripControlCharacters, forms.Form):
    """The calendar's address as a form: every value is optional, and a wrong one is named, not
    ignored (the page says what to correct)."""

    view = forms.ChoiceField(choices=[(MONTH_VIEW, "Month"), (LIST_VIEW, "List")], required=False,
                             widget=forms.HiddenInput,
                             error_messages={"invalid_choice": "Choose the month view or the list view."})
    month = forms.CharField(required=False, widget=forms.HiddenInput)
    day = forms.DateField(required=False, input_formats=["%Y-%m-%d"], widget=forms.HiddenInput,
                          error_messages={"invalid": "Enter a day as YYYY-MM-DD, for example 2026-12-07."})
    kind = forms.ChoiceField(choices=[("", "Every event"), *EventKind.choices], required=False, label="Show",
                             error_messages={"invalid_choice": "Choose go-lives, medical reviews due, or every event."})
    article_type = forms.ModelChoiceField(
        ArticleType.objects.all(), required=False, empty_label="Any type", to_field_name="key", label="Type",
        error_messages={"invalid_choice": "There is no article type with this key: choose one from the list."})
    topic = forms.ModelChoiceField(
        Topic.objects.all(), required=False, empty_label="Any topic", to_field_name="slug",
        error_messages={"invalid_choice": "There is no topic with this address: choose one from the list."})
    reviewer = ReviewerChoiceField(
        calendar_reviewers(), required=False, empty_label="Any reviewer", to_field_name="username",
        error_messages={"invalid_choice": "No reviewer has this username: choose one from the list."})

    def clean_month(self) -> datetime.date | None:
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{2})", value)
        if not match or not 1 <= int(match[2]) <= 12:
            raise forms.ValidationError("Enter a month as YYYY-MM, for example 2026-12.")
        return _in_range(datetime.date(int(match[1]), int(match[2]), 1), "month")

    def clean_day(self) -> datetime.date | None:
        day = self.cleaned_data["day"]
        return _in_range(day, "day") if day else None

    def calendar_query(self, today: datetime.date) -> CalendarQuery:
        """The page to show, from a valid form: a day opens the list view at that day."""
        data = self.cleaned_data
        day = data["day"]
        month = (day or data["month"] or today).replace(day=1)
        return CalendarQuery(
            view=LIST_VIEW if day or data["view"] == LIST_VIEW else MONTH_VIEW, month=month, day=day,
            filters=CalendarFilters(
                kind=data["kind"], article_type_id=data["article_type"].pk if data["article_type"] else None,
                topic_id=data["topic"].pk if data["topic"] else None,
                reviewer_id=data["reviewer"].pk if data["reviewer"] else None))
