"""The form that starts an evaluation analysis."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AnalysisForm(forms.Form):
    grouping = forms.ChoiceField(
        label=_("Compare"),
        choices=[("kind", _("kinds of measure")), ("measure", _("each measure"))],
        initial="kind",
    )
    adjust = forms.MultipleChoiceField(
        label=_("Adjust the mixed models for"),
        choices=[
            ("age_band", _("age band")),
            ("gender", _("gender")),
            ("country", _("country")),
            ("baseline_score", _("baseline score")),
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    seed = forms.IntegerField(
        label=_("Random seed"),
        min_value=0,
        max_value=2**31 - 1,
        initial=2011,
        help_text=_("The same data, parameters and seed give the same numbers."),
    )
