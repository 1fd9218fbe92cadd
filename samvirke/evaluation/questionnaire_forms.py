"""The form of one questionnaire item: a radio group with the question as legend, or a number."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvirke.evaluation.models import EntryMode, Item, ItemKind
from samvirke.web.forms import StyledFormMixin

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


class StaffEntryForm(StyledFormMixin, forms.Form):
    """Every item of a questionnaire on one page, for staff entering someone's answers.

    Items are optional here: which must be answered depends on the answers (``shown_if``), so
    the service says so, with a message the page shows above the form."""

    mode = forms.ChoiceField(
        label=_("How were the answers given?"),
        choices=[
            (EntryMode.STAFF_ASSISTED, _("with me, in a meeting or on the phone")),
            (EntryMode.PAPER, _("on a paper form")),
        ],
        widget=forms.RadioSelect,
    )
    answered_on = forms.DateField(
        label=_("Answered on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, items: list[Item], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            label = item.text(language) or _("Question %(number)s") % {"number": item.position}
            field: forms.Field
            if item.kind == ItemKind.CHOICE:
                choices = [("", _("not answered"))] + [
                    (str(o.value), o.label(language) or str(o.value)) for o in item.options.all()
                ]
                field = forms.TypedChoiceField(
                    label=f"{item.position}. {label}",
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    widget=forms.RadioSelect,
                )
            else:
                field = forms.IntegerField(
                    label=f"{item.position}. {label}",
                    required=False,
                    min_value=item.minimum,
                    max_value=item.maximum,
                )
            self.fields[self.field_name(item)] = field

    @staticmethod
    def field_name(item: Item) -> str:
        return f"item_{item.key}"

    def clean_answered_on(self) -> Any:
        day = self.cleaned_data["answered_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def answers(self) -> dict[str, int | None]:
        return {item.key: self.cleaned_data.get(self.field_name(item)) for item in self.items}
