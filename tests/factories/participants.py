"""Participant records."""

from __future__ import annotations

from typing import Any

import factory

from samvirke.accounts.models import User
from samvirke.audit.actor import Actor
from samvirke.participants.models import Participant, new_pseudonym
from tests.factories.programmes import (
    ProgrammeFactory,
)


class ParticipantFactory(factory.django.DjangoModelFactory[Participant]):
    class Meta:
        model = Participant
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    pseudonym = factory.LazyFunction(lambda: new_pseudonym("NO"))
    country = "NO"
    birth_year = 1980

    @factory.post_generation
    def subprojects(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.subprojects.set(extracted)

    @factory.post_generation
    def identity(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            from samvirke.participants.services import Identity, _store_identity
            from samvirke.participants.sign_in import bind_confirmed_address

            identity = extracted or Identity(full_name="Testa Testesen")
            _store_identity(self, identity)
            if self.account_id is not None and identity.email:
                # A record made with its account signs in at its address, as if confirmed.
                bind_confirmed_address(participant=self, address=identity.email)


def open_self_service(record: Participant, *, asked_by: User, approved_by: User) -> User:
    """Self-service opened the way a first invitation is: one staff member asks, a colleague
    approves; returns the participant's account."""
    from samvirke.accounts.services import default_base_url
    from samvirke.participants.sign_in import approve_sign_in_access, give_sign_in_access

    give_sign_in_access(
        actor=Actor.of_user(asked_by), participant=record, base_url=default_base_url()
    )
    return approve_sign_in_access(
        actor=Actor.of_user(approved_by), participant=record, base_url=default_base_url()
    )
