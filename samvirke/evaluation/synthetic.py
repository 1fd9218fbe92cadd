"""Synthetic outcome data with known effects, for the demo and for testing the analysis.

Plain Python, no Django, seeded: the same people and seed always give the same answers.

Each person has a latent score per instrument at four time points (months 0, 3, 6 and 12).
The baseline is drawn from ``BASELINE`` (mean, SD). Every measure kind the person takes part
in moves the score linearly in time by ``EFFECTS[instrument][kind]`` points per 12 months
(on the instrument's published scale: WHO-5 0–100, GSE 10–40, loneliness 3–9, PHQ-9 0–27).
Taking both ``INTERACTION_KINDS`` adds ``INTERACTION[instrument]`` per 12 months on top: work
training together with peer support works better than the two apart. Noise with
``NOISE_SD`` is added at each time point. The latent score is then spread over the items as
evenly as the options allow, so scoring the answers gives it back to within rounding.

The analysis issue recovers these numbers; change them only together with its tests.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

TIME_POINTS = (0, 3, 6, 12)  # months since baseline

# instrument → (items, lowest option, highest option, multiplier of the raw sum)
INSTRUMENTS: dict[str, tuple[tuple[str, ...], int, int, int]] = {
    "who5": (tuple(f"who5_{i}" for i in range(1, 6)), 0, 5, 4),
    "gse": (tuple(f"gse_{i}" for i in range(1, 11)), 1, 4, 1),
    "loneliness3": (("lon_1", "lon_2", "lon_3"), 1, 3, 1),
    "phq9": (tuple(f"phq9_{i}" for i in range(1, 10)), 0, 3, 1),
}
BASELINE: dict[str, tuple[float, float]] = {
    "who5": (44.0, 16.0),
    "gse": (26.0, 5.0),
    "loneliness3": (6.5, 1.5),
    "phq9": (11.0, 5.0),
}
NOISE_SD: dict[str, float] = {"who5": 8.0, "gse": 2.5, "loneliness3": 0.8, "phq9": 2.5}
# Change per 12 months of taking part, by measure kind.
EFFECTS: dict[str, dict[str, float]] = {
    "who5": {"work_training": 8.0, "peer_support": 6.0, "meeting_place": 4.0},
    "gse": {"work_training": 3.0, "entrepreneurship": 4.0, "course": 2.0},
    "loneliness3": {"meeting_place": -1.2, "peer_support": -0.8, "study_circle": -0.6},
    "phq9": {"peer_support": -3.0, "individual_follow_up": -2.0, "work_training": -1.5},
}
INTERACTION_KINDS = frozenset({"work_training", "peer_support"})
INTERACTION: dict[str, float] = {"who5": 6.0, "gse": 1.0, "loneliness3": -0.5, "phq9": -2.0}


@dataclass(frozen=True)
class SyntheticPerson:
    key: str  # whatever the caller uses to find the person again (a pseudonym, an id)
    kinds: frozenset[str]  # the measure kinds they take part in


@dataclass(frozen=True)
class SyntheticResponse:
    person: str
    instrument: str
    month: int
    answers: dict[str, int]


def expected_score(instrument: str, kinds: Iterable[str], month: int, baseline: float) -> float:
    """The latent score without noise: baseline plus the effects of the measures taken."""
    kinds = frozenset(kinds)
    per_year = sum(EFFECTS[instrument].get(kind, 0.0) for kind in kinds)
    if INTERACTION_KINDS <= kinds:
        per_year += INTERACTION[instrument]
    return baseline + per_year * month / 12


def spread(instrument: str, score: float) -> dict[str, int]:
    """Item answers whose scored total is as close to ``score`` as the options allow."""
    items, low, high, multiplier = INSTRUMENTS[instrument]
    raw = round(score / multiplier)
    raw = max(low * len(items), min(high * len(items), raw))
    base, extra = divmod(raw - low * len(items), len(items))
    return {item: low + base + (1 if index < extra else 0) for index, item in enumerate(items)}


def generate(people: Iterable[SyntheticPerson], *, seed: int = 2011) -> Iterator[SyntheticResponse]:
    """Answers for every person, instrument and time point, in that order."""
    rng = random.Random(seed)  # noqa: S311 (reproducible synthetic data, not secrets)
    for person in people:
        for instrument in INSTRUMENTS:
            mean, sd = BASELINE[instrument]
            baseline = rng.gauss(mean, sd)
            for month in TIME_POINTS:
                latent = expected_score(instrument, person.kinds, month, baseline)
                noisy = latent + rng.gauss(0, NOISE_SD[instrument])
                yield SyntheticResponse(person.key, instrument, month, spread(instrument, noisy))
