"""Reads for the evaluation analysis: the engine's input as plain values, and the runs.

:func:`analysis_input` turns a programme's outcome data into the long frame the engine reads
(``analysis/frame.py``): only participants with an active consent to evaluation research who
are not erased (a withdrawal leaves the person out of the next run at once), identified by an
opaque key derived from their public id — never a pk, a pseudonym or a name. Exposure comes
from enrolments: a measure (or, by default, a measure *kind*) counts from the day the person
started it. Nothing but numbers and strings goes into the engine.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.db.models import QuerySet
from django.utils import timezone, translation

from samvirke.accounts.models import Role
from samvirke.accounts.permissions import Access, Perm
from samvirke.evaluation.analysis import compare
from samvirke.evaluation.analysis.report import InstrumentSpec
from samvirke.evaluation.deidentify import region_code
from samvirke.evaluation.models import (
    AnalysisRun,
    AnalysisStatus,
    InstrumentVersion,
    ResponseStatus,
    Score,
)
from samvirke.measures.models import Enrolment, Measure, MeasureKind
from samvirke.participants.models import ConsentPurpose, Participant, active_consent_q
from samvirke.programmes.models import Country

DAYS_PER_MONTH = 30.4375
GROUPINGS = ("kind", "measure")
LANGUAGES = ("nb", "sv", "en")
MIN_PARTICIPANTS = 20  # the engine's default: fewer at baseline and an instrument is not analysed
PRIMARY = "who5"  # the instrument whose previous score drives enrolment, when it is there


@dataclass
class AnalysisInput:
    """Everything the engine needs, as plain values."""

    frame: pd.DataFrame
    enrolled: list[str]
    instruments: list[InstrumentSpec]
    labels: dict[str, dict[str, str]]  # exposure name → language → what the page calls it
    titles: dict[str, dict[str, str]] = field(default_factory=dict)  # instrument → language → title
    skipped: list[str] = field(default_factory=list)  # instruments too few answered at baseline
    # The comparisons' groups: each person's country, region and subproject scopes, and what
    # the page calls each scope (``analysis/compare.py``; measures come from the frame).
    memberships: dict[str, list[str]] = field(default_factory=dict)
    scope_labels: dict[str, dict[str, str]] = field(default_factory=dict)


def study_key(public_id: object) -> str:
    """A participant's key in the engine: stable across runs, says nothing about who they are."""
    return "S" + hashlib.sha256(f"samvirke-analysis:{public_id}".encode()).hexdigest()[:12]


def _age_band(birth_year: int | None, day: dt.date | None) -> str:
    if birth_year is None or day is None:
        return "unknown"
    age = day.year - birth_year
    return "18-29" if age < 30 else "30-44" if age < 45 else "45-67" if age < 68 else "68+"


def consented_participants(programme_id: int) -> QuerySet[Participant]:
    """The programme's participants with an active consent to research, not erased."""
    consented = Participant.objects.filter(
        active_consent_q(ConsentPurpose.RESEARCH), programme_id=programme_id
    )
    return Participant.objects.filter(pk__in=consented.values("pk"), erased_at__isnull=True)


def instrument_spec(code: str, definition: dict[str, Any]) -> InstrumentSpec:
    """Direction, reliability, reference SD and cut-off from the instrument's total scale."""
    scales = definition.get("scales") or [{}]
    total = next((s for s in scales if s.get("key") == "total"), scales[0])
    reliability = total.get("reliability")
    sd = total.get("norm_sd")
    cutoff = total.get("cutoff")
    return InstrumentSpec(
        code=code,
        direction="higher" if total.get("higher_is_better", True) else "lower",
        reliability=float(reliability) if reliability is not None else None,
        sd_reference=float(sd) if sd is not None else None,
        cutoff=float(cutoff) if cutoff is not None else None,
    )


