from __future__ import annotations

import pytest
from django.core import mail

from samvirke.activities.services import (
    RegistrationError,
    cancel_registration,
    register_for_activity,
)
from samvirke.audit.actor import Actor
from tests.factories import ActivityFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_a_registered_person_gets_a_confirmation_in_their_language() -> None:
    # given
    activity = ActivityFactory(title="Brukarträff")
    person = UserFactory(language="en")
    # when
    register_for_activity(actor=Actor.of_user(person), activity=activity, person=person)
    # then
    assert [m.subject for m in mail.outbox] == ["You have a place: Brukarträff"]
    assert mail.outbox[0].to == [person.email]


@pytest.mark.django_db(transaction=True)
def test_the_first_on_the_waiting_list_is_told_when_a_place_frees_up() -> None:
    # given
    activity = ActivityFactory(capacity=1, title="Skrivseminarium")
    first, second = UserFactory(language="en"), UserFactory(language="en")
    registration = register_for_activity(
        actor=Actor.of_user(first), activity=activity, person=first
    )
    register_for_activity(actor=Actor.of_user(second), activity=activity, person=second)
    mail.outbox.clear()
    # when
    cancel_registration(actor=Actor.of_user(first), registration=registration)
    # then
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([second.email], "You have a place: Skrivseminarium")
    ]


@pytest.mark.django_db(transaction=True)
def test_no_mail_is_sent_when_the_registration_is_refused() -> None:
    activity = ActivityFactory(registration_open=False)
    person = UserFactory()
    with pytest.raises(RegistrationError):
        register_for_activity(actor=Actor.of_user(person), activity=activity, person=person)
    assert mail.outbox == []
