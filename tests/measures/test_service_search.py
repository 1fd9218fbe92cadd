"""Browsing and searching the service map: words in any language, filters, a steady query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import Cast
from tests.factories import (
    MeasureFactory,
    MunicipalityFactory,
    PathwayFactory,
    PathwayStepFactory,
    ServiceFactory,
)


def services_url(cast: Cast) -> str:
    return reverse("measures:services", args=[cast.programme.slug])


def test_search_finds_arbeidstrening_in_norwegian_text(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    ServiceFactory(programme=cast.programme, name_nb="NAV Stjørdal", offers_nb="Arbeidstrening")
    ServiceFactory(programme=cast.programme, name_nb="Kirkens hus", offers_nb="Kafé")
    # when
    response = client_for("participant").get(services_url(cast), {"q": "arbeidstrening"})
    # then
    assert [s.name_nb for s in response.context["services"]] == ["NAV Stjørdal"]


def test_search_finds_arbetstraning_in_swedish_text(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    ServiceFactory(
        programme=cast.programme,
        country="SE",
        municipality=MunicipalityFactory(country="SE", code="2380", name="Östersund"),
        name_nb="Arbetsförmedlingen Östersund",
        offers_nb="",
        offers_sv="Arbetsträning på en arbetsplats",
    )
    ServiceFactory(programme=cast.programme, name_nb="RSMH", offers_sv="Fika")
    # when
    response = client_for("coordinator").get(services_url(cast), {"q": "ARBETSTRÄNING"})
    # then
    assert [s.name_nb for s in response.context["services"]] == ["Arbetsförmedlingen Östersund"]


def test_search_ignores_the_case_of_norwegian_letters(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    ServiceFactory(programme=cast.programme, name_nb="Møteplass på Kirkens hus")
    # when
    response = client_for("guide").get(services_url(cast), {"q": "MØTEPLASS"})
    # then
    assert response.context["services"].paginator.count == 1


def test_search_needs_every_word_to_occur(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    ServiceFactory(programme=cast.programme, name_nb="NAV Trondheim", offers_nb="arbeidstrening")
    # when
    response = client_for("guide").get(services_url(cast), {"q": "arbeidstrening kafé"})
    # then
    assert response.context["services"].paginator.count == 0


def test_search_lists_the_pathways_that_mention_the_word(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    pathway = PathwayFactory(programme=cast.programme, title_nb="Fra sykmelding til jobb")
    PathwayStepFactory(pathway=pathway, title_nb="Arbeidstrening")
    PathwayFactory(programme=cast.programme, title_nb="Finne et møtested")
    # when
    response = client_for("participant").get(services_url(cast), {"q": "arbeidstrening"})
    # then
    assert list(response.context["matching_pathways"]) == [pathway]


def test_search_does_not_show_another_programmes_services(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    ServiceFactory(programme=cast.other_programme, offers_nb="arbeidstrening")
    # when
    response = client_for("leader").get(services_url(cast), {"q": "arbeidstrening"})
    # then
    assert response.context["services"].paginator.count == 0


def test_the_country_filter_shows_only_that_countrys_services(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    ServiceFactory(programme=cast.programme, name_nb="NAV Trondheim")
    ServiceFactory(
        programme=cast.programme,
        country="SE",
        municipality=MunicipalityFactory(country="SE", code="2380", name="Östersund"),
        name_nb="Försäkringskassan",
    )
    # when
    response = client_for("user_rep").get(services_url(cast), {"country": "SE"})
    # then
    assert [s.name_nb for s in response.context["services"]] == ["Försäkringskassan"]


def test_the_municipality_filter_shows_only_that_municipalitys_services(
    cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    # given
    stjordal = MunicipalityFactory(code="5035", name="Stjørdal")
    ServiceFactory(programme=cast.programme, name_nb="NAV Trondheim")
    ServiceFactory(programme=cast.programme, name_nb="NAV Stjørdal", municipality=stjordal)
    # when
    response = client_for("researcher").get(services_url(cast), {"municipality": stjordal.pk})
    # then
    assert [s.name_nb for s in response.context["services"]] == ["NAV Stjørdal"]


def test_the_provider_filter_shows_only_that_kind_of_provider(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    ServiceFactory(programme=cast.programme, name_nb="NAV Trondheim", provider_kind="nav")
    ServiceFactory(programme=cast.programme, name_nb="Fontenehuset", provider_kind="clubhouse")
    # when
    response = client_for("contact").get(services_url(cast), {"kind": "clubhouse"})
    # then
    assert [s.name_nb for s in response.context["services"]] == ["Fontenehuset"]


def test_a_bad_filter_value_is_ignored_and_the_others_still_apply(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    ServiceFactory(programme=cast.programme, name_nb="NAV Trondheim", provider_kind="nav")
    ServiceFactory(programme=cast.programme, name_nb="Fontenehuset", provider_kind="clubhouse")
    # when
    response = client_for("contact").get(
        services_url(cast), {"kind": "nav", "municipality": "999999999999999999999"}
    )
    # then
    assert response.status_code == 200
    assert [s.name_nb for s in response.context["services"]] == ["NAV Trondheim"]


@pytest.mark.parametrize("role", ["participant", "coordinator"])
def test_the_service_list_makes_as_many_queries_for_many_services_as_for_few(
    cast: Cast, role: str
) -> None:
    # given
    from tests.conftest import sign_in

    client = sign_in(Client(), cast.user(role), second_factor=role != "participant")
    url = services_url(cast)
    ServiceFactory(programme=cast.programme)
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "tjeneste"})
    for code in ("5035", "5037", "5038"):
        municipality = MunicipalityFactory(code=code, name=f"Kommune {code}")
        ServiceFactory.create_batch(6, programme=cast.programme, municipality=municipality)
    # when
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"q": "tjeneste"})
    # then
    assert response.context["services"].paginator.count == 19
    assert len(many) == len(few)


def swedish_work_training(cast: Cast) -> None:
    ServiceFactory(
        programme=cast.programme,
        country="SE",
        municipality=MunicipalityFactory(country="SE", code="2380", name="Östersund"),
        name_nb="Arbetsförmedlingen Östersund",
        name_sv="Arbetsförmedlingen Östersund",
        name_en="Arbetsförmedlingen Östersund",
        offers_nb="",
        offers_sv="Arbetsträning på en arbetsplats",
    )
    ServiceFactory(programme=cast.programme, name_nb="RSMH", offers_nb="Kafé", offers_sv="Fika")


def test_search_finds_arbetstraning_typed_without_the_a_umlaut(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    swedish_work_training(cast)
    # when
    response = client_for("guide").get(services_url(cast), {"q": "arbetstraning"})
    # then
    assert [s.name_nb for s in response.context["services"]] == ["Arbetsförmedlingen Östersund"]


def test_norwegian_arbeidstrening_finds_swedish_arbetstraning(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    swedish_work_training(cast)
    # when
    response = client_for("guide").get(services_url(cast), {"q": "Arbeidstrening"})
    # then
    assert [s.name_nb for s in response.context["services"]] == ["Arbetsförmedlingen Östersund"]


def test_a_percent_sign_in_the_search_is_an_ordinary_character(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    swedish_work_training(cast)
    # when
    response = client_for("guide").get(services_url(cast), {"q": "%"})
    # then
    assert response.context["services"].paginator.count == 0


def test_the_measures_catalogue_finds_a_swedish_measure_by_its_norwegian_name(
    cast: Cast,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    # given
    MeasureFactory(
        programme=cast.programme,
        subproject=cast.subproject,
        name_nb="Arbetsträning på Mica",
        name_sv="Arbetsträning på Mica",
        name_en="",
    )
    MeasureFactory(
        programme=cast.programme,
        subproject=cast.subproject,
        name_nb="Kafé",
        name_sv="Kafé",
        name_en="Café",
    )
    url = reverse("measures:measures", args=[cast.programme.slug])
    # when
    found = {
        query: [
            m.name_sv for m in client_for("coordinator").get(url, {"q": query}).context["measures"]
        ]
        for query in ("arbeidstrening", "arbetstraning", "kafe")
    }
    # then
    assert found == {
        "arbeidstrening": ["Arbetsträning på Mica"],
        "arbetstraning": ["Arbetsträning på Mica"],
        "kafe": ["Kafé"],
    }
