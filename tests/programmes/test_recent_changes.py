"""The dashboard's "Recent changes" is seen by every workspace role: it must not name people."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from samvirke.activities.services import register_for_activity
from samvirke.audit.actor import Actor
from samvirke.audit.services import record_event
from tests.conftest import Cast, sign_in
from tests.factories import ActivityFactory, UserFactory


@pytest.fixture
def changes(cast: Cast) -> None:
    activity = ActivityFactory(programme=cast.programme, title="Brukarträff i Østersund")
    record_event(
        action="create",
        actor=Actor.of_user(cast.coordinator),
        obj=activity,
        programme=cast.programme,
    )
    person = UserFactory(full_name="Kari Nordmann")
    register_for_activity(actor=Actor.of_user(person), activity=activity, person=person)
    membership = person.memberships.create(programme=cast.programme, role="participant")
    record_event(
        action="create",
        actor=Actor.of_user(cast.coordinator),
        obj=membership,
        programme=cast.programme,
    )


def recent_of(cast: Cast, role: str) -> str:
    client = sign_in(Client(), cast.user(role), second_factor=role != "user_rep")
    response = client.get(reverse("programmes:dashboard", args=[cast.programme.slug]))
    assert response.status_code == 200
    return "".join(entry.object_label for entry in response.context["dash"].recent)


@pytest.mark.django_db
@pytest.mark.usefixtures("changes")
def test_a_user_representative_sees_no_names_of_people_in_recent_changes(cast: Cast) -> None:
    # when
    recent = recent_of(cast, "user_rep")
    # then
    assert "Kari Nordmann" not in recent


@pytest.mark.django_db
@pytest.mark.usefixtures("changes")
def test_a_researcher_sees_no_names_of_people_in_recent_changes(cast: Cast) -> None:
    # when
    recent = recent_of(cast, "researcher")
    # then
    assert "Kari Nordmann" not in recent


@pytest.mark.django_db
@pytest.mark.usefixtures("changes")
def test_recent_changes_still_show_changes_to_programme_content(cast: Cast) -> None:
    # when
    recent = recent_of(cast, "researcher")
    # then
    assert recent == "Brukarträff i Østersund"


@pytest.mark.django_db
@pytest.mark.usefixtures("changes")
def test_in_swedish_a_change_happened_for_some_time_ago(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.coordinator)
    client.cookies["django_language"] = "sv"
    # when
    page = client.get(reverse("programmes:dashboard", args=[cast.programme.slug]))
    # then: "för 0 minuter sedan", not "0 minuter sedan"
    assert re.search(r"för \d+\xa0minuter sedan", page.content.decode())
