"""Attendance for a whole session on one screen, saved in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from samvirke.audit.actor import Actor
from samvirke.measures.models import Attendance, Enrolment, Measure
from samvirke.measures.selectors import attendance_rate, attendance_sheet, measure_attendance_rate
from samvirke.measures.services import EnrolmentError, record_attendance
from tests.conftest import Cast, sign_in
from tests.factories import EnrolmentFactory, MeasureSessionFactory
from tests.measures.people import measure_in, url

pytestmark = pytest.mark.django_db


def group(cast: Cast, measure: Measure, size: int) -> list[Enrolment]:
    return [EnrolmentFactory(measure=measure) for _ in range(size)]


def marks_for(enrolments: list[Enrolment]) -> dict[str, str]:
    """Everyone present except every third, who is ill."""
    data = {}
    for index, enrolment in enumerate(enrolments):
        away = index % 3 == 2
        data[f"present-{enrolment.pk}"] = "no" if away else "yes"
        data[f"reason-{enrolment.pk}"] = "ill" if away else ""
    return data


def post_counting_queries(client: Client, address: str, data: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(address, data)
    assert response.status_code == 302
    return len(queries)


def test_attendance_for_thirty_people_is_saved_in_one_request_with_a_fixed_query_count(
    cast: Cast,
) -> None:
    # given
    client = sign_in(Client(), cast.guide)
    small, large = measure_in(cast), measure_in(cast)
    small_group, large_group = group(cast, small, 5), group(cast, large, 30)
    small_session = MeasureSessionFactory(measure=small)
    large_session = MeasureSessionFactory(measure=large)
    # when
    small_queries = post_counting_queries(
        client, url("attendance", cast, small_session.pk), marks_for(small_group)
    )
    large_queries = post_counting_queries(
        client, url("attendance", cast, large_session.pk), marks_for(large_group)
    )
    # then
    assert Attendance.objects.filter(session=large_session).count() == 30
    assert Attendance.objects.filter(session=large_session, present=False).count() == 10
    assert large_queries == small_queries


def test_changing_attendance_for_thirty_people_also_keeps_the_query_count(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.guide)
    small, large = measure_in(cast), measure_in(cast)
    groups = {small: group(cast, small, 5), large: group(cast, large, 30)}
    sessions = {m: MeasureSessionFactory(measure=m) for m in (small, large)}
    for measure, people in groups.items():
        client.post(url("attendance", cast, sessions[measure].pk), marks_for(people))
    # when: everyone is now present, and the first is cleared
    counts = []
    for measure, people in groups.items():
        data = {f"present-{e.pk}": "yes" for e in people}
        data[f"present-{people[0].pk}"] = ""
        counts.append(
            post_counting_queries(client, url("attendance", cast, sessions[measure].pk), data)
        )
    # then
    assert counts[0] == counts[1]
    assert Attendance.objects.filter(session=sessions[large], present=True).count() == 29


def test_attendance_rates_per_participant_and_per_measure(cast: Cast) -> None:
    # given
    measure = measure_in(cast)
    nora, oskar = group(cast, measure, 2)
    for number in range(4):
        session = MeasureSessionFactory(measure=measure)
        record_attendance(
            actor=Actor.of_user(cast.guide),
            session=session,
            marks={nora.pk: (True, ""), oskar.pk: (number == 0, "" if number == 0 else "work")},
        )
    # when
    per_nora = attendance_rate(nora.attendances.all())
    per_oskar = attendance_rate(oskar.attendances.all())
    per_measure = measure_attendance_rate(measure)
    # then
    assert (per_nora.percent, per_oskar.percent, per_measure.percent) == (100, 25, 62)
    assert oskar.attendances.filter(absent_reason="work").count() == 3


def test_an_answer_not_understood_saves_nothing(cast: Cast) -> None:
    # given
    measure = measure_in(cast)
    people = group(cast, measure, 3)
    session = MeasureSessionFactory(measure=measure)
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.guide)
    data = marks_for(people)
    data[f"reason-{people[2].pk}"] = "on holiday"
    # when
    response = client.post(url("attendance", cast, session.pk), data)
    # then
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_guide_of_another_subproject_cannot_take_attendance(cast: Cast) -> None:
    # given
    measure = measure_in(cast, subproject=cast.other_subproject)
    people = group(cast, measure, 2)
    session = MeasureSessionFactory(measure=measure)
    client = sign_in(Client(), cast.guide)
    # when
    response = client.post(url("attendance", cast, session.pk), marks_for(people))
    # then
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_the_sheet_lists_only_those_enrolled_on_the_sessions_date(cast: Cast) -> None:
    # given: a session in 2014, one person enrolled then, one referred in 2026, one who left
    measure = measure_in(cast)
    session = MeasureSessionFactory(
        measure=measure,
        starts_at=dt.datetime(2014, 3, 4, 10, tzinfo=dt.UTC),
        ends_at=dt.datetime(2014, 3, 4, 12, tzinfo=dt.UTC),
    )
    then = EnrolmentFactory(measure=measure, referred_on=dt.date(2014, 1, 6), started_on=None)
    EnrolmentFactory(measure=measure, referred_on=dt.date(2026, 1, 5), started_on=None)
    EnrolmentFactory(
        measure=measure,
        status="completed",
        referred_on=dt.date(2013, 1, 7),
        ended_on=dt.date(2013, 12, 20),
    )
    # when
    rows = attendance_sheet(session)
    # then
    assert [row.enrolment for row in rows] == [then]


def test_someone_referred_after_the_session_cannot_be_marked_present(cast: Cast) -> None:
    # given
    measure = measure_in(cast)
    session = MeasureSessionFactory(
        measure=measure,
        starts_at=dt.datetime(2014, 3, 4, 10, tzinfo=dt.UTC),
        ends_at=dt.datetime(2014, 3, 4, 12, tzinfo=dt.UTC),
    )
    later = EnrolmentFactory(measure=measure, referred_on=dt.date(2026, 1, 5), started_on=None)
    # when
    with translation.override("en"), pytest.raises(EnrolmentError) as refused:
        record_attendance(
            actor=Actor.of_user(cast.guide), session=session, marks={later.pk: (True, "")}
        )
    # then
    assert str(refused.value) == (
        f"{later.participant.pseudonym} was not enrolled in the measure on 03/04/2014."
    )
    assert not Attendance.objects.exists()
