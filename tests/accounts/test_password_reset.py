from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samvirke.audit.models import AuditEntry
from tests.conftest import Cast

NEW_PASSWORD = "fjellbekk ved Storsjön 2031"


def ask_for_link(client: Client, email: str) -> object:
    return client.post(reverse("accounts:password_reset"), {"email": email})


def link_in(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://\S+(/accounts/password/set/\S+/)", str(message.body))
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_the_login_page_links_to_the_forgotten_password_page(cast: Cast) -> None:
    # when
    response = Client().get(reverse("accounts:login"))
    # then
    assert reverse("accounts:password_reset") in response.content.decode()


@pytest.mark.django_db
def test_asking_for_a_link_mails_one_in_the_persons_language(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # given
    cast.participant.language = "en"
    cast.participant.save(update_fields=["language"])
    # when
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link(Client(), cast.participant.email.upper())
    # then
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([cast.participant.email], "Choose a new password for Samvirke")
    ]


@pytest.mark.django_db
def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # when
    with django_capture_on_commit_callbacks(execute=True):
        known = ask_for_link(Client(), cast.participant.email)
        unknown = ask_for_link(Client(), "nobody@example.test")
    # then
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [[cast.participant.email]]


@pytest.mark.django_db
def test_the_link_sets_a_new_password_once_and_is_logged(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # given
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link(Client(), cast.participant.email)
    link = link_in(mail.outbox[0])
    client = Client()
    form_url = client.get(link)["Location"]  # Django moves the token out of the address
    # when
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    # then
    assert response["Location"] == reverse("accounts:password_set_done")
    cast.participant.refresh_from_db()
    assert cast.participant.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(actor=cast.participant, detail={"password": "set"}).exists()
    again = Client().get(link, follow=True)
    assert again.context["validlink"] is False


@pytest.mark.django_db
def test_a_fourth_link_within_the_hour_is_held_back_with_the_same_answer(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # given
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            ask_for_link(Client(), cast.participant.email)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        fourth = ask_for_link(Client(), cast.participant.email)
    # then
    assert fourth["Location"] == reverse("accounts:password_reset_sent")  # type: ignore[index]
    assert len(mail.outbox) == 3
    assert AuditEntry.objects.filter(detail={"password": "held_back"}).count() == 1


@pytest.mark.django_db
def test_links_come_again_an_hour_later(
    cast: Cast, django_capture_on_commit_callbacks, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # given
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            ask_for_link(Client(), cast.participant.email)
    later = timezone.now() + dt.timedelta(minutes=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link(Client(), cast.participant.email)
    # then
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_a_set_password_link_no_longer_works_after_a_day(
    cast: Cast, django_capture_on_commit_callbacks, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    # given
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link(Client(), cast.participant.email)
    link = link_in(mail.outbox[0])
    a_day_later = dt.datetime.now() + dt.timedelta(hours=24, minutes=5)  # noqa: DTZ005
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: a_day_later)
    # when
    response = Client().get(link, follow=True)
    # then
    assert response.context["validlink"] is False
    assert "24" in str(mail.outbox[0].body)
