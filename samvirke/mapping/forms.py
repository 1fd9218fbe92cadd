"""Forms for a resource mapping version: one main form and two formsets (work, education)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samvirke.mapping.models import (
    EducationScheme,
    Goal,
    Interest,
    ItemKind,
    LifeDomain,
    Mapping,
    Occupation,
    Rater,
    Resource,
    Sector,
    Skill,
    SupportNeed,
    TrafficLight,
)
from samvirke.mapping.selectors import education_level_choices
from samvirke.mapping.services import EducationEntry, MappingAnswers, WorkEntry
from samvirke.web.forms import DateInput, StyledFormMixin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EARLIEST_YEAR = 1940
MAX_WORK_ROWS = 20
MAX_EDUCATION_ROWS = 10
ITEM_FIELDS = {
    "interests": ItemKind.INTEREST,
    "resources": ItemKind.RESOURCE,
    "goals": ItemKind.GOAL,
    "support": ItemKind.SUPPORT,
}


class YearField(forms.IntegerField):
    """A year from ``EARLIEST_YEAR`` to this year, this year read when the form is used."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        year = timezone.localdate().year
        if value is not None and value > year:
            raise forms.ValidationError(
                _("Give a year no later than %(limit_value)s."),
                code="max_value",
                params={"limit_value": year},
            )


