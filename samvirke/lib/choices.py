"""A choice's label by its value, without what ``get_FOO_display()`` costs per call.

Django's ``get_FOO_display()`` rebuilds a dict of the field's choices on every call, hashing each
lazily translated label and so translating every one of them: in a list of many rows that is a
good part of a row's time. ``label_of`` looks the value up in the choices and translates one.
"""

from __future__ import annotations

from django.db import models


def label_of(choices: type[models.Choices], value: object) -> str:
    """The label of ``value`` in the active language; an unknown value as itself, as
    ``get_FOO_display()`` shows it."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)
