"""The pseudonymised research file of resource mapping data, and its codebook.

What goes in is decided here, column by column: a pseudonym and coded answers only. Names,
contact details, national identity numbers and everything a person wrote in their own words
(other skills, languages, goals and support in own words, job titles, fields of study,
courses) never do. Birth year leaves as a five-year band: with gender, municipality and
subproject beside it an exact year too often points at one person in a small place, and
five-year bands are the age groups SSB and SCB publish, so the data can be set against theirs.

The file is made by a merge join: one ordered query for the mapping versions and one for each
of their parts, read side by side in batches. However many people consented, the export
makes the same few queries and holds a batch of rows in memory, never the whole programme.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samvirke.evaluation.deidentify import Deidentifier, Geography
from samvirke.evaluation.selectors import baselines, batches, ordered_people
from samvirke.evaluation.services import Tally
from samvirke.lib.spreadsheets import CSV_QUOTING, neutralise
from samvirke.mapping.models import (
    Education,
    EducationLevel,
    EducationScheme,
    FilledBy,
    Goal,
    Interest,
    ItemKind,
    LifeDomain,
    LifeSituation,
    Mapping,
    MappingItem,
    Occupation,
    Rater,
    Resource,
    Skill,
    SupportNeed,
    TrafficLight,
    WorkExperience,
    content_language,
)
from samvirke.participants.models import Gender, Participant
from samvirke.programmes.models import Country, Programme

BOM = "\ufeff"
SEPARATOR = ";"  # between several codes in one cell
BIRTH_YEAR_BAND = 5
BATCH = 2000

LIFE_COLUMNS: list[tuple[str, str]] = [
    (domain, rater) for domain in LifeDomain.values for rater in Rater.values
]
ITEM_COLUMNS: list[tuple[str, str]] = [
    (ItemKind.INTEREST, "interests"),
    (ItemKind.RESOURCE, "resources"),
    (ItemKind.GOAL, "goals"),
    (ItemKind.SUPPORT, "support_needs"),
]


@dataclass(frozen=True)
class Column:
    name: str
    description: str | Promise


def life_column(domain: str, rater: str) -> str:
    return f"life_{domain}_{rater}"


def columns(deid: Deidentifier | None = None) -> list[Column]:
    """Every column of the file, in order, with what it holds (for the codebook)."""
    deid = deid or Deidentifier(salt="")
    place = (
        Column(
            "municipality_code",
            gettext_lazy("Official municipality number (kommunenummer or kommunkod)."),
        )
        if deid.geography == Geography.MUNICIPALITY
        else Column(
            "region_code",
            gettext_lazy(
                "Region: official number of the county (fylkesnummer) or län (länskod), the "
                "first two digits of the municipality number."
            ),
        )
    )
    when = (
        Column(
            "mapping_date",
            gettext_lazy(
                "Date of the mapping (YYYY-MM-DD), moved by this participant's random number "
                "of days in this export."
            ),
        )
        if deid.shifts_dates
        else Column(
            "mapping_month",
            gettext_lazy("Whole months from the participant's baseline to the mapping."),
        )
    )
    fixed = [
        Column(
            "study_id",
            gettext_lazy("The participant's study id in this export only (not their pseudonym)."),
        ),
        Column("country", gettext_lazy("Country of the participant.")),
        Column(
            "birth_year_band",
            gettext_lazy("Five-year band of the birth year, for example 1980-1984."),
        ),
        Column("gender", gettext_lazy("Gender as the participant gave it.")),
        place,
        Column(
            "subprojects", gettext_lazy("Names of the subprojects the participant takes part in.")
        ),
        Column(
            "mapping_version",
            gettext_lazy("Number of the mapping version: 1 is the participant's earliest by date."),
        ),
        when,
        Column("filled_by", gettext_lazy("Who filled in the mapping.")),
        Column(
            "isco08_major_groups",
            gettext_lazy("ISCO-08 major groups of the work experience coded to an occupation."),
        ),
        Column("paid_work_count", gettext_lazy("Number of paid jobs in the work experience.")),
        Column(
            "voluntary_work_count",
            gettext_lazy("Number of unpaid (voluntary) jobs in the work experience."),
        ),
        Column(
            "isced_highest_completed",
            gettext_lazy("Highest completed level of education (ISCED 2011)."),
        ),
        Column("skills", gettext_lazy("Skills ticked (codes of Samvirke's skill list).")),
        Column("interests", gettext_lazy("Interests ticked.")),
        Column("resources", gettext_lazy("Resources ticked.")),
        Column("goals", gettext_lazy("Goals ticked.")),
        Column("support_needs", gettext_lazy("Support needs ticked.")),
        Column("hours_per_week", gettext_lazy("Hours a week the participant can give.")),
    ]
    life = [
        Column(
            life_column(domain, rater),
            _("Life situation: %(domain)s, rated by %(rater)s.")
            % {"domain": LifeDomain(domain).label, "rater": Rater(rater).label},
        )
        for domain, rater in LIFE_COLUMNS
    ]
    return fixed + life


def header(deid: Deidentifier | None = None) -> list[str]:
    return [column.name for column in columns(deid)]


# --- The rows ---------------------------------------------------------------------------------


class _Stream:
    """Rows sorted by the same key as the mapping versions, handed out one key at a time."""

    def __init__(self, rows: Iterable[tuple[Any, ...]], key_width: int) -> None:
        self._width = key_width
        self._groups = groupby(rows, key=lambda row: row[:key_width])
        self._current = next(self._groups, None)

    def take(self, key: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        while self._current is not None and self._current[0] < key:
            self._current = next(self._groups, None)
        if self._current is None or self._current[0] != key:
            return []
        rows = [row[self._width :] for row in self._current[1]]
        self._current = next(self._groups, None)
        return rows


def _version_number() -> Subquery:
    """1 for a participant's earliest mapping by date (then by when it was recorded), and up."""
    up_to_this = Mapping.objects.filter(participant=OuterRef("participant")).filter(
        Q(filled_on__lt=OuterRef("filled_on"))
        | Q(filled_on=OuterRef("filled_on"), created_at__lt=OuterRef("created_at"))
        | Q(
            filled_on=OuterRef("filled_on"),
            created_at=OuterRef("created_at"),
            pk__lte=OuterRef("pk"),
        )
    )
    return Subquery(
        up_to_this.order_by().values("participant").annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )


