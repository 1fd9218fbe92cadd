"""Pre–post change on one instrument: mean change, standardised effect sizes, reliable change.

Effect sizes follow Lakens (2013), "Calculating and reporting effect sizes to facilitate
cumulative science", Front. Psychol. 4:863:

* ``d_z`` = mean difference / SD of the differences; its CI inverts the noncentral t
  distribution of t = d_z·√n on n − 1 degrees of freedom (above 1,000 degrees of freedom,
  where that is numerically unstable, the normal approximation d ± z·√(1/n + d²/2n));
* ``d_av`` = mean difference / the mean of the two SDs; its CI is the normal approximation with
  the paired-design variance of Borenstein et al. (2009, eq. 4.28):
  V = (1/n + d²/(2n))·2(1 − r);
* Hedges' correction multiplies each by J(df) = Γ(df/2) / (√(df/2)·Γ((df − 1)/2)), df = n − 1
  (the exact form of 1 − 3/(4df − 1)), CI limits included.

Reliable change follows Jacobson & Truax (1991), J. Consult. Clin. Psychol. 59(1):12–19:
SE_diff = SD₁·√2·√(1 − r_xx), RC = (post − pre)/SE_diff, |RC| > 1.96 is reliable. Clinically
significant change uses a cut-off: given, or criterion *c* = (s₀M₁ + s₁M₀)/(s₀ + s₁) from the
dysfunctional (M₀, s₀) and functional (M₁, s₁) populations. A participant who changed reliably
in the good direction *and* ended on the functional side of the cut-off has *recovered*.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize, special, stats

Direction = Literal["higher", "lower"]
Category = Literal["recovered", "improved", "unchanged", "deteriorated"]
CATEGORIES: tuple[Category, ...] = ("recovered", "improved", "unchanged", "deteriorated")


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its confidence interval."""

    value: float
    low: float
    high: float


@dataclass(frozen=True)
class PrePost:
    """The pre–post summary of one instrument (only people with both scores count)."""

    n: int
    mean_pre: float
    mean_post: float
    sd_pre: float
    sd_post: float
    r: float
    mean_change: Estimate
    t: float
    p: float
    d_z: Estimate
    g_z: Estimate
    d_av: Estimate
    g_av: Estimate
    reliable: dict[Category, int] | None
    cutoff: float | None
    flags: tuple[str, ...]


def hedges_j(df: int) -> float:
    """Hedges' small-sample correction factor (exact gamma form)."""
    if df < 2:
        return float("nan")
    return math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2)


def _nct_ci(t: float, df: int, level: float) -> tuple[float, float]:
    """The noncentrality parameters whose noncentral t puts ``t`` at the (1 ± level)/2 quantiles."""
    tail = (1 - level) / 2

    def limit(q: float) -> float:
        def f(nc: float) -> float:
            return float(stats.nct.cdf(t, df, nc)) - q

        span = 10.0 + abs(t) * 2
        return float(optimize.brentq(f, t - span, t + span, xtol=1e-10))

    return limit(1 - tail), limit(tail)


def criterion_c(
    *,
    mean_dysfunctional: float,
    sd_dysfunctional: float,
    mean_functional: float,
    sd_functional: float,
) -> float:
    """Jacobson & Truax's criterion *c*: the point equally likely to belong to either population."""
    s0, s1 = sd_dysfunctional, sd_functional
    return (s0 * mean_functional + s1 * mean_dysfunctional) / (s0 + s1)


def reliable_change_index(*, pre: float, post: float, sd: float, reliability: float) -> float:
    """RC = (post − pre) / (SD·√2·√(1 − r_xx))."""
    se_diff = sd * math.sqrt(2) * math.sqrt(1 - reliability)
    return (post - pre) / se_diff


def classify(
    *,
    pre: ArrayLike,
    post: ArrayLike,
    sd: float,
    reliability: float,
    direction: Direction = "higher",
    cutoff: float | None = None,
    z: float = 1.96,
) -> list[Category]:
    """Each participant as recovered / improved / unchanged / deteriorated."""
    pre_a = np.asarray(pre, dtype=float)
    post_a = np.asarray(post, dtype=float)
    se_diff = sd * math.sqrt(2) * math.sqrt(1 - reliability)
    rc = (post_a - pre_a) / se_diff
    sign = 1.0 if direction == "higher" else -1.0
    out: list[Category] = []
    for value, end in zip(rc * sign, post_a, strict=True):
        if value > z:
            functional = cutoff is not None and (end - cutoff) * sign > 0
            out.append("recovered" if functional else "improved")
        elif value < -z:
            out.append("deteriorated")
        else:
            out.append("unchanged")
    return out


