"""E-values (VanderWeele & Ding 2017, Ann Intern Med 167:268–274).

The E-value is the minimum strength of association, on the risk-ratio scale, that an unmeasured
confounder would need with both the exposure and the outcome to explain an estimate away:
E = RR + √(RR·(RR − 1)) for RR ≥ 1 (take 1/RR first when RR < 1). A continuous outcome's
standardised mean difference d is converted with RR ≈ exp(0.91·d) (VanderWeele 2017,
"On a square-root transformation of the odds ratio…"; VanderWeele & Ding 2017, Table 2). The
E-value of the confidence limit closer to the null is 1 when the interval includes the null.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class EValue:
    """E-values of an estimate and of its confidence limit closer to the null."""

    point: float
    limit: float


def evalue_rr(rr: float) -> float:
    """E-value of a risk ratio."""
    if not math.isfinite(rr) or rr <= 0:
        return float("nan")
    if rr < 1:
        rr = 1 / rr
    return rr + math.sqrt(rr * (rr - 1))


def rr_from_smd(d: float) -> float:
    """RR ≈ exp(0.91·d)."""
    return math.exp(0.91 * d)


def evalue_smd(*, d: float, low: float, high: float) -> EValue:
    """E-values for a standardised mean difference and its CI."""
    point = evalue_rr(rr_from_smd(d))
    if low <= 0 <= high:
        limit = 1.0
    else:
        closer = low if d > 0 else high
        limit = evalue_rr(rr_from_smd(closer))
    return EValue(point, limit)
