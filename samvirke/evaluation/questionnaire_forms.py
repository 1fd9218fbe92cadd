"""The form of one questionnaire item: a radio group with the question as legend, or a number."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from samvirke.evaluation import paper_import
from samvirke.evaluation.models import (
    Anchor,
    EntryMode,
    InstrumentVersion,
    Item,
    ItemKind,
    VersionStatus,
)
from samvirke.evaluation.redcap_import import NO_TIME_POINT, Occasion, guess_time_point
from samvirke.evaluation.redcap_import import SKIP as SKIP_EVENT
from samvirke.imports.forms import read_upload
from samvirke.imports.reading import Table, read_table
from samvirke.imports.steps import MAX_SIGNED_FILE_BYTES
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
        elif item.kind == ItemKind.TEXT:
            field = text_field(item, str(label))
        else:
            field = forms.IntegerField(
                label=label, required=False, min_value=item.minimum, max_value=item.maximum
            )
        self.fields["value"] = field

    def clean_value(self) -> int | str | None:
        value = self.cleaned_data.get("value")
        if value is None or value == "":
            if self.item.required and self.data.get("action") != SKIP:
                raise forms.ValidationError(_("Please choose an answer to go on."))
            return None
        return str(value).strip() if self.item.kind == ItemKind.TEXT else int(value)

    def value(self) -> int | None:
        """The value chosen or given; none for a free-text item."""
        value = self.cleaned_data.get("value")
        return value if isinstance(value, int) else None

    def text(self) -> str:
        """The answer to a free-text item; empty for every other kind."""
        value = self.cleaned_data.get("value")
        return value if isinstance(value, str) else ""


def text_field(item: Item, label: str) -> forms.CharField:
    """A free-text answer: a labelled text area, at most the item's number of characters."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=item.maximum or 2000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


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
            elif item.kind == ItemKind.TEXT:
                field = text_field(item, f"{item.position}. {label}")
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
        return {
            item.key: self.cleaned_data.get(self.field_name(item))
            for item in self.items
            if item.kind != ItemKind.TEXT
        }

    def texts(self) -> dict[str, str]:
        return {
            item.key: self.cleaned_data.get(self.field_name(item)) or ""
            for item in self.items
            if item.kind == ItemKind.TEXT
        }


def importable_versions(programme_id: int) -> list[InstrumentVersion]:
    """The newest published version of each instrument the programme can use, with texts."""
    newest: dict[int, InstrumentVersion] = {}
    for version in (
        InstrumentVersion.objects.filter(status=VersionStatus.PUBLISHED, texts_available=True)
        .filter(Q(instrument__programme__isnull=True) | Q(instrument__programme=programme_id))
        .select_related("instrument")
        .order_by("instrument__key", "version")
    ):
        newest[version.instrument_id] = version
    return list(newest.values())


