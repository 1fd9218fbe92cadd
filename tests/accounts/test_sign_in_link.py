"""Participants may sign in with a one-time link sent by e-mail."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from samvirke.accounts.services import sign_in_link_url
from tests.conftest import Cast


def link_in_mail() -> str:
    (message,) = mail.outbox
    match = re.search(r"https?://\S+/accounts/login/link/\S+/", message.body)
    assert match, message.body
    return match.group(0).split("testserver", 1)[-1]


@pytest.mark.django_db
def test_a_participant_signs_in_with_the_link_from_the_email(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:sign_in_link_request"), {"email": cast.participant.email})
    path = link_in_mail()
    # when
    client.get(path)
    response = client.post(path)
    # then
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.django_db
def test_opening_the_link_alone_does_not_sign_in(cast: Cast) -> None:
    client = Client()
    path = sign_in_link_url(user=cast.participant, base_url="")
    response = client.get(path)
    assert response.status_code == 200
    assert client.get(reverse("accounts:profile")).status_code == 302


@pytest.mark.django_db
def test_the_link_works_only_once(cast: Cast) -> None:
    # given
    path = sign_in_link_url(user=cast.participant, base_url="")
    Client().post(path)
    # when
    response = Client().post(path)
    # then
    assert response.status_code == 404


@pytest.mark.django_db
def test_an_old_link_no_longer_works(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    # given a link made half an hour ago
    half_an_hour_ago = time.time() - 30 * 60
    with monkeypatch.context() as patched:
        patched.setattr(time, "time", lambda: half_an_hour_ago)
        path = sign_in_link_url(user=cast.participant, base_url="")
    # when / then
    assert Client().post(path).status_code == 404


@pytest.mark.django_db
def test_staff_get_no_link(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            reverse("accounts:sign_in_link_request"), {"email": cast.guide.email}
        )
    # then the answer is the same as for anyone, and no e-mail is sent
    assert response["Location"] == reverse("accounts:sign_in_link_sent")
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_staff_link_made_some_other_way_is_refused(cast: Cast) -> None:
    path = sign_in_link_url(user=cast.coordinator, base_url="")
    assert Client().post(path).status_code == 404


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_email(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            reverse("accounts:sign_in_link_request"), {"email": "nobody@example.test"}
        )
    assert response["Location"] == reverse("accounts:sign_in_link_sent")
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_bad_address_gets_a_translated_error() -> None:
    client = Client()
    client.cookies["django_language"] = "sv"
    response = client.post(reverse("accounts:sign_in_link_request"), {"email": "inte-en-adress"})
    assert response.status_code == 400
    assert "Fyll i en giltig e-postadress." in response.content.decode()


@pytest.mark.django_db
def test_sign_in_and_password_links_share_the_hourly_limit(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given three password links this hour
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            Client().post(reverse("accounts:password_reset"), {"email": cast.participant.email})
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            reverse("accounts:sign_in_link_request"), {"email": cast.participant.email}
        )
    # then the answer is the same, and no fourth e-mail is sent
    assert response["Location"] == reverse("accounts:sign_in_link_sent")
    assert len(mail.outbox) == 3
