"""Schedules open questionnaires at their time points; reminders go out once, with consent."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from samvirke.audit.actor import Actor
from samvirke.evaluation.instrument_services import load_instruments
from samvirke.evaluation.models import Anchor, Instrument, QuestionnaireResponse, Schedule
from samvirke.evaluation.schedule_services import add_months, mark_missed, plan_enrolment
from samvirke.evaluation.tasks import (
    book_next_round,
    next_round_at,
    questionnaire_round,
    send_questionnaire_reminders,
)
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
        actor=Actor.of_user(cast.participant),
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
        actor=Actor.of_user(cast.participant),
        participant=contactable,
        purpose="questionnaire_contact",
        method="self",
    )
    who5_response(contactable)
    send_questionnaire_reminders.call()
    send_questionnaire_reminders.call()
    assert len(mail.outbox) == 1


def test_enrolling_a_participant_opens_their_baseline_and_follow_ups(
    cast: Cast, schedule: Schedule
) -> None:
    # given a programme with a schedule and a measure
    from samvirke.measures.services import enrol_participant

    measure = MeasureFactory(programme=cast.programme)
    participant = ParticipantFactory(programme=cast.programme)
    # when a guide enrols someone
    enrolment_ = enrol_participant(
        actor=Actor.of_user(cast.coordinator),
        measure=measure,
        participant=participant,
        referral_source="nav",
        referred_on=dt.date(2026, 3, 2),
        start_now=True,
    )
    # then their questionnaires are planned at once: two instruments at four time points
    planned = QuestionnaireResponse.objects.filter(enrolment=enrolment_)
    assert planned.count() == 8
    assert min(r.due_on for r in planned) == dt.date(2026, 3, 2)


def test_someone_on_the_waiting_list_is_planned_when_they_get_a_place(
    cast: Cast, schedule: Schedule
) -> None:
    # given an enrolment waiting for a place
    waiting = enrolment(cast, referred_on=dt.date(2026, 1, 3), status="waiting")
    assert plan_enrolment(enrolment=waiting) == []
    # when they get a place and the daily round runs
    waiting.status = "referred"
    waiting.save(update_fields=["status", "updated_at"])
    result = questionnaire_round.call()
    # then their questionnaires are open
    assert result["planned"] == 8
    assert QuestionnaireResponse.objects.filter(enrolment=waiting).count() == 8


def test_the_daily_round_plans_the_closing_questionnaire_of_an_ended_enrolment(
    cast: Cast, schedule: Schedule
) -> None:
    # given an enrolment planned while it ran
    chosen = enrolment(cast, referred_on=dt.date(2026, 1, 3), started_on=dt.date(2026, 1, 10))
    plan_enrolment(enrolment=chosen)
    # when it ends and the round runs
    chosen.status, chosen.ended_on = "completed", dt.date(2026, 2, 20)
    chosen.save(update_fields=["status", "ended_on", "updated_at"])
    questionnaire_round.call()
    # then the closing questionnaires are due on the day it ended
    closing = QuestionnaireResponse.objects.filter(enrolment=chosen, time_point__key="closing")
    assert {r.due_on for r in closing} == {dt.date(2026, 2, 20)}


def test_the_daily_round_sends_due_reminders(cast: Cast) -> None:
    # given someone who said yes to questionnaire contact, with a questionnaire due today
    contactable = ParticipantFactory(programme=cast.programme, account=cast.participant)
    give_consent(
        actor=Actor.of_user(cast.participant),
        participant=contactable,
        purpose="questionnaire_contact",
        method="self",
    )
    who5_response(contactable)
    # when the round runs twice
    questionnaire_round.call()
    questionnaire_round.call()
    # then one reminder went out
    assert len(mail.outbox) == 1


def test_the_next_round_is_booked_for_the_next_morning() -> None:
    now = dt.datetime(2026, 3, 2, 22, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Oslo"))
    booked = timezone.localtime(next_round_at(now))
    assert (booked.date(), booked.hour) == (dt.date(2026, 3, 3), 7)


def test_the_immediate_backend_books_no_next_round() -> None:
    # Tests and the demo run tasks at once: a round booking itself would never end.
    assert book_next_round(timezone.now()) is False


def test_with_the_database_backend_one_next_round_is_booked(settings: Any) -> None:
    # given the production backend
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # when two rounds book the next
    now = timezone.now()
    first, second = book_next_round(now), book_next_round(now)
    # then one is waiting
    assert (first, second) == (True, False)
    assert DBTaskResult.objects.filter(task_path=questionnaire_round.module_path).count() == 1


def test_the_command_runs_one_round_and_says_what_it_did(cast: Cast) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("questionnaire_round", stdout=out)
    assert out.getvalue().strip() == "planned 0, missed 0, reminded 0"
