"""Beside an activity, participants appear by pseudonym; they cannot own follow-up actions."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samvirke.accounts.models import Role, User
from samvirke.activities.models import Action
from samvirke.participants.models import Participant
from samvirke.participants.selectors import access_log_of
from samvirke.participants.services import Identity
from tests.conftest import Cast, sign_in
from tests.factories import (
    ActivityFactory,
    MembershipFactory,
    ParticipantFactory,
    RegistrationFactory,
    UserFactory,
    open_self_service,
)

pytestmark = pytest.mark.django_db

NAME = "Ragnfrid Øksendal-Nyquist"


def with_account(cast: Cast, captured: Any) -> tuple[Participant, User]:
    record = ParticipantFactory(
        programme=cast.programme,
        subprojects=[cast.subproject],
        identity=Identity(full_name=NAME, email="ragnfrid@example.test"),
    )
    record.guides.set([cast.guide])
    with captured(execute=True):
        account = open_self_service(record, asked_by=cast.guide, approved_by=cast.coordinator)
    return record, account


# Pages that list people only through the explicit reveal (a POST).
REVEALED = {"activities:detail", "activities:attendance"}


def page(cast: Cast, name: str, *args: object, role: str = "coordinator") -> str:
    client = sign_in(Client(), cast.user(role))
    address = reverse(name, args=[cast.programme.slug, *args])
    if name in REVEALED:
        response = client.post(address, {"reveal": "people"})
    else:
        response = client.get(address)
    assert response.status_code == 200
    return response.content.decode()


def test_the_registration_list_shows_a_participant_by_pseudonym(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    record, account = with_account(cast, django_capture_on_commit_callbacks)
    activity = ActivityFactory(programme=cast.programme)
    RegistrationFactory(activity=activity, user=account)
    # when
    html = page(cast, "activities:detail", activity.public_id)
    # then
    assert record.pseudonym in html
    assert NAME not in html


def test_the_attendance_list_shows_a_participant_by_pseudonym(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    record, account = with_account(cast, django_capture_on_commit_callbacks)
    activity = ActivityFactory(programme=cast.programme)
    RegistrationFactory(activity=activity, user=account)
    # when
    html = page(cast, "activities:attendance", activity.public_id)
    # then
    assert record.pseudonym in html
    assert NAME not in html


def test_an_account_with_the_participant_role_but_no_record_is_shown_without_its_name(
    cast: Cast,
) -> None:
    # given
    role_only = UserFactory(full_name="Wendelin Rolekonto")
    MembershipFactory(user=role_only, programme=cast.programme, role=Role.PARTICIPANT)
    activity = ActivityFactory(programme=cast.programme)
    RegistrationFactory(activity=activity, user=role_only)
    # when
    html = page(cast, "activities:detail", activity.public_id)
    # then
    assert "Wendelin Rolekonto" not in html
    assert f"deltakerkonto {role_only.pk}" in html  # the coordinator reads Norwegian


def test_the_register_a_person_select_lists_participants_by_pseudonym(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    record, _account = with_account(cast, django_capture_on_commit_callbacks)
    activity = ActivityFactory(programme=cast.programme)
    # when
    html = page(cast, "activities:detail", activity.public_id)
    # then
    assert f">{record.pseudonym}</option>" in html
    assert NAME not in html


def test_the_action_owner_select_lists_no_participant(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    record, _account = with_account(cast, django_capture_on_commit_callbacks)
    activity = ActivityFactory(programme=cast.programme)
    # when
    html = page(cast, "activities:action_new", activity.public_id)
    # then
    assert record.pseudonym not in html
    assert str(cast.participant) not in html
    assert str(cast.guide) in html


def test_a_participant_cannot_be_made_the_owner_of_an_action(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    _record, account = with_account(cast, django_capture_on_commit_callbacks)
    activity = ActivityFactory(programme=cast.programme)
    client = sign_in(Client(), cast.coordinator)
    # when
    response = client.post(
        reverse("activities:action_new", args=[cast.programme.slug, activity.public_id]),
        {"title": "Ring NAV", "owner": account.pk, "due_on": "2030-01-10", "status": "open"},
    )
    # then
    assert response.status_code == 400
    assert not Action.objects.exists()


def test_a_name_on_the_attendance_list_is_shown_after_a_post_and_logged_for_the_participant(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    record, account = with_account(cast, django_capture_on_commit_callbacks)
    activity = ActivityFactory(programme=cast.programme)
    RegistrationFactory(activity=activity, user=account)
    url = reverse("activities:attendance", args=[cast.programme.slug, activity.public_id])
    # when
    response = sign_in(Client(), cast.coordinator).post(url, {"reveal": "names"})
    # then
    assert NAME in response.content.decode()
    read = access_log_of(record).get(detail__read="name")
    assert read.actor == cast.coordinator
    assert read.detail["purpose"] == "taking attendance"


def test_asking_for_names_saves_no_attendance(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    _record, account = with_account(cast, django_capture_on_commit_callbacks)
    activity = ActivityFactory(programme=cast.programme)
    registration = RegistrationFactory(activity=activity, user=account, attended=True)
    url = reverse("activities:attendance", args=[cast.programme.slug, activity.public_id])
    # when
    sign_in(Client(), cast.coordinator).post(url, {"reveal": "names"})
    # then
    registration.refresh_from_db()
    assert registration.attended is True
