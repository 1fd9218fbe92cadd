"""Coordinators and contact persons create and edit measures; the schedule gives the sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from samvirke.measures.models import Measure
from tests.conftest import Cast, sign_in
from tests.measures.people import url

pytestmark = pytest.mark.django_db


def measure_data(cast: Cast, **changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "name_nb": "Skrivekurs",
        "name_sv": "Skrivkurs",
        "kind": "course",
        "status": "running",
        "subproject": cast.subproject.pk,
        "country": "NO",
        "language": "nb",
        "weekday": "1",
        "starts_at": "10:00",
        "duration_minutes": "120",
        "first_date": (today - dt.timedelta(days=28)).isoformat(),
        "last_date": (today + dt.timedelta(days=28)).isoformat(),
    }
    data.update(changes)
    return data


def test_a_contact_person_creates_a_measure_and_its_sessions_are_planned(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.contact)
    # when
    response = client.post(url("measure_new", cast), measure_data(cast))
    # then
    measure = Measure.objects.get(name_nb="Skrivekurs")
    assert response["Location"] == measure.get_absolute_url()
    assert (measure.name_sv, measure.subproject) == ("Skrivkurs", cast.subproject)
    assert measure.sessions.count() in (8, 9)  # eight or nine Tuesdays in the 57 days


def test_a_last_date_before_the_first_is_refused_and_nothing_is_saved(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.coordinator)
    client.cookies["django_language"] = "en"
    data = measure_data(cast, first_date="2026-05-01", last_date="2026-04-01")
    # when
    response = client.post(url("measure_new", cast), data)
    # then
    assert response.status_code == 400
    assert "The last date cannot be before the first." in response.content.decode()
    assert not Measure.objects.exists()


def test_moving_the_weekday_tells_the_coordinator_that_coming_sessions_were_removed(
    cast: Cast,
) -> None:
    # given
    client = sign_in(Client(), cast.coordinator)
    client.cookies["django_language"] = "en"
    client.post(url("measure_new", cast), measure_data(cast))
    measure = Measure.objects.get(name_nb="Skrivekurs")
    # when
    page = client.post(
        url("measure_edit", cast, measure.pk), measure_data(cast, weekday="3"), follow=True
    )
    # then
    text = page.content.decode()
    assert "no longer in the schedule" in text
    assert not measure.sessions.filter(
        starts_at__gt=timezone.now(), starts_at__week_day=3
    ).exists()  # no coming Tuesdays (Django counts Sunday as 1)


def test_planning_sessions_again_says_none_were_added(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.coordinator)
    client.cookies["django_language"] = "en"
    client.post(url("measure_new", cast), measure_data(cast))
    measure = Measure.objects.get(name_nb="Skrivekurs")
    # when
    page = client.post(url("plan_sessions", cast, measure.pk), follow=True)
    # then
    assert "0 new sessions planned." in page.content.decode()


def test_a_date_the_calendar_cannot_hold_is_refused_and_nothing_is_saved(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.coordinator)
    client.cookies["django_language"] = "en"
    data = measure_data(cast, first_date="9999-12-31", last_date="9999-12-31")
    # when
    response = client.post(url("measure_new", cast), data)
    # then
    assert response.status_code == 400
    assert "Give a date between the years 1900 and 2200." in response.content.decode()
    assert not Measure.objects.exists()
