from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samvirke.accounts.models import Role, User
from samvirke.lib.idnumbers import valid_national_id
from samvirke.participants.models import (
    ConsentPurpose,
    Participant,
    RevealReason,
    birth_year_bounds,
)
from samvirke.participants.services import find_duplicate
from samvirke.programmes.models import Municipality, Organisation, Programme, Subproject
from samvirke.web.forms import StyledFormMixin


class ParticipantForm(StyledFormMixin, forms.ModelForm[Participant]):
    """The pseudonymous record together with the identity, which is stored apart, encrypted."""

    full_name = forms.CharField(label=_("full name"), max_length=200)
    email = forms.EmailField(label=_("e-mail address"), required=False, max_length=254)
    phone = forms.CharField(label=_("phone"), max_length=40, required=False)
    national_id = forms.CharField(
        label=_("national identity number"),
        max_length=20,
        required=False,
        help_text=_("Optional. Fødselsnummer or D-number in Norway, personnummer in Sweden."),
    )

    class Meta:
        model = Participant
        fields = [
            "country",
            "birth_year",
            "gender",
            "municipality",
            "languages",
            "subprojects",
            "organisations",
            "guides",
        ]
        widgets = {
            "subprojects": forms.CheckboxSelectMultiple,
            "organisations": forms.CheckboxSelectMultiple,
            "guides": forms.CheckboxSelectMultiple,
        }

    IDENTITY_FIELDS = ("full_name", "email", "phone", "national_id")

    def __init__(
        self, *args: Any, programme: Programme, with_identity: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        # Without the identity (not revealed), the form edits the record and keeps the identity.
        self.with_identity = with_identity
        if not with_identity:
            for name in self.IDENTITY_FIELDS:
                del self.fields[name]
        self.fields["subprojects"].queryset = Subproject.objects.filter(  # type: ignore[attr-defined]
            programme=programme
        )
        self.fields["organisations"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            partnerships__programme=programme
        )
        self.fields["guides"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__programme=programme, memberships__role=Role.GUIDE
        ).distinct()
        self.fields["municipality"].queryset = Municipality.objects.all()  # type: ignore[attr-defined]
        self.order_fields([*self.IDENTITY_FIELDS, *self.Meta.fields])

    def clean_birth_year(self) -> int | None:
        year: int | None = self.cleaned_data.get("birth_year")
        if year is None:
            return None
        low, high = birth_year_bounds()
        if not low <= year <= high:
            raise forms.ValidationError(
                _("Give a birth year between %(low)s and %(high)s.") % {"low": low, "high": high}
            )
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        country = data.get("country")
        number = (data.get("national_id") or "").strip()
        municipality = data.get("municipality")
        if municipality is not None and country and municipality.country != country:
            self.add_error("municipality", _("The municipality is not in the country you chose."))
        if number and country:
            if not valid_national_id(number, country):
                self.add_error(
                    "national_id",
                    _("This is not a valid Norwegian fødselsnummer or D-number.")
                    if country == "NO"
                    else _("This is not a valid Swedish personnummer or samordningsnummer."),
                )
            elif find_duplicate(
                programme=self.instance.programme,
                national_id=number,
                country=country,
                exclude=self.instance if self.instance.pk else None,
            ):
                self.add_error(
                    "national_id", _("A participant in this programme already has this number.")
                )
        return data


class RevealIdentityForm(StyledFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("What for?"),
        choices=RevealReason.choices,
        initial=RevealReason.FOLLOW_UP,
        required=False,
        widget=forms.RadioSelect,
    )
    purpose = forms.CharField(
        label=_("Why do you need to see who this is?"),
        max_length=200,
        help_text=_("The participant can read this in their access log."),
    )

    def clean_reason(self) -> str:
        return str(self.cleaned_data.get("reason") or RevealReason.OTHER)


class StaffConsentForm(StyledFormMixin, forms.Form):
    purpose = forms.ChoiceField(label=_("purpose"), choices=ConsentPurpose.choices)
    partner = forms.ModelChoiceField(
        label=_("partner organisation"), queryset=Organisation.objects.none(), required=False
    )
    given_on = forms.DateField(label=_("signed on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        # Shown beside the reveal form, which has a "purpose" field too: ids of its own.
        kwargs.setdefault("auto_id", "id_consent_%s")
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            partnerships__programme=programme
        )


class SignInCodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Code from the participant"),
        max_length=20,
        help_text=_("Eight letters and digits, as the participant reads them out."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_sign_in_%s")
        super().__init__(*args, **kwargs)


class ErasureRequestForm(StyledFormMixin, forms.Form):
    understood = forms.BooleanField(
        label=_("I understand what will be deleted and what is kept."), required=True
    )


class RefuseErasureForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the request refused?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The participant can read this. Do not write their name or health details."),
    )


class OwnDetailsForm(StyledFormMixin, forms.Form):
    """What a participant may correct about themself."""

    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    languages = forms.CharField(
        label=_("Languages I speak"),
        max_length=200,
        required=False,
        help_text=_("For example: norsk, arabisk"),
    )
