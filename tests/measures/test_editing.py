"""Managers keep the service map; everyone else in the programme reads it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samvirke.audit.models import AuditEntry
from samvirke.measures.models import Pathway, PathwayStep, Service
from tests.conftest import Cast, sign_in
from tests.factories import MunicipalityFactory, PathwayFactory, PathwayStepFactory, ServiceFactory


def service_data(**changes: Any) -> dict[str, Any]:
    trondheim = MunicipalityFactory()
    return {
        "name_nb": "Fontenehuset Trondheim",
        "provider_kind": "clubhouse",
        "country": "NO",
        "municipality": trondheim.pk,
        "offers_nb": "Arbeidstrening i kafeen",
        "phone": "+47 400 00 006",
        "email": "fontenehuset@example.test",
        **changes,
    }


def new_service_url(cast: Cast) -> str:
    return reverse("measures:service_new", args=[cast.programme.slug])


def test_a_coordinator_adds_a_service(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # when
    response = client_for("coordinator").post(new_service_url(cast), service_data())
    # then
    service = Service.objects.get(programme=cast.programme)
    assert response.status_code == 302
    assert service.name_nb == "Fontenehuset Trondheim"
    assert AuditEntry.objects.filter(action="create", object_type="measures.service").exists()


def test_a_missing_name_is_refused_in_norwegian_and_nothing_is_saved(cast: Cast) -> None:
    # given
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="nb"), cast.leader)
    # when
    response = client.post(new_service_url(cast), service_data(name_nb=""))
    # then
    assert response.status_code == 400
    assert "Feltet er påkrevet." in response.content.decode()
    assert not Service.objects.exists()


def test_a_municipality_in_the_other_country_is_refused_and_nothing_is_saved(cast: Cast) -> None:
    # given
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.leader)
    # when
    response = client.post(new_service_url(cast), service_data(country="SE"))
    # then
    assert response.status_code == 400
    assert "The municipality is not in the country you chose." in response.content.decode()
    assert not Service.objects.exists()


def test_a_coordinator_edits_a_service(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    service = ServiceFactory(programme=cast.programme)
    url = reverse("measures:service_edit", args=[cast.programme.slug, service.pk])
    # when
    client_for("coordinator").post(url, service_data(name_nb="NAV Stjørdal"))
    # then
    service.refresh_from_db()
    assert service.name_nb == "NAV Stjørdal"


def test_a_second_pathway_for_the_same_situation_and_country_is_refused(
    cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    # given
    PathwayFactory(programme=cast.programme, situation="finding-a-meeting-place", country="NO")
    url = reverse("measures:pathway_new", args=[cast.programme.slug])
    data = {"situation": "finding-a-meeting-place", "country": "NO", "title_nb": "Møtested"}
    # when
    response = client_for("leader").post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    # then
    assert response.status_code == 400
    assert Pathway.objects.count() == 1


def test_the_swedish_pathway_for_the_same_situation_is_accepted(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    PathwayFactory(programme=cast.programme, situation="finding-a-meeting-place", country="NO")
    url = reverse("measures:pathway_new", args=[cast.programme.slug])
    data = {"situation": "finding-a-meeting-place", "country": "SE", "title_nb": "Mötesplats"}
    # when
    response = client_for("leader").post(url, data)
    # then
    assert response.status_code == 302
    assert Pathway.objects.filter(country="SE").exists()


def test_a_step_cannot_point_to_a_service_in_the_other_country(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    pathway = PathwayFactory(programme=cast.programme, country="SE")
    norwegian = ServiceFactory(programme=cast.programme, country="NO")
    url = reverse("measures:pathway_step_new", args=[cast.programme.slug, pathway.pk])
    # when
    response = client_for("coordinator").post(
        url, {"position": 1, "title_nb": "Arbetsträning", "service": norwegian.pk}
    )
    # then
    assert response.status_code == 400
    assert not PathwayStep.objects.exists()


def test_a_coordinator_adds_a_step_to_a_pathway(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    pathway = PathwayFactory(programme=cast.programme)
    url = reverse("measures:pathway_step_new", args=[cast.programme.slug, pathway.pk])
    # when
    client_for("coordinator").post(url, {"position": 1, "title_nb": "Arbeidstrening"})
    # then
    assert [step.title_nb for step in pathway.steps.all()] == ["Arbeidstrening"]


def test_a_coordinator_removes_a_step(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    step = PathwayStepFactory(pathway__programme=cast.programme)
    url = reverse("measures:pathway_step_remove", args=[cast.programme.slug, step.pk])
    # when
    client_for("coordinator").post(url)
    # then
    assert not PathwayStep.objects.exists()


def test_a_participant_browses_the_service_map(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    service = ServiceFactory(programme=cast.programme)
    # when
    response = client_for("participant").get(
        reverse("measures:service", args=[cast.programme.slug, service.pk])
    )
    # then
    assert response.status_code == 200
    assert "/edit/" not in response.content.decode()


@pytest.mark.parametrize("role", ["participant", "contact", "guide", "user_rep", "researcher"])
def test_only_managers_add_services(cast: Cast, client_for, role: str) -> None:  # type: ignore[no-untyped-def]
    # when
    response = client_for(role).post(new_service_url(cast), service_data())
    # then
    assert response.status_code == 403
    assert not Service.objects.exists()


def test_the_service_map_link_is_in_the_participants_navigation(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # when
    response = client_for("participant").get(
        reverse("programmes:dashboard", args=[cast.programme.slug])
    )
    # then
    assert reverse("measures:services", args=[cast.programme.slug]) in response.content.decode()
