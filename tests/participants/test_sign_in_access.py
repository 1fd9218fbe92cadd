"""Staff open self-service for a participant: an account, the role, and a sign-in link."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from samvirke.accounts.models import Role, User
from samvirke.accounts.services import hidden_address
from samvirke.participants.models import Participant
from samvirke.participants.selectors import access_log_of
from samvirke.participants.services import Identity
from tests.conftest import Cast, sign_in
from tests.factories import ParticipantFactory


def followed(cast: Cast, email: str = "kari@example.test") -> Participant:
    record = ParticipantFactory(
        programme=cast.programme,
        subprojects=[cast.subproject],
        identity=Identity(full_name="Kari Testperson", email=email),
    )
    record.guides.set([cast.guide])
    return record


def give_access(cast: Cast, record: Participant) -> Any:
    client = sign_in(Client(), cast.guide)
    return client.post(
        reverse("participants:sign_in_access", args=[cast.programme.slug, record.public_id])
    )


@pytest.mark.django_db
def test_a_guide_gives_a_participant_access_and_a_sign_in_link_is_sent(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    record = followed(cast)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = give_access(cast, record)
    # then
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.account is not None and record.account.email == hidden_address(
        "kari@example.test"
    )
    assert record.account.memberships.get().role == Role.PARTICIPANT
    (message,) = mail.outbox
    assert message.to == ["kari@example.test"]
    assert "/accounts/login/link/" in message.body


@pytest.mark.django_db
def test_access_needs_an_email_address(cast: Cast) -> None:
    record = followed(cast, email="")
    give_access(cast, record)
    record.refresh_from_db()
    assert record.account is None


@pytest.mark.django_db
def test_a_staff_members_address_is_not_taken_over(cast: Cast) -> None:
    # given a participant registered with the coordinator's e-mail address
    record = followed(cast, email=cast.coordinator.email)
    # when
    give_access(cast, record)
    # then
    record.refresh_from_db()
    assert record.account is None


@pytest.mark.django_db
def test_reading_the_address_for_the_invitation_is_logged(cast: Cast) -> None:
    record = followed(cast)
    give_access(cast, record)
    assert access_log_of(record).filter(action="view", actor=cast.guide).exists()


@pytest.mark.django_db
def test_a_guide_who_does_not_follow_the_person_cannot_give_access(cast: Cast) -> None:
    stranger = ParticipantFactory(programme=cast.programme, subprojects=[cast.other_subproject])
    client = sign_in(Client(), cast.guide)
    response = client.post(
        reverse("participants:sign_in_access", args=[cast.programme.slug, stranger.public_id])
    )
    assert response.status_code == 404
    assert not User.objects.filter(email="kari@example.test").exists()