def prepost(
    *,
    pre: ArrayLike,
    post: ArrayLike,
    level: float = 0.95,
    reliability: float | None = None,
    sd_reference: float | None = None,
    direction: Direction = "higher",
    cutoff: float | None = None,
    min_n: int = 3,
) -> PrePost:
    """Summarise paired scores; pairs with a missing value on either side are left out.

    ``reliability`` (test–retest r_xx) turns on reliable change; its SD is ``sd_reference``
    (a norm group's) or else the sample's pre-test SD. ``cutoff`` adds recovery.
    """
    pre_a = np.asarray(pre, dtype=float)
    post_a = np.asarray(post, dtype=float)
    if pre_a.shape != post_a.shape:
        raise ValueError("pre and post must be paired")
    keep = np.isfinite(pre_a) & np.isfinite(post_a)
    pre_a, post_a = pre_a[keep], post_a[keep]
    n = int(pre_a.size)
    nan = float("nan")
    none = Estimate(nan, nan, nan)
    if n < min_n:
        return PrePost(
            n, nan, nan, nan, nan, nan, none, nan, nan, none, none, none, none, None, cutoff,
            ("too_few",),
        )  # fmt: skip
    diff = post_a - pre_a
    df = n - 1
    mean_diff = float(diff.mean())
    sd_diff = float(diff.std(ddof=1))
    sd1, sd2 = float(pre_a.std(ddof=1)), float(post_a.std(ddof=1))
    flags: list[str] = []
    with np.errstate(invalid="ignore", divide="ignore"):
        r = float(np.corrcoef(pre_a, post_a)[0, 1]) if sd1 > 0 and sd2 > 0 else nan
    tcrit = float(stats.t.ppf((1 + level) / 2, df))
    se = sd_diff / math.sqrt(n)
    change = Estimate(mean_diff, mean_diff - tcrit * se, mean_diff + tcrit * se)
    j = hedges_j(df)
    if sd_diff > 0:
        t = mean_diff / se
        p = float(2 * stats.t.sf(abs(t), df))
        dz = mean_diff / sd_diff
        exact = None
        if df <= 1000:
            try:
                exact = _nct_ci(t, df, level)
            except ValueError:  # scipy's noncentral t gives NaN far in the tail (large |t|)
                exact = None
        if exact is not None:
            d_z = Estimate(dz, exact[0] / math.sqrt(n), exact[1] / math.sqrt(n))
        else:  # the noncentral t is numerically unstable here and normal to 4 decimals
            zq = float(stats.norm.ppf((1 + level) / 2))
            half = zq * math.sqrt(1 / n + dz**2 / (2 * n))
            d_z = Estimate(dz, dz - half, dz + half)
    else:
        t = p = nan
        d_z = none
        flags.append("no_variation_in_change")
    if sd1 + sd2 > 0:
        dav = mean_diff / ((sd1 + sd2) / 2)
        rr = r if math.isfinite(r) else 0.0
        var = (1 / n + dav**2 / (2 * n)) * 2 * (1 - rr)
        zc = float(stats.norm.ppf((1 + level) / 2))
        d_av = Estimate(dav, dav - zc * math.sqrt(var), dav + zc * math.sqrt(var))
    else:
        d_av = none
        flags.append("no_variation_in_scores")
    reliable: dict[Category, int] | None = None
    if reliability is not None:
        sd_rc = sd_reference if sd_reference is not None else sd1
        if sd_rc > 0 and 0 <= reliability < 1:
            cats = classify(
                pre=pre_a,
                post=post_a,
                sd=sd_rc,
                reliability=reliability,
                direction=direction,
                cutoff=cutoff,
            )
            reliable = {c: cats.count(c) for c in CATEGORIES}
        else:
            flags.append("reliable_change_undefined")

    def scaled(e: Estimate) -> Estimate:
        return Estimate(e.value * j, e.low * j, e.high * j)

    return PrePost(
        n=n,
        mean_pre=float(pre_a.mean()),
        mean_post=float(post_a.mean()),
        sd_pre=sd1,
        sd_post=sd2,
        r=r,
        mean_change=change,
        t=t,
        p=p,
        d_z=d_z,
        g_z=scaled(d_z),
        d_av=d_av,
        g_av=scaled(d_av),
        reliable=reliable,
        cutoff=cutoff,
        flags=tuple(flags),
    )
