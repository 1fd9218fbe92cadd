"""The demo's data files (``data/*.json``) and the few conversions their values need."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


@cache
def fixture(name: str) -> Any:
    """The parsed ``data/<name>.json``; read once per process, never changed by its readers."""
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def day_or_none(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def translated(prefix: str, text: dict[str, str]) -> dict[str, str]:
    """``{"nb": …, "sv": …, "en": …}`` as the model's ``<prefix>_nb``/``_sv``/``_en`` fields."""
    return {f"{prefix}_{language}": text[language] for language in ("nb", "sv", "en")}
