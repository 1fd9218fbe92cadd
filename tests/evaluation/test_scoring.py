"""Scoring checked against examples worked out by hand from the published scoring rules."""

from __future__ import annotations

import json
from typing import Any

import pytest

from samvirke.evaluation.instrument_files import BUNDLED_DIR
from samvirke.evaluation.scoring import answer_problem, reliable_change_index, score


def definition(key: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((BUNDLED_DIR / f"{key}.json").read_text())
    return loaded


def total(key: str, answers: dict[str, int | None]) -> Any:
    return next(s for s in score(definition(key), answers) if s.scale in ("total", "level_sum"))


def test_who5_raw_score_is_multiplied_by_four() -> None:
    # 5 + 4 + 3 + 2 + 1 = 15 raw, × 4 = 60.
    result = total("who5", {"who5_1": 5, "who5_2": 4, "who5_3": 3, "who5_4": 2, "who5_5": 1})
    assert (result.raw, result.value, result.band) == (15, 60, "good")


def test_who5_with_one_item_missing_is_prorated() -> None:
    # (3 + 3 + 3 + 4) / 4 × 5 = 16.25 raw, × 4 = 65.
    result = total("who5", {"who5_1": 3, "who5_2": 3, "who5_3": 3, "who5_4": 4, "who5_5": None})
    assert (result.raw, result.value, result.prorated) == (16.25, 65, True)


def test_who5_with_two_items_missing_has_no_score() -> None:
    result = total("who5", {"who5_1": 3, "who5_2": 3, "who5_3": 3})
    assert (result.value, result.band, result.answered) == (None, "", 3)


def test_who5_at_28_or_below_falls_in_the_possible_depression_band() -> None:
    # 1 + 1 + 2 + 2 + 1 = 7 raw, × 4 = 28.
    result = total("who5", {"who5_1": 1, "who5_2": 1, "who5_3": 2, "who5_4": 2, "who5_5": 1})
    assert (result.value, result.band) == (28, "likely_depression")


def test_phq9_of_ten_is_moderate() -> None:
    answers: dict[str, int | None] = {
        f"phq9_{i}": v for i, v in enumerate([2, 2, 1, 1, 1, 1, 1, 1, 0], 1)
    }
    result = total("phq9", answers)
    assert (result.value, result.band) == (10, "moderate")


def test_gad7_of_fifteen_is_severe() -> None:
    answers: dict[str, int | None] = {
        f"gad7_{i}": v for i, v in enumerate([3, 3, 3, 2, 2, 1, 1], 1)
    }
    assert total("gad7", answers).band == "severe"


def test_osss3_is_not_scored_with_an_item_missing() -> None:
    assert total("osss3", {"osss_1": 4, "osss_2": 5}).value is None


def test_osss3_of_twelve_is_strong_support() -> None:
    result = total("osss3", {"osss_1": 3, "osss_2": 5, "osss_3": 4})
    assert (result.value, result.band) == (12, "strong")


def test_loneliness_of_six_counts_as_lonely() -> None:
    result = total("loneliness3", {"lon_1": 2, "lon_2": 2, "lon_3": 2})
    assert (result.value, result.band) == (6, "lonely")


def test_gse_sums_ten_items_from_ten_to_forty() -> None:
    answers: dict[str, int | None] = {f"gse_{i}": 3 for i in range(1, 11)}
    assert total("gse", answers).value == 30


def test_core10_scores_its_two_positive_items_in_reverse() -> None:
    # Items 2 and 3 answered 4 count as 0; the other eight answered 1 count 8.
    answers: dict[str, int | None] = {f"core10_{i}": 1 for i in range(1, 11)}
    answers["core10_2"] = answers["core10_3"] = 4
    assert total("core10", answers).value == 8


def test_a_mean_scale_is_the_mean_of_the_answered_items() -> None:
    spec = {
        "response_sets": {"s": [{"value": 1, "label": {}}, {"value": 5, "label": {}}]},
        "items": [{"key": k, "kind": "choice", "options": "s"} for k in ("a", "b", "c")],
        "scales": [
            {
                "key": "m",
                "items": ["a", "b", "c"],
                "method": "mean",
                "missing": {"max_missing": 1, "prorate": True},
                "range": [1, 5],
                "label": {},
            }
        ],
    }
    assert score(spec, {"a": 1, "b": 5, "c": None})[0].value == 3


def test_reliable_change_index_of_phq9_from_fifteen_to_five() -> None:
    # SEdiff = 3.52 × √2 × √(1 − .89) = 1.6510; (5 − 15) / 1.6510 = −6.057.
    rci = reliable_change_index(before=15, after=5, reliability=0.89, norm_sd=3.52)
    assert rci == pytest.approx(-6.057, abs=0.001)


def test_reliable_change_index_refuses_a_reliability_of_one() -> None:
    with pytest.raises(ValueError):
        reliable_change_index(before=1, after=2, reliability=1, norm_sd=3)


def test_an_answer_outside_the_options_is_not_possible() -> None:
    assert answer_problem(definition("who5"), "who5_1", 6) == "not_an_option"


def test_hours_of_work_above_eighty_are_out_of_range() -> None:
    assert answer_problem(definition("activity_status"), "hours", 81) == "out_of_range"


def test_leaving_an_item_unanswered_is_always_possible() -> None:
    assert answer_problem(definition("phq9"), "phq9_9", None) is None
