from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samvirke.accounts.models import Membership, Role, User
from samvirke.accounts.services import account_for_address
from samvirke.lib.idnumbers import normalise_orgnr, valid_norwegian_orgnr, valid_swedish_orgnr
from samvirke.programmes.models import (
    Goal,
    Indicator,
    Milestone,
    Organisation,
    Partnership,
    Programme,
    ProjectGroupMember,
    Subproject,
)
from samvirke.web.forms import DateInput, HttpsURLField, StyledFormMixin


class PersonChoiceField(forms.ModelChoiceField[User]):
    """Names each account as pages do (``User.shown_name``): participants by pseudonym."""

    def label_from_instance(self, obj: User) -> str:
        return obj.shown_name


def members_of(programme: Programme) -> forms.ModelChoiceField[User]:
    users = User.objects.filter(memberships__programme=programme, is_active=True).distinct()
    return PersonChoiceField(queryset=users.order_by("full_name").prefetch_related("memberships"))


def workspace_members_of(programme: Programme) -> forms.ModelChoiceField[User]:
    """People who work in the programme: never a participant (nor an account of one)."""
    users = User.objects.filter(
        memberships__programme=programme,
        memberships__role__in=[role for role in Role.values if role != Role.PARTICIPANT],
        is_active=True,
        participant_record__isnull=True,
    ).distinct()
    return PersonChoiceField(queryset=users.order_by("full_name").prefetch_related("memberships"))


class ProgrammeForm(StyledFormMixin, forms.ModelForm[Programme]):
    class Meta:
        model = Programme
        fields = [
            "name_nb",
            "name_sv",
            "name_en",
            "description_nb",
            "description_sv",
            "description_en",
            "starts_on",
            "ends_on",
            "funding",
            "budget",
            "status",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The programme cannot end before it starts."))
        return data


class OrganisationForm(StyledFormMixin, forms.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "type", "country", "municipality", "org_number", "website"]
        field_classes = {"website": HttpsURLField}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        country = data.get("country")
        number = (data.get("org_number") or "").strip()
        municipality = data.get("municipality")
        if municipality is not None and country and municipality.country != country:
            self.add_error("municipality", _("The municipality is not in the country you chose."))
        if number and country:
            valid = (
                valid_norwegian_orgnr(number) if country == "NO" else valid_swedish_orgnr(number)
            )
            if not valid:
                self.add_error(
                    "org_number",
                    _("This is not a valid Norwegian organisation number (9 digits).")
                    if country == "NO"
                    else _("This is not a valid Swedish organisation number (NNNNNN-NNNN)."),
                )
            else:
                data["org_number"] = normalise_orgnr(number, country)
        return data


class PartnershipForm(StyledFormMixin, forms.ModelForm[Partnership]):
    class Meta:
        model = Partnership
        fields = ["organisation", "role", "contact_person"]

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["contact_person"] = members_of(programme)
        self.fields["contact_person"].required = False
        self.fields["contact_person"].label = _("contact person")
        taken = Partnership.objects.filter(programme=programme)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        self.fields["organisation"].queryset = Organisation.objects.exclude(  # type: ignore[attr-defined]
            pk__in=taken.values("organisation")
        )


class SubprojectForm(StyledFormMixin, forms.ModelForm[Subproject]):
    class Meta:
        model = Subproject
        fields = ["name", "description", "goals", "status", "owners", "contact_person"]
        widgets = {"owners": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["owners"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            partnerships__programme=programme
        )
        self.fields["contact_person"] = members_of(programme)
        self.fields["contact_person"].required = False
        self.fields["contact_person"].label = _("contact person")

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        clash = Subproject.objects.filter(programme=self.instance.programme, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("The programme already has a subproject by that name."))
        return name


class ProjectGroupMemberForm(StyledFormMixin, forms.ModelForm[ProjectGroupMember]):
    class Meta:
        model = ProjectGroupMember
        fields = ["user", "subproject", "is_user_representative"]

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["user"] = members_of(programme)
        self.fields["user"].label = _("person")
        self.fields["subproject"].queryset = Subproject.objects.filter(  # type: ignore[attr-defined]
            programme=programme
        )

    def clean_user(self) -> User:
        user: User = self.cleaned_data["user"]
        if ProjectGroupMember.objects.filter(programme=self.instance.programme, user=user).exists():
            raise forms.ValidationError(_("This person is already in the project group."))
        return user


class MembershipForm(StyledFormMixin, forms.ModelForm[Membership]):
    """Grant a role to a person, creating their account if the e-mail address is new."""

    email = forms.EmailField(label=_("e-mail address"), max_length=254)
    full_name = forms.CharField(
        label=_("full name"),
        max_length=200,
        required=False,
        help_text=_("As the person is known in the programme."),
    )

    class Meta:
        model = Membership
        fields = ["role", "organisation", "subproject"]

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            partnerships__programme=programme
        )
        self.fields["subproject"].queryset = Subproject.objects.filter(  # type: ignore[attr-defined]
            programme=programme
        )
        self.order_fields(["email", "full_name", "role", "organisation", "subproject"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email = (data.get("email") or "").lower()
        if not email:
            return data
        # A participant's account holds only a keyed hash of the address: find it by that too.
        user = account_for_address(email, active_only=False)
        # The name is asked for whether or not the address has an account, so that the form
        # does not tell who has one (an account elsewhere keeps its own name).
        if not (data.get("full_name") or "").strip():
            self.add_error("full_name", _("Give the person's name."))
            return data
        if data.get("role") == Role.CONTACT_PERSON and not (
            data.get("subproject") or data.get("organisation")
        ):
            self.add_error(
                "subproject", _("A contact person belongs to a subproject or an organisation.")
            )
        if (
            user is not None
            and Membership.objects.filter(
                user=user,
                programme=self.instance.programme,
                role=data.get("role"),
                organisation=data.get("organisation"),
                subproject=data.get("subproject"),
            ).exists()
        ):
            self.add_error("role", _("This person already has this role here."))
        self.person: User | None = user
        return data

    def save(self, commit: bool = True) -> Membership:
        if getattr(self, "person", None) is None:
            self.person = User.objects.create_user(
                email=self.cleaned_data["email"],
                password=None,
                full_name=self.cleaned_data["full_name"].strip(),
            )
        assert self.person is not None  # noqa: S101 - set in clean() or just above
        self.instance.user = self.person
        return super().save(commit=commit)


class GoalForm(StyledFormMixin, forms.ModelForm[Goal]):
    class Meta:
        model = Goal
        fields = ["position", "text_nb", "text_sv", "text_en"]
        widgets = {
            "text_nb": forms.Textarea(attrs={"rows": 2}),
            "text_sv": forms.Textarea(attrs={"rows": 2}),
            "text_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme


class IndicatorForm(StyledFormMixin, forms.ModelForm[Indicator]):
    class Meta:
        model = Indicator
        fields = [
            "goal",
            "subproject",
            "name_nb",
            "name_sv",
            "name_en",
            "unit",
            "baseline",
            "target",
            "current",
        ]

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = Goal.objects.filter(programme=programme)  # type: ignore[attr-defined]
        self.fields["subproject"].queryset = Subproject.objects.filter(  # type: ignore[attr-defined]
            programme=programme
        )


class IndicatorValueForm(StyledFormMixin, forms.ModelForm[Indicator]):
    class Meta:
        model = Indicator
        fields = ["current"]


class MilestoneForm(StyledFormMixin, forms.ModelForm[Milestone]):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "reached_on"]
        widgets = {"due_on": DateInput(), "reached_on": DateInput()}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
