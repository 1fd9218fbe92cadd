from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from samvirke.audit.models import AuditEntry
from samvirke.audit.selectors import audit_entries_for_programme
from tests.conftest import Cast, sign_in
from tests.factories import PASSWORD

LOGIN = "/accounts/login/"


def log_of(cast: Cast) -> list[AuditEntry]:
    return list(audit_entries_for_programme(cast.programme))


@pytest.mark.django_db
def test_the_coordinators_log_shows_sign_ins_of_people_in_the_programme(cast: Cast) -> None:
    # given
    Client().post(LOGIN, {"username": cast.guide.email, "password": PASSWORD})
    # when
    entries = log_of(cast)
    # then
    assert [(e.action, e.actor) for e in entries] == [("login", cast.guide)]


@pytest.mark.django_db
def test_the_coordinators_log_shows_a_wrong_password_for_a_person_in_the_programme(
    cast: Cast,
) -> None:
    # given
    Client().post(LOGIN, {"username": cast.guide.email.upper(), "password": "wrong"})
    # when
    entries = log_of(cast)
    # then
    assert [(e.action, e.object_id) for e in entries] == [("login_failed", str(cast.guide.pk))]


@pytest.mark.django_db
def test_the_coordinators_log_shows_sign_outs_of_people_in_the_programme(cast: Cast) -> None:
    # given
    sign_in(Client(), cast.researcher).post(reverse("accounts:logout"))
    # when
    entries = log_of(cast)
    # then
    assert [(e.action, e.actor) for e in entries] == [("logout", cast.researcher)]


@pytest.mark.django_db
def test_the_coordinators_log_leaves_out_sign_ins_of_people_from_elsewhere(cast: Cast) -> None:
    # given
    Client().post(LOGIN, {"username": cast.outsider.email, "password": PASSWORD})
    Client().post(LOGIN, {"username": cast.outsider.email, "password": "wrong"})
    Client().post(LOGIN, {"username": "nobody@example.test", "password": "wrong"})
    # when
    entries = log_of(cast)
    # then
    assert entries == []


@pytest.mark.django_db
def test_the_audit_page_lists_sign_ins(cast: Cast) -> None:
    # given
    Client().post(LOGIN, {"username": cast.participant.email, "password": PASSWORD})
    client = sign_in(Client(), cast.coordinator)
    # when
    response = client.get(reverse("audit:log", args=[cast.programme.slug]))
    # then
    actions = [e.action for e in response.context["page"].object_list]
    assert actions == ["login"]


@pytest.mark.django_db
def test_a_wrong_second_factor_code_is_logged(cast: Cast) -> None:
    # given
    TOTPDevice.objects.create(user=cast.coordinator, name="phone", confirmed=True)
    client = Client()
    client.post(LOGIN, {"username": cast.coordinator.email, "password": PASSWORD})
    # when
    client.post(reverse("accounts:two_factor_verify"), {"token": "000000"})
    # then
    entry = AuditEntry.objects.get(action="login_failed")
    assert entry.actor == cast.coordinator
    assert entry.detail == {"second_factor": "verify"}
    assert entry.ip_address == "127.0.0.1"


@pytest.mark.django_db
def test_a_locked_out_attempt_is_logged_once(cast: Cast) -> None:
    # given
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"username": cast.participant.email, "password": "wrong"})
    before = AuditEntry.objects.filter(detail__locked_out=True).count()
    # when
    response = client.post(LOGIN, {"username": cast.participant.email, "password": PASSWORD})
    # then
    assert response.status_code == 429
    assert AuditEntry.objects.filter(detail__locked_out=True).count() == before + 1


@pytest.mark.django_db
def test_a_refusal_is_logged_with_where_it_came_from(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.researcher)
    # when
    client.get(reverse("audit:log", args=[cast.programme.slug]), REMOTE_ADDR="192.0.2.7")
    # then
    entry = AuditEntry.objects.get(action="permission_denied")
    assert entry.ip_address == "192.0.2.7"
