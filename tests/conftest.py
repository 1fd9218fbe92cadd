"""The named users every test can ask for, and a signed-in client for each."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client

os.environ.setdefault("SAMVIRKE_TESTING", "1")

from samvirke.accounts.middleware import SESSION_SEEN, SESSION_STARTED  # noqa: E402
from samvirke.accounts.models import Role, User  # noqa: E402
from samvirke.programmes.models import Programme, Subproject  # noqa: E402
from tests.factories import (  # noqa: E402
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProgrammeFactory,
    SubprojectFactory,
    UserFactory,
    confirmed_totp,
)


@pytest.fixture(autouse=True)
def _private_files(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Attached documents go to a temporary folder, never the checkout's var/private."""
    storages = dict(settings.STORAGES)  # type: ignore[attr-defined]
    private = dict(storages["private"])
    private["OPTIONS"] = {**private["OPTIONS"], "location": tmp_path_factory.mktemp("private")}
    storages["private"] = private
    settings.STORAGES = storages  # type: ignore[attr-defined]


def sign_in(client: Client, user: User, *, second_factor: bool = True) -> Client:
    """Log the user in; staff also pass the second factor unless told otherwise."""
    client.force_login(user)
    session = client.session
    # As accounts.services.sign_in does: a signed-in session without a clock is ended.
    session[SESSION_STARTED] = session[SESSION_SEEN] = int(time.time())
    if second_factor:
        from django_otp import DEVICE_ID_SESSION_KEY

        device = confirmed_totp(user)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@dataclass
class Cast:
    """One programme with a person in every role, and an outsider in another programme."""

    programme: Programme
    other_programme: Programme
    subproject: Subproject  # the contact person's and guide's
    other_subproject: Subproject
    leader: User
    coordinator: User
    contact: User
    guide: User
    user_rep: User
    researcher: User
    participant: User
    outsider: User

    def user(self, role: str) -> User:
        return getattr(self, role)  # type: ignore[no-any-return]


ROLE_ATTRS = [
    "leader",
    "coordinator",
    "contact",
    "guide",
    "user_rep",
    "researcher",
    "participant",
    "outsider",
]


@pytest.fixture
def cast(db: None) -> Cast:
    programme = ProgrammeFactory(slug="demo-programme")
    other = ProgrammeFactory(slug="other-programme")
    organisation = OrganisationFactory(name="RSMH Östersund", country="SE")
    PartnershipFactory(programme=programme, organisation=organisation)
    subproject = SubprojectFactory(programme=programme, name="RSMH kartlegging")
    subproject.owners.set([organisation])
    other_subproject = SubprojectFactory(programme=programme, name="Kirkens hus")

    def member(name: str, role: str, **scope: object) -> User:
        user = UserFactory(email=f"{name}@example.test", full_name=f"{name.title()} Example")
        MembershipFactory(user=user, programme=programme, role=role, **scope)
        return user

    outsider = UserFactory(email="outsider@example.test", full_name="Outsider Example")
    MembershipFactory(user=outsider, programme=other, role=Role.COORDINATOR)
    return Cast(
        programme=programme,
        other_programme=other,
        subproject=subproject,
        other_subproject=other_subproject,
        leader=member("leader", Role.PROGRAMME_LEADER),
        coordinator=member("coordinator", Role.COORDINATOR),
        contact=member("contact", Role.CONTACT_PERSON, subproject=subproject),
        guide=member("guide", Role.GUIDE, subproject=subproject),
        user_rep=member("userrep", Role.USER_REPRESENTATIVE),
        researcher=member("researcher", Role.RESEARCHER),
        participant=member("participant", Role.PARTICIPANT),
        outsider=outsider,
    )


@pytest.fixture
def client_for(cast: Cast, client: Client):  # type: ignore[no-untyped-def]
    def make(role: str) -> Client:
        return sign_in(Client(), cast.user(role))

    return make


@pytest.fixture(autouse=True)
def _no_language_left_behind() -> Iterator[None]:
    """Each test starts in the default language: a test (or a page rendered outside a request)
    that activates another one would otherwise change what later tests read."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_cache_left_behind() -> Iterator[None]:
    """Each test starts with an empty cache: a rolled-back test leaves cached aggregates (and
    rate-limit counters) that a later test's objects could otherwise meet."""
    from django.core.cache import cache

    cache.clear()
    yield
