"""The form of one questionnaire item: a radio group with the question as legend, or a number."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samvirke.evaluation.models import Item, ItemKind

SKIP = "skip"


class ItemAnswerForm(forms.Form):
    def __init__(self, *args: Any, item: Item, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        label = item.text(language) or _("Question %(number)s") % {"number": item.position}
        field: forms.Field
        if item.kind == ItemKind.CHOICE:
            choices = [
                (str(o.value), o.label(language) or str(o.value)) for o in item.options.all()
            ]
            field = forms.ChoiceField(
                label=label, choices=choices, required=False, widget=forms.RadioSelect
            )
        else:
            field = forms.IntegerField(
                label=label, required=False, min_value=item.minimum, max_value=item.maximum
            )
        self.fields["value"] = field

    def clean_value(self) -> int | None:
        value = self.cleaned_data.get("value")
        if value is None or value == "":
            if self.item.required and self.data.get("action") != SKIP:
                raise forms.ValidationError(_("Please choose an answer to go on."))
            return None
        return int(value)
