"""Changes made in the admin are written to the audit log, like changes made on the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from samvirke.audit.models import AuditEntry
from tests.conftest import Cast, sign_in
from tests.factories import MunicipalityFactory


@pytest.mark.django_db
def test_a_change_in_the_admin_reaches_the_audit_log(cast: Cast) -> None:
    # given a superuser and a municipality
    cast.leader.is_superuser = True
    cast.leader.is_staff = True
    cast.leader.save()
    municipality = MunicipalityFactory(name="Stjørdal", code="5035", country="NO")
    client = sign_in(Client(), cast.leader)
    url = f"/admin/programmes/municipality/{municipality.pk}/change/"
    # when
    response = client.post(
        url,
        {
            "name": "Stjørdal kommune",
            "code": "5035",
            "country": "NO",
            "county": municipality.county,
        },
    )
    # then
    assert response.status_code == 302, response.content.decode()[:500]
    entry = AuditEntry.objects.get(action="update", object_type="programmes.municipality")
    assert entry.actor == cast.leader
    assert entry.detail == {"via": "admin"}
