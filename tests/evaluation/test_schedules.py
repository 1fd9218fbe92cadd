"""Schedules open questionnaires at their time points; reminders go out once, with consent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from samvirke.evaluation.instrument_services import load_instruments
from samvirke.evaluation.models import Anchor, Instrument, QuestionnaireResponse, Schedule
from samvirke.evaluation.schedule_services import add_months, mark_missed, plan_enrolment
from samvirke.evaluation.tasks import send_questionnaire_reminders
from samvirke.participants.services import give_consent
from tests.conftest import Cast
from tests.factories import EnrolmentFactory, MeasureFactory, ParticipantFactory, who5_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(cast: Cast) -> Schedule:
    load_instruments(texts_folder=None)
    schedule = Schedule.objects.create(programme=cast.programme, name="Standard")
    schedule.instruments.set(Instrument.objects.filter(key__in=["who5", "gad7"]))
    for position, (key, anchor, months) in enumerate(
        [
            ("baseline", Anchor.ENROLMENT, 0),
            ("m3", Anchor.ENROLMENT, 3),
            ("m6", Anchor.ENROLMENT, 6),
            ("m12", Anchor.ENROLMENT, 12),
            ("closing", Anchor.END, 0),
        ]
    ):
        schedule.time_points.create(
            key=key, position=position, anchor=anchor, offset_months=months, window_days=14
        )
    return schedule


def enrolment(cast: Cast, **dates: object):  # type: ignore[no-untyped-def]
    measure = MeasureFactory(programme=cast.programme)
    participant = ParticipantFactory(programme=cast.programme)
    return EnrolmentFactory(measure=measure, participant=participant, **dates)


def test_a_month_later_than_the_31st_is_the_months_last_day() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)


def test_an_open_enrolment_gets_baseline_and_follow_ups_for_each_instrument(
    cast: Cast, schedule: Schedule
) -> None:
    opened = plan_enrolment(
        enrolment=enrolment(cast, referred_on=dt.date(2026, 1, 3), started_on=dt.date(2026, 1, 10))
    )
    due = sorted({r.due_on for r in opened})
    assert len(opened) == 8
    assert due == [
        dt.date(2026, 1, 10),
        dt.date(2026, 4, 10),
        dt.date(2026, 7, 10),
        dt.date(2027, 1, 10),
    ]


def test_planning_twice_opens_nothing_new(cast: Cast, schedule: Schedule) -> None:
    chosen = enrolment(cast, referred_on=dt.date(2026, 1, 3), started_on=dt.date(2026, 1, 10))
    plan_enrolment(enrolment=chosen)
    plan_enrolment(enrolment=chosen)
    assert QuestionnaireResponse.objects.count() == 8


def test_an_ended_enrolment_gets_its_closing_questionnaire_and_no_later_follow_ups(
    cast: Cast, schedule: Schedule
) -> None:
    chosen = enrolment(
        cast,
        referred_on=dt.date(2026, 1, 3),
        started_on=dt.date(2026, 1, 10),
        ended_on=dt.date(2026, 5, 1),
        status="dropped_out",
    )
    keys = sorted({r.time_point.key for r in plan_enrolment(enrolment=chosen) if r.time_point})
    assert keys == ["baseline", "closing", "m3"]


def test_a_questionnaire_whose_window_has_passed_is_missed(cast: Cast, schedule: Schedule) -> None:
    plan_enrolment(
        enrolment=enrolment(cast, referred_on=dt.date(2026, 1, 3), started_on=dt.date(2026, 1, 10))
    )
    assert mark_missed(today=dt.date(2026, 2, 1)) == 2  # the two baselines


def test_a_reminder_goes_only_to_those_who_said_yes_to_questionnaire_contact(cast: Cast) -> None:
    contactable = ParticipantFactory(programme=cast.programme, account=cast.participant)
    give_consent(
        actor=cast.participant,
        request=None,
        participant=contactable,
        purpose="questionnaire_contact",
        method="self",
    )
    who5_response(contactable)
    who5_response(ParticipantFactory(programme=cast.programme, account=cast.user_rep))
    assert send_questionnaire_reminders.call() == 1
    assert [m.to for m in mail.outbox] == [[cast.participant.email]]


def test_a_reminder_is_never_sent_twice(cast: Cast) -> None:
    contactable = ParticipantFactory(programme=cast.programme, account=cast.participant)
    give_consent(
        actor=cast.participant,
        request=None,
        participant=contactable,
        purpose="questionnaire_contact",
        method="self",
    )
    who5_response(contactable)
    send_questionnaire_reminders.call()
    send_questionnaire_reminders.call()
    assert len(mail.outbox) == 1
