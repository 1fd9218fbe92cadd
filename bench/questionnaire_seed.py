"""Questionnaire data for the benches at issue 10's size, shared by questionnaire_bench.py (a
participant answering) and research_export_bench.py (the research export of it all).

``schedule_of`` loads the shipped instruments and gives a programme the schedule of four
instruments (WHO-5, GAD-7, CORE-10 and the 3-item loneliness scale) at four time points;
``seed_responses`` writes the responses of a batch of participants in bulk: every item answered
with one of its options and the total scored, for the time points sent in, the rest due.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

INSTRUMENTS = ["who5", "gad7", "core10", "loneliness3"]
TIME_POINTS = ["baseline", "m3", "m6", "m12"]


@dataclass
class Plan:
    versions: dict[str, Any]  # instrument key → InstrumentVersion
    items: dict[str, list[Any]]  # instrument key → its items in order
    options: dict[str, dict[int, list[int]]]  # instrument key → item pk → option values
    points: list[Any]  # the schedule's TimePoints in order


def schedule_of(programme: Any) -> Plan:
    from samvirke.evaluation.instrument_services import load_instruments
    from samvirke.evaluation.models import InstrumentVersion, Schedule

    load_instruments(texts_folder=None)
    versions = {
        v.instrument.key: v
        for v in InstrumentVersion.objects.filter(
            instrument__key__in=INSTRUMENTS, version=1
        ).select_related("instrument")
    }
    items = {key: list(v.items.order_by("position")) for key, v in versions.items()}
    options = {
        key: {item.pk: [o.value for o in item.options.all()] or [0, 1, 2, 3] for item in items[key]}
        for key in versions
    }
    schedule = Schedule.objects.create(programme=programme, name="Standard")
    schedule.instruments.set([v.instrument for v in versions.values()])
    points = [
        schedule.time_points.create(
            key=key, position=p, anchor="enrolment", offset_months=3 * p, window_days=14
        )
        for p, key in enumerate(TIME_POINTS)
    ]
    return Plan(versions=versions, items=items, options=options, points=points)


def seed_responses(
    plan: Plan,
    people: list[Any],
    first_enrolment: dict[int, Any],
    *,
    rng: random.Random,
    today: dt.date,
    sent_points: int,
) -> int:
    """Four questionnaires per time point for each person: the first ``sent_points`` time
    points submitted with every item answered and the total scored, the others due. Returns
    how many responses were written."""
    from django.utils import timezone

    from samvirke.evaluation.models import (
        EntryMode,
        ItemAnswer,
        QuestionnaireResponse,
        ResponseStatus,
        Score,
    )

    now = timezone.now()
    points = plan.points
    responses = []
    for p in people:
        for t, point in enumerate(points):
            sent = t < sent_points
            due = today - dt.timedelta(days=91 * (len(points) - 1 - t))
            for key, version in plan.versions.items():
                responses.append(
                    QuestionnaireResponse(
                        participant=p,
                        version=version,
                        time_point=point,
                        enrolment=first_enrolment[p.pk],
                        due_on=due,
                        window_opens=due - dt.timedelta(days=14),
                        window_closes=due + dt.timedelta(days=14),
                        status=ResponseStatus.SUBMITTED if sent else ResponseStatus.DUE,
                        mode=EntryMode.SELF,
                        language="nb",
                        next_position=len(plan.items[key]) + 1 if sent else 1,
                        started_at=now if sent else None,
                        submitted_at=now if sent else None,
                    )
                )
    responses = QuestionnaireResponse.objects.bulk_create(responses, batch_size=5000)
    submitted = [r for r in responses if r.status == ResponseStatus.SUBMITTED]
    key_of = {v.pk: key for key, v in plan.versions.items()}
    answers = []
    scores = []
    for r in submitted:
        key = key_of[r.version_id]
        total = 0
        for item in plan.items[key]:
            value = rng.choice(plan.options[key][item.pk])
            total += value
            answers.append(ItemAnswer(response=r, item=item, value=value, answered_at=now))
        scores.append(
            Score(
                response=r,
                scored_with=r.version,
                scale="total",
                raw=total,
                value=total,
                answered=len(plan.items[key]),
                computed_at=now,
            )
        )
    ItemAnswer.objects.bulk_create(answers, batch_size=10000)
    Score.objects.bulk_create(scores, batch_size=10000)
    return len(responses)
