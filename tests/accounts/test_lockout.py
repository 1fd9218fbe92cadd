"""Sign-in throttling: per account with a growing delay, per client address, and the e-mailed
way back in; the client address believed only from a trusted proxy."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from axes.handlers import proxy as axes_proxy
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from samvirke.audit.models import AuditEntry
from tests.conftest import Cast
from tests.factories import PASSWORD

LOGIN = "/accounts/login/"
NEW_PASSWORD = "fjellbekk ved Storsjön 2031"


def attempt(email: str, password: str, *, client: Client | None = None, **meta: str) -> int:
    response = (client or Client()).post(LOGIN, {"username": email, "password": password}, **meta)
    return int(response.status_code)


START = timezone.now()


def later(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Move the clock of Samvirke and of axes (which records when each failure happened)."""
    moment = START + dt.timedelta(seconds=seconds)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    monkeypatch.setattr(axes_proxy, "now", lambda: moment)


@pytest.mark.django_db
def test_guessing_from_many_addresses_is_still_held_back_for_the_account(cast: Cast) -> None:
    # given: five wrong passwords, each from another address
    for n in range(5):
        attempt(cast.participant.email, "wrong", REMOTE_ADDR=f"192.0.2.{n + 1}")
    # when: the right one comes from yet another address
    status = attempt(cast.participant.email, PASSWORD, REMOTE_ADDR="198.51.100.1")
    # then
    assert status == 429


@pytest.mark.django_db
def test_the_wait_for_an_account_grows_with_each_further_failure(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: five failures, a wait of one minute, then one more failure after it
    later(monkeypatch, 0)
    for _ in range(5):
        attempt(cast.participant.email, "wrong")
    later(monkeypatch, 61)
    assert attempt(cast.participant.email, "wrong") == 200
    # when: ninety seconds later (the wait is two minutes now)
    later(monkeypatch, 61 + 90)
    too_soon = attempt(cast.participant.email, PASSWORD)
    later(monkeypatch, 61 + 121)
    in_time = attempt(cast.participant.email, PASSWORD)
    # then
    assert (too_soon, in_time) == (429, 302)


@pytest.mark.django_db
def test_the_lock_message_says_how_long_to_wait(cast: Cast) -> None:
    # given
    for _ in range(5):
        attempt(cast.participant.email, "wrong")
    # when
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        LOGIN, {"username": cast.participant.email, "password": PASSWORD}
    )
    # then
    assert "the next try must wait 1 minute." in response.content.decode()


@pytest.mark.django_db
@override_settings(SIGN_IN_IP_FAILURE_LIMIT=4)
def test_one_address_that_fails_for_many_accounts_is_held_back(cast: Cast) -> None:
    # given: one wrong password each for four addresses, from one client address
    for n in range(4):
        attempt(f"someone{n}@example.test", "wrong", REMOTE_ADDR="192.0.2.50")
    # when
    from_there = attempt(cast.participant.email, PASSWORD, REMOTE_ADDR="192.0.2.50")
    from_elsewhere = attempt(cast.participant.email, PASSWORD, REMOTE_ADDR="192.0.2.51")
    # then
    assert (from_there, from_elsewhere) == (429, 302)


@pytest.mark.django_db
def test_an_address_typed_in_capitals_counts_for_the_same_account(cast: Cast) -> None:
    # given
    for n in range(5):
        attempt(cast.participant.email.upper() if n % 2 else cast.participant.email, "wrong")
    # when
    status = attempt(cast.participant.email.title(), PASSWORD)
    # then
    assert status == 429


@pytest.mark.django_db
def test_the_owner_gets_in_at_once_through_the_emailed_link(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # given: a stranger has locked the account
    for _ in range(5):
        attempt(cast.participant.email, "wrong", REMOTE_ADDR="203.0.113.66")
    owner = Client()
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(reverse("accounts:password_reset"), {"email": cast.participant.email})
    link = re.search(r"https?://\S+(/accounts/password/set/\S+/)", str(mail.outbox[0].body))
    assert link
    form_url = owner.get(link.group(1))["Location"]
    owner.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    # when: the stranger tries again, and the owner signs in
    stranger = attempt(cast.participant.email, "wrong", REMOTE_ADDR="203.0.113.66")
    for _ in range(5):
        attempt(cast.participant.email, "wrong", REMOTE_ADDR="203.0.113.66")
    owner_status = attempt(cast.participant.email, NEW_PASSWORD, client=owner)
    # then
    assert stranger == 200  # the new password wiped the old failures
    assert owner_status == 302
    assert "_auth_user_id" in owner.session


# --- The client address -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_forged_forwarding_header_is_not_believed_from_an_unknown_peer(cast: Cast) -> None:
    # when
    attempt(
        cast.participant.email,
        "wrong",
        REMOTE_ADDR="192.0.2.9",
        HTTP_X_REAL_IP="203.0.113.1",
        HTTP_X_FORWARDED_FOR="203.0.113.2",
    )
    # then
    assert AuditEntry.objects.get(action="login_failed").ip_address == "192.0.2.9"
    assert AccessAttempt.objects.get().ip_address == "192.0.2.9"


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_the_client_address_comes_from_a_trusted_proxy_for_audit_and_throttle_alike(
    cast: Cast,
) -> None:
    # when: the client wrote its own "198.51.100.5"; our proxies appended the real address
    attempt(
        cast.participant.email,
        "wrong",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.5, 203.0.113.7, 10.0.0.3",
    )
    # then
    assert AuditEntry.objects.get(action="login_failed").ip_address == "203.0.113.7"
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
