"""The first authenticator needs more than the password: a code mailed to the account."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from samvirke.audit.models import AuditEntry
from tests.accounts.two_factor import SETUP, mailed_code, prove_mailbox
from tests.conftest import Cast
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in_with_password(cast: Cast) -> Client:
    cast.guide.language = "en"  # the e-mails go out in the person's own language
    cast.guide.save(update_fields=["language"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/accounts/login/", {"username": cast.guide.email, "password": PASSWORD})
    return client


def test_the_password_alone_does_not_show_the_authenticator_key(cast: Cast) -> None:
    # when
    response = signed_in_with_password(cast).get(SETUP)
    # then
    assert response.status_code == 200
    assert 'id="totp-secret"' not in response.content.decode()
    assert not TOTPDevice.objects.filter(user=cast.guide).exists()


def test_the_code_mailed_to_the_account_opens_the_authenticator_step(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # given
    client = signed_in_with_password(cast)
    # when
    prove_mailbox(client, cast.guide.email, django_capture_on_commit_callbacks)
    response = client.get(SETUP)
    # then
    assert 'id="totp-secret"' in response.content.decode()
    assert mail.outbox[0].subject == "Your code to set up two-step sign-in"


def test_a_wrong_mailed_code_is_refused_and_logged(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # given
    client = signed_in_with_password(cast)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SETUP, {"send": "1"})
    # when
    response = client.post(SETUP, {"email_code": "00000000"})
    # then
    assert response.status_code == 400
    assert "That code is not right, or it has expired." in response.content.decode()
    assert AuditEntry.objects.filter(detail={"second_factor": "enrolment_code"}).count() == 1
    assert 'id="totp-secret"' not in client.get(SETUP).content.decode()


def test_the_mailed_code_stops_working_after_five_wrong_tries(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # given
    client = signed_in_with_password(cast)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SETUP, {"send": "1"})
    for _ in range(5):
        client.post(SETUP, {"email_code": "00000000"})
    # when
    response = client.post(SETUP, {"email_code": mailed_code(cast.guide.email)})
    # then
    assert response.status_code == 400


def test_another_session_with_the_password_cannot_use_the_mailed_code(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # given: the owner asked for a code; someone else signs in with the password
    owner = signed_in_with_password(cast)
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(SETUP, {"send": "1"})
    intruder = signed_in_with_password(cast)
    # when
    response = intruder.post(SETUP, {"email_code": mailed_code(cast.guide.email)})
    # then
    assert response.status_code == 400


def test_setting_up_an_authenticator_is_announced_to_the_account_by_email(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # given
    client = signed_in_with_password(cast)
    prove_mailbox(client, cast.guide.email, django_capture_on_commit_callbacks)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=cast.guide, confirmed=False)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SETUP, {"token": f"{TOTP(device.bin_key).token():06d}"})
    # then
    assert len(response.context["codes"]) == 10
    assert "no-store" in response["Cache-Control"]
    notice = mail.outbox[-1]
    assert notice.to == [cast.guide.email]
    assert notice.subject == "Two-step sign-in was set up for your Samvirke account"


def test_an_invitation_link_counts_as_the_mailed_proof_for_that_browser(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # given: the guide chooses a new password through the e-mailed link in this browser
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/forgotten/", {"email": cast.guide.email})
    match = re.search(r"https?://\S+(/accounts/password/set/\S+/)", str(mail.outbox[-1].body))
    assert match
    form_url = client.get(match.group(1))["Location"]
    new_password = "fjellbekk ved Storsjön 2031"
    client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    # when
    client.post("/accounts/login/", {"username": cast.guide.email, "password": new_password})
    page = client.get(SETUP)
    other = Client()
    other.post("/accounts/login/", {"username": cast.guide.email, "password": new_password})
    # then: the key shows here at once, but not in another browser with the same password
    assert 'id="totp-secret"' in page.content.decode()
    assert 'id="totp-secret"' not in other.get(SETUP).content.decode()
