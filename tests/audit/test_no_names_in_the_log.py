"""The append-only audit log holds pseudonyms and role-neutral labels, never a person's name."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.urls import reverse

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.audit.services import audit_label, record_event
from samvirke.participants.models import Participant
from tests.conftest import Cast, sign_in
from tests.factories import ActivityFactory, ParticipantFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _is_or_points_at_a_person(model: type[models.Model]) -> bool:
    people = (get_user_model(), Participant)
    return issubclass(model, people) or any(
        (field.many_to_one or field.one_to_one) and field.related_model in people
        for field in model._meta.fields
    )


def test_an_account_is_logged_without_its_name_or_address(cast: Cast) -> None:
    # when
    entry = record_event(action="update", actor=Actor.of_user(cast.coordinator), obj=cast.guide)
    # then
    assert cast.guide.full_name not in entry.object_label
    assert cast.guide.email not in entry.object_label
    assert entry.object_label == f"user {cast.guide.pk}"


def test_a_registration_is_logged_without_the_name_of_the_person_registered(cast: Cast) -> None:
    # given
    registration = RegistrationFactory(
        activity=ActivityFactory(programme=cast.programme), user=cast.participant
    )
    # when
    entry = record_event(action="create", actor=Actor.of_user(cast.coordinator), obj=registration)
    # then
    assert "Participant Example" not in entry.object_label


def test_a_participant_is_logged_by_pseudonym(cast: Cast) -> None:
    # given
    person = ParticipantFactory(programme=cast.programme)
    # when
    entry = record_event(action="view", actor=Actor.of_user(cast.guide), obj=person)
    # then
    assert entry.object_label == person.pseudonym


def test_a_wrong_password_keeps_no_address_typed(cast: Cast) -> None:
    # when
    Client().post(
        reverse("accounts:login"), {"username": "somebody@example.test", "password": "wrong"}
    )
    # then
    entry = AuditEntry.objects.get(action="login_failed")
    assert "somebody@example.test" not in f"{entry.object_label} {entry.detail}"


def test_a_participants_own_actions_are_logged_without_their_ip_address(cast: Cast) -> None:
    # given
    ParticipantFactory(programme=cast.programme, account=cast.participant)
    client = sign_in(Client(REMOTE_ADDR="198.51.100.77"), cast.participant, second_factor=False)
    # when
    client.post(reverse("accounts:logout"))
    # then
    entry = AuditEntry.objects.get(action="logout")
    assert entry.ip_address is None


def test_staff_actions_keep_their_ip_address(cast: Cast) -> None:
    # given
    client = sign_in(Client(REMOTE_ADDR="198.51.100.78"), cast.coordinator)
    # when
    client.post(reverse("accounts:logout"))
    # then
    assert AuditEntry.objects.get(action="logout").ip_address == "198.51.100.78"


def test_no_model_that_is_or_points_at_a_person_is_logged_by_its_str() -> None:
    """Derived from the model registry: a new model that reaches a person is covered too."""
    # given
    reaching = [m for m in apps.get_models() if _is_or_points_at_a_person(m)]
    assert len(reaching) > 10  # the walk finds the registry's people-bearing models
    for model in reaching:
        if "audit_label" in dir(model):
            continue  # says itself what it is called (titles, pseudonyms: tested above)
        # when
        label = audit_label(model(pk=7))
        # then
        assert label == f"{model._meta.model_name} 7", model._meta.label