class PaperImportForm(StyledFormMixin, forms.Form):
    PAPER, REDCAP = "paper", "redcap"

    instrument = forms.ChoiceField(label=_("Questionnaire"))
    source = forms.ChoiceField(
        label=_("Kind of file"),
        choices=[
            (PAPER, _("Typed in after the template, or an SPSS file")),
            (REDCAP, _("A REDCap export (the data as CSV, raw codes or labels)")),
        ],
        initial=PAPER,
        required=False,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "An Excel workbook (.xlsx, the first sheet), a CSV file in UTF-8 separated by commas "
            "or semicolons with the column names in the first row, or an SPSS .sav file. At most "
            "1 MB and 20 000 rows; split a larger file."
        ),
    )
    dictionary = forms.FileField(
        label=_("REDCap data dictionary (optional)"),
        required=False,
        help_text=_(
            "The data dictionary of the REDCap project as CSV: its first field is taken as the "
            "record id, its codes are checked against the questionnaire's, and an export with "
            "labels is read back to codes with it."
        ),
    )

    def __init__(self, *args: Any, versions: list[InstrumentVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.versions = {version.instrument.key: version for version in versions}
        field = self.fields["instrument"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrows the type
        field.choices = [(key, version.title()) for key, version in self.versions.items()]
        self.table: Table | None = None
        self.dictionary_table: Table | None = None
        self.contents: dict[str, bytes] = {}

    def clean_instrument(self) -> InstrumentVersion:
        return self.versions[self.cleaned_data["instrument"]]

    def clean_source(self) -> str:
        return str(self.cleaned_data.get("source") or self.PAPER)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        self.table = self._read(upload)
        return upload

    def clean_dictionary(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("dictionary")
        self.dictionary_table = self._read(upload, spreadsheet=True) if upload else None
        return upload

    def _read(self, upload: UploadedFile, *, spreadsheet: bool = False) -> Table:
        """The file's table; its content is kept (``contents``) to travel to the next step."""
        reader = read_table if spreadsheet else paper_import.read_upload
        content, table = read_upload(upload, MAX_SIGNED_FILE_BYTES, reader)
        self.contents["dictionary" if spreadsheet else "file"] = content
        return table


class EventsForm(StyledFormMixin, forms.Form):
    """The events of a REDCap export, each beside what its rows are: a time point of the
    programme (guessed from the event's name), no time point, or rows to skip."""

    def __init__(
        self, *args: Any, events: dict[str, int], occasions: list[Occasion], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.events = list(events.items())
        choices: list[tuple[str, object]] = [("", _("choose"))]
        for occasion in occasions:
            choices.append((occasion.key, occasion_label(occasion)))
        choices += [
            (NO_TIME_POINT, _("no time point (a questionnaire of its own)")),
            (SKIP_EVENT, _("skip these rows")),
        ]
        for index, (event, _count) in enumerate(self.events):
            self.fields[f"event_{index}"] = forms.ChoiceField(
                label=event,
                choices=choices,
                initial=guess_time_point(event, occasions),
                error_messages={"required": _("Choose what the rows of this event are.")},
            )

    def mapping(self) -> dict[str, str]:
        return {event: self.cleaned_data[f"event_{i}"] for i, (event, _c) in enumerate(self.events)}

    def rows(self) -> list[tuple[forms.BoundField, int]]:
        return [(self[f"event_{i}"], count) for i, (_event, count) in enumerate(self.events)]


def occasion_label(occasion: Occasion) -> str:
    when: object
    if occasion.anchor == Anchor.END:
        when = _("at completion or drop-out")
    elif occasion.offset_months == 0:
        when = _("at enrolment")
    else:
        when = ngettext(
            "%(months)s month after enrolment",
            "%(months)s months after enrolment",
            occasion.offset_months,
        ) % {"months": occasion.offset_months}
    return f"{occasion.key} ({when})"


class InstrumentForm(StyledFormMixin, forms.Form):
    key = forms.RegexField(
        label=_("Short name"),
        regex=r"^[a-z][a-z0-9_]{0,19}$",
        max_length=20,
        help_text=_(
            "Lower-case letters, digits and _, starting with a letter, such as wellbeing. "
            "It names the columns of the research export."
        ),
        error_messages={
            "invalid": _("Use lower-case letters, digits and _, starting with a letter.")
        },
    )
    title_nb = forms.CharField(label=_("Title (Norwegian)"), max_length=200)
    title_sv = forms.CharField(label=_("Title (Swedish)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    scoring = forms.ChoiceField(
        label=_("Score"),
        choices=[
            ("sum", _("the sum of the scale and yes/no answers")),
            ("mean", _("the mean of the scale and yes/no answers")),
            ("", _("no score")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )


class InstrumentItemForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of answer"),
        choices=[
            ("", _("(no question)")),
            ("likert5", _("agree–disagree, five steps")),
            ("yes_no", _("yes or no")),
            ("number", _("a whole number")),
            ("text", _("free text (never scored)")),
        ],
        required=False,
    )
    text_nb = forms.CharField(label=_("Question (Norwegian)"), max_length=500, required=False)
    text_sv = forms.CharField(label=_("Question (Swedish)"), max_length=500, required=False)
    text_en = forms.CharField(label=_("Question (English)"), max_length=500, required=False)
    minimum = forms.IntegerField(
        label=_("Smallest number"), required=False, min_value=-100000, max_value=100000
    )
    maximum = forms.IntegerField(
        label=_("Largest number"), required=False, min_value=-100000, max_value=100000
    )
    max_length = forms.IntegerField(
        label=_("Most characters (free text)"),
        required=False,
        min_value=1,
        max_value=2000,
        help_text=_("500 when left empty."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") and not data.get("text_nb"):
            self.add_error("text_nb", _("Write the question in Norwegian at least."))
        low, high = data.get("minimum"), data.get("maximum")
        if low is not None and high is not None and low > high:
            self.add_error("maximum", _("The largest number must not be below the smallest."))
        return data


InstrumentItemFormSet = forms.formset_factory(
    InstrumentItemForm, extra=0, min_num=1, max_num=40, absolute_max=40
)


class CorrectionForm(StyledFormMixin, forms.Form):
    """A new answer to one item of a submitted response, and why it is changed (required).

    One form per item on the response's page; the prefix (the item's key) keeps their fields
    apart."""

    reason = forms.CharField(
        label=_("Why is the answer changed?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, item: Item, language: str, **kwargs: Any) -> None:
        super().__init__(*args, prefix=item.key, **kwargs)
        self.item = item
        label = _("New answer")
        field: forms.Field
        if item.kind == ItemKind.CHOICE:
            choices = [("", _("not answered"))] + [
                (str(o.value), o.label(language) or str(o.value)) for o in item.options.all()
            ]
            field = forms.TypedChoiceField(
                label=label, choices=choices, coerce=int, empty_value=None, required=False
            )
        elif item.kind == ItemKind.TEXT:
            field = text_field(item, str(label))
        else:
            field = forms.IntegerField(
                label=label, required=False, min_value=item.minimum, max_value=item.maximum
            )
        self.fields = {"new": field, "reason": self.fields["reason"]}

    def value(self) -> int | None:
        new = self.cleaned_data.get("new")
        return None if self.item.kind == ItemKind.TEXT else new

    def text(self) -> str | None:
        return str(self.cleaned_data.get("new") or "") if self.item.kind == ItemKind.TEXT else None
