"""The public service map: only when the programme publishes it, read-only, no personal data."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.measures.models import ServiceMapSettings
from samvirke.measures.services import publish_service_map
from tests.conftest import Cast
from tests.factories import PathwayFactory, PathwayStepFactory, ServiceFactory


def public_url(cast: Cast) -> str:
    return reverse("measures:public_services", args=[cast.programme.slug])


def publish(cast: Cast) -> None:
    publish_service_map(actor=Actor.of_user(cast.leader), programme=cast.programme, published=True)


def test_the_public_map_answers_404_until_it_is_published(cast: Cast) -> None:
    # given
    ServiceFactory(programme=cast.programme)
    # when
    response = Client().get(public_url(cast))
    # then
    assert response.status_code == 404


def test_a_public_service_page_answers_404_until_the_map_is_published(cast: Cast) -> None:
    # given
    service = ServiceFactory(programme=cast.programme)
    # when
    response = Client().get(
        reverse("measures:public_service", args=[cast.programme.slug, service.pk])
    )
    # then
    assert response.status_code == 404


def test_anyone_reads_the_published_map_without_signing_in(cast: Cast) -> None:
    # given
    ServiceFactory(programme=cast.programme, name_nb="NAV Stjørdal", offers_nb="arbeidstrening")
    publish(cast)
    # when
    response = Client().get(public_url(cast), {"q": "arbeidstrening"})
    # then
    assert response.status_code == 200
    assert "NAV Stjørdal" in response.content.decode()
    assert response["Cache-Control"].startswith("public")


def test_the_public_map_shows_no_edit_links(cast: Cast) -> None:
    # given
    service = ServiceFactory(programme=cast.programme)
    step = PathwayStepFactory(pathway__programme=cast.programme, service=service)
    publish(cast)
    slug = cast.programme.slug
    pages = [
        public_url(cast),
        reverse("measures:public_service", args=[slug, service.pk]),
        reverse("measures:public_pathways", args=[slug]),
        reverse("measures:public_pathway", args=[slug, step.pathway.pk]),
        reverse("measures:public_pathway_compare", args=[slug, step.pathway.situation]),
    ]
    # when
    bodies = [Client().get(page).content.decode() for page in pages]
    # then
    assert all("/edit/" not in body and "/new/" not in body for body in bodies)
    assert all(f"/p/{slug}/" not in body for body in bodies)


def test_the_public_map_does_not_show_another_programmes_service(cast: Cast) -> None:
    # given
    publish(cast)
    other = ServiceFactory(programme=cast.other_programme)
    # when
    response = Client().get(
        reverse("measures:public_service", args=[cast.programme.slug, other.pk])
    )
    # then
    assert response.status_code == 404


def test_a_manager_publishes_the_map_and_the_change_is_logged(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    client = client_for("coordinator")
    url = reverse("measures:service_map_publication", args=[cast.programme.slug])
    # when
    response = client.post(url, {"published": "on"})
    # then
    assert response.status_code == 302
    assert ServiceMapSettings.objects.get(programme=cast.programme).published
    assert AuditEntry.objects.filter(object_type="measures.servicemapsettings").exists()


def test_a_manager_withdraws_the_map_from_the_public(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    publish(cast)
    url = reverse("measures:service_map_publication", args=[cast.programme.slug])
    # when
    client_for("leader").post(url, {})
    # then
    assert Client().get(public_url(cast)).status_code == 404


def test_a_participant_cannot_publish_the_map(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    url = reverse("measures:service_map_publication", args=[cast.programme.slug])
    # when
    response = client_for("participant").post(url, {"published": "on"})
    # then
    assert response.status_code == 403
    assert not ServiceMapSettings.objects.filter(published=True).exists()


def test_a_pathway_of_an_unpublished_programme_is_not_public(cast: Cast) -> None:
    # given
    pathway = PathwayFactory(programme=cast.programme)
    # when
    response = Client().get(
        reverse("measures:public_pathway_compare", args=[cast.programme.slug, pathway.situation])
    )
    # then
    assert response.status_code == 404
