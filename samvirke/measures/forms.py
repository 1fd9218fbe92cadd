from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvirke.measures.models import (
    REFERRAL_REASON_LENGTH,
    AbsentReason,
    DropoutReason,
    EnrolmentStatus,
    Measure,
    MeasureKind,
    MeasureLanguage,
    MeasureStatus,
    Pathway,
    PathwayStep,
    ProviderKind,
    ReferralSource,
    Service,
    ServiceMapSettings,
)
from samvirke.measures.selectors import (
    MeasureFilters,
    ServiceFilters,
    SheetRow,
    municipalities_on_map,
    municipalities_with_measures,
    services_of,
)
from samvirke.measures.services import Mark
from samvirke.participants.models import Participant
from samvirke.programmes.models import (
    Country,
    Goal,
    Indicator,
    Organisation,
    Programme,
    Subproject,
)
from samvirke.web.forms import (
    DateInput,
    HttpsURLField,
    QuickSelect,
    StyledFormMixin,
    parse_id,
)


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


# --- Measures ------------------------------------------------------------------------------------


class MeasureFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False, widget=QuickSelect)
    kind = forms.ChoiceField(label=_("Kind"), required=False, widget=QuickSelect)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=QuickSelect)
    subproject = forms.ChoiceField(label=_("Subproject"), required=False, widget=QuickSelect)
    language = forms.ChoiceField(label=_("Language"), required=False, widget=QuickSelect)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, list[tuple[str, Any]]] = {
            "municipality": [
                ("", _("All municipalities")),
                *((str(pk), name) for pk, name in municipalities_with_measures(programme)),
            ],
            "kind": [("", _("All kinds")), *MeasureKind.choices],
            "status": [("", _("Any status")), *MeasureStatus.choices],
            "subproject": [
                ("", _("All subprojects")),
                *(
                    (str(pk), name)
                    for pk, name in Subproject.objects.filter(programme=programme)
                    .order_by("name", "pk")
                    .values_list("pk", "name")
                ),
            ],
            "language": [("", _("Any language")), *MeasureLanguage.choices],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101
            field.choices = options

    def filters(self) -> MeasureFilters:
        """The filters that were valid; a bad value in one leaves the others working."""
        self.is_valid()
        data = self.cleaned_data
        return MeasureFilters(
            municipality=parse_id(data.get("municipality") or ""),
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            subproject=parse_id(data.get("subproject") or ""),
            language=data.get("language") or "",
            q=data.get("q") or "",
        )


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class MeasureForm(StyledFormMixin, forms.ModelForm[Measure]):
    class Meta:
        model = Measure
        fields = [
            "name_nb",
            "name_sv",
            "name_en",
            "kind",
            "status",
            "subproject",
            "partners",
            "country",
            "municipality",
            "language",
            "place",
            "capacity",
            "description_nb",
            "description_sv",
            "description_en",
            "method",
            "intended_effect",
            "target_group",
            "weekday",
            "starts_at",
            "duration_minutes",
            "first_date",
            "last_date",
            "goals",
            "indicators",
        ]
        widgets = {
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "description_nb",
                    "description_sv",
                    "description_en",
                    "method",
                    "intended_effect",
                    "target_group",
                )
            },
            "partners": forms.CheckboxSelectMultiple,
            "goals": forms.CheckboxSelectMultiple,
            "indicators": forms.CheckboxSelectMultiple,
            "starts_at": TimeInput(),
            "first_date": DateInput(),
            "last_date": DateInput(),
        }

    def __init__(
        self, *args: Any, programme: Programme, subprojects: QuerySet[Subproject], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        querysets: dict[str, QuerySet[Any]] = {
            "subproject": subprojects,
            "partners": Organisation.objects.filter(partnerships__programme=programme).distinct(),
            "goals": Goal.objects.filter(programme=programme),
            "indicators": Indicator.objects.filter(goal__programme=programme),
        }
        for name, queryset in querysets.items():
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]
        self.fields["capacity"].widget.attrs.update({"min": 1, "max": 999})
        self.fields["duration_minutes"].widget.attrs.update({"min": 15, "max": 720})

    def clean_capacity(self) -> int | None:
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and not 1 <= capacity <= 999:
            raise forms.ValidationError(_("Give a number from 1 to 999, or leave it empty."))
        return capacity

    def clean_duration_minutes(self) -> int:
        minutes = int(self.cleaned_data["duration_minutes"])
        if not 15 <= minutes <= 720:
            raise forms.ValidationError(_("Give a length from 15 to 720 minutes."))
        return minutes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        municipality, country = data.get("municipality"), data.get("country")
        if municipality is not None and country and municipality.country != country:
            self.add_error("municipality", _("The municipality is not in the country you chose."))
        first, last = data.get("first_date"), data.get("last_date")
        for name, value in (("first_date", first), ("last_date", last)):
            if value is not None and not 1900 <= value.year <= 2200:
                self.add_error(name, _("Give a date between the years 1900 and 2200."))
                first = last = None
        if first and last:
            if last < first:
                self.add_error("last_date", _("The last date cannot be before the first."))
            elif (last - first).days > MAX_SCHEDULE_DAYS:
                self.add_error("last_date", _("A schedule can cover at most three years."))
        schedule = [data.get(name) for name in ("weekday", "starts_at", "first_date", "last_date")]
        if any(v is not None for v in schedule) and None in schedule:
            self.add_error(
                "weekday",
                _("A weekly schedule needs a weekday, a time, a first and a last date."),
            )
        return data