def comparison_groups(
    programme_id: int, people: dict[int, str]
) -> tuple[dict[str, list[str]], dict[str, dict[str, str]]]:
    """Each person's country, region and subproject scopes, and every scope's label.

    The municipality is coarsened to its region (fylke / län), as the research export's
    de-identification does by default (``deidentify.region_code``): a municipality of a few
    participants would otherwise name them to anyone who knows the place."""
    memberships: dict[str, list[str]] = defaultdict(list)
    labels: dict[str, dict[str, str]] = {}
    rows = Participant.objects.filter(pk__in=list(people)).values_list(
        "pk", "country", "municipality__country", "municipality__code", "municipality__county"
    )
    for pid, country, place_country, code, county in rows:
        key = people[pid]
        if country:
            scope = compare.scope_key("country", country)
            memberships[key].append(scope)
            if scope not in labels:
                labels[scope] = {}
                for language in LANGUAGES:
                    with translation.override(language):
                        labels[scope][language] = str(Country(country).label)
        region = region_code(code)
        if region:
            scope = compare.scope_key("region", f"{place_country}-{region}")
            memberships[key].append(scope)
            name = county or f"{place_country} {region}"
            labels.setdefault(scope, dict.fromkeys(LANGUAGES, name))
    for pid, sub_id, sub_name in Participant.subprojects.through.objects.filter(
        participant_id__in=list(people), subproject__programme_id=programme_id
    ).values_list("participant_id", "subproject_id", "subproject__name"):
        scope = compare.scope_key("subproject", sub_id)
        memberships[people[pid]].append(scope)
        labels.setdefault(scope, dict.fromkeys(LANGUAGES, sub_name))
    return {k: sorted(v) for k, v in memberships.items()}, labels


def _exposure_name(measure: Measure, grouping: str) -> str:
    return measure.kind if grouping == "kind" else f"m{measure.pk}"


