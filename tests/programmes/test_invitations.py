from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from samvirke.accounts.models import User
from samvirke.audit.models import AuditEntry
from tests.conftest import Cast, sign_in

NEW_PASSWORD = "fjellbekk ved Storsjön 2031"


def grant_role(cast: Cast, email: str, full_name: str = "") -> None:
    client = sign_in(Client(), cast.coordinator)
    response = client.post(
        reverse("programmes:member_add", args=[cast.programme.slug]),
        {"email": email, "full_name": full_name, "role": "researcher"},
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_person_new_to_samvirke_is_invited_to_choose_a_password(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # when
    with django_capture_on_commit_callbacks(execute=True):
        grant_role(cast, "ny.forsker@example.test", "Ny Forsker")
    # then
    assert [m.to for m in mail.outbox] == [["ny.forsker@example.test"]]
    assert "/accounts/password/set/" in str(mail.outbox[0].body)


@pytest.mark.django_db
def test_the_invitation_is_logged_in_the_programme(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # when
    with django_capture_on_commit_callbacks(execute=True):
        grant_role(cast, "ny.forsker@example.test", "Ny Forsker")
    # then
    entry = AuditEntry.objects.get(detail={"invitation": "sent"})
    assert entry.actor == cast.coordinator
    assert entry.programme == cast.programme
    assert entry.object_label == f"user {entry.object_id}"


@pytest.mark.django_db
def test_the_invitation_link_lets_the_new_person_sign_in(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # given
    with django_capture_on_commit_callbacks(execute=True):
        grant_role(cast, "ny.forsker@example.test", "Ny Forsker")
    link = re.search(r"(/accounts/password/set/\S+/)", str(mail.outbox[0].body))
    assert link
    client = Client()
    form_url = client.get(link.group(1))["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    # when
    client.post(
        reverse("accounts:login"),
        {"username": "ny.forsker@example.test", "password": NEW_PASSWORD},
    )
    # then
    assert client.session["_auth_user_id"] == str(User.objects.get(full_name="Ny Forsker").pk)


@pytest.mark.django_db
def test_someone_who_already_has_a_password_is_not_invited(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # when
    with django_capture_on_commit_callbacks(execute=True):
        grant_role(cast, cast.participant.email, "Testa Deltaker")
    # then
    assert mail.outbox == []
