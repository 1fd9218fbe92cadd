"""Pathways: a Norwegian and a Swedish pathway for the same situation, read side by side."""

from __future__ import annotations

from django.urls import reverse

from tests.conftest import Cast
from tests.factories import PathwayFactory, PathwayStepFactory, ServiceFactory


def a_pair(cast: Cast) -> None:
    norway = PathwayFactory(
        programme=cast.programme,
        situation="sick-leave-to-work-trial",
        country="NO",
        title_nb="Fra sykmelding til arbeidstrening",
    )
    sweden = PathwayFactory(
        programme=cast.programme,
        situation="sick-leave-to-work-trial",
        country="SE",
        title_nb="Från sjukskrivning till arbetsträning",
    )
    # Written out of order on purpose: the page shows them by their position.
    PathwayStepFactory(pathway=norway, position=2, title_nb="Dialogmøte i NAV")
    PathwayStepFactory(pathway=norway, position=1, title_nb="Sykmelding fra fastlegen")
    PathwayStepFactory(pathway=norway, position=3, title_nb="Arbeidstrening")
    PathwayStepFactory(pathway=sweden, position=2, title_nb="Avstämningsmöte")
    PathwayStepFactory(pathway=sweden, position=1, title_nb="Läkarintyg")


def compare_url(cast: Cast) -> str:
    return reverse(
        "measures:pathway_compare", args=[cast.programme.slug, "sick-leave-to-work-trial"]
    )


def test_the_side_by_side_page_shows_the_norwegian_steps_in_order(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    a_pair(cast)
    # when
    response = client_for("participant").get(compare_url(cast), HTTP_ACCEPT_LANGUAGE="nb")
    # then
    html = response.content.decode()
    steps = ["Sykmelding fra fastlegen", "Dialogmøte i NAV", "Arbeidstrening"]
    positions = [html.index(step) for step in steps]
    assert positions == sorted(positions)


def test_the_side_by_side_page_shows_the_swedish_steps_after_the_norwegian(
    cast: Cast, client_for
) -> None:  # type: ignore[no-untyped-def]
    # given
    a_pair(cast)
    # when
    response = client_for("participant").get(compare_url(cast))
    # then
    html = response.content.decode()
    order = ["pathway-norway", "Arbeidstrening", "pathway-sweden", "Läkarintyg", "Avstämningsmöte"]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)


def test_the_side_by_side_page_lays_the_countries_out_as_columns(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    a_pair(cast)
    # when
    response = client_for("guide").get(compare_url(cast))
    # then
    assert response.content.decode().count('<section aria-labelledby="pathway-') == 2
    assert 'class="side-by-side"' in response.content.decode()


def test_a_situation_without_pathways_answers_404(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    PathwayFactory(programme=cast.other_programme, situation="sick-leave-to-work-trial")
    # when
    response = client_for("leader").get(compare_url(cast))
    # then
    assert response.status_code == 404


def test_the_pathway_list_pairs_the_countries_by_situation(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    a_pair(cast)
    PathwayFactory(programme=cast.programme, situation="finding-a-meeting-place", country="SE")
    # when
    response = client_for("participant").get(
        reverse("measures:pathways", args=[cast.programme.slug])
    )
    # then
    pairs = [(s.key, s.has_pair) for s in response.context["situations"]]
    assert pairs == [("finding-a-meeting-place", False), ("sick-leave-to-work-trial", True)]


def test_a_step_links_to_its_service(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # given
    service = ServiceFactory(programme=cast.programme, name_nb="Fontenehuset Trondheim")
    step = PathwayStepFactory(pathway__programme=cast.programme, service=service)
    # when
    response = client_for("participant").get(
        reverse("measures:pathway", args=[cast.programme.slug, step.pathway.pk])
    )
    # then
    assert reverse("measures:service", args=[cast.programme.slug, service.pk]) in (
        response.content.decode()
    )
