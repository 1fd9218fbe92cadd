from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samvirke.measures.models import (
    Pathway,
    PathwayStep,
    ProviderKind,
    Service,
    ServiceMapSettings,
)
from samvirke.measures.selectors import ServiceFilters, municipalities_on_map, services_of
from samvirke.programmes.models import Country, Programme
from samvirke.web.forms import HttpsURLField, StyledFormMixin, parse_id


class ServiceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    kind = forms.ChoiceField(label=_("Provider"), required=False)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, list[tuple[str, Any]]] = {
            "country": [("", _("All countries")), *Country.choices],
            "municipality": [
                ("", _("All municipalities")),
                *((str(m.pk), m.name) for m in municipalities_on_map(programme)),
            ],
            "kind": [("", _("All providers")), *ProviderKind.choices],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101
            field.choices = options

    def filters(self) -> ServiceFilters:
        """The filters that were valid; a bad value in one leaves the others working."""
        self.is_valid()
        data = self.cleaned_data
        return ServiceFilters(
            q=data.get("q") or "",
            country=data.get("country") or "",
            municipality=parse_id(data.get("municipality") or ""),
            kind=data.get("kind") or "",
        )


class ServiceForm(StyledFormMixin, forms.ModelForm[Service]):
    class Meta:
        model = Service
        fields = [
            "name_nb",
            "name_sv",
            "name_en",
            "provider_kind",
            "country",
            "municipality",
            "offers_nb",
            "offers_sv",
            "offers_en",
            "eligibility_nb",
            "eligibility_sv",
            "eligibility_en",
            "access_nb",
            "access_sv",
            "access_en",
            "opening_hours_nb",
            "opening_hours_sv",
            "opening_hours_en",
            "address",
            "phone",
            "email",
            "website",
            "languages",
        ]
        field_classes = {"website": HttpsURLField}
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in fields
            if name.startswith(("offers_", "eligibility_", "access_"))
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        municipality, country = data.get("municipality"), data.get("country")
        if municipality is not None and country and municipality.country != country:
            self.add_error("municipality", _("The municipality is not in the country you chose."))
        return data


class PathwayForm(StyledFormMixin, forms.ModelForm[Pathway]):
    class Meta:
        model = Pathway
        fields = [
            "situation",
            "country",
            "title_nb",
            "title_sv",
            "title_en",
            "summary_nb",
            "summary_sv",
            "summary_en",
        ]
        widgets = {
            "summary_nb": forms.Textarea(attrs={"rows": 3}),
            "summary_sv": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        situation, country = data.get("situation"), data.get("country")
        if situation and country:
            taken = Pathway.objects.filter(
                programme=self.instance.programme, situation=situation, country=country
            ).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "situation",
                    _("This situation already has a pathway in that country."),
                )
        return data


class PathwayStepForm(StyledFormMixin, forms.ModelForm[PathwayStep]):
    class Meta:
        model = PathwayStep
        fields = [
            "position",
            "title_nb",
            "title_sv",
            "title_en",
            "text_nb",
            "text_sv",
            "text_en",
            "service",
        ]
        widgets = {
            "text_nb": forms.Textarea(attrs={"rows": 3}),
            "text_sv": forms.Textarea(attrs={"rows": 3}),
            "text_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, pathway: Pathway, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.pathway = pathway
        self.fields["position"].widget.attrs.update({"min": 1, "max": 999})
        self.fields["service"].queryset = services_of(pathway.programme).filter(  # type: ignore[attr-defined]
            country=pathway.country
        )

    def clean_position(self) -> int:
        position = int(self.cleaned_data["position"])
        if not 1 <= position <= 999:
            raise forms.ValidationError(_("Give a number from 1 to 999."))
        return position


class PublicationForm(StyledFormMixin, forms.ModelForm[ServiceMapSettings]):
    class Meta:
        model = ServiceMapSettings
        fields = ["published"]
