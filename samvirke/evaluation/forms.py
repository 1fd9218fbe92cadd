from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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

    @property
    def all_versions(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("versions") == ALL