MAX_SCHEDULE_DAYS = 3 * 366


class EnrolForm(StyledFormMixin, forms.Form):
    participant = forms.ModelChoiceField(
        label=_("Participant"), queryset=Participant.objects.none()
    )
    referral_source = forms.ChoiceField(label=_("Referred by"), choices=ReferralSource.choices)
    referred_on = forms.DateField(label=_("Referred on"), widget=DateInput())
    guide = forms.ModelChoiceField(
        label=_("Guide responsible"), queryset=Participant.objects.none(), required=False
    )
    start_now = forms.BooleanField(
        label=_("Starts now (active at once)"),
        required=False,
        help_text=_("When every place is taken the person goes on the waiting list instead."),
    )

    def __init__(
        self, *args: Any, participants: QuerySet[Participant], guides: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        participant = self.fields["participant"]
        assert isinstance(participant, forms.ModelChoiceField)  # noqa: S101
        participant.queryset = participants
        participant.label_from_instance = _pseudonym  # type: ignore[method-assign,assignment]
        guide = self.fields["guide"]
        assert isinstance(guide, forms.ModelChoiceField)  # noqa: S101
        guide.queryset = guides

    def clean_referred_on(self) -> dt.date:
        return _plausible_date(self.cleaned_data["referred_on"])


def _pseudonym(participant: Participant) -> str:
    return participant.pseudonym


def _plausible_date(day: dt.date) -> dt.date:
    if not dt.date(2000, 1, 1) <= day <= timezone.localdate() + dt.timedelta(days=366):
        raise forms.ValidationError(_("Give a date from 2000 up to a year from now."))
    return day


STATUS_CHOICES = [(s.value, s.label) for s in EnrolmentStatus if s != EnrolmentStatus.WAITING]


class EnrolmentStatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=STATUS_CHOICES)
    changed_on = forms.DateField(label=_("Date"), widget=DateInput())
    reason_code = forms.ChoiceField(
        label=_("Reason for dropping out"),
        choices=[("", "—"), *DropoutReason.choices],
        required=False,
    )
    reason = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )

    def clean_changed_on(self) -> dt.date:
        return _plausible_date(self.cleaned_data["changed_on"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == EnrolmentStatus.DROPPED_OUT and not data.get("reason_code"):
            self.add_error("reason_code", _("Say why the participant dropped out."))
        if data.get("status") != EnrolmentStatus.DROPPED_OUT:
            data["reason_code"] = ""
        return data


class NoteForm(StyledFormMixin, forms.Form):
    corrects = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )
    text = forms.CharField(
        label=_("New note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Sensitive: every read is logged and the participant can see who read it."),
    )

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).replace("\x00", "").strip()
        if not text:
            raise forms.ValidationError(_("Write the note."))
        return text


ABSENT_REASONS = {value for value, _label in AbsentReason.choices}


def parse_attendance(data: Any, rows: list[SheetRow]) -> tuple[dict[int, Mark], list[int]]:
    """The attendance screen's answers by enrolment id, and the ids whose answer was not
    understood (then nothing is saved)."""
    marks: dict[int, Mark] = {}
    errors: list[int] = []
    for row in rows:
        pk = row.enrolment.pk
        value = data.get(f"present-{pk}", "")
        reason = data.get(f"reason-{pk}", "")
        if value not in {"", "yes", "no"} or reason not in ABSENT_REASONS | {""}:
            errors.append(pk)
            continue
        marks[pk] = ({"yes": True, "no": False}.get(value), reason)
    return marks, errors


class ReferralForm(StyledFormMixin, forms.Form):
    measure = forms.ModelChoiceField(label=_("Measure"), queryset=Measure.objects.none())
    reason = forms.CharField(
        label=_("Why this measure"),
        max_length=REFERRAL_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only what the measure's staff need in order to answer: no diagnoses or health "
            "details. They see the participant by pseudonym until they accept."
        ),
    )

    def __init__(self, *args: Any, measures: QuerySet[Measure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        measure = self.fields["measure"]
        assert isinstance(measure, forms.ModelChoiceField)  # noqa: S101
        measure.queryset = measures
        measure.label_from_instance = _measure_in_subproject  # type: ignore[method-assign,assignment]


def _measure_in_subproject(measure: Measure) -> str:
    return f"{measure.name} ({measure.subproject.name})"


class ReferralAnswerForm(StyledFormMixin, forms.Form):
    ACCEPT, DECLINE = "accept", "decline"
    decision = forms.ChoiceField(
        label=_("Answer"), choices=[(ACCEPT, _("Accept")), (DECLINE, _("Decline"))]
    )
    start_now = forms.BooleanField(label=_("Starts now (active at once)"), required=False)
    reason = forms.CharField(
        label=_("Why declined"), max_length=REFERRAL_REASON_LENGTH, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == self.DECLINE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the referral is declined."))
        return data
