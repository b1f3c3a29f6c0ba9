"""Control characters never reach the database: every text field is cleaned as it is saved.

Nothing a person writes here needs a control character, and they do harm downstream: XML 1.0
cannot carry most of them (one title with U+0001 made the RSS feed fail for every reader), and
PostgreSQL refuses NUL in text. Removed: every character of Unicode category Cc (U+0000-U+001F,
U+007F-U+009F) except tab and newline; a carriage return is kept only before a newline, because
browsers send a textarea's line breaks as CRLF and stored text keeps what they sent.

One mechanism for every write: a pre_save receiver over each CharField and TextField of a model
(connected per app in its AppConfig.ready), so forms, services, the admin and commands are all
covered. HTML fields too: no control character is valid in HTML. Bulk writes (QuerySet.update,
bulk_create) send no signal: what they write must arrive clean, as text typed into the editorial
forms does (they strip control characters before validation).
"""
import re
from functools import cache

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
# For text that is refused rather than cleaned (an import file): any carriage return is a line end.
REFUSED_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_control(text: str) -> str:
    """`text` without control characters other than tab, newline and the CR of a CRLF."""
    return CONTROL_CHARACTERS.sub("", text)


def has_control(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


@cache
def _text_fields(model) -> tuple:
    # CharField covers its subclasses (slug, email, URL); FileField and JSONField are not text.
    return tuple(field for field in model._meta.concrete_fields
                 if isinstance(field, (models.CharField, models.TextField)))


def strip_control_on_save(sender, instance, update_fields=None, **kwargs):
    """pre_save: clean every text field about to be written.

    A required field that held nothing but control characters is refused with a ValidationError,
    as the services' own checks would refuse an empty one, rather than saved empty (a database
    constraint such as "a waiver has a reason" would otherwise fail with an IntegrityError).
    """
    for field in _text_fields(sender):
        if update_fields is not None and field.name not in update_fields and field.attname not in update_fields:
            continue
        value = getattr(instance, field.attname)
        if not isinstance(value, str) or not has_control(value):
            continue
        cleaned = strip_control(value)
        if value and not cleaned and not field.blank:
            raise ValidationError({field.name: f"The {field.verbose_name} holds only control characters; "
                                               "write some text."})
        setattr(instance, field.attname, cleaned)


def cleaned_for_bulk(objects: list) -> list:
    """bulk_create sends no pre_save: clean its objects the same way first."""
    for instance in objects:
        strip_control_on_save(type(instance), instance)
    return objects


def connect(*senders) -> None:
    for sender in senders:
        pre_save.connect(strip_control_on_save, sender=sender, dispatch_uid="articles.hygiene")
