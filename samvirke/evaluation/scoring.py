"""Scoring of instrument scales, as plain functions over an instrument file (no Django).

A scale (see ``instruments/instrument.schema.json``) names its items, a method (sum or mean),
a linear transform (``multiplier`` and ``offset``, e.g. WHO-5 raw × 4), the missing-item rule
and its bands. Reversed items are scored as ``lowest + highest − value`` of their options.

The missing-item rule: with at most ``max_missing`` items unanswered and ``prorate`` set, a
sum is the mean of the answered items times the number of items (a mean is the mean of the
answered items); with more missing, there is no score.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Definition = Mapping[str, Any]
Answers = Mapping[str, int | None]


@dataclass(frozen=True)
class ScaleScore:
    scale: str
    raw: float | None
    value: float | None
    band: str
    answered: int
    prorated: bool


def option_values(definition: Definition, item: Mapping[str, Any]) -> list[int]:
    """The values an item's answer may take (its response set)."""
    sets: Mapping[str, list[Mapping[str, Any]]] = definition.get("response_sets", {})
    return [int(option["value"]) for option in sets.get(str(item.get("options", "")), [])]


def item_by_key(definition: Definition) -> dict[str, Mapping[str, Any]]:
    return {str(item["key"]): item for item in definition["items"]}


def scored_value(definition: Definition, item: Mapping[str, Any], value: int) -> int:
    """The value as it counts in a scale: reversed items count from the other end."""
    if not item.get("reversed"):
        return value
    values = option_values(definition, item)
    return min(values) + max(values) - value


def band_of(scale: Mapping[str, Any], value: float) -> str:
    """The key of the band the (rounded) score falls in, or '' outside every band."""
    rounded = round(value)
    for band in scale.get("bands", []):
        if band["min"] <= rounded <= band["max"]:
            return str(band["key"])
    return ""


def score_scale(definition: Definition, scale: Mapping[str, Any], answers: Answers) -> ScaleScore:
    items = item_by_key(definition)
    keys = [str(key) for key in scale["items"]]
    values = [
        scored_value(definition, items[key], value)
        for key in keys
        if (value := answers.get(key)) is not None
    ]
    missing = len(keys) - len(values)
    rule = scale["missing"]
    key = str(scale["key"])
    if not values or missing > rule["max_missing"] or (missing and not rule["prorate"]):
        return ScaleScore(key, None, None, "", len(values), False)
    mean = sum(values) / len(values)
    raw = mean if scale["method"] == "mean" else mean * len(keys)
    transformed = raw * float(scale.get("multiplier", 1)) + float(scale.get("offset", 0))
    return ScaleScore(
        key,
        round(raw, 4),
        round(transformed, 4),
        band_of(scale, transformed),
        len(values),
        missing > 0,
    )


def score(definition: Definition, answers: Answers) -> list[ScaleScore]:
    """Every scale of the instrument, scored from ``answers`` (item key → value or None)."""
    return [score_scale(definition, scale, answers) for scale in definition["scales"]]


def reliable_change_index(
    *, before: float, after: float, reliability: float, norm_sd: float
) -> float:
    """Jacobson & Truax (1991): the change divided by the standard error of the difference.

    |RCI| > 1.96 is a change larger than measurement error alone would give 95 % of the time.
    """
    if not 0 <= reliability < 1 or norm_sd <= 0:
        raise ValueError("reliability must be in [0, 1) and norm_sd positive")
    standard_error = norm_sd * math.sqrt(1 - reliability)
    return (after - before) / (math.sqrt(2) * standard_error)


def answer_problem(definition: Definition, item_key: str, value: int | None) -> str | None:
    """Why ``value`` is not a possible answer to the item, or None when it is.

    The reason is a code (``unknown_item``, ``not_an_option``, ``out_of_range``) for the caller
    to turn into a translated message. ``None`` as a value (no answer) is always possible.
    """
    item = item_by_key(definition).get(item_key)
    if item is None:
        return "unknown_item"
    if value is None:
        return None
    if item["kind"] == "text":  # a free-text answer is text, never a value
        return "not_an_option"
    if item["kind"] == "choice":
        return None if value in option_values(definition, item) else "not_an_option"
    low, high = item.get("min"), item.get("max")
    if (low is not None and value < low) or (high is not None and value > high):
        return "out_of_range"
    return None
