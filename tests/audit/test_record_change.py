"""One way to save and log: ``record_change`` with an ``Actor``, no form and no request."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction, AuditEntry
from samvirke.audit.services import Change, record_change
from samvirke.programmes.models import Subproject
from samvirke.programmes.services import save_subproject
from tests.conftest import Cast, sign_in
from tests.factories import OrganisationFactory, ProgrammeFactory, UserFactory


@pytest.mark.django_db
def test_a_new_object_is_saved_with_its_many_to_many_members_and_logged_as_created() -> None:
    # given
    programme = ProgrammeFactory()
    owner = OrganisationFactory()
    actor = Actor(user=UserFactory(), role="coordinator", ip="192.0.2.7")
    change = Change(
        Subproject(programme=programme, name="Ny"), fields=["name"], related={"owners": [owner]}
    )
    # when
    subproject = record_change(actor=actor, change=change, programme=programme)
    # then
    entry = AuditEntry.objects.get(
        object_id=str(subproject.pk), object_type="programmes.subproject"
    )
    assert list(subproject.owners.all()) == [owner]
    assert (entry.action, entry.role, entry.ip_address) == (
        AuditAction.CREATE,
        "coordinator",
        "192.0.2.7",
    )
    assert entry.detail == {"fields": ["name"]}


@pytest.mark.django_db
def test_an_existing_object_is_logged_as_updated_with_the_fields_that_changed() -> None:
    # given
    programme = ProgrammeFactory()
    subproject = Subproject.objects.create(programme=programme, name="Gammel")
    subproject.name = "Ny"
    # when
    save_subproject(actor=Actor.of_user(UserFactory()), change=Change(subproject, fields=["name"]))
    # then
    entry = AuditEntry.objects.get(object_type="programmes.subproject")
    assert Subproject.objects.get(pk=subproject.pk).name == "Ny"
    assert (entry.action, entry.detail) == (AuditAction.UPDATE, {"fields": ["name"]})


@pytest.mark.django_db
def test_a_view_hands_the_service_the_acting_role_and_the_client_address(cast: Cast) -> None:
    # given
    client = sign_in(Client(REMOTE_ADDR="198.51.100.4"), cast.coordinator)
    url = reverse("programmes:subproject_new", args=[cast.programme.slug])
    # when
    owner = cast.programme.partnerships.get().organisation
    response = client.post(
        url, {"name": "Arbeidstrening", "status": "active", "owners": [owner.pk]}
    )
    # then
    entry = AuditEntry.objects.get(object_type="programmes.subproject", action=AuditAction.CREATE)
    assert response.status_code == 302
    assert list(Subproject.objects.get(name="Arbeidstrening").owners.all()) == [owner]
    assert (entry.actor, entry.role, entry.ip_address) == (
        cast.coordinator,
        "coordinator",
        "198.51.100.4",
    )