def _parts(rows: QuerySet[Any, Any], *fields: str) -> _Stream:
    ordered = rows.order_by("mapping__participant_id", "mapping_id").values_list(
        "mapping__participant_id", "mapping_id", *fields
    )
    return _Stream(ordered.iterator(chunk_size=BATCH), key_width=2)


def birth_year_band(year: int | None) -> str:
    if year is None:
        return ""
    start = year - year % BIRTH_YEAR_BAND
    return f"{start}-{start + BIRTH_YEAR_BAND - 1}"


def _codes(values: Iterable[str]) -> str:
    return SEPARATOR.join(sorted(set(values)))


def research_rows(mappings: QuerySet[Mapping], *, deid: Deidentifier) -> Iterator[list[str]]:
    """One row per mapping version in ``mappings`` (already scoped by the selectors), the
    participants in the order of their study ids, a batch of participants at a time."""
    people = ordered_people(
        Participant.objects.filter(pk__in=mappings.values("participant")), deid=deid
    )
    for batch in batches(people, BATCH):
        ids = [person.pk for person in batch]
        starts = baselines(ids)
        rows: dict[int, list[list[str]]] = {}
        for participant_id, row in _batch_rows(mappings.filter(participant_id__in=ids)):
            rows.setdefault(participant_id, []).append(row)
        for person in batch:
            for row in rows.get(person.pk, []):
                filled_on = dt.date.fromisoformat(row[WHEN])
                row[STUDY_ID] = person.study_id
                row[PLACE] = deid.place(row[PLACE])
                when = deid.when(
                    filled_on, baseline=starts.get(person.pk), public_id=person.public_id
                )
                row[WHEN] = "" if when is None else str(when)
                yield row


