"""Schedules: which questionnaires fall due when, which are missed, and reminders.

A schedule's time points are counted from the enrolment (``started_on``, else
``referred_on``) or from its end (completion or drop-out, ``ended_on``). Planning is
idempotent: a response is opened once per participant, time point, enrolment and version.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import transaction
from django.db.models import Q

from samvirke.evaluation.models import (
    Anchor,
    InstrumentVersion,
    QuestionnaireResponse,
    ResponseStatus,
    Schedule,
    VersionStatus,
)
from samvirke.evaluation.response_services import open_response
from samvirke.measures.models import Enrolment, EnrolmentStatus

OPEN = (ResponseStatus.DUE, ResponseStatus.IN_PROGRESS)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _newest_published(instrument_ids: list[int]) -> list[InstrumentVersion]:
    newest: dict[int, InstrumentVersion] = {}
    for version in InstrumentVersion.objects.filter(
        instrument_id__in=instrument_ids, status=VersionStatus.PUBLISHED
    ).order_by("instrument_id", "version"):
        newest[version.instrument_id] = version
    return list(newest.values())


@transaction.atomic
def plan_enrolment(*, enrolment: Enrolment) -> list[QuestionnaireResponse]:
    """Open the questionnaires the programme's and the measure's schedules ask of an enrolment.

    Time points after the end are not planned; the closing one is once the enrolment ended.
    Someone on the waiting list has no place yet: they are planned when they get one (the daily
    round plans every enrolment that changed, :func:`plan_changed_enrolments`).
    """
    if enrolment.status == EnrolmentStatus.WAITING:
        return []
    measure = enrolment.measure
    schedules = Schedule.objects.filter(programme_id=measure.programme_id, active=True).filter(
        Q(measure__isnull=True) | Q(measure=measure)
    )
    start = enrolment.started_on or enrolment.referred_on
    opened: list[QuestionnaireResponse] = []
    for schedule in schedules.prefetch_related("time_points", "instruments"):
        versions = _newest_published([i.pk for i in schedule.instruments.all()])
        for point in schedule.time_points.all():
            if point.anchor == Anchor.END:
                if enrolment.ended_on is None:
                    continue
                due = add_months(enrolment.ended_on, point.offset_months)
            else:
                due = add_months(start, point.offset_months)
                if enrolment.ended_on is not None and due > enrolment.ended_on:
                    continue
            for version in versions:
                opened.append(
                    open_response(
                        participant=enrolment.participant,
                        version=version,
                        due_on=due,
                        window_days=point.window_days,
                        time_point=point,
                        enrolment=enrolment,
                    )
                )
    return opened


def mark_missed(*, today: dt.date) -> int:
    """Close the questionnaires whose window has passed unanswered; returns how many."""
    return QuestionnaireResponse.objects.filter(status__in=OPEN, window_closes__lt=today).update(
        status=ResponseStatus.MISSED
    )


def plan_changed_enrolments(*, since: dt.datetime) -> int:
    """Plan every enrolment changed since ``since`` in a programme with an active schedule: one
    who got a place from the waiting list, one that ended (its closing questionnaire), one
    imported. Planning is idempotent, so an enrolment planned before opens nothing new.
    Returns how many questionnaires are open for them."""
    changed = (
        Enrolment.objects.filter(
            updated_at__gte=since,
            measure__programme__schedules__active=True,
            participant__erased_at__isnull=True,
        )
        .exclude(status=EnrolmentStatus.WAITING)
        .select_related("measure", "participant")
        .distinct()
    )
    return sum(len(plan_enrolment(enrolment=enrolment)) for enrolment in changed.iterator(500))
