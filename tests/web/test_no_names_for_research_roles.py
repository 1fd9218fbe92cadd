"""No page shows a researcher or a user representative a participant's name, e-mail or phone.

Every GET page of the route table (``tests/web/routes.py``, so a new page is covered without
anyone listing it) is rendered for both roles in a world where participants with distinctive
identities have sign-in accounts, are registered for every activity and enrolled in every
measure, own follow-up actions as older versions allowed, and where one participant-role
account has no participant record (and so its name on the account).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from samvirke.accounts.models import Role, User
from samvirke.activities.models import Activity, Registration
from samvirke.measures.models import Enrolment, Measure
from samvirke.participants.models import Participant
from samvirke.participants.services import Identity
from tests.conftest import Cast, sign_in
from tests.factories import (
    ActionFactory,
    MembershipFactory,
    ParticipantFactory,
    UserFactory,
    open_self_service,
)
from tests.web.routes import ROUTES, Scene, names_answering

pytestmark = pytest.mark.django_db

CROWD = [
    Identity(
        full_name="Ottilie Quarshie-Brennhaug",
        email="ottilie.qb@example.test",
        phone="+47 934 71 205",
    ),
    Identity(
        full_name="Sverker Ylvingsson", email="sverker.ylv@example.test", phone="+46 70 318 44 91"
    ),
]
ROLE_ONLY = Identity(
    full_name="Wendelin Rolekonto", email="wendelin.rk@example.test", phone="+47 955 12 880"
)


def secrets() -> list[str]:
    return [
        value
        for person in [*CROWD, ROLE_ONLY]
        for value in (person.full_name, person.email, person.phone)
    ]


def crowd(cast: Cast, captured: Any) -> list[User]:
    """Participants with records and accounts, and one role-only account; their accounts."""
    accounts = []
    for identity in CROWD:
        record = ParticipantFactory(
            programme=cast.programme, subprojects=[cast.subproject], identity=identity
        )
        record.guides.set([cast.guide])
        with captured(execute=True):
            accounts.append(
                open_self_service(record, asked_by=cast.guide, approved_by=cast.coordinator)
            )
    role_only = UserFactory(
        email=ROLE_ONLY.email, full_name=ROLE_ONLY.full_name, phone=ROLE_ONLY.phone
    )
    MembershipFactory(user=role_only, programme=cast.programme, role=Role.PARTICIPANT)
    return [*accounts, role_only]


def spread(cast: Cast, accounts: list[User]) -> None:
    """Put the people everywhere a page could show them."""
    for activity in Activity.objects.all():
        for account in accounts:
            Registration.objects.get_or_create(activity=activity, user=account)
    # As older versions let anyone own an action: a participant and a role-only account.
    for account in (accounts[0], accounts[-1]):
        ActionFactory(programme=cast.programme, owner=account, subproject=cast.subproject)
        ActionFactory(
            programme=cast.programme,
            owner=account,
            due_on=timezone.localdate() - dt.timedelta(days=3),  # overdue: on the dashboard
        )
    from tests.measures.people import enrol

    for measure in Measure.objects.filter(programme=cast.programme):
        for record in Participant.objects.filter(account__in=accounts):
            if not Enrolment.objects.filter(measure=measure, participant=record).exists():
                enrol(cast, measure, record, start_now=True)


def get_pages() -> Iterator[str]:
    yield from sorted(name for name in names_answering("GET") if name in ROUTES)


@pytest.mark.parametrize("role", ["researcher", "user_rep"])
def test_no_page_shows_these_roles_a_participants_name_email_or_phone(
    cast: Cast, role: str, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    accounts = crowd(cast, django_capture_on_commit_callbacks)
    # One world for all pages: one scene makes the record of the cast's participant once.
    scene = Scene(cast)
    urls = {name: scene.url(name, ROUTES[name].kind, ROUTES[name].query) for name in get_pages()}
    spread(cast, accounts)
    client = sign_in(Client(), cast.user(role), second_factor=role != "user_rep")
    # when
    shown: dict[str, list[str]] = {}
    for name, url in urls.items():
        response = client.get(url)
        raw = (
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
            if response.streaming
            else response.content
        )
        body = raw.decode("utf-8", errors="replace").casefold()
        hits = [s for s in secrets() if s.casefold() in body]
        if hits:
            shown[name] = hits
    # then
    assert len(urls) > 50  # the route table reaches every page
    assert shown == {}
