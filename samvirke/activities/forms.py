from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samvirke.activities.models import Action, ActionStatus, Activity, ActivityType, Decision
from samvirke.programmes.forms import members_of, workspace_members_of
from samvirke.programmes.models import Organisation, Programme, Subproject
from samvirke.web.forms import (
    DateInput,
    DateTimeLocalInput,
    HttpsURLField,
    StyledFormMixin,
    reinterpret_in_zone,
)


class ActivityForm(StyledFormMixin, forms.ModelForm[Activity]):
    class Meta:
        model = Activity
        fields = [
            "type",
            "title",
            "starts_at",
            "ends_at",
            "time_zone",
            "place",
            "online_url",
            "organiser",
            "subprojects",
            "agenda",
            "capacity",
            "registration_open",
            "open_to_participants",
            "status",
            "minutes",
        ]
        field_classes = {"online_url": HttpsURLField}
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "subprojects": forms.CheckboxSelectMultiple,
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(
        self, *args: Any, programme: Programme, subprojects: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["organiser"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            partnerships__programme=programme
        )
        self.fields["subprojects"].queryset = (  # type: ignore[attr-defined]
            subprojects
            if subprojects is not None
            else Subproject.objects.filter(programme=programme)
        )
        if self.instance.pk and self.instance.starts_at:
            # Show the stored times as wall-clock times in the activity's own time zone.
            import zoneinfo

            zone = zoneinfo.ZoneInfo(self.instance.time_zone)
            self.initial["starts_at"] = self.instance.starts_at.astimezone(zone).replace(
                tzinfo=None
            )
            self.initial["ends_at"] = self.instance.ends_at.astimezone(zone).replace(tzinfo=None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone = data.get("time_zone")
        starts, ends = data.get("starts_at"), data.get("ends_at")
        for name, value in (("starts_at", starts), ("ends_at", ends)):
            if value is not None and not 1900 <= value.year <= 2200:
                self.add_error(name, _("Give a date between the years 1900 and 2200."))
                data.pop(name, None)
                starts = None if name == "starts_at" else starts
                ends = None if name == "ends_at" else ends
        if zone:
            if starts:
                data["starts_at"] = starts = reinterpret_in_zone(starts, zone)
            if ends:
                data["ends_at"] = ends = reinterpret_in_zone(ends, zone)
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The activity cannot end before it starts."))
        if data.get("type") == ActivityType.OTHER and not data.get("title"):
            self.add_error("title", _("Give the activity a title."))
        if not data.get("place") and not data.get("online_url"):
            self.add_error("place", _("Give a place or an online meeting link."))
        return data

    def _post_clean(self) -> None:
        # The time-zone adjustment must reach the instance before the model is validated.
        super()._post_clean()  # type: ignore[misc]
        for name in ("starts_at", "ends_at"):
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])


class DecisionForm(StyledFormMixin, forms.ModelForm[Decision]):
    class Meta:
        model = Decision
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class ActionForm(StyledFormMixin, forms.ModelForm[Action]):
    class Meta:
        model = Action
        fields = ["title", "owner", "due_on", "subproject", "status"]
        widgets = {"due_on": DateInput()}

    def __init__(
        self, *args: Any, programme: Programme, activity: Activity | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        if activity is not None:
            self.instance.activity = activity
        self.fields["owner"] = workspace_members_of(programme)
        self.fields["owner"].label = _("owner")
        self.fields["subproject"].queryset = Subproject.objects.filter(  # type: ignore[attr-defined]
            programme=programme
        )


class ActionStatusForm(forms.ModelForm[Action]):
    class Meta:
        model = Action
        fields = ["status"]


class RegisterPersonForm(StyledFormMixin, forms.Form):
    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = members_of(programme)
        self.fields["person"].label = _("person")


ACTION_STATUS_FILTERS = [
    ("open", _("open")),
    ("overdue", _("overdue")),
    (ActionStatus.DONE.value, ActionStatus.DONE.label),
    ("", _("all")),
]