STUDY_ID, PLACE, WHEN = 0, 4, 7


def _batch_rows(mappings: QuerySet[Mapping]) -> Iterator[tuple[int, list[str]]]:
    """(participant id, row) for every mapping version, by a merge join of a few queries."""
    versions = mappings.values("pk")
    participants = Participant.objects.filter(pk__in=mappings.values("participant"))
    main = (
        mappings.annotate(version=_version_number())
        .order_by("participant_id", "pk")
        .values_list(
            "participant_id",
            "pk",
            "participant__public_id",
            "participant__country",
            "participant__birth_year",
            "participant__gender",
            "participant__municipality__code",
            "version",
            "filled_on",
            "filled_by",
            "hours_per_week",
        )
        .iterator(chunk_size=BATCH)
    )
    memberships = _Stream(
        Participant.subprojects.through.objects.filter(participant__in=participants)
        .order_by("participant_id", "subproject__name")
        .values_list("participant_id", "subproject__name")
        .iterator(chunk_size=BATCH),
        key_width=1,
    )
    work = _parts(WorkExperience.objects.filter(mapping__in=versions), "occupation__code", "paid")
    education = _parts(
        Education.objects.filter(mapping__in=versions, completed=True), "level__code"
    )
    skills = _parts(Mapping.skills.through.objects.filter(mapping__in=versions), "skill__code")
    items = _parts(MappingItem.objects.filter(mapping__in=versions), "kind", "code")
    life = _parts(LifeSituation.objects.filter(mapping__in=versions), "domain", "rater", "level")

    subprojects: tuple[int, str] = (0, "")
    for row in main:
        participant_id, mapping_id = row[0], row[1]
        key = (participant_id, mapping_id)
        if subprojects[0] != participant_id:
            names = [name for (name,) in memberships.take((participant_id,))]
            subprojects = (participant_id, SEPARATOR.join(names))
        yield (
            participant_id,
            _row(
                row[2:],
                subprojects=subprojects[1],
                work=work.take(key),
                education=education.take(key),
                skills=skills.take(key),
                items=items.take(key),
                life=life.take(key),
            ),
        )


def _row(
    main: Sequence[Any],
    *,
    subprojects: str,
    work: list[tuple[Any, ...]],
    education: list[tuple[Any, ...]],
    skills: list[tuple[Any, ...]],
    items: list[tuple[Any, ...]],
    life: list[tuple[Any, ...]],
) -> list[str]:
    public_id, country, birth_year, gender, municipality, version, filled_on, filled_by, hours = (
        main
    )
    completed = sorted(level for (level,) in education)
    ratings = {(domain, rater): level for domain, rater, level in life}
    return [
        str(public_id),  # replaced by the study id before the row leaves
        country,
        birth_year_band(birth_year),
        gender,
        municipality or "",
        subprojects,
        str(version or ""),
        filled_on.isoformat(),
        filled_by,
        _codes(code[:1] for code, _paid in work if code),
        str(sum(1 for _code, paid in work if paid)),
        str(sum(1 for _code, paid in work if not paid)),
        completed[-1] if completed else "",
        _codes(code for (code,) in skills),
        *(
            _codes(code for item_kind, code in items if item_kind == kind)
            for kind, _column in ITEM_COLUMNS
        ),
        "" if hours is None else str(hours),
        *(ratings.get(column, "") for column in LIFE_COLUMNS),
    ]


class _Line:
    """A file-like object that hands back what csv.writer writes, one line at a time."""

    def write(self, value: str) -> str:
        return value


