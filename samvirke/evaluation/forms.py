from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samvirke.evaluation.deidentify import DateHandling, Geography
from samvirke.evaluation.services import ExportChoice
from samvirke.web.forms import StyledFormMixin

CURRENT = "current"
ALL = "all"
OUTCOMES, MAPPING = "outcomes", "mapping"
LONG, WIDE = "long", "wide"


class ResearchExportForm(StyledFormMixin, forms.Form):
    dataset = forms.ChoiceField(
        label=_("Dataset"),
        choices=[
            (
                OUTCOMES,
                _("Evaluation dataset: attributes, exposure per measure and every time point"),
            ),
            (MAPPING, _("Resource mapping with every code ticked (CSV only)")),
        ],
        initial=OUTCOMES,
        required=False,
        widget=forms.RadioSelect,
    )
    layout = forms.ChoiceField(
        label=_("Layout"),
        choices=[
            (LONG, _("Long: one row per participant per time point")),
            (WIDE, _("Wide: one row per participant, the time points side by side")),
        ],
        initial=LONG,
        required=False,
        widget=forms.RadioSelect,
    )
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("csv", _("CSV")),
            ("sav", _("SPSS (.sav) with variable and value labels")),
            ("dta", _("Stata (.dta) with variable and value labels")),
            ("r", _("R: the CSV and a script that applies the labels (.zip)")),
        ],
        initial="csv",
        required=False,
        widget=forms.RadioSelect,
    )
    versions = forms.ChoiceField(
        label=_("Mapping versions"),
        choices=[
            (CURRENT, _("The current mapping of each participant (one row each)")),
            (ALL, _("Every version (one row per version, numbered)")),
        ],
        initial=CURRENT,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("For the resource mapping file only."),
    )
    dates = forms.ChoiceField(
        label=_("Dates"),
        choices=DateHandling.choices,
        initial=DateHandling.MONTHS,
        required=False,
        widget=forms.RadioSelect,
    )
    geography = forms.ChoiceField(
        label=_("Place"),
        choices=Geography.choices,
        initial=Geography.REGION,
        required=False,
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("dataset") == MAPPING and data.get("file_format") not in {"", None, "csv"}:
            self.add_error("file_format", _("The resource mapping file is made as CSV only."))
        return data

    @property
    def all_versions(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("versions") == ALL

    def choice(self) -> ExportChoice:
        """The export asked for; the defaults are the most protective ones."""
        data = self.cleaned_data
        return ExportChoice(
            dataset=data.get("dataset") or OUTCOMES,
            file_format=data.get("file_format") or "csv",
            layout=data.get("layout") or LONG,
            all_versions=data.get("versions") == ALL,
            dates=data.get("dates") or DateHandling.MONTHS,
            geography=data.get("geography") or Geography.REGION,
        )


class CodebookForm(ResearchExportForm):
    """The same choices as the export (a codebook describes one shape of file), and what kind
    of codebook."""

    output = forms.ChoiceField(
        label=_("Codebook"),
        choices=[
            ("html", _("HTML page")),
            ("pdf", _("PDF")),
            ("redcap", _("REDCap data dictionary (CSV)")),
            ("json", _("JSON Schema")),
        ],
        initial="html",
        required=False,
        widget=forms.RadioSelect,
        help_text=_("The resource mapping file has one codebook, in Markdown."),
    )
    field_order = ["dataset", "layout", "dates", "geography", "output"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["file_format"]
        del self.fields["versions"]

    def clean(self) -> dict[str, Any]:
        return forms.Form.clean(self) or {}

    @property
    def kind(self) -> str:
        return self.cleaned_data.get("output") or "html"