def _year_field(label: StrOrPromise) -> forms.IntegerField:
    return YearField(
        label=label,
        required=False,
        min_value=EARLIEST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def _checkboxes(label: StrOrPromise, choices: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def life_field_name(rater: str, domain: str) -> str:
    return f"life_{rater}_{domain}"


class MappingForm(StyledFormMixin, forms.Form):
    """The main part of a mapping version. ``raters`` says whose life-situation ratings it asks."""

    filled_on = forms.DateField(label=_("Date of the mapping"), widget=DateInput())
    skills = forms.MultipleChoiceField(
        label=_("Skills"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick what you know how to do, from work, home or leisure."),
    )
    other_skills = forms.CharField(
        label=_("Other skills"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    interests = _checkboxes(_("Interests"), Interest.choices)
    resources = _checkboxes(_("Resources"), Resource.choices)
    languages = forms.CharField(
        label=_("Languages I speak"),
        required=False,
        max_length=200,
        help_text=_("For example: norsk, svenska, arabiska"),
    )
    hours_per_week = forms.IntegerField(
        label=_("Hours a week I can give"),
        required=False,
        min_value=0,
        max_value=168,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    goals = _checkboxes(_("Goals"), Goal.choices)
    goals_in_own_words = forms.CharField(
        label=_("My goals in my own words"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    support = _checkboxes(_("Support I would like"), SupportNeed.choices)
    support_in_own_words = forms.CharField(
        label=_("Other support I would like"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        *args: Any,
        raters: tuple[str, ...] = (Rater.SELF,),
        ask_date: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.raters = raters
        skills = self.fields["skills"]
        assert isinstance(skills, forms.MultipleChoiceField)  # noqa: S101 - narrows the type
        by_label = sorted(Skill.objects.all(), key=lambda skill: skill.label)
        skills.choices = [(skill.code, skill.label) for skill in by_label]
        if not ask_date:
            del self.fields["filled_on"]
        for rater in raters:
            for domain, label in LifeDomain.choices:
                self.fields[life_field_name(rater, domain)] = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[("", _("not answered")), *TrafficLight.choices],
                    widget=forms.RadioSelect,
                )

    def life_fields(self, rater: str) -> list[forms.BoundField]:
        return [self[life_field_name(rater, domain)] for domain in LifeDomain.values]

    def clean_filled_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["filled_on"]
        if value > timezone.localdate():
            raise ValidationError(_("A mapping cannot be dated in the future."))
        if value.year < EARLIEST_YEAR:
            raise ValidationError(_("Give a date after 1940."))
        return value


class WorkForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Job or task"), max_length=200, required=False)
    occupation_code = forms.CharField(
        label=_("Occupation code (ISCO-08)"),
        max_length=4,
        required=False,
        help_text=_("Leave empty and Samvirke suggests a code from the title."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    start_year = _year_field(_("From year"))
    end_year = _year_field(_("To year"))
    sector = forms.ChoiceField(
        label=_("Where"), required=False, choices=[("", "—"), *Sector.choices]
    )
    paid = forms.TypedChoiceField(
        label=_("Paid or voluntary"),
        choices=[("paid", _("paid")), ("voluntary", _("voluntary"))],
        coerce=lambda value: value == "paid",
        empty_value=None,
        required=False,  # a blank row starts with neither ticked; a described job needs one
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        title = self.fields["title"].widget
        title.attrs["data-occupation-search"] = reverse("mapping:occupation_search")
        title.attrs["data-options-target"] = f"{self.prefix}-options"
        title.attrs["autocomplete"] = "off"

    def clean_occupation_code(self) -> str:
        code: str = self.cleaned_data["occupation_code"].strip()
        if code and not Occupation.objects.filter(code=code, level=4).exists():
            raise ValidationError(_("Give a four-digit ISCO-08 code, or leave the field empty."))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        described = any(data.get(name) for name in ("occupation_code", "start_year", "end_year"))
        if described and not data.get("title") and not self.errors:
            self.add_error("title", _("Say what the job or task was."))
        if data.get("title") and data.get("paid") is None and "paid" not in self.errors:
            self.add_error("paid", _("Say whether the work was paid or voluntary."))
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The end year is before the start year."))
        return data


class EducationForm(StyledFormMixin, forms.Form):
    level = forms.ChoiceField(label=_("Level"), required=False)
    field = forms.CharField(label=_("Field of study"), max_length=200, required=False)
    completed = forms.BooleanField(label=_("Completed"), required=False)
    courses = forms.CharField(
        label=_("Courses and certificates"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        level = self.fields["level"]
        assert isinstance(level, forms.ChoiceField)  # noqa: S101 - narrows the type
        level.choices = [("", "—"), *education_level_choices(EducationScheme.ISCED_2011)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        described = data.get("field") or data.get("courses")
        if described and not data.get("level") and not self.errors:
            self.add_error("level", _("Choose the level of this education."))
        return data


WorkFormSet = forms.formset_factory(
    WorkForm,
    extra=2,
    max_num=MAX_WORK_ROWS,
    validate_max=True,
    absolute_max=MAX_WORK_ROWS,
    can_delete=True,
)
EducationFormSet = forms.formset_factory(
    EducationForm,
    extra=1,
    max_num=MAX_EDUCATION_ROWS,
    validate_max=True,
    absolute_max=MAX_EDUCATION_ROWS,
    can_delete=True,
)


def initial_from(
    mapping: Mapping | None,
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """What a new version starts from: the previous version's answers, so only changes are typed."""
    if mapping is None:
        return {"filled_on": timezone.localdate()}, [], []
    main: dict[str, Any] = {
        "filled_on": timezone.localdate(),
        "skills": [skill.code for skill in mapping.skills.all()],
        "other_skills": mapping.other_skills,
        "languages": mapping.languages,
        "hours_per_week": mapping.hours_per_week,
        "goals_in_own_words": mapping.goals_in_own_words,
        "support_in_own_words": mapping.support_in_own_words,
    }
    for name, kind in ITEM_FIELDS.items():
        main[name] = mapping.items_of(kind)
    for rating in mapping.life_situation.all():
        main[life_field_name(rating.rater, rating.domain)] = rating.level
    work = [
        {
            "title": entry.title,
            "occupation_code": entry.occupation.code if entry.occupation else "",
            "start_year": entry.start_year,
            "end_year": entry.end_year,
            "sector": entry.sector,
            "paid": "paid" if entry.paid else "voluntary",
        }
        for entry in mapping.work.all()
    ]
    education = [
        {
            "level": entry.level.code,
            "field": entry.field,
            "completed": entry.completed,
            "courses": entry.courses,
        }
        for entry in mapping.education.all()
    ]
    return main, work, education


def answers_from(
    form: MappingForm,
    work: forms.BaseFormSet[WorkForm],
    education: forms.BaseFormSet[EducationForm],
) -> MappingAnswers:
    data = form.cleaned_data
    return MappingAnswers(
        skill_codes=data["skills"],
        other_skills=data["other_skills"],
        items={kind: data[name] for name, kind in ITEM_FIELDS.items()},
        languages=data["languages"],
        hours_per_week=data["hours_per_week"],
        goals_in_own_words=data["goals_in_own_words"],
        support_in_own_words=data["support_in_own_words"],
        work=[
            WorkEntry(
                title=row.cleaned_data["title"],
                occupation_code=row.cleaned_data["occupation_code"],
                start_year=row.cleaned_data["start_year"],
                end_year=row.cleaned_data["end_year"],
                sector=row.cleaned_data["sector"],
                paid=row.cleaned_data["paid"],
            )
            for row in work.forms
            if row.cleaned_data.get("title") and not row.cleaned_data.get("DELETE")
        ],
        education=[
            EducationEntry(
                level_code=row.cleaned_data["level"],
                field=row.cleaned_data["field"],
                completed=row.cleaned_data["completed"],
                courses=row.cleaned_data["courses"],
            )
            for row in education.forms
            if row.cleaned_data.get("level") and not row.cleaned_data.get("DELETE")
        ],
        life_situation=[
            (domain, rater, data[life_field_name(rater, domain)])
            for rater in form.raters
            for domain in LifeDomain.values
            if data.get(life_field_name(rater, domain))
        ],
    )