def research_csv(mappings: QuerySet[Mapping], *, deid: Deidentifier) -> Iterator[str]:
    """The CSV file, line by line: UTF-8 with a byte order mark so that Excel reads it right."""
    writer = csv.writer(_Line(), quoting=CSV_QUOTING)
    yield BOM + writer.writerow(header(deid))
    for row in research_rows(mappings, deid=deid):
        yield writer.writerow([neutralise(cell) for cell in row])


def file_name(programme: Programme, day: dt.date, suffix: str) -> str:
    return f"samvirke-research-{programme.slug}-{day.isoformat()}{suffix}"


# --- The codebook -------------------------------------------------------------------------------


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(heading: str, pairs: Iterable[tuple[str, object]]) -> list[str]:
    lines = [f"### {heading}", "", f"| {_('Code')} | {_('Label')} |", "|---|---|"]
    lines += [f"| {_cell(code)} | {_cell(label)} |" for code, label in pairs]
    return [*lines, ""]


def codebook(programme: Programme, day: dt.date, deid: Deidentifier | None = None) -> str:
    """What every column holds and what its codes mean, in the active language (Markdown)."""
    language = content_language()
    lines = [
        f"# {_('Codebook: research data')} — {_cell(programme.name)}",
        "",
        _("Exported from Samvirke on %(date)s.") % {"date": day.isoformat()},
        "",
        _(
            "One row per participant with an active consent to evaluation research and a "
            "resource mapping: their current mapping, or one row per version when every "
            "version was chosen. Someone who withdraws the consent is left out of every "
            "later export."
        ),
        "",
        _(
            "Participants appear under a study id made for this export only: the same person "
            "has another study id in every other export, and rows are in the order of the "
            "study ids, so two exports cannot be joined. Dates are given as whole months since "
            "the participant's baseline (their first mapping or referral) or moved by a random "
            "number of days per participant, and places as regions unless municipalities were "
            "asked for."
        ),
        "",
        _(
            "The file is UTF-8 with a byte order mark, separated by commas, with the column "
            "names in the first row. Several codes in one cell are separated by semicolons. "
            "An empty cell means that nothing was recorded."
        ),
        "",
        _(
            "Not included: names, contact details, national identity numbers, and everything "
            "written in the participant's own words (other skills, languages, goals and "
            "support in own words, job titles, fields of study, courses)."
        ),
        "",
        f"## {_('Columns')}",
        "",
        f"| {_('Column')} | {_('Content')} |",
        "|---|---|",
        *(f"| {column.name} | {_cell(column.description)} |" for column in columns(deid)),
        "",
        f"## {_('Codes')}",
        "",
        *_table("country", Country.choices),
        *_table("gender", Gender.choices),
        *_table("filled_by", FilledBy.choices),
        *_table(
            "isco08_major_groups",
            (
                (o.code, o.label_for(language))
                for o in Occupation.objects.filter(level=1).order_by("code")
            ),
        ),
        *_table(
            "isced_highest_completed",
            (
                (level.code, level.label)
                for level in EducationLevel.objects.filter(
                    scheme=EducationScheme.ISCED_2011
                ).order_by("code")
            ),
        ),
        *_table("skills", ((skill.code, skill.label) for skill in Skill.objects.order_by("code"))),
        *_table("interests", Interest.choices),
        *_table("resources", Resource.choices),
        *_table("goals", Goal.choices),
        *_table("support_needs", SupportNeed.choices),
        *_table("life_*", TrafficLight.choices),
    ]
    return "\n".join(lines) + "\n"


def mapping_file(
    mappings: QuerySet[Mapping], *, deid: Deidentifier, tally: Tally
) -> Iterator[bytes]:
    """The mapping CSV as bytes, a batch of lines at a time, counting its rows."""
    lines = research_csv(mappings, deid=deid)
    buffer = [next(lines)]
    for line in lines:
        tally.rows += 1
        buffer.append(line)
        if len(buffer) >= BATCH:
            yield "".join(buffer).encode("utf-8")
            buffer = []
    yield "".join(buffer).encode("utf-8")
