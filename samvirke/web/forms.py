"""Form helpers shared by every app."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from samvirke.audit.services import Change

BIGINT_MAX = 2**63 - 1
M = TypeVar("M", bound=models.Model)


def change_from(form: forms.ModelForm[M]) -> Change[M]:
    """What a valid model form asks to change, as the typed value a service saves (services
    take no forms): the object with the new values set, the changed fields, and the new members
    of the form's many-to-many fields."""
    obj = form.save(commit=False)
    related = {
        field.name: form.cleaned_data[field.name]
        for field in obj._meta.many_to_many
        if field.name in form.cleaned_data
    }
    return Change(obj=obj, fields=tuple(form.changed_data), related=related)


def _attrs_html(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html, in Python."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    """Django's ``Select`` with the very markup of django/forms/widgets/select.html, written
    without rendering a template (and its attrs template) for every option, nor building the
    dictionary ``Select.optgroups`` makes of each: a filter bar of a few selects with a hundred
    options cost a list page more than its rows."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        if self.allow_multiple_selected or self.option_inherits_attrs:  # not what it is for
            return super().render(name, value, attrs, renderer)
        chosen = self.format_value(value)
        parts = [
            format_html('<select name="{}"', name),
            _attrs_html(self.build_attrs(self.attrs, attrs)),
            ">",
        ]
        has_selected = False  # as Select.optgroups: only the first match is selected
        for option_value, option_label in self.choices:
            group: Any = None
            options = [("" if option_value is None else option_value, option_label)]
            if isinstance(option_label, (list, tuple)):
                group, options = option_value, list(option_label)
            if group:
                parts.append(format_html('\n  <optgroup label="{}">', group))
            for sub_value, sub_label in options:
                selected = not has_selected and str(sub_value) in chosen
                has_selected |= selected
                escaped_value = conditional_escape(str(sub_value))
                mark = " selected" if selected else ""
                label = conditional_escape(str(sub_label))
                parts.append(f'\n  <option value="{escaped_value}"{mark}>{label}</option>\n')
            if group:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def reinterpret_in_zone(value: dt.datetime, zone_name: str) -> dt.datetime:
    """A datetime typed as wall-clock time in ``zone_name`` (the form parsed it in the user's)."""
    naive = timezone.make_naive(value) if timezone.is_aware(value) else value
    return timezone.make_aware(naive, zoneinfo.ZoneInfo(zone_name))


def parse_id(value: str) -> int | None:
    """A database id from a query parameter, or None for anything else (no 500s on junk)."""
    if 0 < len(value) <= 18 and value.isascii() and value.isdigit():
        return int(value)
    return None


class HttpsURLField(forms.URLField):
    """A web address typed without a scheme is taken to be https://."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


def _refusing_ids_out_of_range(field: forms.ModelMultipleChoiceField[Any]) -> Any:
    """The field's ``clean``, refusing ids no database integer holds before they reach a query.

    Django looks the chosen ids up with ``pk__in``, which SQLite answers with OverflowError and
    PostgreSQL with an error of its own: a 500 instead of a form error.
    """
    clean = field.clean

    def guarded(value: Any) -> Any:
        for each in value if isinstance(value, list | tuple) else [value]:
            digits = str(each).strip().removeprefix("-")
            if (
                digits.isascii()
                and digits.isdigit()
                and (len(digits) > 19 or int(digits) > BIGINT_MAX)
            ):
                raise ValidationError(
                    field.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": each},
                )
        return clean(value)

    return guarded


class StyledFormMixin:
    """Marks required fields for assistive technology; the CSS does the rest."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            if field.required:
                field.widget.attrs.setdefault("required", True)
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.clean = _refusing_ids_out_of_range(field)  # type: ignore[method-assign]
