from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from samvirke.audit.models import AuditAction, AuditEntry
from tests.conftest import Cast, sign_in
from tests.factories import PASSWORD


@pytest.mark.django_db
def test_the_admin_login_page_sends_people_to_the_samvirke_login(cast: Cast) -> None:
    # given
    client = Client()
    # when
    response = client.get("/admin/login/", {"next": "/admin/"})
    # then
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/admin/"


@pytest.mark.django_db
def test_a_password_posted_to_the_admin_login_signs_nobody_in(cast: Cast) -> None:
    # given
    client = Client()
    # when
    client.post("/admin/login/", {"username": cast.coordinator.email, "password": PASSWORD})
    # then
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_signed_in_session_without_a_clock_is_ended(cast: Cast) -> None:
    # given: signed in by something other than accounts.services.sign_in
    client = Client()
    client.force_login(cast.participant)
    # when
    response = client.get(reverse("programmes:dashboard", args=[cast.programme.slug]))
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_signing_in_through_the_login_page_starts_the_clock_and_is_logged(cast: Cast) -> None:
    # given
    client = Client()
    client.post(
        reverse("accounts:login"), {"username": cast.participant.email, "password": PASSWORD}
    )
    # when
    response = client.get(reverse("programmes:dashboard", args=[cast.programme.slug]))
    # then
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="login", actor=cast.participant).count() == 1


@pytest.mark.django_db
def test_signing_out_of_the_admin_ends_the_session_and_is_audited(cast: Cast) -> None:
    # given
    cast.leader.is_superuser = cast.leader.is_staff = True
    cast.leader.save(update_fields=["is_superuser", "is_staff"])
    client = sign_in(Client(), cast.leader)
    # when
    response = client.post("/admin/logout/")
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action=AuditAction.LOGOUT, actor=cast.leader).exists()
