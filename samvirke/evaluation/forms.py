from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samvirke.evaluation.deidentify import DateHandling, Geography
from samvirke.evaluation.services import ExportChoice
from samvirke.web.forms import StyledFormMixin

CURRENT = "current"
ALL = "all"


class ResearchExportForm(StyledFormMixin, forms.Form):
    versions = forms.ChoiceField(
        label=_("Mapping versions"),
        choices=[
            (CURRENT, _("The current mapping of each participant (one row each)")),
            (ALL, _("Every version (one row per version, numbered)")),
        ],
        initial=CURRENT,
        required=False,
        widget=forms.RadioSelect,
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

    @property
    def all_versions(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("versions") == ALL

    def choice(self) -> ExportChoice:
        """The export asked for; the defaults are the most protective ones."""
        data = self.cleaned_data
        return ExportChoice(
            dataset="mapping",
            file_format="csv",
            all_versions=data.get("versions") == ALL,
            dates=data.get("dates") or DateHandling.MONTHS,
            geography=data.get("geography") or Geography.REGION,
        )
