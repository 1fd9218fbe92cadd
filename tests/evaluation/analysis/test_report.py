"""The whole analysis, its plain-language sentences and its charts."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pandas as pd
import pytest
from django.utils import translation

from samvirke.evaluation.analysis import flow, svg, text
from samvirke.evaluation.analysis.frame import FrameError, checksum, validate
from samvirke.evaluation.analysis.report import AnalysisSpec, InstrumentSpec, run_analysis
from samvirke.evaluation.analysis.synthetic import DEFAULT_INSTRUMENTS, ProgrammeSpec, simulate

SPEC = AnalysisSpec(
    instruments=tuple(InstrumentSpec(i.code, reliability=0.85) for i in DEFAULT_INSTRUMENTS[:2]),
    primary="WHO5",
    adjust=("gender",),
)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return simulate(ProgrammeSpec(participants=500, seed=21, instruments=DEFAULT_INSTRUMENTS[:2]))


@pytest.fixture(scope="module")
def report(frame: pd.DataFrame):  # type: ignore[no-untyped-def]
    return run_analysis(frame, spec=SPEC)


def test_the_report_covers_every_instrument_with_every_analysis(report) -> None:  # type: ignore[no-untyped-def]
    assert [r.instrument for r in report.results] == ["WHO5", "SWEMWBS"]
    first = report.results[0]
    assert first.flow[0].enrolled == 500
    assert first.prepost.reliable is not None
    assert first.mixed.converged
    assert [e.name for e in first.causal.msm] == ["work", "peer", "work+peer"]


def test_the_report_names_its_data_snapshot_and_software(report, frame) -> None:  # type: ignore[no-untyped-def]
    assert report.checksum == checksum(validate(frame))
    assert set(report.versions) == {"python", "numpy", "scipy", "pandas", "statsmodels"}


def test_rerunning_on_the_same_data_gives_the_same_numbers(report, frame) -> None:  # type: ignore[no-untyped-def]
    again = run_analysis(frame.sample(frac=1.0, random_state=3), spec=SPEC)
    assert again.checksum == report.checksum
    assert again.results[0].causal.msm == report.results[0].causal.msm


def test_a_changed_score_changes_the_checksum(frame: pd.DataFrame) -> None:
    changed = frame.copy()
    changed.loc[0, "score"] += 1
    assert checksum(changed) != checksum(frame)


def test_a_frame_without_scores_is_refused() -> None:
    with pytest.raises(FrameError, match="score"):
        validate(pd.DataFrame({"participant": ["a"], "time": [0], "months": [0.0]}))


def test_an_exposure_that_is_not_zero_or_one_is_refused(frame: pd.DataFrame) -> None:
    with pytest.raises(FrameError, match="exp_work"):
        validate(frame.assign(exp_work=2.0))


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "observational estimate"), ("nb", "observasjonsstudie"), ("sv", "observationsstudie")],
)
def test_effect_sentences_are_in_the_readers_language(report, language: str, words: str) -> None:  # type: ignore[no-untyped-def]
    effect = report.results[0].causal.effect("work+peer")
    with translation.override(language):
        sentence = text.effect_sentence(effect=effect, instrument="WHO-5", labels={})
    assert words in sentence
    assert "work" in sentence and "peer" in sentence


def test_numbers_use_a_decimal_comma_in_norwegian_and_swedish() -> None:
    with translation.override("nb"):
        assert text.number(-9.25) == "−9,2" or text.number(-9.25) == "−9,3"
    with translation.override("en"):
        assert text.number(2.5) == "2.5"


def test_prepost_sentence_gives_the_reliable_change_counts(report) -> None:  # type: ignore[no-untyped-def]
    result = report.results[0].prepost
    with translation.override("en"):
        sentence = text.prepost_sentence(instrument="WHO-5", result=result)
    assert f"{result.n} people" in sentence
    assert "improved reliably" in sentence


def test_flow_sentence_reads_suppressed_cells_as_a_few() -> None:
    counts = flow.Flow("programme", 40, 38, (3,), 37)
    with translation.override("en"):
        sentence = text.flow_sentence(flow.suppress([counts])[0])
    assert sentence.startswith("40 enrolled") and "a few" in sentence


def parse(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(markup)  # noqa: S314 (our own output)


def test_trajectory_chart_is_valid_svg_with_a_table_of_means(frame: pd.DataFrame) -> None:
    chart = svg.trajectories(
        frame,
        instrument="WHO5",
        title="WHO-5 <over time>",
        x_label="Months",
        y_label="Score",
        caption="Mean WHO-5",
        header=("Time point", "Months", "n", "Mean", "95% CI"),
    )
    root = parse(chart.svg)
    assert root.tag.endswith("svg") and root.get("role") == "img"
    assert "&lt;over time&gt;" in chart.svg
    assert len(parse(chart.table).findall(".//tbody/tr")) == 4
    assert "P00" not in chart.table


def test_no_chart_carries_script_or_external_resources(frame: pd.DataFrame, report) -> None:  # type: ignore[no-untyped-def]
    rows = [
        svg.ForestRow(e.name, e.estimate, e.low, e.high, n.estimate)
        for e, n in zip(report.results[0].causal.msm, report.results[0].causal.naive, strict=True)
    ]
    charts = [
        svg.forest(
            rows, title="Effects", x_label="Points", caption="Effects", header=("", "", "", "")
        ),
        svg.flow_diagram(
            report.results[0].flow,
            title="Flow",
            stage_labels=["Enrolled", "Baseline", "6 m", "12 m", "18 m", "Lost"],
            group_labels={},
            caption="Flow",
        ),
    ]
    for chart in charts:
        parse(chart.svg)
        assert not re.search(r"<script|\son\w+=|href=|url\(", chart.svg)


def test_forest_table_lists_each_effect_with_its_interval(report) -> None:  # type: ignore[no-untyped-def]
    effects = report.results[0].causal.msm
    rows = [svg.ForestRow(e.name, e.estimate, e.low, e.high) for e in effects]
    chart = svg.forest(
        rows, title="Effects", x_label="Points", caption="Effects", header=("", "", "", "")
    )
    body = parse(chart.table).findall(".//tbody/tr")
    assert [r.find("th").text for r in body] == ["work", "peer", "work+peer"]  # type: ignore[union-attr]


def test_flow_diagram_shows_suppressed_cells_with_a_mark() -> None:
    flows = flow.suppress([flow.Flow("programme", 40, 38, (3,), 37)])
    chart = svg.flow_diagram(
        flows, title="Flow", stage_labels=["E", "B", "F", "L"], group_labels={}, caption="Flow"
    )
    assert "&lt;5" in chart.svg and "&lt;5" in chart.table


def test_axis_labels_never_show_a_negative_zero() -> None:
    assert svg._fmt(-0.2, 0) == "0"
    assert svg._fmt(-1.0, 0) == "-1"
