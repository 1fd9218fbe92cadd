"""Pre–post change against Lakens (2013) and Jacobson & Truax (1991)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from samvirke.evaluation.analysis import prepost as pp

# Lakens (2013), Front. Psychol. 4:863, Table 1: ten people rate two movies (within subjects).
MOVIE_1 = [9, 7, 8, 9, 8, 9, 9, 10, 9, 9]
MOVIE_2 = [9, 6, 7, 8, 7, 9, 8, 8, 8, 7]


def lakens() -> pp.PrePost:
    # Change from movie 1 to movie 2 has the opposite sign; the paper reports movie 1 − movie 2.
    return pp.prepost(pre=MOVIE_2, post=MOVIE_1)


def test_lakens_paired_t_and_d_z_match_the_paper() -> None:
    """The paper reports t(9) = 4.74 and d_z = 1.50 for the movie data."""
    result = lakens()
    assert result.n == 10
    assert result.t == pytest.approx(4.74, abs=0.005)
    assert result.d_z.value == pytest.approx(1.50, abs=0.005)


def test_lakens_d_av_matches_the_paper() -> None:
    """The paper reports d_av = 1.13 (mean difference 1 over the mean SD, 0.82 and 0.95)."""
    result = lakens()
    assert result.sd_pre == pytest.approx(0.95, abs=0.005)
    assert result.sd_post == pytest.approx(0.82, abs=0.005)
    assert result.d_av.value == pytest.approx(1.13, abs=0.005)


def test_hedges_correction_agrees_with_the_textbook_approximation() -> None:
    """Independent path (not a published figure): J ≈ 1 − 3/(4·df − 1) for df = 9."""
    result = lakens()
    approx = 1 - 3 / (4 * 9 - 1)
    assert result.g_av.value == pytest.approx(result.d_av.value * approx, abs=0.002)
    assert result.g_z.value < result.d_z.value


def test_d_z_interval_contains_its_estimate_and_excludes_zero_for_the_movies() -> None:
    """Independent path: the noncentral-t limits put t at the 2.5 % and 97.5 % quantiles."""
    from scipy import stats

    result = lakens()
    n = 10
    lo, hi = result.d_z.low * math.sqrt(n), result.d_z.high * math.sqrt(n)
    assert stats.nct.cdf(result.t, 9, lo) == pytest.approx(0.975, abs=1e-6)
    assert stats.nct.cdf(result.t, 9, hi) == pytest.approx(0.025, abs=1e-6)
    assert 0 < result.d_z.low < 1.50 < result.d_z.high


def test_mean_change_interval_is_the_paired_t_interval() -> None:
    """Independent path: 1 ± t(0.975, 9)·SD_diff/√10 with SD_diff = 2/3 for the movie data."""
    result = lakens()
    half = 2.2621571627 * (2 / 3) / math.sqrt(10)
    assert result.mean_change.value == pytest.approx(1.0)
    assert result.mean_change.low == pytest.approx(1 - half, abs=1e-6)
    assert result.mean_change.high == pytest.approx(1 + half, abs=1e-6)


def test_reliable_change_index_is_the_difference_over_se_diff() -> None:
    """Jacobson & Truax's formula worked by hand (not a figure quoted from the paper):
    SD 7.5, r_xx .88 → SE_diff = 7.5·√2·√.12 = 3.674; 32 → 20 gives RC = −3.27."""
    rc = pp.reliable_change_index(pre=32, post=20, sd=7.5, reliability=0.88)
    assert rc == pytest.approx(-12 / (7.5 * math.sqrt(2) * math.sqrt(0.12)), rel=1e-12)
    assert rc == pytest.approx(-3.266, abs=0.001)


def test_criterion_c_weights_each_mean_by_the_other_populations_sd() -> None:
    """c = (s0·M1 + s1·M0)/(s0 + s1) by hand: M0 = 70, s0 = 20, M1 = 110, s1 = 10 → 96.67."""
    c = pp.criterion_c(
        mean_dysfunctional=70, sd_dysfunctional=20, mean_functional=110, sd_functional=10
    )
    assert c == pytest.approx((20 * 110 + 10 * 70) / 30)
    assert 70 < c < 110


def test_people_are_sorted_into_recovered_improved_unchanged_and_deteriorated() -> None:
    cats = pp.classify(pre=[10, 10, 10, 10], post=[30, 18, 12, 2], sd=5, reliability=0.8, cutoff=25)
    assert cats == ["recovered", "improved", "unchanged", "deteriorated"]


def test_lower_is_better_instruments_count_a_fall_as_improvement() -> None:
    cats = pp.classify(pre=[30], post=[10], sd=5, reliability=0.8, direction="lower", cutoff=15)
    assert cats == ["recovered"]


def test_reliable_change_counts_are_part_of_the_summary() -> None:
    rng = np.random.default_rng(1)
    pre = rng.normal(50, 10, 200)
    post = pre + rng.normal(5, 8, 200)
    result = pp.prepost(pre=pre, post=post, reliability=0.85, cutoff=60)
    assert result.reliable is not None
    assert sum(result.reliable.values()) == 200
    assert (
        result.reliable["improved"] + result.reliable["recovered"] > result.reliable["deteriorated"]
    )


def test_people_missing_either_score_are_left_out() -> None:
    result = pp.prepost(pre=[1, 2, float("nan"), 4, 5], post=[2, 4, 3, float("nan"), 6])
    assert result.n == 3


def test_too_few_pairs_are_flagged_not_estimated() -> None:
    result = pp.prepost(pre=[1, 2], post=[2, 3])
    assert result.flags == ("too_few",)
    assert math.isnan(result.d_z.value)


def test_identical_changes_are_flagged_rather_than_dividing_by_zero() -> None:
    result = pp.prepost(pre=[1, 2, 3, 4], post=[2, 3, 4, 5])
    assert "no_variation_in_change" in result.flags
    assert result.mean_change.value == pytest.approx(1.0)


def test_d_z_interval_falls_back_to_the_normal_form_where_scipys_noncentral_t_fails() -> None:
    # given 201 paired scores whose change has t = 5 (scipy's nct cdf gives NaN on that search)
    rng = np.random.default_rng(3)
    noise = rng.normal(0, 1, 201)
    diff = (noise - noise.mean()) / noise.std(ddof=1) + 5 / math.sqrt(201)
    pre = rng.normal(50, 10, 201)
    # when
    result = pp.prepost(pre=pre, post=pre + diff)
    # then the change is still described, with an interval around d_z
    assert result.d_z.low < result.d_z.value < result.d_z.high
    assert result.d_z.value == pytest.approx(5 / math.sqrt(201))