def analysis_input(programme_id: int, *, grouping: str = "kind") -> AnalysisInput:
    """The long frame of the programme's consented research participants (see module text)."""
    people = {
        pk: (study_key(public_id), country, gender or "unknown", birth_year)
        for pk, public_id, country, gender, birth_year in consented_participants(
            programme_id
        ).values_list("pk", "public_id", "country", "gender", "birth_year")
    }
    scores = (
        Score.objects.filter(
            is_current=True,
            scale="total",
            value__isnull=False,
            response__status=ResponseStatus.SUBMITTED,
            response__participant_id__in=list(people),
        )
        .order_by()
        .values_list(
            "response__participant_id",
            "response__version__instrument__key",
            "response__time_point__position",
            "response__due_on",
            "response__submitted_at",
            "value",
        )
    )
    rows: dict[tuple[int, str], list[tuple[int | None, dt.date, float]]] = defaultdict(list)
    for pid, instrument, position, due_on, submitted_at, value in scores:
        day = timezone.localdate(submitted_at) if submitted_at is not None else due_on
        if value is not None:
            rows[(pid, instrument)].append((position, day, float(value)))
    measures = {m.pk: m for m in Measure.objects.filter(programme_id=programme_id).order_by("pk")}
    starts: dict[int, dict[str, dt.date]] = defaultdict(dict)
    enrolled_people: set[int] = set()
    for pid, measure_id, started_on in Enrolment.objects.filter(
        measure__programme_id=programme_id, participant_id__in=list(people)
    ).values_list("participant_id", "measure_id", "started_on"):
        enrolled_people.add(pid)
        if started_on is None:
            continue
        name = _exposure_name(measures[measure_id], grouping)
        if name not in starts[pid] or started_on < starts[pid][name]:
            starts[pid][name] = started_on
    # Only measures someone in the data started: the others have nothing to show or estimate.
    names = sorted({name for started in starts.values() for name in started})
    labels: dict[str, dict[str, str]] = {}
    for measure in measures.values():
        name = _exposure_name(measure, grouping)
        if name not in names:
            continue
        labels[name] = {}
        for language in LANGUAGES:
            with translation.override(language):
                labels[name][language] = (
                    str(MeasureKind(measure.kind).label)
                    if grouping == "kind" and measure.kind in MeasureKind.values
                    else measure.name
                )
    records: list[dict[str, Any]] = []
    for (pid, instrument), answers in rows.items():
        key, country, gender, born = people[pid]
        # Time points: the schedule's order when the response has one, else the order of dates.
        answers.sort(key=lambda a: (a[1], a[0] if a[0] is not None else 0))
        positions: list[int] = sorted({a[0] for a in answers if a[0] is not None})
        first = answers[0][1]
        for rank, (point, when, value) in enumerate(answers):
            time = positions.index(point) if point is not None else rank
            record: dict[str, Any] = {
                "participant": key,
                "time": time,
                "months": (when - first).days / DAYS_PER_MONTH,
                "instrument": instrument,
                "score": value,
                "age_band": _age_band(born, first),
                "gender": gender,
                "country": country,
            }
            for name in names:
                start = starts[pid].get(name)
                record[f"exp_{name}"] = 1.0 if start is not None and start <= when else 0.0
            records.append(record)
    columns = ["participant", "time", "months", "instrument", "score", "age_band", "gender"]
    columns += ["country", *(f"exp_{n}" for n in names)]
    frame = pd.DataFrame.from_records(records, columns=columns)
    if len(frame):
        # A time point answered twice counts once (the first answer).
        frame = frame.drop_duplicates(["participant", "instrument", "time"])
    answered = {pid for pid, _instrument in rows}
    enrolled = sorted(people[pid][0] for pid in enrolled_people | answered)
    # Instruments too few people answered at baseline are named, not analysed.
    at_baseline: dict[str, int] = {}
    if len(frame):
        at_baseline = frame[frame["time"] == 0].groupby("instrument")["participant"].nunique()
        at_baseline = {str(k): int(v) for k, v in at_baseline.items()}
    found = sorted({instrument for _pid, instrument in rows})
    codes = [c for c in found if at_baseline.get(c, 0) >= MIN_PARTICIPANTS]
    # The primary instrument (the one enrolment follows) first, as the engine reads it.
    codes.sort(key=lambda c: (c != PRIMARY, c))
    skipped = [c for c in found if c not in codes]
    frame = frame[frame["instrument"].isin(codes)].reset_index(drop=True)
    versions = {
        v.instrument.key: v
        for v in InstrumentVersion.objects.filter(instrument__key__in=codes)
        .filter(instrument__programme__isnull=True)
        .select_related("instrument")
        .order_by("instrument", "version")
    }
    for v in InstrumentVersion.objects.filter(
        instrument__key__in=codes, instrument__programme_id=programme_id
    ).select_related("instrument"):
        versions[v.instrument.key] = v
    specs = [instrument_spec(c, versions[c].definition if c in versions else {}) for c in codes]
    titles_of = [*codes, *skipped]
    titles = {
        c: {language: versions[c].title(language) if c in versions else c for language in LANGUAGES}
        for c in titles_of
    }
    memberships, scope_labels = comparison_groups(
        programme_id, {pid: person[0] for pid, person in people.items()}
    )
    return AnalysisInput(frame, enrolled, specs, labels, titles, skipped, memberships, scope_labels)


def sees_everything(access: Access) -> bool:
    """Managers and researchers see every count; user representatives see them suppressed."""
    return access.is_manager or Role.RESEARCHER in access.roles


def runs_of(access: Access) -> QuerySet[AnalysisRun]:
    """The programme's analysis runs, newest first (for those who may see results)."""
    if not access.can(Perm.EVALUATION_VIEW):
        return AnalysisRun.objects.none()
    return AnalysisRun.objects.filter(programme=access.programme)


def latest_finished(access: Access) -> AnalysisRun | None:
    """The newest finished run: the only one a user representative ever sees, so that two runs
    over slightly different data cannot be subtracted from each other."""
    return runs_of(access).filter(status=AnalysisStatus.DONE).first()


def run_for(access: Access, public_id: uuid.UUID | str) -> AnalysisRun | None:
    """One run of this programme, or None (the same for missing and not allowed)."""
    run = runs_of(access).filter(public_id=public_id).first()
    if run is None or sees_everything(access):
        return run
    latest = latest_finished(access)
    return run if latest is not None and latest.pk == run.pk else None
