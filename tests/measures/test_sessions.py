"""Sessions come from a simple weekly schedule; planning them again adds nothing."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from samvirke.measures.services import plan_sessions
from tests.conftest import Cast
from tests.measures.people import measure_in

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
    first = plan_sessions(actor=cast.coordinator, request=None, measure=measure)
    again = plan_sessions(actor=cast.coordinator, request=None, measure=measure)
    # then
    oslo = zoneinfo.ZoneInfo("Europe/Oslo")
    starts = [s.starts_at.astimezone(oslo) for s in measure.sessions.all()]
    assert (first, again) == (5, 0)
    assert [s.day for s in starts] == [3, 10, 17, 24, 31]
    assert {(s.hour, s.weekday()) for s in starts} == {(10, 1)}  # also after the clocks change


def test_a_measure_without_a_schedule_gets_no_sessions(cast: Cast) -> None:
    # given
    measure = measure_in(cast)
    # when
    planned = plan_sessions(actor=cast.coordinator, request=None, measure=measure)
    # then
    assert planned == 0
