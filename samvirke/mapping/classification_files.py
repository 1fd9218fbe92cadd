"""Read and check the classification CSV files in ``samvirke/mapping/data/``. No Django here.

Reading is all or nothing: the first problem in any file raises :class:`ClassificationFileError`
naming the file and the 1-based line, and nothing is returned. The files' format and sources are
described in ``data/README.md``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

BUNDLED_DATA_DIR = Path(__file__).resolve().parent / "data"

ISCO_FILE = "isco08.csv"
STYRK_FILE = "styrk08.csv"
SSYK_FILE = "ssyk2012.csv"
SSYK_ISCO_FILE = "ssyk2012_isco08.csv"
ISCED_FILE = "isced2011_levels.csv"
NUS_FILE = "nus2000_levels.csv"
SUN_FILE = "sun2020_levels.csv"
# ESCO calls Norwegian Bokmål "no"; Samvirke calls it "nb".
ESCO_FILES = {
    "en": "esco_occupations_en.csv",
    "sv": "esco_occupations_sv.csv",
    "nb": "esco_occupations_no.csv",
}

# Titles taken from the classifications' own labels, not from ESCO, are keyed by this prefix.
GROUP_TITLE_URI = "urn:samvirke:"
_HIERARCHY_COLUMNS = ("code", "level", "parent_code")
_ESCO_COLUMNS = ("esco_uri", "isco_code", "preferred_label", "alt_labels")
_UNIT_GROUP_LEVEL = 4


class ClassificationFileError(ValueError):
    """A classification file is missing or has a bad row.

    ``file`` is the file's name, ``line`` the 1-based line number (``None`` when the problem is
    the whole file) and ``reason`` a plain English sentence.
    """

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        self.file = file
        self.line = line
        self.reason = reason
        where = file if line is None else f"{file}, line {line}"
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class IscoGroup:
    code: str
    level: int
    parent_code: str
    label_en: str
    label_nb: str
    label_sv: str


@dataclass(frozen=True)
class SsykRecord:
    code: str
    level: int
    parent_code: str
    label_sv: str


@dataclass(frozen=True)
class TitleRecord:
    language: str
    esco_uri: str
    isco_code: str  # "" when ESCO has no ISCO group for the occupation
    title: str
    is_preferred: bool


@dataclass(frozen=True)
class EducationRecord:
    scheme: str
    code: str
    level: int
    parent_code: str
    label_en: str = ""
    label_nb: str = ""
    label_sv: str = ""


@dataclass
class ClassificationData:
    isco_groups: list[IscoGroup] = field(default_factory=list)
    styrk_labels: dict[str, str] = field(default_factory=dict)
    ssyk_groups: list[SsykRecord] = field(default_factory=list)
    ssyk_isco_links: list[tuple[str, str]] = field(default_factory=list)  # (ssyk, isco)
    titles: list[TitleRecord] = field(default_factory=list)
    education_levels: list[EducationRecord] = field(default_factory=list)


Row = dict[str, str]


def _rows(data_dir: Path, name: str, columns: tuple[str, ...]) -> Iterator[tuple[int, Row]]:
    """Yield ``(line, row)`` for each non-blank data row, values stripped."""
    path = data_dir / name
    if not path.is_file():
        raise ClassificationFileError(name, None, "The file is missing.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ClassificationFileError(name, None, "The file is not UTF-8 text.") from exc
    except OSError as exc:
        raise ClassificationFileError(
            name, None, f"The file could not be read ({exc.strerror})."
        ) from exc

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    last_line = 0
    try:
        header = [column.strip() for column in next(reader, [])]
        if not any(header):
            raise ClassificationFileError(name, 1, "The file has no header row.")
        for column in columns:
            if column not in header:
                raise ClassificationFileError(name, 1, f'The header has no "{column}" column.')
        last_line = reader.line_num
        for fields in reader:
            line, last_line = last_line + 1, reader.line_num
            if not any(value.strip() for value in fields):
                continue
            if len(fields) != len(header):
                raise ClassificationFileError(
                    name,
                    line,
                    f"The row has {len(fields)} fields but the header has {len(header)}.",
                )
            yield line, dict(zip(header, (value.strip() for value in fields), strict=True))
    except csv.Error as exc:
        # A stray quote swallows the lines after it: name the line where the row began.
        raise ClassificationFileError(
            name, last_line + 1, "The row could not be read as CSV; check its quotes."
        ) from exc


def _require(name: str, line: int, row: Row, column: str) -> str:
    if not row[column]:
        raise ClassificationFileError(name, line, f'The "{column}" column is empty.')
    return row[column]


def _hierarchy(
    data_dir: Path, name: str, label_columns: tuple[str, ...], max_digits: int
) -> list[tuple[int, Row]]:
    """Rows of a coded hierarchy, checked: digits, level, parent, no duplicates, a label."""
    code_re = re.compile(rf"[0-9]{{1,{max_digits}}}")
    seen: dict[str, int] = {}
    rows: list[tuple[int, Row]] = []
    for line, row in _rows(data_dir, name, _HIERARCHY_COLUMNS + label_columns):
        code = row["code"]
        if not code_re.fullmatch(code):
            raise ClassificationFileError(
                name,
                line,
                f'The code "{code}" is not 1 to {max_digits} digits '
                "(check that leading zeros were kept).",
            )
        if code in seen:
            raise ClassificationFileError(
                name, line, f'The code "{code}" already appears on line {seen[code]}.'
            )
        if row["level"] != str(len(code)):
            raise ClassificationFileError(
                name,
                line,
                f'The level "{row["level"]}" does not match the code "{code}", '
                f"which has {len(code)} digits.",
            )
        if row["parent_code"] != code[:-1]:
            expected = f'"{code[:-1]}"' if len(code) > 1 else "empty"
            raise ClassificationFileError(
                name,
                line,
                f'The parent code "{row["parent_code"]}" should be {expected}: '
                "the code without its last digit.",
            )
        _require(name, line, row, label_columns[0])
        seen[code] = line
        rows.append((line, row))
    for line, row in rows:
        if row["parent_code"] and row["parent_code"] not in seen:
            raise ClassificationFileError(
                name, line, f'The parent code "{row["parent_code"]}" does not exist in the file.'
            )
    if not rows:
        raise ClassificationFileError(name, None, "The file has no rows.")
    return rows


def _flat_levels(
    data_dir: Path, name: str, code_column: str, label_columns: tuple[str, ...]
) -> list[tuple[int, Row]]:
    """Rows of a one-level list with single-digit codes, checked for duplicates and a label."""
    seen: dict[str, int] = {}
    rows: list[tuple[int, Row]] = []
    for line, row in _rows(data_dir, name, (code_column, *label_columns)):
        code = row[code_column]
        if not re.fullmatch(r"[0-9]", code):
            raise ClassificationFileError(name, line, f'The code "{code}" is not one digit.')
        if code in seen:
            raise ClassificationFileError(
                name, line, f'The code "{code}" already appears on line {seen[code]}.'
            )
        _require(name, line, row, label_columns[0])
        seen[code] = line
        rows.append((line, row))
    if not rows:
        raise ClassificationFileError(name, None, "The file has no rows.")
    return rows


def _ssyk_isco_links(
    data_dir: Path, ssyk_units: set[str], isco_units: set[str]
) -> list[tuple[str, str]]:
    seen: dict[tuple[str, str], int] = {}
    for line, row in _rows(data_dir, SSYK_ISCO_FILE, ("ssyk_code", "isco08_code")):
        link = (row["ssyk_code"], row["isco08_code"])
        if link[0] not in ssyk_units:
            raise ClassificationFileError(
                SSYK_ISCO_FILE,
                line,
                f'The SSYK code "{link[0]}" is not a unit group in {SSYK_FILE}.',
            )
        if link[1] not in isco_units:
            raise ClassificationFileError(
                SSYK_ISCO_FILE,
                line,
                f'The ISCO-08 code "{link[1]}" is not a unit group in {ISCO_FILE}.',
            )
        if link in seen:
            raise ClassificationFileError(
                SSYK_ISCO_FILE, line, f"The same link already appears on line {seen[link]}."
            )
        seen[link] = line
    return list(seen)


def _esco_titles(data_dir: Path, language: str, isco_units: set[str]) -> list[TitleRecord]:
    name = ESCO_FILES[language]
    seen: dict[str, int] = {}
    titles: list[TitleRecord] = []
    for line, row in _rows(data_dir, name, _ESCO_COLUMNS):
        uri = _require(name, line, row, "esco_uri")
        if not uri.startswith(("http://", "https://")):
            raise ClassificationFileError(name, line, f'The ESCO URI "{uri}" is not an address.')
        if uri in seen:
            raise ClassificationFileError(
                name, line, f"The ESCO URI already appears on line {seen[uri]}."
            )
        seen[uri] = line
        isco_code = row["isco_code"]
        if isco_code and isco_code not in isco_units:
            raise ClassificationFileError(
                name, line, f'The ISCO-08 code "{isco_code}" is not a unit group in {ISCO_FILE}.'
            )
        preferred = _require(name, line, row, "preferred_label")
        labels = [preferred] + [label.strip() for label in row["alt_labels"].split("|")]
        for label in dict.fromkeys(label for label in labels if label):
            titles.append(TitleRecord(language, uri, isco_code, label, label == preferred))
    if not titles:
        raise ClassificationFileError(name, None, "The file has no rows.")
    return titles


def read_classification_files(data_dir: Path) -> ClassificationData:
    """Read and check every classification file in ``data_dir``.

    Raises :class:`ClassificationFileError` on the first missing file, missing column, bad code,
    missing parent, duplicate code or unknown cross-reference.
    """
    data = ClassificationData()

    isco_rows = _hierarchy(data_dir, ISCO_FILE, ("label_en", "label_nb", "label_sv"), 4)
    for _line, row in _hierarchy(data_dir, STYRK_FILE, ("label_nb",), 4):
        data.styrk_labels[row["code"]] = row["label_nb"]
    for _line, row in isco_rows:
        data.isco_groups.append(
            IscoGroup(
                code=row["code"],
                level=len(row["code"]),
                parent_code=row["parent_code"],
                label_en=row["label_en"],
                label_nb=row["label_nb"] or _nearest_styrk_label(data.styrk_labels, row["code"]),
                label_sv=row["label_sv"],
            )
        )
    isco_units = {g.code for g in data.isco_groups if g.level == _UNIT_GROUP_LEVEL}

    for _line, row in _hierarchy(data_dir, SSYK_FILE, ("label_sv",), 4):
        data.ssyk_groups.append(
            SsykRecord(row["code"], len(row["code"]), row["parent_code"], row["label_sv"])
        )
    ssyk_units = {g.code for g in data.ssyk_groups if g.level == _UNIT_GROUP_LEVEL}
    data.ssyk_isco_links = _ssyk_isco_links(data_dir, ssyk_units, isco_units)

    for _line, row in _flat_levels(data_dir, ISCED_FILE, "level", ("label_en",)):
        data.education_levels.append(
            EducationRecord(
                "isced2011",
                row["level"],
                1,
                "",
                label_en=row["label_en"],
                label_nb=row.get("label_nb", ""),
                label_sv=row.get("label_sv", ""),
            )
        )
    for _line, row in _flat_levels(data_dir, NUS_FILE, "code", ("label_nb",)):
        data.education_levels.append(
            EducationRecord("nus2000", row["code"], 1, "", label_nb=row["label_nb"])
        )
    for _line, row in _hierarchy(data_dir, SUN_FILE, ("label_sv",), 3):
        data.education_levels.append(
            EducationRecord(
                "sun2020",
                row["code"],
                len(row["code"]),
                row["parent_code"],
                label_sv=row["label_sv"],
            )
        )

    for language in ESCO_FILES:
        data.titles.extend(_esco_titles(data_dir, language, isco_units))
    data.titles.extend(_group_titles(data))
    return data


def _nearest_styrk_label(styrk_labels: dict[str, str], code: str) -> str:
    """The STYRK-08 label of ``code``, or of the nearest group above it that STYRK has.

    STYRK-08 merges some ISCO-08 groups (ISCO 4120 "Secretaries (general)" is in STYRK 41
    "Kontormedarbeidere"): the Norwegian label is then where Norway classifies that work.
    """
    while code:
        if code in styrk_labels:
            return styrk_labels[code]
        code = code[:-1]
    return ""


def _group_titles(data: ClassificationData) -> list[TitleRecord]:
    """The unit groups' own labels (ISCO-08, STYRK-08, SSYK 2012) as searchable titles.

    ESCO lacks some everyday titles ("lastbilsförare" is in SSYK, not in ESCO's Swedish), so the
    classifications' labels are matched too; they are never shown as a matched ESCO title.
    """
    units = [g for g in data.isco_groups if g.level == _UNIT_GROUP_LEVEL]
    ssyk_labels = {g.code: g.label_sv for g in data.ssyk_groups}
    titles: dict[tuple[str, str, str], TitleRecord] = {}

    def add(language: str, uri: str, isco_code: str, label: str) -> None:
        if label:
            titles.setdefault(
                (language, uri, label), TitleRecord(language, uri, isco_code, label, False)
            )

    for group in units:
        uri = f"{GROUP_TITLE_URI}isco08:{group.code}"
        add("en", uri, group.code, group.label_en)
        add("nb", uri, group.code, data.styrk_labels.get(group.code, "") or group.label_nb)
        add("sv", uri, group.code, group.label_sv)
    for ssyk_code, isco_code in data.ssyk_isco_links:
        add("sv", f"{GROUP_TITLE_URI}ssyk2012:{ssyk_code}", isco_code, ssyk_labels[ssyk_code])
    return list(titles.values())
