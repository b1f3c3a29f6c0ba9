"""Roles in templates: `{% load desk_roles %}{% if user|is_editor %}`.

Asks reviews.permissions, which keeps a person's role names on the user object for the request, so
a page whose view already asked costs no query for it.
"""
from django import template

from reviews import permissions

register = template.Library()


@register.filter
def is_editor(user) -> bool:
    return permissions.is_editor(user)
