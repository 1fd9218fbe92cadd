"""Reading instrument files: JSON validated against ``instruments/instrument.schema.json``.

Beyond the schema, ``problems`` checks what a schema cannot: keys are unique, every scale names
existing items, every choice item names an existing response set, and ``shown_if`` points at an
earlier item.

Licensed instruments (``redistributable: false``) ship without item texts. A licensee puts a
texts file ``<key>.texts.json`` in the folder named by ``SAMVIRKE_LICENSED_INSTRUMENTS_DIR``
(outside the repository) — ``{"items": {"<item key>": {"nb": …, "sv": …, "en": …}},
"options": {"<response set>": {"<value>": {"nb": …}}}}`` — and ``samvirke load_instruments``
fills the texts in without any change to code or to the instrument file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

BUNDLED_DIR = Path(__file__).resolve().parent / "instruments"
SCHEMA_FILE = BUNDLED_DIR / "instrument.schema.json"
TEXTS_SUFFIX = ".texts.json"
LANGUAGES = ("nb", "sv", "en")


class InstrumentFileError(ValueError):
    """An instrument file that cannot be loaded; the message says which file and why."""


@dataclass(frozen=True)
class InstrumentFile:
    path: Path
    definition: dict[str, Any]
    checksum: str


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


def checksum(definition: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a definition: what "never changes" is checked on."""
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def problems(definition: dict[str, Any]) -> list[str]:
    """What is wrong with a definition, in English for the person who maintains the files."""
    validator = jsonschema.Draft202012Validator(schema())
    found = [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(top)'}: {error.message}"
        for error in sorted(validator.iter_errors(definition), key=lambda e: list(e.path))
    ]
    if found:
        return found
    sets = definition.get("response_sets", {})
    seen: set[str] = set()
    for item in definition["items"]:
        key = item["key"]
        if key in seen:
            found.append(f"items: {key} appears twice")
        if item["kind"] == "choice" and item.get("options") not in sets:
            found.append(f"items/{key}: response set {item.get('options')!r} does not exist")
        condition = item.get("shown_if")
        if condition and condition["item"] not in seen:
            found.append(f"items/{key}: shown_if names {condition['item']!r}, not an earlier item")
        seen.add(key)
    for name, options in sets.items():
        values = [option["value"] for option in options]
        if len(set(values)) != len(values):
            found.append(f"response_sets/{name}: a value appears twice")
    scale_keys: set[str] = set()
    for scale in definition["scales"]:
        if scale["key"] in scale_keys:
            found.append(f"scales: {scale['key']} appears twice")
        scale_keys.add(scale["key"])
        for key in scale["items"]:
            if key not in seen:
                found.append(f"scales/{scale['key']}: item {key!r} does not exist")
        low, high = scale["range"]
        if low > high:
            found.append(f"scales/{scale['key']}: range runs backwards")
    return found


def read(path: Path) -> InstrumentFile:
    try:
        definition = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InstrumentFileError(f"{path.name}: {error}") from error
    if not isinstance(definition, dict):
        raise InstrumentFileError(f"{path.name}: not a JSON object")
    found = problems(definition)
    if found:
        raise InstrumentFileError(f"{path.name}: " + "; ".join(found))
    return InstrumentFile(path, definition, checksum(definition))


def read_folder(folder: Path = BUNDLED_DIR) -> list[InstrumentFile]:
    """Every instrument file of a folder, in name order; one bad file fails them all."""
    paths = sorted(
        p
        for p in folder.glob("*.json")
        if p.name != SCHEMA_FILE.name and not p.name.endswith(TEXTS_SUFFIX)
    )
    return [read(path) for path in paths]


def local_texts(folder: Path | None, key: str) -> dict[str, Any]:
    """The licensee's texts for instrument ``key`` ({} when there are none)."""
    if folder is None:
        return {}
    path = folder / f"{key}{TEXTS_SUFFIX}"
    if not path.is_file():
        return {}
    try:
        texts = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InstrumentFileError(f"{path.name}: {error}") from error
    if not isinstance(texts, dict):
        raise InstrumentFileError(f"{path.name}: not a JSON object")
    return texts


def text_of(texts: object) -> dict[str, str]:
    """nb/sv/en strings from a texts object, with '' for what is missing."""
    if not isinstance(texts, dict):
        return dict.fromkeys(LANGUAGES, "")
    return {code: str(texts.get(code, "")) for code in LANGUAGES}
