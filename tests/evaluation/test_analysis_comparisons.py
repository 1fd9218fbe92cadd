"""The evaluation page's comparisons by group, the charts as SVG files, and downloads in the
audit log."""

from __future__ import annotations

import re
import struct

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from samvirke.accounts.permissions import access_for
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.evaluation.analysis import raster
from samvirke.evaluation.analysis_services import execute_analysis, request_analysis
from samvirke.evaluation.models import AnalysisRun
from samvirke.participants.models import Participant
from tests.conftest import Cast, sign_in
from tests.evaluation.analysis_data import small_cohort
from tests.factories import SubprojectFactory

pytestmark = pytest.mark.django_db

SUBPROJECT = "Lille Nabolag"


def said(message: str) -> str:
    with translation.override("nb"):
        return translation.gettext(message)


def run_with_small_subproject(cast: Cast) -> AnalysisRun:
    """A finished analysis of 60 people, three of whom are in a subproject of their own."""
    call_command("load_instruments", verbosity=0)
    small_cohort(cast.programme, people=60)
    subproject = SubprojectFactory(programme=cast.programme, name=SUBPROJECT)
    for participant in Participant.objects.filter(programme=cast.programme).order_by("pk")[:3]:
        participant.subprojects.add(subproject)
    access = access_for(cast.coordinator, cast.programme)
    run = request_analysis(
        actor=Actor.of_user(cast.coordinator), access=access, grouping="kind", adjust=[], seed=1
    )
    return execute_analysis(run=run)


def subproject_row(html: str) -> str:
    row = re.search(rf'<th scope="row">{SUBPROJECT}</th>(.*?)</tr>', html, re.S)
    assert row is not None, "no row for the subproject"
    return row.group(1)


def test_a_researcher_sees_the_exact_n_of_a_small_subproject(cast: Cast) -> None:
    # given a finished analysis where a subproject holds three people with both scores
    run = run_with_small_subproject(cast)
    rows = run.result["instruments"][0]["comparisons"]["rows"]
    assert any(r["n"] == 3 for r in rows if r["scope"].startswith("subproject:"))
    # when the researcher opens the evaluation page
    url = reverse("evaluation:evaluation", args=[cast.programme.slug])
    html = sign_in(Client(), cast.researcher).get(url).content.decode()
    # then the table of change by subproject gives its exact n
    assert said("Change by group") in html
    assert subproject_row(html).startswith("<td>3</td>")


def test_a_user_representative_sees_a_small_subproject_hidden(cast: Cast) -> None:
    # given the same analysis
    run_with_small_subproject(cast)
    # when a user representative opens the evaluation page
    url = reverse("evaluation:evaluation", args=[cast.programme.slug])
    html = sign_in(Client(), cast.user_rep).get(url).content.decode()
    # then the subproject's row says fewer than five and shows no change
    row = subproject_row(html)
    assert said("fewer than 5") in row
    assert "<td>3</td>" not in row


def test_a_user_representatives_comparisons_hold_no_group_of_one_to_four(cast: Cast) -> None:
    # given the same analysis
    run = run_with_small_subproject(cast)
    # when its comparisons are read as a user representative sees them
    for instrument in run.result["instruments"]:
        data = instrument["comparisons"]
        exact = {r["scope"]: r["n"] for r in data["rows"]}
        shown = [r["scope"] for r in data["disclosed"] if r["n"] is not None]
        # then each shown group has at least five people, and so does the programme minus it
        for scope in shown:
            assert exact[scope] >= 5
            assert not 0 < exact["programme"] - exact[scope] < 5


def test_a_user_representative_gets_no_breakdown_by_measure_to_subtract_from_the_flow(
    cast: Cast,
) -> None:
    # given the same analysis
    run_with_small_subproject(cast)
    url = reverse("evaluation:evaluation", args=[cast.programme.slug])
    # when
    researcher = sign_in(Client(), cast.researcher).get(url).content.decode()
    user_rep = sign_in(Client(), cast.user_rep).get(url).content.decode()
    # then the flow's baseline count of a measure has no n of the same measure beside it
    assert 'data-dimension="measure"' in researcher
    assert 'data-dimension="measure"' not in user_rep
    assert 'data-dimension="subproject"' in user_rep


def chart_url(cast: Cast, run: AnalysisRun, chart: str) -> str:
    return reverse(
        "evaluation:evaluation_chart", args=[cast.programme.slug, run.public_id, "who5", chart]
    )


