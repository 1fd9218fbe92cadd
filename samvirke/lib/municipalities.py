"""Parse the statistics offices' published municipality lists into records.

* Statistics Norway (SSB): KLASS export of classification 131, "Standard for
  kommuneinndeling" (https://www.ssb.no/klass/klassifikasjoner/131).
* Statistics Sweden (SCB): "Kommuner i Sverige / kommunkoder" (https://www.scb.se).

Parsing is all-or-nothing: any bad row raises :class:`MunicipalityFileError` with the
1-based line number, and no partial list is returned.

This module is pure Python and does not depend on Django.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

__all__ = [
    "MunicipalityFileError",
    "MunicipalityRecord",
    "parse_municipality_csv",
    "parse_scb_csv",
    "parse_ssb_csv",
]

_MUNICIPALITY_CODE_RE = re.compile(r"[0-9]{4}")
_COUNTY_CODE_RE = re.compile(r"[0-9]{2}")
_DELIMITERS = (";", "\t", ",")

_SSB_CODE_COLUMNS = ("code",)
_SSB_NAME_COLUMNS = ("name",)

_SCB_CODE_COLUMNS = ("kommunkod", "kod", "code")
_SCB_NAME_COLUMNS = ("kommunnamn", "namn", "kommun", "name")
_SCB_COUNTY_CODE_COLUMNS = ("länskod", "länkod", "lanskod", "lankod")
_SCB_COUNTY_COLUMNS = ("län", "länsnamn", "lan", "lansnamn")


@dataclass(frozen=True)
class MunicipalityRecord:
    """One municipality.

    ``code`` is the four-digit official code as text, so leading zeros are kept
    (Oslo is ``"0301"``, Stockholm ``"0180"``). ``county`` is the county's name when
    the file provides one, otherwise ``""``.
    """

    country: str
    code: str
    name: str
    county: str = ""


class MunicipalityFileError(ValueError):
    """A municipality file could not be parsed.

    ``reason`` is a short stable key (``"empty"``, ``"missing_column"``, ``"bad_row"``,
    ``"bad_code"``, ``"missing_name"``, ``"bad_county"``, ``"duplicate_code"``) the caller
    can map to a translated message; ``line`` is the 1-based line number, or ``None``
    when the problem is not tied to a line. ``str(error)`` is a plain English sentence.
    """

    def __init__(self, message: str, *, reason: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason
        self.line = line


def _error(reason: str, line: int | None, sentence: str) -> MunicipalityFileError:
    message = sentence if line is None else f"Line {line}: {sentence}"
    return MunicipalityFileError(message, reason=reason, line=line)


def _clean(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def _header_key(value: str) -> str:
    return _clean(value).strip('"').casefold()


def _detect_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ";"


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line_number, fields)`` for each non-blank row, header included."""
    text = text.removeprefix("\ufeff")
    first_line = next((ln for ln in text.splitlines() if ln.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_detect_delimiter(first_line))
    try:
        for fields in reader:
            if any(field.strip() for field in fields):
                yield reader.line_num, fields
    except csv.Error as exc:
        raise _error(
            "bad_row", reader.line_num, "The row could not be read as CSV; check its quotes."
        ) from exc


def _find_column(header: Sequence[str], candidates: Iterable[str]) -> int | None:
    keys = [_header_key(h) for h in header]
    for candidate in candidates:
        if candidate in keys:
            return keys.index(candidate)
    return None


def _require_column(header: Sequence[str], candidates: Sequence[str], line: int, what: str) -> int:
    index = _find_column(header, candidates)
    if index is None:
        names = ", ".join(f'"{c}"' for c in candidates)
        raise _error(
            "missing_column", line, f"The header has no {what} column (expected one of {names})."
        )
    return index


def _fields_for_row(fields: list[str], width: int, line: int) -> list[str]:
    # Tolerate trailing empty fields (a common spreadsheet export artefact), nothing else.
    while len(fields) > width and not fields[-1].strip():
        fields = fields[:-1]
    if len(fields) != width:
        raise _error(
            "bad_row",
            line,
            f"The row has {len(fields)} fields but the header has {width}.",
        )
    return fields


def _check_code(code: str, line: int) -> str:
    if not _MUNICIPALITY_CODE_RE.fullmatch(code):
        raise _error(
            "bad_code",
            line,
            f'The municipality code "{code}" is not exactly four digits '
            "(check that leading zeros were kept).",
        )
    return code


def _check_name(name: str, line: int) -> str:
    if not name:
        raise _error("missing_name", line, "The municipality has no name.")
    return name


def _finish(records: list[tuple[int, MunicipalityRecord]]) -> list[MunicipalityRecord]:
    if not records:
        raise _error("empty", None, "The file contains no municipalities.")
    seen: dict[str, int] = {}
    for line, record in records:
        if record.code in seen:
            raise _error(
                "duplicate_code",
                line,
                f'The municipality code "{record.code}" already appears on line '
                f"{seen[record.code]}.",
            )
        seen[record.code] = line
    return [record for _line, record in records]


def _split_header(text: str) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    rows = list(_rows(text))
    if not rows:
        raise _error("empty", None, "The file is empty.")
    header_line, header = rows[0]
    return header_line, header, rows[1:]


def parse_ssb_csv(text: str) -> list[MunicipalityRecord]:
    """Parse an SSB KLASS export of classification 131 (Norwegian municipalities).

    The header is ``"code";"parentCode";"level";"name";...``; semicolons or commas, an
    optional byte order mark, and any header containing at least ``code`` and ``name``
    are accepted. Records are returned in file order with ``country="NO"``.
    """
    header_line, header, body = _split_header(text)
    code_at = _require_column(header, _SSB_CODE_COLUMNS, header_line, "code")
    name_at = _require_column(header, _SSB_NAME_COLUMNS, header_line, "name")

    records: list[tuple[int, MunicipalityRecord]] = []
    for line, raw in body:
        fields = _fields_for_row(raw, len(header), line)
        code = _check_code(_clean(fields[code_at]), line)
        name = _check_name(_clean(fields[name_at]), line)
        records.append((line, MunicipalityRecord(country="NO", code=code, name=name)))
    return _finish(records)


def parse_scb_csv(text: str) -> list[MunicipalityRecord]:
    """Parse an SCB list of kommunkoder (Swedish municipalities).

    Semicolon, comma or tab separated, with case-insensitive header columns
    ``Kommunkod``/``Kod`` and ``Kommunnamn``/``Namn``, and optionally ``Län`` (county
    name, or its two-digit code) and/or ``Länskod``. As in SCB's own "Kod;Namn" list,
    rows with a two-digit code are county headings: they are not returned but name the
    county of the municipalities whose codes start with those two digits. A given
    county code must match the first two digits of the municipality code.
    """
    header_line, header, body = _split_header(text)
    code_at = _require_column(header, _SCB_CODE_COLUMNS, header_line, "municipality code")
    name_at = _require_column(header, _SCB_NAME_COLUMNS, header_line, "municipality name")
    county_code_at = _find_column(header, _SCB_COUNTY_CODE_COLUMNS)
    county_at = _find_column(header, _SCB_COUNTY_COLUMNS)

    county_names: dict[str, str] = {}
    rows: list[tuple[int, str, str, str]] = []  # line, code, name, county name from row
    for line, raw in body:
        fields = _fields_for_row(raw, len(header), line)
        code = _clean(fields[code_at])
        name = _clean(fields[name_at])
        if _COUNTY_CODE_RE.fullmatch(code):
            county_names[code] = _check_name(name, line)
            continue
        _check_code(code, line)
        _check_name(name, line)

        county = ""
        given_codes: list[str] = []
        if county_code_at is not None:
            given_codes.append(_clean(fields[county_code_at]))
        if county_at is not None:
            value = _clean(fields[county_at])
            if value.isdecimal():
                given_codes.append(value)
            else:
                county = value
        for given in given_codes:
            if given and given != code[:2]:
                raise _error(
                    "bad_county",
                    line,
                    f'The county code "{given}" does not match the municipality code "{code}".',
                )
        rows.append((line, code, name, county))

    records = [
        (line, MunicipalityRecord("SE", code, name, county or county_names.get(code[:2], "")))
        for line, code, name, county in rows
    ]
    return _finish(records)


def parse_municipality_csv(text: str, country: str) -> list[MunicipalityRecord]:
    """Parse a municipality file for ``country`` (``"NO"``: SSB format, ``"SE"``: SCB).

    Raises :class:`MunicipalityFileError` on any problem in the file, and a plain
    :class:`ValueError` for an unsupported country.
    """
    code = country.strip().upper()
    if code == "NO":
        return parse_ssb_csv(text)
    if code == "SE":
        return parse_scb_csv(text)
    raise ValueError(f"Unsupported country {country!r}; expected 'NO' or 'SE'.")
