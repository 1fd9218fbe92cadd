from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from samvirke.accounts.middleware import SESSION_SEEN, SESSION_STARTED
from samvirke.audit.models import AuditEntry
from tests.accounts.two_factor import prove_mailbox
from tests.conftest import Cast, sign_in
from tests.factories import PASSWORD
from tests.web.test_settings_and_commands import PRODUCTION

LOGIN = "/accounts/login/"


def post_login(client: Client, email: str, password: str, **extra: str) -> object:
    return client.post(LOGIN, {"username": email, "password": password, **extra})


@pytest.mark.django_db
def test_wrong_password_shows_a_translated_error_and_logs_the_attempt(cast: Cast) -> None:
    # given
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    # when
    response = post_login(client, cast.participant.email, "not the password")
    # then
    assert "The e-mail address or the password is wrong." in response.content.decode()
    assert AuditEntry.objects.filter(action="login_failed").count() == 1
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_five_failed_logins_block_further_attempts_with_a_clear_message(cast: Cast) -> None:
    # given
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(5):
        post_login(client, cast.participant.email, "wrong password")
    # when
    response = post_login(client, cast.participant.email, PASSWORD)
    # then
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_signing_in_gives_a_new_session_key(cast: Cast) -> None:
    # given
    client = Client()
    client.get(LOGIN)
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    before = session.session_key
    # when
    post_login(client, cast.participant.email, PASSWORD)
    # then
    assert client.session.session_key != before
    assert client.session.get("_auth_user_id") == str(cast.participant.pk)


@pytest.mark.django_db
def test_staff_are_sent_to_set_up_two_factor_before_any_programme_page(cast: Cast) -> None:
    # given
    client = Client()
    post_login(client, cast.guide.email, PASSWORD)
    # when
    response = client.get(reverse("programmes:dashboard", args=[cast.programme.slug]))
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))


@pytest.mark.django_db
def test_staff_login_redirects_to_the_second_factor(cast: Cast) -> None:
    # given
    TOTPDevice.objects.create(user=cast.coordinator, name="phone", confirmed=True)
    client = Client()
    # when
    response = post_login(client, cast.coordinator.email, PASSWORD)
    # then
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))


@pytest.mark.django_db
def test_participants_reach_their_page_without_a_second_factor(cast: Cast) -> None:
    # given
    client = Client()
    post_login(client, cast.participant.email, PASSWORD)
    # when
    response = client.get(reverse("programmes:dashboard", args=[cast.programme.slug]))
    # then
    assert response.status_code == 200


@pytest.mark.django_db
def test_confirming_an_authenticator_unlocks_programme_pages_and_shows_recovery_codes(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # given
    client = Client()
    post_login(client, cast.guide.email, PASSWORD)
    prove_mailbox(client, cast.guide.email, django_capture_on_commit_callbacks)
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=cast.guide, confirmed=False)
    code = f"{TOTP(device.bin_key).token():06d}"
    # when
    response = client.post(reverse("accounts:two_factor_setup"), {"token": code})
    # then
    assert len(response.context["codes"]) == 10
    page = client.get(reverse("programmes:dashboard", args=[cast.programme.slug]))
    assert page.status_code == 200


@pytest.mark.django_db
def test_a_wrong_code_does_not_confirm_the_authenticator(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # given
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    post_login(client, cast.guide.email, PASSWORD)
    prove_mailbox(client, cast.guide.email, django_capture_on_commit_callbacks)
    client.get(reverse("accounts:two_factor_setup"))
    # when
    response = client.post(reverse("accounts:two_factor_setup"), {"token": "000000x"})
    # then
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=cast.guide, confirmed=True).exists()


@pytest.mark.django_db
def test_a_recovery_code_works_once(cast: Cast) -> None:
    # given
    from samvirke.accounts.services import new_recovery_codes

    TOTPDevice.objects.create(user=cast.coordinator, name="phone", confirmed=True)
    code = new_recovery_codes(user=cast.coordinator)[0]
    first = Client()
    post_login(first, cast.coordinator.email, PASSWORD)
    second = Client()
    post_login(second, cast.coordinator.email, PASSWORD)
    verify = reverse("accounts:two_factor_verify")
    # when
    used = first.post(verify, {"token": code})
    reused = second.post(verify, {"token": code})
    # then
    assert used.status_code == 302
    assert reused.status_code == 200


@pytest.mark.django_db
def test_signing_out_ends_the_session_on_the_server(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.coordinator)
    key = client.session.session_key
    # when
    client.post(reverse("accounts:logout"))
    # then
    assert not Session.objects.filter(session_key=key).exists()


@pytest.mark.django_db
def test_a_session_idle_for_over_thirty_minutes_is_ended(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.participant)
    session = client.session
    session[SESSION_STARTED] = int(time.time()) - 3600
    session[SESSION_SEEN] = int(time.time()) - 31 * 60
    session.save()
    # when
    response = client.get(reverse("programmes:dashboard", args=[cast.programme.slug]))
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_a_session_older_than_twelve_hours_is_ended_even_when_active(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.participant)
    session = client.session
    session[SESSION_STARTED] = int(time.time()) - 12 * 3600 - 5
    session[SESSION_SEEN] = int(time.time()) - 10
    session.save()
    # when
    response = client.get(reverse("programmes:dashboard", args=[cast.programme.slug]))
    # then
    assert response.status_code == 302


@pytest.mark.django_db
def test_an_active_session_stays_open(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.participant)
    session = client.session
    session[SESSION_STARTED] = int(time.time()) - 3600
    session[SESSION_SEEN] = int(time.time()) - 5 * 60
    session.save()
    # when
    response = client.get(reverse("programmes:dashboard", args=[cast.programme.slug]))
    # then
    assert response.status_code == 200


@pytest.mark.django_db
def test_login_does_not_redirect_to_another_site(cast: Cast) -> None:
    # given
    client = Client()
    # when
    response = post_login(
        client, cast.participant.email, PASSWORD, next="https://evil.example.com/"
    )
    # then
    assert response["Location"] == "/"


def test_passwords_are_hashed_with_argon2_in_production_settings(tmp_path: Path) -> None:
    # given: the environment of a production server, without the test run's own settings
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SAMVIRKE_", "DATABASE", "DJANGO_ALLOW_ASYNC"))
    }
    env.update({**PRODUCTION, "SAMVIRKE_TESTING": "0", "SAMVIRKE_VAR_DIR": str(tmp_path)})
    # when
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "samvirke",
            "shell",
            "--no-imports",
            "-c",
            "from django.contrib.auth.hashers import make_password; print(make_password('x'))",
        ],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("argon2$argon2id$"), result.stdout
