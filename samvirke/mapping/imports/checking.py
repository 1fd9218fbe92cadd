"""Checking every row before anything is written, and comparing with what is recorded."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samvirke.imports.cells import CellError as _CellError
from samvirke.imports.cells import key as _key
from samvirke.imports.cells import label_index as _choice_vocabulary
from samvirke.imports.cells import look_up as _look_up
from samvirke.imports.cells import split as _split
from samvirke.imports.cells import text as _text
from samvirke.imports.cells import vocabulary as _vocabulary
from samvirke.imports.cells import whole_number as _integer
from samvirke.imports.reading import Table
from samvirke.imports.rows import Row, RowError, Rows
from samvirke.lib.fuzzy import normalise
from samvirke.mapping.imports.fields import (
    _COUNTRIES,
    _GENDER_WORDS,
    _LANGUAGE_OF_COUNTRY,
    EARLIEST_MAPPING_YEAR,
    MAX_WORK_ENTRIES,
    MEMBER_COLUMNS,
    UNCODED,
    ImportField,
)
from samvirke.mapping.models import (
    Education,
    EducationLevel,
    EducationScheme,
    Goal,
    ImportedMember,
    Interest,
    ItemKind,
    Mapping,
    MappingItem,
    Occupation,
    Resource,
    Skill,
    WorkExperience,
)
from samvirke.mapping.services import (
    EducationEntry,
    MappingAnswers,
    WorkEntry,
    suggest_occupation_code,
)
from samvirke.participants.models import (
    Gender,
    Participant,
    birth_year_bounds,
)
from samvirke.programmes.models import Municipality, Subproject

if TYPE_CHECKING:
    from samvirke.programmes.models import Programme

# --- Checking the rows -----------------------------------------------------------------------


_T = TypeVar("_T")


@dataclass
class _Row:
    number: int
    key: str
    country: str
    full_name: str = ""
    email: str = ""
    phone: str = ""
    birth_year: int | None = None
    gender: str = ""
    municipality_id: int | None = None
    follow_up: bool = False
    research: bool = False
    filled_on: dt.date | None = None
    answers: MappingAnswers = field(default_factory=MappingAnswers)
    participant_id: int | None = None  # a member imported before
    give: tuple[str, ...] = ()  # consents to record
    mapping: bool = False  # record a new mapping version


@dataclass
class ImportCounts:
    rows: int = 0
    participants_created: int = 0
    participants_found: int = 0
    mappings_created: int = 0
    unchanged: int = 0
    without_consent: int = 0
    without_answers: int = 0
    consents_given: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class ImportOutcome:
    """What an import did, or would do (a check), or why it did nothing."""

    counts: ImportCounts = field(default_factory=ImportCounts)
    errors: list[RowError] = field(default_factory=list)
    imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> list[str]:
        """The counts as sentences in the active language."""
        return summary_of(self.counts.as_dict())


def summary_of(counts: dict[str, int]) -> list[str]:
    def count(name: str) -> int:
        return int(counts.get(name, 0))

    lines = [
        ngettext(
            "%(count)s new participant.",
            "%(count)s new participants.",
            count("participants_created"),
        ) % {"count": count("participants_created")},
        ngettext(
            "%(count)s new mapping version.",
            "%(count)s new mapping versions.",
            count("mappings_created"),
        ) % {"count": count("mappings_created")},
        ngettext(
            "%(count)s member unchanged since an earlier import.",
            "%(count)s members unchanged since an earlier import.",
            count("unchanged"),
        ) % {"count": count("unchanged")},
    ]  # fmt: skip
    if count("without_consent"):
        lines.append(
            ngettext(
                "%(count)s member has not consented to follow-up: registered, but their answers "
                "are not recorded as a mapping.",
                "%(count)s members have not consented to follow-up: registered, but their "
                "answers are not recorded as mappings.",
                count("without_consent"),
            )
            % {"count": count("without_consent")}
        )
    if count("without_answers"):
        lines.append(
            ngettext(
                "%(count)s member has no mapping answers in the file.",
                "%(count)s members have no mapping answers in the file.",
                count("without_answers"),
            )
            % {"count": count("without_answers")}
        )
    if count("consents_given"):
        lines.append(
            ngettext(
                "%(count)s consent recorded as given on paper.",
                "%(count)s consents recorded as given on paper.",
                count("consents_given"),
            )
            % {"count": count("consents_given")}
        )
    return lines


class _Lookups:
    """Everything a row is checked against, read once per import."""

    def __init__(self, programme: Programme, subproject: Subproject) -> None:
        self.occupations: dict[str, tuple[int, str, str, str]] = {
            code: (pk, nb or styrk or en, sv or en, en)
            for pk, code, nb, styrk, sv, en in Occupation.objects.filter(level=4).values_list(
                "pk", "code", "label_nb", "styrk_label", "label_sv", "label_en"
            )
        }
        self.education_levels = set(
            EducationLevel.objects.filter(scheme=EducationScheme.ISCED_2011).values_list(
                "code", flat=True
            )
        )
        self.municipalities: dict[tuple[str, str], int] = {}
        self.municipality_names: dict[tuple[str, str], int] = {}
        for pk, country, code, name in Municipality.objects.values_list(
            "pk", "country", "code", "name"
        ):
            self.municipalities[(country, code)] = pk
            self.municipality_names[(country, _key(name))] = pk
        self.education_words = _vocabulary(
            [
                (code, (en, nb, sv))
                for code, en, nb, sv in EducationLevel.objects.filter(
                    scheme=EducationScheme.ISCED_2011
                ).values_list("code", "label_en", "label_nb", "label_sv")
            ]
            + list(EDUCATION_WORDS.items())
        )
        self.skills = _vocabulary(
            (code, (en, nb, sv))
            for code, en, nb, sv in Skill.objects.values_list(
                "code", "label_en", "label_nb", "label_sv"
            )
        )
        self.items = {kind: _choice_vocabulary(choices) for kind, choices in _ITEM_FIELDS.values()}
        self.genders = _choice_vocabulary(Gender)
        for gender, words in _GENDER_WORDS.items():
            for word in words:
                self.genders.setdefault(_key(word), gender)
        self.members = dict(
            ImportedMember.objects.filter(programme=programme).values_list(
                "source_key", "participant_id"
            )
        )
        self.in_subproject = set(
            Participant.subprojects.through.objects.filter(subproject=subproject).values_list(
                "participant_id", flat=True
            )
        )
        self.suggestions: dict[tuple[str, str], str] = {}

    def suggest(self, title: str, language: str) -> str:
        key = (normalise(title), language)
        if key not in self.suggestions:
            self.suggestions[key] = suggest_occupation_code(title, language)
        return self.suggestions[key]


_ITEM_FIELDS: dict[str, tuple[str, type[models.TextChoices]]] = {
    ImportField.INTERESTS: (ItemKind.INTEREST, Interest),
    ImportField.RESOURCES: (ItemKind.RESOURCE, Resource),
    ImportField.GOALS: (ItemKind.GOAL, Goal),
}


# Ordinary words for a level of education, to the ISCED 2011 level they usually mean.
EDUCATION_WORDS: dict[str, tuple[str, ...]] = {
    "0": ("barnehage", "förskola", "ingen", "none"),
    "1": ("barneskole", "folkeskole", "folkskola", "lågstadiet", "primary school"),
    "2": ("ungdomsskole", "grunnskole", "grundskola", "högstadiet", "realskole", "realskola"),
    "3": (
        "videregående",
        "vgs",
        "fagbrev",
        "svennebrev",
        "gymnas",
        "gymnasium",
        "gymnasieskola",
        "high school",
    ),
    "4": ("påbygg", "påbygging"),
    "5": ("fagskole", "yrkeshögskola", "yh-utbildning"),
    "6": ("bachelor", "bachelorgrad", "kandidatexamen", "høgskole", "högskola", "college"),
    "7": ("master", "mastergrad", "masterexamen", "magister", "hovedfag", "sivilingeniør"),
    "8": ("doktorgrad", "doktorsexamen", "phd", "ph d"),
}


class _RowReader:
    """Turns one row of cells into a :class:`_Row`, noting every problem as a :class:`RowError`."""

    def __init__(
        self,
        table: Table,
        columns: Sequence[str],
        lookups: _Lookups,
        default_country: str,
        today: dt.date,
    ) -> None:
        self.rows = Rows(table, columns, MEMBER_COLUMNS)
        self.errors = self.rows.errors
        self.lookups = lookups
        self.default_country = default_country
        self.today = today
        self.low_year, self.high_year = birth_year_bounds()

    def read(self, cells: Row) -> _Row | None:
        self.row = cells
        key = self._cell(ImportField.MEMBER_ID)
        if not key:
            self._error(ImportField.MEMBER_ID, _("The member id is missing."))
        country = self._cell(ImportField.COUNTRY, self._country) or self.default_country
        row = _Row(number=cells.number, key=key or "", country=country)
        row.full_name = self._cell(ImportField.FULL_NAME) or ""
        row.email = self._cell(ImportField.EMAIL, self._email) or ""
        row.phone = self._cell(ImportField.PHONE, self._phone) or ""
        row.birth_year = self._cell(ImportField.BIRTH_YEAR, self._birth_year)
        row.gender = self._cell(ImportField.GENDER, self._gender) or ""
        row.municipality_id = self._cell(
            ImportField.MUNICIPALITY, lambda v: self._municipality(v, country)
        )
        row.follow_up = bool(self._cell(ImportField.CONSENT_FOLLOW_UP))
        row.research = bool(self._cell(ImportField.CONSENT_RESEARCH))
        row.filled_on = self._cell(ImportField.FILLED_ON, self._filled_on)
        row.answers = self._answers(country)
        return row if cells.ok else None

    def _error(self, target: str, message: str) -> None:
        self.row.fail(target, message)

    def _cell(self, target: str, parse: Callable[[str], _T] | None = None) -> Any:
        return self.row.value(target, parse)

    def _country(self, value: str) -> str:
        country = _COUNTRIES.get(_key(value))
        if country is None:
            raise _CellError(
                _("Write the country as NO or SE, not “%(value)s”.") % {"value": value[:40]}
            )
        return country

    def _email(self, value: str) -> str:
        try:
            validate_email(value)
        except ValidationError as exc:
            raise _CellError(
                _("“%(value)s” is not a valid e-mail address.") % {"value": value[:60]}
            ) from exc
        return _text(254)(value)

    def _phone(self, value: str) -> str:
        if not re.fullmatch(r"\+?[0-9 ()\-./]{4,40}", value):
            raise _CellError(_("“%(value)s” is not a phone number.") % {"value": value[:40]})
        return value

    def _birth_year(self, value: str) -> int:
        year = _integer(value)
        if not self.low_year <= year <= self.high_year:
            raise _CellError(
                _("The birth year %(year)s is not between %(low)s and %(high)s.")
                % {"year": year, "low": self.low_year, "high": self.high_year}
            )
        return year

    def _gender(self, value: str) -> str:
        gender = self.lookups.genders.get(_key(value))
        if gender is None:
            raise _CellError(_("Unknown gender “%(value)s”.") % {"value": value[:40]})
        return gender

    def _municipality(self, value: str, country: str) -> int:
        code = value.strip()
        if code.isascii() and code.isdigit() and len(code) == 3:
            code = f"0{code}"  # a spreadsheet dropped the leading zero
        pk = self.lookups.municipalities.get((country, code))
        if pk is None and not code.isdigit():
            pk = self.lookups.municipality_names.get((country, _key(code)))
        if pk is None:
            raise _CellError(
                _("Unknown municipality “%(value)s” in %(country)s: give its name or number.")
                % {"value": value[:40], "country": country}
            )
        return pk

    def _filled_on(self, value: str) -> dt.date:
        day = MEMBER_COLUMNS.cells[ImportField.FILLED_ON](value)
        if day > self.today:
            raise _CellError(_("A mapping cannot be dated in the future."))
        if day.year < EARLIEST_MAPPING_YEAR:
            raise _CellError(_("Give a date after 1940."))
        return day

    def _codes(self, target: str, vocabulary: dict[str, str], unknown: str) -> list[str]:
        codes: list[str] = []
        for part in self._cell(target, _split) or []:
            code = _look_up(vocabulary, part)
            if code is None:
                self._error(target, unknown % {"value": part[:60]})
            elif code not in codes:
                codes.append(code)
        return codes

    def _answers(self, country: str) -> MappingAnswers:
        items = {
            kind: self._codes(target, self.lookups.items[kind], message)
            for target, kind, message in (
                (ImportField.INTERESTS, ItemKind.INTEREST, _("Unknown interest “%(value)s”.")),
                (ImportField.RESOURCES, ItemKind.RESOURCE, _("Unknown resource “%(value)s”.")),
                (ImportField.GOALS, ItemKind.GOAL, _("Unknown goal “%(value)s”.")),
            )
        }
        skills = self._codes(
            ImportField.SKILLS, self.lookups.skills, _("Unknown skill “%(value)s”.")
        )
        hours = self._cell(ImportField.HOURS_PER_WEEK, self._hours)
        return MappingAnswers(
            skill_codes=tuple(sorted(skills)),
            items={kind: tuple(sorted(codes)) for kind, codes in items.items() if codes},
            hours_per_week=hours,
            work=tuple(self._work(country)),
            education=tuple(self._education()),
        )

    def _hours(self, value: str) -> int:
        hours = _integer(value)
        if hours > 168:
            raise _CellError(_("A week has 168 hours; %(hours)s is too many.") % {"hours": hours})
        return hours

    def _work(self, country: str) -> list[WorkEntry]:
        titles = self._cell(ImportField.JOB_TITLES, _split) or []
        codes = self._cell(ImportField.OCCUPATION_CODE, _split) or []
        if len(titles) > MAX_WORK_ENTRIES or len(codes) > MAX_WORK_ENTRIES:
            self._error(
                ImportField.JOB_TITLES,
                _("More than %(count)s jobs in one row.") % {"count": MAX_WORK_ENTRIES},
            )
            return []
        language = _LANGUAGE_OF_COUNTRY.get(country, "en")
        entries = []
        for position in range(max(len(titles), len(codes))):
            title = titles[position] if position < len(titles) else ""
            code = codes[position] if position < len(codes) else ""
            if len(title) > 200:
                self._error(ImportField.JOB_TITLES, _("A job title is longer than 200 characters."))
                continue
            if code:
                if code.endswith(".0"):
                    code = code[:-2]
                occupation = self.lookups.occupations.get(code)
                if occupation is None:
                    self._error(
                        ImportField.OCCUPATION_CODE,
                        _("Unknown ISCO-08 occupation code “%(value)s”; give a four-digit code.")
                        % {"value": code[:20]},
                    )
                    continue
                if not title:
                    title = {"nb": occupation[1], "sv": occupation[2]}.get(language, occupation[3])
            else:
                code = self.lookups.suggest(title, language) or UNCODED
            entries.append(WorkEntry(title=title, occupation_code=code))
        return entries

    def _education(self) -> list[EducationEntry]:
        errors_before = len(self.errors)
        level = self._cell(ImportField.EDUCATION_LEVEL, self._education_level)
        subject = self._cell(ImportField.EDUCATION_FIELD) or ""
        if level is None:
            if subject and len(self.errors) == errors_before:
                self._error(
                    ImportField.EDUCATION_FIELD, _("Give the level of this education as well.")
                )
            return []
        return [EducationEntry(level_code=level, field=subject)]

    def _education_level(self, value: str) -> str:
        code = value[:-2] if value.endswith(".0") else value
        if code not in self.lookups.education_levels:
            code = _look_up(self.lookups.education_words, value) or code
        if code not in self.lookups.education_levels:
            raise _CellError(
                _("Unknown education level “%(value)s”; give an ISCED 2011 level from 0 to 8.")
                % {"value": value[:20]}
            )
        return code


# --- Comparing with what is recorded ---------------------------------------------------------

AnswersKey = tuple[Any, ...]


def answers_key(answers: MappingAnswers) -> AnswersKey:
    """What an import can say about a mapping, in a form that compares equal when it is equal."""
    return (
        tuple(sorted(set(answers.skill_codes))),
        tuple(
            sorted(
                (kind, code)
                for kind, codes in answers.items.items()
                if kind in (ItemKind.INTEREST, ItemKind.RESOURCE, ItemKind.GOAL)
                for code in set(codes)
            )
        ),
        answers.hours_per_week,
        tuple(
            sorted(
                (
                    " ".join(entry.title.split()),
                    "" if entry.occupation_code == UNCODED else entry.occupation_code,
                )
                for entry in answers.work
            )
        ),  # fmt: skip
        tuple(sorted((entry.level_code, entry.field) for entry in answers.education)),
    )


EMPTY_ANSWERS = answers_key(MappingAnswers())


@dataclass
class _Version:
    filled_on: dt.date
    is_current: bool
    skills: list[str] = field(default_factory=list)
    items: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    hours: int | None = None
    work: list[WorkEntry] = field(default_factory=list)
    education: list[EducationEntry] = field(default_factory=list)

    def key(self) -> AnswersKey:
        return answers_key(
            MappingAnswers(
                skill_codes=self.skills,
                items={kind: tuple(codes) for kind, codes in self.items.items()},
                hours_per_week=self.hours,
                work=self.work,
                education=self.education,
            )
        )


def _recorded_versions(participant_ids: Iterable[int]) -> dict[int, list[_Version]]:
    """Every mapping version of the given participants, read in five queries."""
    ids = set(participant_ids)
    if not ids:
        return {}
    mappings = Mapping.objects.filter(participant_id__in=ids)
    versions: dict[int, _Version] = {}
    owner: dict[int, int] = {}
    for pk, participant_id, filled_on, is_current, hours in mappings.values_list(
        "pk", "participant_id", "filled_on", "is_current", "hours_per_week"
    ):
        versions[pk] = _Version(filled_on=filled_on, is_current=is_current, hours=hours)
        owner[pk] = participant_id
    for mapping_id, code in Mapping.skills.through.objects.filter(
        mapping__participant_id__in=ids
    ).values_list("mapping_id", "skill__code"):
        versions[mapping_id].skills.append(code)
    for mapping_id, kind, code in MappingItem.objects.filter(
        mapping__participant_id__in=ids
    ).values_list("mapping_id", "kind", "code"):
        versions[mapping_id].items[kind].append(code)
    for mapping_id, title, code in WorkExperience.objects.filter(
        mapping__participant_id__in=ids
    ).values_list("mapping_id", "title", "occupation__code"):
        versions[mapping_id].work.append(WorkEntry(title=title, occupation_code=code or ""))
    for mapping_id, level, subject in Education.objects.filter(
        mapping__participant_id__in=ids
    ).values_list("mapping_id", "level__code", "field"):
        versions[mapping_id].education.append(EducationEntry(level_code=level, field=subject))
    by_participant: dict[int, list[_Version]] = defaultdict(list)
    for pk, version in versions.items():
        by_participant[owner[pk]].append(version)
    return by_participant


def _is_recorded(row: _Row, versions: Sequence[_Version], today: dt.date) -> bool:
    """The row says what the current version says, or what a version of the same date says."""
    wanted = answers_key(row.answers)
    filled_on = row.filled_on or today
    return any(
        (version.is_current or version.filled_on == filled_on) and version.key() == wanted
        for version in versions
    )
