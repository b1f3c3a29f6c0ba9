"""Everything typed on the desk loses its control characters before a form validates it.

The database would clean it on save anyway (articles.hygiene); cleaning here as well means a
refused form shows the person the text that will be kept, its checks (is the username taken? is
the field empty?) judge that text, and writes that send no signal (bulk_create of references and
comments) get clean text too.
"""
from django import forms

from articles.hygiene import has_control, strip_control


class StripControlCharacters:
    """A form mixin: the bound data, with control characters removed from every value.

    Only the form's copy changes; request.POST stays as it came. Passwords are left as typed (they
    are checked, never stored or shown), and so are uploaded files.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            kept = {self.add_prefix(name) for name, field in self.fields.items()
                    if isinstance(field.widget, forms.PasswordInput)}
            self.data = _stripped(self.data, kept)


def _stripped(data, kept: set[str]):
    if hasattr(data, "lists"):  # a QueryDict or MultiValueDict: every value of every key
        if not any(key not in kept and isinstance(value, str) and has_control(value)
                   for key, values in data.lists() for value in values):
            return data
        copy = data.copy()
        for key, values in data.lists():
            if key not in kept:
                copy.setlist(key, [_stripped_value(value) for value in values])
        return copy
    return {key: value if key in kept else _stripped_value(value) for key, value in data.items()}


def _stripped_value(value):
    if isinstance(value, str):
        return strip_control(value)
    if isinstance(value, (list, tuple)):
        return [_stripped_value(item) for item in value]
    return value
