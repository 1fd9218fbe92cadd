"""A participant's sign-in account keeps no name, address or phone in clear: only the pseudonym
and a keyed hash of the address; the identity itself stays in the encrypted store."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from samvirke.accounts.models import User
from samvirke.audit.actor import Actor
from samvirke.participants.models import Participant
from samvirke.participants.services import Identity, own_identity, update_own_details
from tests.conftest import Cast, sign_in
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE = "Kari Testperson", "kari.testperson@example.test", "+47 915 55 123"


def with_access(cast: Cast, captured: Any) -> Participant:
    record = ParticipantFactory(
        programme=cast.programme,
        subprojects=[cast.subproject],
        identity=Identity(full_name=NAME, email=EMAIL, phone=PHONE),
    )
    record.guides.set([cast.guide])
    args = [cast.programme.slug, record.public_id]
    with captured(execute=True):
        sign_in(Client(), cast.guide).post(reverse("participants:sign_in_access", args=args))
        sign_in(Client(), cast.coordinator).post(reverse("participants:sign_in_approve", args=args))
    record.refresh_from_db()
    mail.outbox.clear()
    return record


def test_the_account_holds_the_pseudonym_and_no_name_address_or_phone(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # when
    record = with_access(cast, django_capture_on_commit_callbacks)
    # then
    account = User.objects.get(pk=record.account_id)
    held = f"{account.email} {account.full_name} {account.phone}"
    assert NAME not in held and "kari" not in held.lower() and PHONE not in held
    assert account.full_name == record.pseudonym


def test_the_participant_still_gets_a_sign_in_link_at_their_own_address(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    with_access(cast, django_capture_on_commit_callbacks)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("accounts:sign_in_link_request"), {"email": EMAIL.upper()})
    # then
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    assert "/accounts/login/link/" in message.body


def test_the_link_signs_the_participant_in(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    record = with_access(cast, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("accounts:sign_in_link_request"), {"email": EMAIL})
    link = next(w for w in mail.outbox[0].body.split() if "/accounts/login/link/" in w)
    client = Client()
    # when
    client.post(urlsplit(link).path)
    # then
    assert client.session.get("_auth_user_id") == str(record.account_id)


def test_a_new_address_of_their_own_moves_the_sign_in_with_it(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    record = with_access(cast, django_capture_on_commit_callbacks)
    account = User.objects.get(pk=record.account_id)
    update_own_details(
        actor=Actor.of_user(account),
        participant=record,
        full_name=NAME,
        email="kari.ny@example.test",
        phone=PHONE,
        languages="",
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("accounts:sign_in_link_request"), {"email": "kari.ny@example.test"})
    # then
    assert [m.to for m in mail.outbox] == [["kari.ny@example.test"]]
    account.refresh_from_db()
    assert "kari" not in account.email


def test_the_settings_page_does_not_put_the_name_back_on_the_account(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    record = with_access(cast, django_capture_on_commit_callbacks)
    account = User.objects.get(pk=record.account_id)
    client = sign_in(Client(), account, second_factor=False)
    # when
    client.post(
        reverse("accounts:profile"),
        {"full_name": NAME, "phone": PHONE, "language": "sv", "time_zone": "Europe/Stockholm"},
    )
    # then
    account.refresh_from_db()
    assert (account.full_name, account.phone, account.language) == (record.pseudonym, "", "sv")
    assert own_identity(record).full_name == NAME


def test_a_participant_with_a_password_signs_in_with_their_own_address(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    record = with_access(cast, django_capture_on_commit_callbacks)
    account = User.objects.get(pk=record.account_id)
    account.set_password("a long demo password")
    account.save(update_fields=["password"])
    client = Client()
    # when
    client.post(reverse("accounts:login"), {"username": EMAIL, "password": "a long demo password"})
    # then
    assert client.session.get("_auth_user_id") == str(account.pk)


def test_the_staff_member_is_told_the_address_the_link_went_to(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    record = ParticipantFactory(
        programme=cast.programme,
        subprojects=[cast.subproject],
        identity=Identity(full_name=NAME, email=EMAIL),
    )
    record.guides.set([cast.guide])
    args = [cast.programme.slug, record.public_id]
    sign_in(Client(), cast.guide).post(reverse("participants:sign_in_access", args=args))
    client = sign_in(Client(), cast.coordinator)
    # when a colleague approves the address
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("participants:sign_in_approve", args=args), follow=True)
    # then
    assert EMAIL in response.content.decode()


def test_a_registration_notice_goes_to_the_participants_own_address(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    from samvirke.activities.services import register_for_activity
    from tests.factories import ActivityFactory

    record = with_access(cast, django_capture_on_commit_callbacks)
    account = User.objects.get(pk=record.account_id)
    activity = ActivityFactory(programme=cast.programme, open_to_participants=True)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        register_for_activity(actor=Actor.of_user(account), activity=activity, person=account)
    # then
    assert [m.to for m in mail.outbox] == [[EMAIL]]


def test_a_role_given_by_a_participants_address_goes_to_their_account_not_a_new_one(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    record = with_access(cast, django_capture_on_commit_callbacks)
    accounts_before = User.objects.count()
    # when
    response = sign_in(Client(), cast.coordinator).post(
        reverse("programmes:member_add", args=[cast.programme.slug]),
        {"email": EMAIL, "full_name": "Nora Nilsen", "role": "user_representative"},
    )
    # then
    assert response.status_code == 302
    assert User.objects.count() == accounts_before
    assert record.account is not None
    assert record.account.memberships.filter(role="user_representative").exists()
