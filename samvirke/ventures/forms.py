from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samvirke.accounts.models import Role, User
from samvirke.lib.idnumbers import normalise_national_id, normalise_orgnr, valid_personnummer
from samvirke.mapping.models import Interest, Occupation, Skill
from samvirke.participants.models import Participant
from samvirke.programmes.models import Country, Municipality, Organisation, Programme, Subproject
from samvirke.ventures.filetypes import ACCEPTED, FileType, FileTypeError, identify
from samvirke.ventures.models import (
    CANVAS_BLOCKS,
    IMPACT_BLOCKS,
    LEGAL_FORMS,
    STAGE_ORDER,
    Canvas,
    Importance,
    LegalForm,
    MemberKind,
    RevenueBand,
    Stage,
    Task,
    TaskKind,
    TeamMember,
    Venture,
)
from samvirke.web.forms import DateInput, StyledFormMixin

MAX_TEXT = 4000


class VentureForm(StyledFormMixin, forms.ModelForm[Venture]):
    interest_list = forms.MultipleChoiceField(
        label=_("Interests it suits"),
        choices=Interest.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The engine prefers people with these interests."),
    )

    class Meta:
        model = Venture
        fields = [
            "name",
            "subproject",
            "idea",
            "social_mission",
            "sector",
            "country",
            "municipality",
            "remote_friendly",
            "legal_form",
            "organisations",
            "min_team_size",
            "max_team_size",
        ]
        widgets = {
            "idea": forms.Textarea(attrs={"rows": 3}),
            "social_mission": forms.Textarea(attrs={"rows": 3}),
            "organisations": forms.CheckboxSelectMultiple,
        }

    def __init__(
        self, *args: Any, programme: Programme, subprojects: QuerySet[Subproject], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["subproject"].queryset = subprojects  # type: ignore[attr-defined]
        self.fields["organisations"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            partnerships__programme=programme
        ).distinct()
        self.fields["municipality"].queryset = Municipality.objects.order_by(  # type: ignore[attr-defined]
            "country", "name"
        )
        self.fields["min_team_size"].widget.attrs.update({"min": 1, "max": 50})
        self.fields["max_team_size"].widget.attrs.update({"min": 1, "max": 50})
        if self.instance.pk:
            self.initial["interest_list"] = sorted(self.instance.interest_codes)

    def clean_idea(self) -> str:
        return _short(self.cleaned_data.get("idea", ""))

    def clean_social_mission(self) -> str:
        return _short(self.cleaned_data.get("social_mission", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        country = data.get("country")
        legal_form = data.get("legal_form")
        if country and legal_form and legal_form not in LEGAL_FORMS.get(country, ()):
            self.add_error("legal_form", _("Choose a legal form of the country the venture is in."))
        municipality = data.get("municipality")
        if municipality is not None and country and municipality.country != country:
            self.add_error("municipality", _("The municipality is not in the country you chose."))
        low, high = data.get("min_team_size"), data.get("max_team_size")
        for name, value in (("min_team_size", low), ("max_team_size", high)):
            if value is not None and not 1 <= value <= 50:
                self.add_error(name, _("Give a team size from 1 to 50."))
                low = high = None
        if low is not None and high is not None and low > high:
            self.add_error(
                "max_team_size", _("The largest team cannot be smaller than the smallest.")
            )
        self.instance.interests = " ".join(sorted(data.get("interest_list") or []))
        return data


def _short(value: str) -> str:
    if len(value) > MAX_TEXT:
        raise forms.ValidationError(_("Keep it under %(count)s characters.") % {"count": MAX_TEXT})
    return value


class MoveForm(StyledFormMixin, forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    reason = forms.CharField(
        label=_("Why"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, venture: Venture, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.venture = venture
        order = list(STAGE_ORDER)
        position = order.index(venture.stage) if venture.stage in order else 0
        self.fields["stage"].initial = order[min(position + 1, len(order) - 1)]

    def clean_stage(self) -> str:
        stage = str(self.cleaned_data["stage"])
        if stage == self.venture.stage:
            raise forms.ValidationError(_("The venture is already in this stage."))
        return stage


class MemberForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MemberKind.choices)
    participant = forms.ModelChoiceField(
        label=_("Participant (pseudonym)"), queryset=Participant.objects.none(), required=False
    )
    user = forms.ModelChoiceField(label=_("Guide"), queryset=User.objects.none(), required=False)
    name = forms.CharField(label=_("Name (volunteers and mentors)"), max_length=200, required=False)
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills they bring (not for participants: theirs come from their mapping)"),
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    role = forms.CharField(label=_("Role in the team"), max_length=120, required=False)
    hours_per_week = forms.DecimalField(
        label=_("Hours a week"),
        required=False,
        min_value=0,
        max_value=80,
        max_digits=4,
        decimal_places=1,
    )
    starts_on = forms.DateField(label=_("From"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(
        self, *args: Any, participants: QuerySet[Participant], guides: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participants.order_by("pseudonym")  # type: ignore[attr-defined]
        self.fields["participant"].label_from_instance = lambda p: p.pseudonym  # type: ignore[attr-defined]
        self.fields["user"].queryset = guides  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = lambda u: u.get_short_name()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == MemberKind.PARTICIPANT and data.get("participant") is None:
            self.add_error("participant", _("Choose the participant."))
        if kind == MemberKind.GUIDE and data.get("user") is None:
            self.add_error("user", _("Choose the guide."))
        if kind in (MemberKind.VOLUNTEER, MemberKind.MENTOR) and not data.get("name", "").strip():
            self.add_error("name", _("Give the volunteer's or mentor's name."))
        for name in ("starts_on", "ends_on"):
            value = data.get(name)
            if value is not None and not 1900 <= value.year <= 2200:
                self.add_error(name, _("Give a date between the years 1900 and 2200."))
                data[name] = None
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end cannot come before the start."))
        return data


def guides_of(programme: Programme) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__programme=programme, memberships__role=Role.GUIDE)
        .distinct()
        .order_by("full_name", "pk")
    )


class NeedForm(StyledFormMixin, forms.Form):
    skill = forms.ModelChoiceField(label=_("Skill"), queryset=Skill.objects.all(), required=False)
    occupation = forms.CharField(
        label=_("Occupation (ISCO-08 code)"),
        max_length=4,
        required=False,
        help_text=_("For example 5120 for cooks, or 51 for personal service workers."),
    )
    description = forms.CharField(label=_("In your own words"), max_length=300, required=False)
    importance = forms.TypedChoiceField(
        label=_("Importance"),
        choices=Importance.choices,
        coerce=int,
        initial=Importance.IMPORTANT,
    )

    def clean_occupation(self) -> Occupation | None:
        code = self.cleaned_data.get("occupation", "").strip()
        if not code:
            return None
        occupation = Occupation.objects.filter(code=code).first() if code.isdigit() else None
        if occupation is None:
            raise forms.ValidationError(_("There is no ISCO-08 group with this code."))
        return occupation

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("skill") or data.get("occupation") or data.get("description", "").strip()):
            if not self.errors:
                raise forms.ValidationError(
                    _("Choose a skill or an occupation, or say in your own words what is needed.")
                )
        return data


class FormationForm(StyledFormMixin, forms.Form):
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=1_000_000,
        initial=1,
        help_text=_("The same data and seed always give the same proposals."),
    )
    max_ventures_per_person = forms.IntegerField(
        label=_("Ventures a person can be proposed for"), min_value=1, max_value=5, initial=1
    )
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"), min_value=1, max_value=120, initial=10
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("reject", "reject")])


YES_NO_UNKNOWN = [("", _("not known yet")), ("true", _("yes")), ("false", _("no"))]


def _yes_no(value: str) -> bool | None:
    return {"true": True, "false": False}.get(value)


class OutcomeForm(StyledFormMixin, forms.Form):
    organisation_number = forms.CharField(
        label=_("Organisation number"), max_length=20, required=False
    )
    owner_national_id = forms.CharField(
        label=_("Owner's personnummer (enskild firma only)"),
        max_length=20,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Kept encrypted and never shown. Leave empty to keep the one recorded."),
    )
    registered_on = forms.DateField(label=_("Registered"), required=False, widget=DateInput())
    participants_working = forms.IntegerField(
        label=_("Participants working"), min_value=0, max_value=1000, required=False
    )
    hours_per_month = forms.IntegerField(
        label=_("Hours of work offered a month"), min_value=0, max_value=100_000, required=False
    )
    revenue_band = forms.ChoiceField(
        label=_("Revenue"), choices=[("", "—"), *RevenueBand.choices], required=False
    )
    operating_6_months = forms.TypedChoiceField(
        label=_("Operating after 6 months"), choices=YES_NO_UNKNOWN, coerce=_yes_no, required=False
    )
    operating_12_months = forms.TypedChoiceField(
        label=_("Operating after 12 months"), choices=YES_NO_UNKNOWN, coerce=_yes_no, required=False
    )
    operating_24_months = forms.TypedChoiceField(
        label=_("Operating after 24 months"), choices=YES_NO_UNKNOWN, coerce=_yes_no, required=False
    )

    def __init__(self, *args: Any, venture: Venture, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.venture = venture
        self.sole_trader = venture.legal_form == LegalForm.SE_EF
        if not self.sole_trader:
            del self.fields["owner_national_id"]

    def clean_organisation_number(self) -> str:
        value = self.cleaned_data.get("organisation_number", "").strip()
        if not value:
            return ""
        try:
            return normalise_orgnr(value, self.venture.country)
        except ValueError:
            raise forms.ValidationError(
                _("This is not a valid organisation number in %(country)s.")
                % {"country": self.venture.get_country_display()}
            ) from None

    def clean_owner_national_id(self) -> str:
        value = self.cleaned_data.get("owner_national_id", "").strip()
        if value and not valid_personnummer(value):
            raise forms.ValidationError(_("This is not a valid Swedish personnummer."))
        return normalise_national_id(value, "SE") if value else ""

    def clean_registered_on(self) -> Any:
        value = self.cleaned_data.get("registered_on")
        if value is not None and not 1900 <= value.year <= 2200:
            raise forms.ValidationError(_("Give a date between the years 1900 and 2200."))
        return value


class CanvasForm(StyledFormMixin, forms.ModelForm[Canvas]):
    class Meta:
        model = Canvas
        fields = [name for name, _label in (*CANVAS_BLOCKS, *IMPACT_BLOCKS)]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name, _label in (*CANVAS_BLOCKS, *IMPACT_BLOCKS)
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in list(data.items()):  # add_error takes the field out of data
            if isinstance(value, str) and len(value) > MAX_TEXT:
                self.add_error(name, _("Keep it under %(count)s characters.") % {"count": MAX_TEXT})
        return data


# --- Checklists, milestones and tasks, documents ----------------------------------------------


class TemplateItemForm(StyledFormMixin, forms.Form):
    """A checklist item's wording in the three languages; one is enough, the others fall back."""

    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    text_nb = forms.CharField(label=_("In Norwegian"), max_length=300, required=False)
    text_sv = forms.CharField(label=_("In Swedish"), max_length=300, required=False)
    text_en = forms.CharField(label=_("In English"), max_length=300, required=False)

    def __init__(self, *args: Any, renaming: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if renaming:
            del self.fields["country"]
            del self.fields["stage"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not any(
            data.get(name, "").strip() for name in ("text_nb", "text_sv", "text_en")
        ):
            raise forms.ValidationError(_("Write the item in at least one language."))
        return data

    @property
    def texts(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"text_{code}", "") for code in ("nb", "sv", "en")}


class TemplateItemActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("up", "up"), ("down", "down"), ("retire", "retire"), ("restore", "restore")]
    )


class DoneForm(forms.Form):
    done = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


class TaskForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TaskKind.choices, initial=TaskKind.TASK)
    title = forms.CharField(label=_("What"), max_length=200)
    owner = forms.ChoiceField(label=_("Who is responsible"), required=False)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput())
    milestone = forms.TypedChoiceField(
        label=_("Part of milestone"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        staff: QuerySet[User],
        members: list[TeamMember],
        milestones: list[Task],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.staff = {str(user.pk): user for user in staff}
        self.members = {str(m.pk): m for m in members if m.kind != MemberKind.GUIDE}
        self.milestones = {m.pk: m for m in milestones}
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", _("nobody yet")),
            (
                _("Staff"),
                [(f"user:{key}", user.shown_name) for key, user in self.staff.items()],
            ),
            (
                _("The team"),
                [(f"member:{key}", member.label) for key, member in self.members.items()],
            ),
        ]
        self.fields["milestone"].choices = [  # type: ignore[attr-defined]
            ("", _("none")),
            *[(m.pk, m.title) for m in milestones],
        ]

    def clean_due_on(self) -> Any:
        value = self.cleaned_data.get("due_on")
        if value is not None and not 1900 <= value.year <= 2200:
            raise forms.ValidationError(_("Give a date between the years 1900 and 2200."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, owner = data.get("owner", "").partition(":")[::2]
        data["owner_user"] = self.staff.get(owner) if kind == "user" else None
        data["owner_member"] = self.members.get(owner) if kind == "member" else None
        data["milestone"] = self.milestones.get(data.get("milestone") or 0)
        if data["milestone"] is not None and data.get("kind") == TaskKind.MILESTONE:
            self.add_error("milestone", _("A milestone cannot be part of another milestone."))
        return data


class DocumentForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, OpenDocument, PNG or JPEG, at most %(size)s MB."),
    )
    title = forms.CharField(label=_("What it is"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes: int = settings.DOCUMENT_MAX_BYTES
        self.fields["file"].help_text = self.fields["file"].help_text % {
            "size": self.max_bytes // (1024 * 1024)
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(
            f".{extension}" for kind in ACCEPTED for extension in kind.extensions
        )
        self.file_type: FileType | None = None

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": self.max_bytes // (1024 * 1024)}
            )
        try:
            self.file_type = identify(upload, upload.name or "")
        except FileTypeError as refusal:
            message: str
            if refusal.code == "macros":
                message = gettext(
                    "Office files with macros are not accepted. Save it without macros."
                )
            elif refusal.code == "mismatch" and refusal.found is not None:
                message = gettext(
                    "The file's content is %(found)s, which its name does not say. "
                    "Rename it or choose the right file."
                ) % {"found": refusal.found.label}
            else:
                message = gettext(
                    "This kind of file is not accepted. Attach PDF, Word, Excel, OpenDocument, "
                    "PNG or JPEG files."
                )
            raise forms.ValidationError(message) from None
        return upload
