"""The catalogue of measures: filters by municipality, kind, status, subproject and language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samvirke.accounts.permissions import access_for
from samvirke.measures.models import Measure
from samvirke.measures.selectors import MeasureFilters, measures_of
from tests.conftest import Cast
from tests.factories import EnrolmentFactory, MeasureFactory, MunicipalityFactory
from tests.measures.people import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(cast: Cast) -> dict[str, Measure]:
    ostersund = MunicipalityFactory(country="SE", code="2380", name="Östersund")
    return {
        "cafe": MeasureFactory(
            programme=cast.programme,
            subproject=cast.other_subproject,
            name_nb="Arbeidstrening på Kirkens hus kafé",
            kind="work_training",
            status="running",
        ),
        "circle": MeasureFactory(
            programme=cast.programme,
            subproject=cast.subproject,
            name_nb="Studiesirkel: egen bedrift",
            kind="study_circle",
            status="piloting",
        ),
        "rsmh": MeasureFactory(
            programme=cast.programme,
            subproject=cast.subproject,
            name_nb="Arbetsträning på RSMH:s café",
            kind="work_training",
            status="paused",
            country="SE",
            municipality=ostersund,
            language="sv",
        ),
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": "work_training"}, {"cafe", "rsmh"}),
        ({"status": "piloting"}, {"circle"}),
        ({"language": "sv"}, {"rsmh"}),
        ({"kind": "work_training", "language": "nb"}, {"cafe"}),
    ],
)
def test_the_catalogue_filters_by_kind_status_and_language(
    cast: Cast, catalogue: dict[str, Measure], filters: dict[str, str], expected: set[str]
) -> None:
    # given
    access = access_for(cast.coordinator, cast.programme)
    # when
    found = set(measures_of(access, MeasureFilters(**filters)))  # type: ignore[arg-type]
    # then
    assert found == {catalogue[key] for key in expected}


def test_the_catalogue_filters_by_municipality_and_subproject(
    cast: Cast, catalogue: dict[str, Measure]
) -> None:
    # given
    access = access_for(cast.coordinator, cast.programme)
    ostersund = catalogue["rsmh"].municipality
    assert ostersund is not None
    # when
    in_ostersund = set(measures_of(access, MeasureFilters(municipality=ostersund.pk)))
    in_subproject = set(measures_of(access, MeasureFilters(subproject=cast.other_subproject.pk)))
    # then
    assert in_ostersund == {catalogue["rsmh"]}
    assert in_subproject == {catalogue["cafe"]}


def test_the_catalogue_page_shows_only_matching_measures(
    cast: Cast, catalogue: dict[str, Measure], client_for
) -> None:  # type: ignore[no-untyped-def]
    # when
    response = client_for("researcher").get(url("measures", cast), {"kind": "study_circle"})
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "Studiesirkel: egen bedrift" in html
    assert "Kirkens hus kafé" not in html


def test_a_bad_filter_value_is_ignored_and_the_others_still_apply(
    cast: Cast, catalogue: dict[str, Measure], client_for
) -> None:  # type: ignore[no-untyped-def]
    # when
    response = client_for("coordinator").get(
        url("measures", cast), {"kind": "no-such-kind", "status": "paused"}
    )
    # then
    html = response.content.decode()
    assert "RSMH:s café" in html
    assert "Studiesirkel" not in html


def test_participants_do_not_browse_the_catalogue(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # when
    response = client_for("participant").get(url("measures", cast))
    # then
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_busy_measure_shows_its_people_fifty_at_a_time(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given a measure with 55 active people and one waiting
    measure = MeasureFactory(programme=cast.programme, subproject=cast.subproject)
    EnrolmentFactory.create_batch(55, measure=measure)
    waiting = EnrolmentFactory(measure=measure, status="waiting", position=1)
    client = client_for("coordinator")
    page_url = reverse("measures:measure", args=[cast.programme.slug, measure.pk])
    # when
    first = client.post(page_url, {"reveal": "people"}).content.decode()
    second = client.post(f"{page_url}?page=2", {"reveal": "people"}).content.decode()
    # then
    rows = '<th scope="row"><a href="/p/'
    assert first.count(rows) == 50 and second.count(rows) == 5
    assert waiting.participant.pseudonym in first and waiting.participant.pseudonym in second
