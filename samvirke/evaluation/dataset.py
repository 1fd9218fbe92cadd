"""The evaluation dataset: what an evaluator needs to ask "what works", as typed variables.

One row per participant per time point (the long layout) or one row per participant with the
time points side by side (the wide layout). Every variable carries its label and, when it is
coded, its value labels, so that the writers in ``formats`` can hand them to SPSS, Stata and R
and the codebook can describe every column from the same list.

What is in it, per participant: attributes in bands (country, five-year birth band, gender,
region or municipality, subprojects), exposure per measure of the programme (status of the
latest enrolment, how they were referred, when they were referred, started and ended as months
since baseline or shifted dates, sessions attended and missed), and per time point the coded
resource mapping (ISCED level, paid and voluntary jobs, hours a week, the life-situation
ratings). Nothing anyone wrote in their own words is a variable: free text never leaves.

The rows are made a batch of participants at a time, in study-id order, with the same few
queries per batch, so memory and queries grow with the batch, not with the programme.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from samvirke.evaluation.deidentify import Deidentifier, Geography
from samvirke.evaluation.exports import BIRTH_YEAR_BAND, LIFE_COLUMNS
from samvirke.evaluation.models import (
    InstrumentVersion,
    Item,
    ItemAnswer,
    ItemKind,
    ResponseStatus,
    Score,
    TimePoint,
    VersionStatus,
)
from samvirke.evaluation.selectors import Person, baselines, batches, ordered_people
from samvirke.lib.among import Among, plain_rows
from samvirke.mapping.models import (
    Education,
    EducationScheme,
    FilledBy,
    LifeDomain,
    LifeSituation,
    Mapping,
    Rater,
    TrafficLight,
    WorkExperience,
)
from samvirke.measures.models import (
    Attendance,
    Enrolment,
    EnrolmentStatus,
    Measure,
    ReferralSource,
)
from samvirke.participants.models import Gender, Participant
from samvirke.programmes.models import Country, Programme, Subproject

BATCH = 20_000
LONG = "long"
WIDE = "wide"
FIRST_BAND, LAST_BAND = 1900, 2025
ISCED_LEVELS = {
    0: "ISCED 0",
    1: "ISCED 1",
    2: "ISCED 2",
    3: "ISCED 3",
    4: "ISCED 4",
    5: "ISCED 5",
    6: "ISCED 6",
    7: "ISCED 7",
    8: "ISCED 8",
}
Value = str | int | float | dt.date | None
# Positions in the cells of a time point (see ``_time_points_of``).
_ISCED, _PAID, _VOLUNTARY = 2, 3, 4
_LIFE_POSITIONS = {column: 6 + number for number, column in enumerate(LIFE_COLUMNS)}


@dataclass(frozen=True)
class Variable:
    """One column: its name, label, type and (when coded) its value labels."""

    name: str
    label: str
    kind: str = "integer"  # integer | number | string | date
    values: tuple[tuple[int, str], ...] = ()
    measure: str = "nominal"  # nominal | ordinal | scale (SPSS's level of measurement)
    group: str = ""  # participant | exposure | time point (for the codebook)


def _coded(
    choices: Sequence[tuple[str, Any]],
) -> tuple[dict[str, int], tuple[tuple[int, str], ...]]:
    """Codes 1, 2, … in the order of a Django choices list, and their labels."""
    codes = {value: number for number, (value, _label) in enumerate(choices, start=1)}
    labels = tuple((number, str(label)) for number, (_value, label) in enumerate(choices, 1))
    return codes, labels


def _band_labels() -> tuple[tuple[int, str], ...]:
    return tuple(
        (start, f"{start}-{start + BIRTH_YEAR_BAND - 1}")
        for start in range(FIRST_BAND, LAST_BAND + 1, BIRTH_YEAR_BAND)
    )


@dataclass
class _Codes:
    country: dict[str, int]
    gender: dict[str, int]
    filled_by: dict[str, int]
    light: dict[str, int]
    status: dict[str, int]
    referral: dict[str, int]
    labels: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)

    @classmethod
    def make(cls) -> _Codes:
        labels: dict[str, tuple[tuple[int, str], ...]] = {}
        country, labels["country"] = _coded(Country.choices)
        gender, labels["gender"] = _coded(Gender.choices)
        filled_by, labels["filled_by"] = _coded(FilledBy.choices)
        light, labels["light"] = _coded(TrafficLight.choices)
        status, status_labels = _coded(EnrolmentStatus.choices)
        labels["status"] = ((0, _("not enrolled")), *status_labels)
        referral, labels["referral"] = _coded(ReferralSource.choices)
        return cls(country, gender, filled_by, light, status, referral, labels)


def _columns_of(
    described: Iterable[tuple[tuple[str, str, str], tuple[Any, ...]]],
) -> tuple[list[tuple[str, str, str]], dict[tuple[Any, ...], int]]:
    """The columns in order, once each, and the position of each key of ids in them (several
    instrument versions share a column)."""
    columns: list[tuple[str, str, str]] = []
    position: dict[tuple[str, str, str], int] = {}
    index: dict[tuple[Any, ...], int] = {}
    for column, ids in described:
        if column not in position:
            position[column] = len(columns)
            columns.append(column)
        index[ids] = position[column]
    return columns, index


@dataclass(frozen=True)
class _MeasureColumns:
    number: int
    measure_id: int
    name: str


class EvaluationDataset:
    """The variables and rows of one export of the evaluation dataset."""

    def __init__(
        self,
        *,
        programme: Programme,
        participants: QuerySet[Participant],
        deid: Deidentifier,
        layout: str = LONG,
    ) -> None:
        self.programme = programme
        self.participants = participants
        self.deid = deid
        self.layout = layout
        self.codes = _Codes.make()
        self.measures = [
            _MeasureColumns(number, measure.pk, measure.name)
            for number, measure in enumerate(
                Measure.objects.filter(programme=programme).order_by("pk"), start=1
            )
        ]
        self.subprojects = list(
            Subproject.objects.filter(programme=programme).order_by("pk").values_list("pk", "name")
        )
        self.mappings = Mapping.objects.filter(
            programme=programme, participant__in=participants.values("pk")
        )
        self._time_points: int | None = None
        self._score_columns: list[tuple[str, str, str]] | None = None
        self._score_index: dict[tuple[Any, ...], int] = {}
        self._item_columns: list[tuple[str, str, str]] | None = None
        self._item_index: dict[tuple[Any, ...], int] = {}

    # --- Variables -----------------------------------------------------------------------

    @property
    def time_points(self) -> int:
        """The most time points anyone has (the wide layout has this many sets of columns)."""
        if self._time_points is None:
            counts = (
                self.mappings.order_by()
                .values("participant_id")
                .annotate(n=Count("pk"))
                .values_list("n", flat=True)
            )
            self._time_points = max(counts, default=0)
        return self._time_points

    def _when(self, name: str, label: str, group: str) -> Variable:
        if self.deid.shifts_dates:
            return Variable(
                f"{name}_date",
                _("%(what)s: date, moved by the participant's random number of days")
                % {"what": label},
                kind="date",
                measure="scale",
                group=group,
            )
        return Variable(
            f"{name}_month",
            _("%(what)s: whole months since the participant's baseline") % {"what": label},
            measure="scale",
            group=group,
        )

    def participant_variables(self) -> list[Variable]:
        group = "participant"
        labels = self.codes.labels
        place = (
            Variable(
                "municipality_code",
                _("Official municipality number (kommunenummer or kommunkod)"),
                kind="string",
                group=group,
            )
            if self.deid.geography == Geography.MUNICIPALITY
            else Variable(
                "region_code",
                _("Region: fylkesnummer or länskod (first two digits of the municipality)"),
                kind="string",
                group=group,
            )
        )
        return [
            Variable(
                "study_id",
                _("Study id of the participant in this export only"),
                kind="string",
                group=group,
            ),
            Variable("country", _("Country"), values=labels["country"], group=group),
            Variable(
                "birth_band",
                _("Five-year band of the birth year (first year of the band)"),
                values=_band_labels(),
                measure="ordinal",
                group=group,
            ),
            Variable("gender", _("Gender"), values=labels["gender"], group=group),
            place,
            *(
                Variable(
                    f"sp{number}",
                    _("Takes part in subproject %(name)s") % {"name": name},
                    values=((0, _("no")), (1, _("yes"))),
                    group=group,
                )
                for number, (_pk, name) in enumerate(self.subprojects, start=1)
            ),
        ]

    def exposure_variables(self) -> list[Variable]:
        group = "exposure"
        labels = self.codes.labels
        found: list[Variable] = []
        for measure in self.measures:
            k, name = measure.number, measure.name
            found += [
                Variable(
                    f"m{k}_status",
                    _("Measure %(name)s: status of the latest enrolment") % {"name": name},
                    values=labels["status"],
                    group=group,
                ),
                Variable(
                    f"m{k}_referral",
                    _("Measure %(name)s: referred by") % {"name": name},
                    values=labels["referral"],
                    group=group,
                ),
                self._when(
                    f"m{k}_referred", _("Measure %(name)s: referred") % {"name": name}, group
                ),
                self._when(f"m{k}_started", _("Measure %(name)s: started") % {"name": name}, group),
                self._when(f"m{k}_ended", _("Measure %(name)s: ended") % {"name": name}, group),
                Variable(
                    f"m{k}_attended",
                    _("Measure %(name)s: sessions attended") % {"name": name},
                    measure="scale",
                    group=group,
                ),
                Variable(
                    f"m{k}_missed",
                    _("Measure %(name)s: sessions missed") % {"name": name},
                    measure="scale",
                    group=group,
                ),
            ]
        return found

    def _scores(self) -> QuerySet[Score]:
        return Score.objects.filter(
            is_current=True,
            response__status=ResponseStatus.SUBMITTED,
            response__time_point__isnull=False,
        )

    @property
    def score_columns(self) -> list[tuple[str, str, str]]:
        """(instrument key, scale, time point key) of every current score of a submitted
        questionnaire of these participants, by instrument, scale and time point order."""
        if self._score_columns is None:
            found = set(
                self._scores()
                .filter(response__participant__in=self.participants.values("pk"))
                .order_by()
                .values_list("response__version_id", "scale", "response__time_point_id")
                .distinct()
            )
            instruments = dict(
                InstrumentVersion.objects.filter(pk__in={v for v, _s, _t in found}).values_list(
                    "pk", "instrument__key"
                )
            )
            points = self._point_keys({t for _v, _s, t in found})
            described = sorted(
                (instruments[v], scale, *points[t], (v, scale, t)) for v, scale, t in found
            )
            self._score_columns, self._score_index = _columns_of(
                ((instrument, scale, key), ids) for instrument, scale, _p, key, ids in described
            )
        return self._score_columns

    @staticmethod
    def _point_keys(pks: set[int]) -> dict[int, tuple[int, str]]:
        """Time point pk → (position, key)."""
        return {
            pk: (position, key)
            for pk, position, key in TimePoint.objects.filter(pk__in=pks).values_list(
                "pk", "position", "key"
            )
        }

    @staticmethod
    def score_name(instrument: str, scale: str, time_point: str) -> str:
        # Stata allows 32 characters in a variable name.
        return f"{instrument}_{scale}_{time_point}".replace("-", "_")[:32]

    def score_variables(self) -> list[Variable]:
        return [
            Variable(
                self.score_name(instrument, scale, key),
                _("Score of %(instrument)s, scale %(scale)s, at time point %(time_point)s")
                % {"instrument": instrument, "scale": scale, "time_point": key},
                kind="number",
                measure="scale",
                group="scores",
            )
            for instrument, scale, key in self.score_columns
        ]

    # --- Item responses ---------------------------------------------------------------------
    # Each item answered in a submitted questionnaire at a time point, per time point like the
    # scores: the coded value chosen (with the option labels as value labels) or the number
    # given. The activity and employment status instrument comes this way too. Items are codes
    # and numbers only: nothing anyone wrote in their own words (a free-text item is no column).

    def _answers(self) -> QuerySet[ItemAnswer]:
        return ItemAnswer.objects.filter(
            response__status=ResponseStatus.SUBMITTED, response__time_point__isnull=False
        ).exclude(item__kind=ItemKind.TEXT)

    @property
    def item_columns(self) -> list[tuple[str, str, str]]:
        """(instrument key, item key, time point key) of every item answered in a submitted
        questionnaire of these participants, by instrument, time point and item position."""
        if self._item_columns is None:
            # Ids only, joined on the response alone; the few items and time points after.
            found = set(
                self._answers()
                .filter(response__participant__in=self.participants.values("pk"))
                .order_by()
                .values_list("item_id", "response__time_point_id")
                .distinct()
            )
            items = {
                pk: (instrument, key, position)
                for pk, instrument, key, position in Item.objects.filter(
                    pk__in={i for i, _t in found}
                ).values_list("pk", "version__instrument__key", "key", "position")
            }
            points = self._point_keys({t for _i, t in found})
            described = sorted(
                (items[i][0], *points[t], items[i][2], items[i][1], (i, t)) for i, t in found
            )
            self._item_columns, self._item_index = _columns_of(
                ((instrument, item, key), ids)
                for instrument, _tpos, key, _ipos, item, ids in described
            )
        return self._item_columns

    @staticmethod
    def item_name(instrument: str, item: str, time_point: str) -> str:
        stem = item if item.startswith(f"{instrument}_") else f"{instrument}_{item}"
        return f"{stem}_{time_point}".replace("-", "_")[:32]

    def _item_descriptions(
        self,
    ) -> dict[tuple[str, str], tuple[str, str, tuple[tuple[int, str], ...]]]:
        """(instrument, item) → (kind, text, value labels) from the newest published version
        of each instrument in the columns (item texts only where they may be redistributed)."""
        keys = {instrument for instrument, _item, _point in self.item_columns}
        newest: dict[str, InstrumentVersion] = {}
        for version in (
            InstrumentVersion.objects.filter(
                Q(instrument__programme__isnull=True) | Q(instrument__programme=self.programme),
                instrument__key__in=keys,
                status=VersionStatus.PUBLISHED,
            )
            .select_related("instrument")
            .order_by("version")
        ):
            newest[version.instrument.key] = version
        found: dict[tuple[str, str], tuple[str, str, tuple[tuple[int, str], ...]]] = {}
        for key, version in newest.items():
            for item in version.items.prefetch_related("options"):
                labels = tuple((o.value, o.label()) for o in item.options.all())
                text = item.text() if version.redistributable else ""
                found[(key, item.key)] = (item.kind, text, labels)
        return found

    def item_variables(self) -> list[Variable]:
        described = self._item_descriptions() if self.item_columns else {}
        variables = []
        for instrument, item, point in self.item_columns:
            kind, text, labels = described.get((instrument, item), (ItemKind.CHOICE, "", ()))
            label = _("%(instrument)s, item %(item)s, at time point %(time_point)s") % {
                "instrument": instrument,
                "item": item,
                "time_point": point,
            }
            if text:
                label = f"{label}: {text}"
            variables.append(
                Variable(
                    self.item_name(instrument, item, point),
                    label[:250],
                    values=labels if kind == ItemKind.CHOICE else (),
                    measure="ordinal" if kind == ItemKind.CHOICE else "scale",
                    group="items",
                )
            )
        return variables

    def _item_cells(self, ids: list[int]) -> dict[int, list[int | None]]:
        """Participant → their answer in each item column (in ``item_columns`` order)."""
        width = len(self.item_columns)
        # Item → time point → column, so that an answer costs two look-ups and no tuple.
        index: dict[int, dict[int, int]] = {}
        for (item_id, point_id), column in self._item_index.items():
            index.setdefault(item_id, {})[point_id] = column
        no_column: dict[int, int] = {}
        found: dict[int, list[int | None]] = {pk: [None] * width for pk in ids}
        # Not ``_answers()``: a free-text item has no column, so its answers find no position
        # below and are left out without joining every answer to its item.
        for participant_id, item_id, point_id, value in plain_rows(
            ItemAnswer.objects.filter(
                Among(F("response__participant_id"), ids),
                response__status=ResponseStatus.SUBMITTED,
                response__time_point__isnull=False,
            )
            .order_by()  # the default order joins the items and sorts every answer
            .values_list("response__participant_id", "item_id", "response__time_point_id", "value")
        ):
            position = index.get(item_id, no_column).get(point_id)
            if position is not None:
                found[participant_id][position] = value
        return found

    def _score_cells(self, ids: list[int]) -> dict[int, list[float | None]]:
        """Participant → their score in each score column (in ``score_columns`` order)."""
        width, index = len(self.score_columns), self._score_index
        found: dict[int, list[float | None]] = {}
        for participant_id, version_id, scale, point_id, value in plain_rows(
            self._scores()
            .filter(Among(F("response__participant_id"), ids))
            .order_by()
            .values_list(
                "response__participant_id",
                "response__version_id",
                "scale",
                "response__time_point_id",
                "value",
            )
        ):
            cells = found.get(participant_id)
            if cells is None:
                cells = found[participant_id] = [None] * width
            position = index.get((version_id, scale, point_id))
            if position is not None and value == value:  # NaN (never stored, but) is missing
                cells[position] = value
        return found

    def time_point_variables(self, prefix: str = "") -> list[Variable]:
        group = "time point"
        labels = self.codes.labels
        isced = tuple(ISCED_LEVELS.items())
        return [
            *(
                [
                    Variable(
                        "time_point",
                        _("Time point: 1 is the participant's earliest resource mapping"),
                        measure="ordinal",
                        group=group,
                    )
                ]
                if not prefix
                else []
            ),
            self._when(f"{prefix}mapping", _("Resource mapping"), group),
            Variable(
                f"{prefix}filled_by",
                _("Who filled in the resource mapping"),
                values=labels["filled_by"],
                group=group,
            ),
            Variable(
                f"{prefix}isced",
                _("Highest completed level of education (ISCED 2011)"),
                values=isced,
                measure="ordinal",
                group=group,
            ),
            Variable(
                f"{prefix}paid_jobs",
                _("Number of paid jobs in the work experience"),
                measure="scale",
                group=group,
            ),
            Variable(
                f"{prefix}voluntary_jobs",
                _("Number of unpaid (voluntary) jobs in the work experience"),
                measure="scale",
                group=group,
            ),
            Variable(
                f"{prefix}hours_per_week",
                _("Hours a week the participant can give"),
                measure="scale",
                group=group,
            ),
            *(
                Variable(
                    f"{prefix}life_{domain}_{rater}",
                    _("Life situation: %(domain)s, rated by %(rater)s")
                    % {"domain": LifeDomain(domain).label, "rater": Rater(rater).label},
                    values=labels["light"],
                    measure="ordinal",
                    group=group,
                )
                for domain, rater in LIFE_COLUMNS
            ),
        ]

    def variables(self) -> list[Variable]:
        fixed = (
            self.participant_variables()
            + self.exposure_variables()
            + self.score_variables()
            + self.item_variables()
        )
        if self.layout == LONG:
            return fixed + self.time_point_variables()
        return fixed + [
            Variable(
                variable.name,
                _("Time point %(number)s: %(label)s") % {"number": t, "label": variable.label},
                kind=variable.kind,
                values=variable.values,
                measure=variable.measure,
                group=variable.group,
            )
            for t in range(1, self.time_points + 1)
            for variable in self.time_point_variables(prefix=f"t{t}_")
        ]

    # --- Rows ----------------------------------------------------------------------------

    def people(self) -> list[Person]:
        return ordered_people(self.participants, deid=self.deid)

    def row_count(self) -> int:
        """Rows the file will have: one per time point, and one for someone with none (long);
        one per participant (wide)."""
        people = self.participants.count()
        if self.layout == WIDE:
            return people
        with_mapping = self.mappings.values("participant").distinct().count()
        return self.mappings.count() + people - with_mapping

    def rows(self) -> Iterator[list[Value]]:
        width = len(self.time_point_variables(prefix="t_")) if self.layout == WIDE else 0
        for batch in batches(self.people(), BATCH):
            yield from self._batch(batch, wide_width=width)

    def _batch(self, batch: Sequence[Person], *, wide_width: int) -> Iterator[list[Value]]:
        ids = [person.pk for person in batch]
        starts = baselines(ids)
        attributes = {
            row[0]: row[1:]
            for row in Participant.objects.filter(Among(F("pk"), ids))
            .order_by()
            .values_list("pk", "country", "birth_year", "gender", "municipality__code")
        }
        memberships: dict[int, set[int]] = {}
        for participant_id, subproject_id in Participant.subprojects.through.objects.filter(
            Among(F("participant_id"), ids)
        ).values_list("participant_id", "subproject_id"):
            memberships.setdefault(participant_id, set()).add(subproject_id)
        exposure = self._exposure(ids)
        scores = self._score_cells(ids) if self.score_columns else {}
        answers = self._item_cells(ids) if self.item_columns else {}
        no_scores: list[Value] = [None] * len(self.score_columns)
        no_answers: list[Value] = [None] * len(self.item_columns)
        points = self._time_points_of(ids)
        when = self.deid.when
        for person in batch:
            baseline = starts.get(person.pk)
            fixed = [
                *self._participant_cells(person, attributes[person.pk], memberships),
                *self._exposure_cells(person, baseline, exposure.get(person.pk, {})),
                *(scores.get(person.pk) or no_scores),
                *(answers.get(person.pk) or no_answers),
            ]
            mine = points.get(person.pk, [])
            for point in mine:  # the mapping's date as this export gives it
                point[0] = when(point[0], baseline=baseline, public_id=person.public_id)
            if self.layout == LONG:
                if not mine:
                    yield fixed + [None] * len(self.time_point_variables())
                for number, cells in enumerate(mine, start=1):
                    yield [*fixed, number, *cells]
            else:
                row = list(fixed)
                for t in range(self.time_points):
                    row += mine[t] if t < len(mine) else [None] * wide_width
                yield row

    def _participant_cells(
        self, person: Person, attributes: tuple[Any, ...], memberships: dict[int, set[int]]
    ) -> list[Value]:
        country, birth_year, gender, municipality = attributes
        joined = memberships.get(person.pk, set())
        return [
            person.study_id,
            self.codes.country.get(country),
            None if birth_year is None else birth_year - birth_year % BIRTH_YEAR_BAND,
            self.codes.gender.get(gender),
            self.deid.place(municipality),
            *(int(pk in joined) for pk, _name in self.subprojects),
        ]

    def _exposure(self, ids: list[int]) -> dict[int, dict[int, list[Any]]]:
        """participant → measure → [status, referral, referred, started, ended, present,
        absent] of their latest enrolment in it, with the sessions of all their enrolments."""
        found: dict[int, dict[int, list[Any]]] = {}
        enrolments = (
            Enrolment.objects.filter(
                Among(F("participant_id"), ids), measure__programme=self.programme
            )
            .order_by("referred_on", "pk")
            .values_list(
                "participant_id",
                "measure_id",
                "status",
                "referral_source",
                "referred_on",
                "started_on",
                "ended_on",
            )
        )
        for participant_id, measure_id, *rest in enrolments:
            found.setdefault(participant_id, {})[measure_id] = [*rest, 0, 0]
        sessions = (
            Attendance.objects.filter(
                Among(F("enrolment__participant_id"), ids),
                enrolment__measure__programme=self.programme,
            )
            .order_by()
            .values_list("enrolment__participant_id", "enrolment__measure_id", "present")
            .annotate(n=Count("pk"))
        )
        for participant_id, measure_id, present, count in sessions:
            cells = found.get(participant_id, {}).get(measure_id)
            if cells is not None:
                cells[5 if present else 6] += count
        return found

    def _exposure_cells(
        self, person: Person, baseline: dt.date | None, exposure: dict[int, list[Any]]
    ) -> list[Value]:
        cells: list[Value] = []
        for measure in self.measures:
            enrolment = exposure.get(measure.measure_id)
            if enrolment is None:
                cells += [0, None, None, None, None, 0, 0]
                continue
            status, referral, referred, started, ended, present, absent = enrolment
            cells += [
                self.codes.status.get(status),
                self.codes.referral.get(referral),
                *(
                    self.deid.when(day, baseline=baseline, public_id=person.public_id)
                    for day in (referred, started, ended)
                ),
                present,
                absent,
            ]
        return cells

    def _time_points_of(self, ids: list[int]) -> dict[int, list[list[Any]]]:
        """Each participant's mapping versions in order (time point 1 is the earliest by date,
        then by when it was recorded), as the cells of ``time_point_variables`` after the time
        point's number, but with the mapping's own date first; ``ids`` have consented."""
        points: dict[int, list[list[Any]]] = {}
        by_mapping: dict[int, list[Any]] = {}
        filled_by_code = self.codes.filled_by.get
        no_life = [None] * len(LIFE_COLUMNS)
        for participant_id, pk, filled_on, filled_by, hours in (
            Mapping.objects.filter(Among(F("participant_id"), ids), programme=self.programme)
            .order_by("participant_id", "filled_on", "created_at", "pk")
            .values_list("participant_id", "pk", "filled_on", "filled_by", "hours_per_week")
        ):
            # date, filled by, ISCED level, paid jobs, voluntary jobs, hours, life situation…
            point: list[Any] = [filled_on, filled_by_code(filled_by), None, 0, 0, hours, *no_life]
            mine = points.get(participant_id)
            if mine is None:
                points[participant_id] = [point]
            else:
                mine.append(point)
            by_mapping[pk] = point
        # Joined on the batch's participants, not an IN list of every version's id.
        versions = Q(Among(F("mapping__participant_id"), ids), mapping__programme=self.programme)
        for mapping_id, paid, count in (
            WorkExperience.objects.filter(versions)
            .order_by()
            .values_list("mapping_id", "paid")
            .annotate(n=Count("pk"))
        ):
            by_mapping[mapping_id][_PAID if paid else _VOLUNTARY] += count
        for mapping_id, code in (
            Education.objects.filter(
                versions, completed=True, level__scheme=EducationScheme.ISCED_2011
            )
            .order_by()
            .values_list("mapping_id", "level__code")
        ):
            level = int(code) if code.isdigit() and int(code) in ISCED_LEVELS else None
            cells = by_mapping[mapping_id]
            if level is not None and (cells[_ISCED] is None or level > cells[_ISCED]):
                cells[_ISCED] = level
        life = _LIFE_POSITIONS.get
        light = self.codes.light.get
        for mapping_id, domain, rater, rating in (
            LifeSituation.objects.filter(versions)
            .order_by()
            .values_list("mapping_id", "domain", "rater", "level")
        ):
            place = life((domain, rater))
            if place is not None:
                by_mapping[mapping_id][place] = light(rating)
        return points
