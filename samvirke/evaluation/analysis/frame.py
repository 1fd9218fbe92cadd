"""The long format every analysis reads, and its checks.

One row per participant × time point × instrument:

``participant``
    an opaque id (a pseudonym or study id — never a name),
``time``
    the time point's index, 0 for the baseline, 1, 2, … for the follow-ups,
``months``
    months since the participant's baseline (float),
``instrument``
    the instrument's code (e.g. ``"WHO5"``),
``score``
    the score (float; NaN for a missed response, or the row left out),
``exp_<measure>``
    one column per measure: 1.0 when the participant had started that measure by this time point
    (time-varying exposure), else 0.0,
baseline covariates
    ``age_band``, ``gender``, ``country`` (strings) — optional; ``baseline_score`` is derived.

Extra columns are carried along and ignored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

REQUIRED = ("participant", "time", "months", "instrument", "score")
EXPOSURE_PREFIX = "exp_"
COVARIATES = ("age_band", "gender", "country", "baseline_score")


class FrameError(ValueError):
    """The DataFrame is not in the documented long format."""


def exposure_columns(frame: pd.DataFrame) -> list[str]:
    """The ``exp_<measure>`` columns, in the frame's order."""
    return [c for c in frame.columns if str(c).startswith(EXPOSURE_PREFIX)]


def measure_name(column: str) -> str:
    """``exp_work`` → ``work``."""
    return column[len(EXPOSURE_PREFIX) :]


def validate(frame: pd.DataFrame) -> pd.DataFrame:
    """Check the columns and types and return a clean copy (rows without a score dropped)."""
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise FrameError(f"missing columns: {', '.join(missing)}")
    # Columns already of the right type are used as they are (no copy): the final
    # reset_index makes the returned frame a copy either way.
    out = frame.copy(deep=False)
    out["time"] = _numeric(out["time"], int, "raise")
    out["months"] = _numeric(out["months"], float, "raise")
    out["score"] = _numeric(out["score"], float, "coerce")
    for column in exposure_columns(out):
        values = _numeric(out[column], float, "raise")
        v = values.to_numpy()
        if not ((v == 0.0) | (v == 1.0)).all():
            raise FrameError(f"{column} must be 0 or 1")
        out[column] = values
    out["participant"] = _strings(out["participant"])
    out["instrument"] = _strings(out["instrument"])
    keep = np.isfinite(out["score"].to_numpy())
    if not keep.all():
        out = out[keep]
    return out.reset_index(drop=True)


def _numeric(values: pd.Series, kind: type, errors: str) -> pd.Series:
    """``pd.to_numeric(values).astype(kind)``, without the copies when already of that type."""
    if kind is int and values.dtype == np.int64:
        return values
    if kind is float and values.dtype == np.float64:
        return values
    return pd.to_numeric(values, errors=errors).astype(kind)


def _strings(values: pd.Series) -> pd.Series:
    """The values as strings (as they are when every value already is one)."""
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values
    return values.astype(str)


def sorted_by_person_time(data: pd.DataFrame) -> bool:
    """Whether the rows are already in (participant, time) order (so a stable sort would
    leave them as they are)."""
    people = data["participant"].to_numpy()
    time = data["time"].to_numpy()
    if len(people) < 2:
        return True
    if pd.api.types.infer_dtype(people, skipna=False) != "string":
        return False
    same = people[1:] == people[:-1]
    return bool(
        np.all((people[1:] > people[:-1]) | same) and np.all(time[1:][same] >= time[:-1][same])
    )


def with_baseline_score(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``baseline_score`` (the participant's time-0 score on the same instrument)."""
    base = frame.loc[frame["time"] == 0, ["participant", "instrument", "score"]]
    base = base.drop_duplicates(["participant", "instrument"]).rename(
        columns={"score": "baseline_score"}
    )
    return frame.drop(columns=["baseline_score"], errors="ignore").merge(
        base, on=["participant", "instrument"], how="left"
    )


def checksum(
    frame: pd.DataFrame, *, columns: Sequence[str] | None = None, presorted: bool = False
) -> str:
    """SHA-256 of the data in a canonical row and column order, so a report names the snapshot
    it used (pandas' stable per-row hash of each value, then SHA-256 over those hashes).
    ``presorted``: the rows are already in the canonical order (by participant, instrument and
    time, stably), so the sort is skipped."""
    cols = sorted(columns if columns is not None else [str(c) for c in frame.columns])
    keys = [c for c in ("participant", "instrument", "time") if c in cols]
    data = (
        frame[cols].sort_values(keys, kind="mergesort") if keys and not presorted else frame[cols]
    )
    digest = hashlib.sha256(",".join(cols).encode())
    digest.update(pd.util.hash_pandas_object(data, index=False).to_numpy().tobytes())
    return digest.hexdigest()
