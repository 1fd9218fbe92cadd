"""Sessions come from a simple weekly schedule; planning them again adds nothing."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from samvirke.audit.actor import Actor
from samvirke.measures.models import Measure
from samvirke.measures.services import plan_sessions, record_attendance
from tests.conftest import Cast
from tests.measures.people import enrol, followed, measure_in

pytestmark = pytest.mark.django_db


def test_sessions_are_planned_weekly_at_the_local_time_and_only_once(cast: Cast) -> None:
    # given: Tuesdays at 10:00 in Norway, through March 2026
    measure = measure_in(
        cast,
        weekday=1,
        starts_at=dt.time(10, 0),
        duration_minutes=240,
        first_date=dt.date(2026, 3, 1),
        last_date=dt.date(2026, 3, 31),
    )
    # when
    first = plan_sessions(actor=Actor.of_user(cast.coordinator), measure=measure)
    again = plan_sessions(actor=Actor.of_user(cast.coordinator), measure=measure)
    # then
    oslo = zoneinfo.ZoneInfo("Europe/Oslo")
    starts = [s.starts_at.astimezone(oslo) for s in measure.sessions.all()]
    assert (first, again) == ((5, 0), (0, 0))
    assert [s.day for s in starts] == [3, 10, 17, 24, 31]
    assert {(s.hour, s.weekday()) for s in starts} == {(10, 1)}  # also after the clocks change


def test_a_measure_without_a_schedule_gets_no_sessions(cast: Cast) -> None:
    # given
    measure = measure_in(cast)
    # when
    planned = plan_sessions(actor=Actor.of_user(cast.coordinator), measure=measure)
    # then
    assert planned == (0, 0)


def weekly_around_today(cast: Cast, weekday: int) -> Measure:
    today = timezone.localdate()
    return measure_in(
        cast,
        weekday=weekday,
        starts_at=dt.time(10, 0),
        duration_minutes=120,
        first_date=today - dt.timedelta(days=28),
        last_date=today + dt.timedelta(days=28),
    )


def test_a_changed_schedule_removes_the_coming_sessions_it_no_longer_has(cast: Cast) -> None:
    # given: Tuesdays, planned, then moved to Thursdays
    measure = weekly_around_today(cast, weekday=1)
    plan_sessions(actor=Actor.of_user(cast.coordinator), measure=measure)
    now = timezone.now()
    past_tuesdays = measure.sessions.filter(starts_at__lt=now).count()
    coming_tuesdays = measure.sessions.filter(starts_at__gt=now).count()
    measure.weekday = 3
    measure.save()
    # when
    plan = plan_sessions(actor=Actor.of_user(cast.coordinator), measure=measure)
    # then: the coming Tuesdays are gone, the past ones stay, the Thursdays are there
    oslo = zoneinfo.ZoneInfo("Europe/Oslo")
    weekdays = [
        (s.starts_at > now, s.starts_at.astimezone(oslo).weekday()) for s in measure.sessions.all()
    ]
    assert plan.removed == coming_tuesdays > 0
    assert weekdays.count((False, 1)) == past_tuesdays
    assert (True, 1) not in weekdays
    assert weekdays.count((True, 3)) + weekdays.count((False, 3)) == plan.added


def test_a_coming_session_with_attendance_stays_when_the_schedule_changes(cast: Cast) -> None:
    # given
    measure = weekly_around_today(cast, weekday=1)
    plan_sessions(actor=Actor.of_user(cast.coordinator), measure=measure)
    coming = measure.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()
    assert coming is not None
    enrolment = enrol(cast, measure, followed(cast), start_now=True)
    record_attendance(
        actor=Actor.of_user(cast.guide), session=coming, marks={enrolment.pk: (True, "")}
    )
    measure.weekday = 3
    measure.save()
    # when
    plan_sessions(actor=Actor.of_user(cast.coordinator), measure=measure)
    # then
    assert measure.sessions.filter(pk=coming.pk).exists()
