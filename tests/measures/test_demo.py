"""The demo's service map: Trondheim, Stjørdal and Östersund, loaded again without duplicates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from samvirke.demo.measures import load_service_map
from samvirke.measures.models import Pathway, PathwayStep, Service
from samvirke.measures.selectors import ServiceFilters, services_of, situations_of
from samvirke.programmes.models import Programme
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme() -> Programme:
    programme: Programme = ProgrammeFactory(slug="entreprenorskap-2011")
    load_service_map(programme)
    return programme


def test_the_demo_has_services_in_trondheim_stjordal_and_ostersund(programme: Programme) -> None:
    # when
    places = set(Service.objects.values_list("municipality__name", flat=True))
    # then
    assert places == {"Trondheim", "Stjørdal", "Östersund"}


def test_the_demo_has_a_norwegian_and_a_swedish_pathway_for_each_situation(
    programme: Programme,
) -> None:
    # when
    situations = situations_of(programme)
    # then
    assert len(situations) == 3
    assert all(situation.has_pair for situation in situations)


def test_the_demo_finds_arbeidstrening_and_arbetstraning(programme: Programme) -> None:
    # when
    norwegian = services_of(programme, ServiceFilters(q="arbeidstrening"))
    swedish = services_of(programme, ServiceFilters(q="arbetsträning"))
    # then
    assert "NAV Trondheim" in {s.name_nb for s in norwegian}
    assert "Arbetsförmedlingen Östersund" in {s.name_nb for s in swedish}


def test_the_demo_uses_only_made_up_contact_details(programme: Programme) -> None:
    # when
    services = list(Service.objects.all())
    # then
    assert all(s.email.endswith("@example.test") for s in services)
    assert all(s.phone.startswith(("+47 400 00 0", "+46 70 000 00 ")) for s in services)


def test_loading_the_demo_service_map_again_changes_nothing(programme: Programme) -> None:
    # given
    before = (Service.objects.count(), Pathway.objects.count(), PathwayStep.objects.count())
    # when
    load_service_map(programme)
    # then
    after = (Service.objects.count(), Pathway.objects.count(), PathwayStep.objects.count())
    assert after == before


def test_the_demo_publishes_the_service_map(programme: Programme) -> None:
    # then
    assert programme.service_map_settings.published


def test_the_public_service_map_address_in_the_readme_opens_the_demo_map(
    programme: Programme, client: Client
) -> None:
    # given
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    address = re.search(r"http://127\.0\.0\.1:8000(/public/[^\s)]+)", readme)
    assert address is not None, "the README gives no public service-map address"
    # when
    response = client.get(address.group(1))
    # then
    assert response.status_code == 200
    assert "NAV Trondheim" in response.content.decode()