def test_a_researcher_downloads_a_chart_as_an_svg_file(cast: Cast) -> None:
    # given a finished analysis
    run = run_with_small_subproject(cast)
    # when the researcher downloads its flow diagram
    response = sign_in(Client(), cast.researcher).post(chart_url(cast, run, "flow"))
    # then it is an SVG file to save
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in response["Content-Disposition"]
    assert b"<svg" in response.content


needs_cairo = pytest.mark.skipif(
    not raster.available(),
    reason="CairoSVG cannot load libcairo here (apt-get install libcairo2, or make "
    "system-packages); the pages then offer SVG downloads only",
)


def png_url(cast: Cast, run: AnalysisRun, chart: str) -> str:
    return reverse(
        "evaluation:evaluation_chart_png", args=[cast.programme.slug, run.public_id, "who5", chart]
    )


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk (right after the 8-byte signature)."""
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@needs_cairo
def test_a_researcher_downloads_a_chart_as_a_png_image(cast: Cast) -> None:
    # given a finished analysis
    run = run_with_small_subproject(cast)
    client = sign_in(Client(), cast.researcher)
    # when the researcher downloads its forest plot as PNG
    response = client.post(png_url(cast, run, "forest"))
    # then it is a PNG to save, drawn at twice the SVG's size
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert 'filename="' in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.png"')
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    svg = client.post(chart_url(cast, run, "forest")).content.decode()
    width, height = (float(v) for v in re.search(r'width="(\d+)" height="(\d+)"', svg).groups())  # type: ignore[union-attr]
    assert png_size(response.content) == (2 * width, 2 * height)


@needs_cairo
def test_a_user_representatives_png_is_their_suppressed_svg(cast: Cast) -> None:
    # given a finished analysis with small flow counts
    run = run_with_small_subproject(cast)
    rep = sign_in(Client(), cast.user_rep)
    # when the user representative downloads the flow diagram as SVG and as PNG
    svg = rep.post(chart_url(cast, run, "flow")).content.decode()
    png = rep.post(png_url(cast, run, "flow")).content
    researcher = sign_in(Client(), cast.researcher).post(png_url(cast, run, "flow")).content
    # then the PNG is their SVG (with its hidden counts) drawn, not the researcher's chart
    assert "&lt;5" in svg
    body = svg.split("\n", 1)[1]
    assert png == raster.svg_to_png(body)
    assert png != researcher


@needs_cairo
def test_png_downloads_are_in_the_audit_log(cast: Cast) -> None:
    # given a finished analysis
    run = run_with_small_subproject(cast)
    # when the researcher downloads a chart as PNG
    sign_in(Client(), cast.researcher).post(png_url(cast, run, "trajectories"))
    # then the download is in the audit log, naming the format and chart
    entry = AuditEntry.objects.get(object_id=str(run.public_id), action="export")
    assert entry.detail == {"format": "png", "chart": "trajectories", "instrument": "who5"}


@needs_cairo
def test_the_page_offers_each_chart_as_png_beside_svg(cast: Cast) -> None:
    # given a finished analysis
    run = run_with_small_subproject(cast)
    # when the researcher opens the evaluation page
    url = reverse("evaluation:evaluation", args=[cast.programme.slug])
    html = sign_in(Client(), cast.researcher).get(url).content.decode()
    # then every chart with an SVG download has a PNG one too
    for chart in ("flow", "trajectories", "forest"):
        assert png_url(cast, run, chart) in html
    assert html.count(".png") == html.count(".svg")


def test_without_libcairo_no_png_is_offered_or_served(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a finished analysis on a machine where libcairo cannot be loaded
    run = run_with_small_subproject(cast)
    monkeypatch.setattr(raster, "available", lambda: False)
    client = sign_in(Client(), cast.researcher)
    # when the researcher opens the page and asks for a PNG anyway
    html = client.get(reverse("evaluation:evaluation", args=[cast.programme.slug])).content
    response = client.post(png_url(cast, run, "flow"))
    # then the page links SVG only and the PNG is not found
    assert b".svg" in html and b".png" not in html
    assert response.status_code == 404


def test_a_user_representatives_svg_hides_what_their_page_hides(cast: Cast) -> None:
    # given a finished analysis with small flow counts
    run = run_with_small_subproject(cast)
    # when a user representative and the researcher download the flow diagram
    rep = sign_in(Client(), cast.user_rep).post(chart_url(cast, run, "flow")).content.decode()
    researcher = sign_in(Client(), cast.researcher).post(chart_url(cast, run, "flow"))
    # then the user representative's chart marks the hidden counts, the researcher's differs
    assert "&lt;5" in rep
    assert researcher.content.decode() != rep


def test_an_unknown_chart_is_not_found(cast: Cast) -> None:
    # given a finished analysis
    run = run_with_small_subproject(cast)
    # when someone asks for a chart that does not exist
    response = sign_in(Client(), cast.researcher).post(chart_url(cast, run, "pie"))
    # then nothing is found
    assert response.status_code == 404


def test_downloads_of_reports_and_charts_are_in_the_audit_log(cast: Cast) -> None:
    # given a finished analysis
    run = run_with_small_subproject(cast)
    client = sign_in(Client(), cast.researcher)
    slug = cast.programme.slug
    # when the researcher downloads the report as HTML and PDF and one chart as SVG
    client.post(reverse("evaluation:evaluation_report", args=[slug, run.public_id]))
    client.post(reverse("evaluation:evaluation_report_pdf", args=[slug, run.public_id]))
    client.post(chart_url(cast, run, "trajectories"))
    # then each download is in the audit log, by format, naming the run and no participant
    entries = AuditEntry.objects.filter(object_id=str(run.public_id), action="export")
    formats = sorted(e.detail["format"] for e in entries)
    assert formats == ["html", "pdf", "svg"]
    pseudonyms = Participant.objects.values_list("pseudonym", flat=True)
    for entry in entries:
        assert not any(p in str(entry.detail) + entry.object_label for p in pseudonyms)


def test_the_report_carries_the_comparison_tables(cast: Cast) -> None:
    # given a finished analysis
    run = run_with_small_subproject(cast)
    # when the coordinator opens its HTML report
    url = reverse("evaluation:evaluation_report", args=[cast.programme.slug, run.public_id])
    html = sign_in(Client(), cast.coordinator).post(url).content.decode()
    # then the change by group is in it, by country and by subproject, and no download link is
    assert 'data-dimension="country"' in html and 'data-dimension="subproject"' in html
    assert ".svg" not in html


def test_a_result_with_no_spread_is_stored_with_blanks_instead_of_nan() -> None:
    # given a result where a group's d_z could not be worked out
    from samvirke.evaluation.analysis_services import json_safe

    result = {"comparisons": [{"n": 5, "d_z": {"value": float("nan"), "low": float("inf")}}]}
    # when
    stored = json_safe(result)
    # then
    assert stored == {"comparisons": [{"n": 5, "d_z": {"value": None, "low": None}}]}


def test_a_get_of_a_report_or_chart_is_refused_and_writes_nothing(cast: Cast) -> None:
    # given a finished analysis
    run = run_with_small_subproject(cast)
    client = sign_in(Client(), cast.researcher)
    slug = cast.programme.slug
    before = AuditEntry.objects.count()
    # when the researcher's browser (or a prefetch) GETs each download
    answers = [
        client.get(reverse("evaluation:evaluation_report", args=[slug, run.public_id])),
        client.get(reverse("evaluation:evaluation_report_pdf", args=[slug, run.public_id])),
        client.get(chart_url(cast, run, "flow")),
        client.get(png_url(cast, run, "flow")),
    ]
    # then each is refused and nothing is in the audit log
    assert [response.status_code for response in answers] == [405, 405, 405, 405]
    assert AuditEntry.objects.count() == before


def test_the_page_offers_the_reports_and_charts_as_post_buttons(cast: Cast) -> None:
    # given a finished analysis
    run = run_with_small_subproject(cast)
    slug = cast.programme.slug
    # when the researcher opens the evaluation page
    url = reverse("evaluation:evaluation", args=[slug])
    html = sign_in(Client(), cast.researcher).get(url).content.decode()
    # then the downloads are buttons of forms that post, not links
    report = reverse("evaluation:evaluation_report", args=[slug, run.public_id])
    assert f'<form method="post" action="{report}">' in html
    assert f'<form method="post" action="{chart_url(cast, run, "flow")}">' in html
    pdf = reverse("evaluation:evaluation_report_pdf", args=[slug, run.public_id])
    assert f'formaction="{pdf}"' in html
    assert "href=" not in html.split('class="downloads"', 1)[1].split("</p>", 1)[0]


def test_the_svg_download_names_the_file_for_the_programme_chart_and_run(cast: Cast) -> None:
    # given a finished analysis
    run = run_with_small_subproject(cast)
    # when the researcher downloads the flow diagram
    response = sign_in(Client(), cast.researcher).post(chart_url(cast, run, "flow"))
    # then the file is named as before the download became a POST
    stamp = f"{run.finished_at:%Y%m%d-%H%M}"
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="evaluation-{cast.programme.slug}-who5-flow-{stamp}.svg"'
    )
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<svg')
