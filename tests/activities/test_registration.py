from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from samvirke.activities.models import RegistrationStatus
from samvirke.activities.services import (
    RegistrationError,
    cancel_registration,
    record_attendance,
    register_for_activity,
)
from samvirke.audit.actor import Actor
from samvirke.audit.services import Change
from tests.factories import ActivityFactory, RegistrationFactory, UserFactory


def register(activity, person):  # type: ignore[no-untyped-def]
    return register_for_activity(actor=Actor.of_user(person), activity=activity, person=person)


@pytest.mark.django_db
def test_registering_over_capacity_puts_people_on_the_waiting_list_in_order() -> None:
    # given
    activity = ActivityFactory(capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    # when
    statuses = [register(activity, p).status for p in (first, second, third)]
    # then
    assert statuses == ["registered", "waiting", "waiting"]


@pytest.mark.django_db
def test_a_cancellation_gives_the_seat_to_the_first_on_the_waiting_list() -> None:
    # given
    activity = ActivityFactory(capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    registration = register(activity, first)
    register(activity, second)
    register(activity, third)
    # when
    promoted = cancel_registration(actor=Actor.of_user(first), registration=registration)
    # then
    assert [r.user for r in promoted] == [second]
    assert activity.registrations.get(user=third).status == RegistrationStatus.WAITING


@pytest.mark.django_db
def test_raising_the_capacity_moves_people_up_from_the_waiting_list() -> None:
    # given

    from samvirke.activities.services import save_activity

    activity = ActivityFactory(capacity=1)
    people = [UserFactory() for _ in range(3)]
    for person in people:
        register(activity, person)
    activity.capacity = 3
    # when
    save_activity(actor=Actor.of_user(people[0]), change=Change(activity, fields=["capacity"]))
    # then
    assert activity.registrations.filter(status="registered").count() == 3


@pytest.mark.django_db
def test_nobody_can_register_twice() -> None:
    activity = ActivityFactory()
    person = UserFactory()
    register(activity, person)
    with pytest.raises(RegistrationError):
        register(activity, person)


@pytest.mark.django_db
def test_registration_is_refused_when_closed() -> None:
    activity = ActivityFactory(registration_open=False)
    with pytest.raises(RegistrationError):
        register(activity, UserFactory())
    assert activity.registrations.count() == 0


@pytest.mark.django_db
def test_registration_is_refused_after_the_activity() -> None:
    past = timezone.now() - dt.timedelta(days=2)
    activity = ActivityFactory(starts_at=past, ends_at=past + dt.timedelta(hours=2))
    with pytest.raises(RegistrationError):
        register(activity, UserFactory())


@pytest.mark.django_db
def test_someone_who_cancelled_can_register_again() -> None:
    activity = ActivityFactory()
    person = UserFactory()
    registration = register(activity, person)
    cancel_registration(actor=Actor.of_user(person), registration=registration)
    assert register(activity, person).status == "registered"


@pytest.mark.django_db
def test_attendance_is_saved_for_everyone_in_one_go() -> None:
    # given
    activity = ActivityFactory()
    present = RegistrationFactory(activity=activity)
    absent = RegistrationFactory(activity=activity)
    # when
    changed = record_attendance(
        actor=Actor.of_user(present.user),
        activity=activity,
        attended={present.pk: True, absent.pk: False},
    )
    # then
    present.refresh_from_db()
    absent.refresh_from_db()
    assert (changed, present.attended, absent.attended) == (2, True, False)


@pytest.mark.django_db
def test_attendance_ignores_registrations_of_another_activity() -> None:
    activity = ActivityFactory()
    stranger = RegistrationFactory()
    record_attendance(
        actor=Actor.of_user(stranger.user), activity=activity, attended={stranger.pk: True}
    )
    stranger.refresh_from_db()
    assert stranger.attended is None
