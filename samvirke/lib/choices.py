"""A choice's label by its value, without what ``get_FOO_display()`` costs per call.

Django's ``get_FOO_display()`` rebuilds a dict of the field's choices on every call, hashing each
lazily translated label and so translating every one of them: in a list of many rows that is a
good part of a row's time. ``label_of`` looks the value up in the choices and translates one,
once per language: the catalogues do not change while the process runs.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language

_LABELS: dict[tuple[type[models.Choices], object, str | None], str] = {}


def label_of(choices: type[models.Choices], value: object) -> str:
    """The label of ``value`` in the active language; an unknown value as itself, as
    ``get_FOO_display()`` shows it."""
    key = (choices, value, get_language())
    try:
        return _LABELS[key]
    except KeyError:
        pass
    except TypeError:  # a value that cannot be a key is no choice's value
        return str(value)
    try:
        label = str(choices(value).label)
    except ValueError:
        return str(value)
    _LABELS[key] = label
    return label
