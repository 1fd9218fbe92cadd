"""Importing an existing member survey (a CSV or XLSX file) as participants and their mappings.

Three steps: the file is read and kept in an :class:`ImportBatch`; the user says which column
holds what; then every row is checked before anything is written. One bad row and nothing is
imported: the report lists every problem by row and column, in the user's language.

Re-importing is safe. The member id of each row is remembered per programme
(:class:`ImportedMember`); a member seen before gets a new mapping version only when the row says
something different from what is already recorded, so the same file twice changes nothing.

Lookups are made once per import (classifications, municipalities, earlier imports and their
mappings), never per row. Writing goes through the participants' and mapping services, inside one
transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.mapping.fuzzy import normalise
from samvirke.mapping.models import (
    Education,
    EducationLevel,
    EducationScheme,
    FilledBy,
    Goal,
    ImportBatch,
    ImportedMember,
    ImportStatus,
    Interest,
    ItemKind,
    Mapping,
    MappingItem,
    Occupation,
    Resource,
    Skill,
    WorkExperience,
)
from samvirke.mapping.services import (
    EducationEntry,
    MappingAnswers,
    WorkEntry,
    record_mapping,
    suggest_occupation_code,
)
from samvirke.participants.models import (
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Gender,
    Participant,
    ParticipantIdentity,
    birth_year_bounds,
    new_pseudonym,
)
from samvirke.participants.services import cipher, current_text, give_consent
from samvirke.programmes.models import Country, Municipality, Subproject
from samvirke.web.forms import StyledFormMixin

if TYPE_CHECKING:
    from django.http import HttpRequest

    from samvirke.accounts.models import User
    from samvirke.programmes.models import Programme

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
# An XLSX file is a zip archive: refuse one that would unpack to far more than it weighs.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_CELL_LENGTH = 2000
MAX_WORK_ENTRIES = 20
MAX_KEY_LENGTH = ImportedMember._meta.get_field("source_key").max_length or 100
EARLIEST_MAPPING_YEAR = 1940
# Uploaded files hold personal data: a batch never imported loses its file after this long.
STALE_AFTER = dt.timedelta(days=1)
# The report lists this many problems; the count says how many there were in all.
MAX_ERRORS_SHOWN = 1000
# record_mapping codes an uncoded title itself, one occupation search per title. The importer has
# already searched each distinct title once; a title it could not code is passed with this code,
# which matches no occupation, so that the same search is not repeated for every row.
UNCODED = "-"


class ImportField(models.TextChoices):
    """What a column of the file can be imported as."""

    IGNORE = "", gettext_lazy("do not import")
    MEMBER_ID = "member_id", gettext_lazy("member id")
    FULL_NAME = "full_name", gettext_lazy("full name")
    EMAIL = "email", gettext_lazy("e-mail")
    PHONE = "phone", gettext_lazy("phone")
    BIRTH_YEAR = "birth_year", gettext_lazy("birth year")
    GENDER = "gender", gettext_lazy("gender")
    MUNICIPALITY = "municipality", gettext_lazy("municipality number")
    COUNTRY = "country", gettext_lazy("country")
    JOB_TITLES = "job_titles", gettext_lazy("job titles")
    OCCUPATION_CODE = "occupation_code", gettext_lazy("occupation code (ISCO-08)")
    EDUCATION_LEVEL = "education_level", gettext_lazy("education level (ISCED 0–8)")
    EDUCATION_FIELD = "education_field", gettext_lazy("field of study")
    SKILLS = "skills", gettext_lazy("skills")
    INTERESTS = "interests", gettext_lazy("interests")
    GOALS = "goals", gettext_lazy("goals")
    RESOURCES = "resources", gettext_lazy("resources")
    HOURS_PER_WEEK = "hours_per_week", gettext_lazy("hours a week")
    FILLED_ON = "filled_on", gettext_lazy("date of the mapping")
    CONSENT_FOLLOW_UP = "consent_follow_up", gettext_lazy("consent to follow-up (yes/no)")
    CONSENT_RESEARCH = "consent_research", gettext_lazy("consent to research (yes/no)")


# Header names recognised in Norwegian, Swedish and English, "|" between them (see _key()).
HEADER_NAMES: dict[str, str] = {
    ImportField.MEMBER_ID: (
        "member id|member number|member no|id|medlemsnummer|medlemsnr|medlems id|medlemsid|"
        "medlem nr|medlemnr|medlemsnumer"
    ),
    ImportField.FULL_NAME: (
        "name|full name|navn|fullt navn|namn|fullstandigt namn|for och efternamn"
    ),
    ImportField.EMAIL: (
        "email|e mail|e mail address|email address|e post|epost|e postadresse|e postadress|mail"
    ),
    ImportField.PHONE: (
        "phone|telephone|mobile|phone number|telefon|telefonnummer|tlf|mobil|mobilnummer|"
        "mobiltelefon"
    ),
    ImportField.BIRTH_YEAR: (
        "birth year|year of birth|born|fodselsar|fodt|fodelsear|fodd|fodelsear yyyy"
    ),
    ImportField.GENDER: "gender|sex|kjonn|kon",
    ImportField.MUNICIPALITY: (
        "municipality|municipality code|municipality number|kommune|kommunenummer|kommunenr|"
        "kommun|kommunkod|kommunnummer"
    ),
    ImportField.COUNTRY: "country|land",
    ImportField.JOB_TITLES: (
        "job title|job titles|jobs|work|previous work|occupation|occupations|yrke|yrker|stilling|"
        "stillinger|tidligere arbeid|arbeid|yrkestittel|arbete|tidigare arbete|tidigare arbeten|"
        "yrken|yrkestitel"
    ),
    ImportField.OCCUPATION_CODE: (
        "occupation code|isco|isco code|isco 08|isco08|yrkeskode|yrkeskod|isco kode|isco kod"
    ),
    ImportField.EDUCATION_LEVEL: (
        "education level|education|isced|isced level|utdanningsniva|utdanning|utbildningsniva|"
        "utbildning|hoyeste utdanning|hogsta utbildning"
    ),
    ImportField.EDUCATION_FIELD: (
        "field of study|education field|subject|fagfelt|fagomrade|studieretning|"
        "utdanningsretning|utbildningsinriktning|inriktning|amnesomrade"
    ),
    ImportField.SKILLS: "skills|ferdigheter|kompetanse|fardigheter|kompetens",
    ImportField.INTERESTS: "interests|interesser|intressen",
    ImportField.GOALS: "goals|mal|malsetting|malsattning",
    ImportField.RESOURCES: "resources|ressurser|resurser",
    ImportField.HOURS_PER_WEEK: (
        "hours per week|hours a week|hours|timer per uke|timer i uka|timer|timmar per vecka|"
        "timmar i veckan|timmar"
    ),
    ImportField.FILLED_ON: (
        "date|date of mapping|mapping date|dato|kartleggingsdato|datum|kartlaggningsdatum|"
        "svarsdato|svarsdatum"
    ),
    ImportField.CONSENT_FOLLOW_UP: (
        "consent to follow up|consent follow up|follow up consent|samtykke oppfolging|"
        "samtykke til oppfolging|samtycke uppfoljning|samtycke till uppfoljning"
    ),
    ImportField.CONSENT_RESEARCH: (
        "consent to research|consent research|research consent|samtykke forskning|"
        "samtykke til forskning|samtycke forskning|samtycke till forskning"
    ),
}

_YES = {"yes", "y", "ja", "j", "true", "sant", "1", "x"}
_NO = {"no", "n", "nei", "nej", "false", "usant", "falskt", "0", ""}
_COUNTRIES = {
    "no": Country.NORWAY, "nor": Country.NORWAY, "norway": Country.NORWAY,
    "norge": Country.NORWAY, "noreg": Country.NORWAY, "norwegen": Country.NORWAY,
    "se": Country.SWEDEN, "swe": Country.SWEDEN, "sweden": Country.SWEDEN,
    "sverige": Country.SWEDEN, "sverike": Country.SWEDEN,
}  # fmt: skip
_GENDER_WORDS = {
    Gender.WOMAN: ("woman", "female", "f", "w", "kvinne", "kvinna", "k", "kvinnlig", "dame"),
    Gender.MAN: ("man", "male", "m", "mann", "mannlig", "manlig", "mand"),
    Gender.OTHER: ("other", "annet", "annat", "annen", "annan", "non binary", "ikke binaer"),
    Gender.PREFER_NOT_TO_SAY: (
        "not said",
        "not_said",
        "prefer not to say",
        "vil ikke oppgi",
        "vill inte uppge",
        "vil ikke si",
        "vill inte saga",
        "onsker ikke a oppgi",
        "uppger ej",
    ),
}
_LANGUAGE_OF_COUNTRY: dict[str, str] = {Country.NORWAY: "nb", Country.SWEDEN: "sv"}
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l"})
_NOT_WORD = re.compile(r"[\W_]+")


def _key(text: str) -> str:
    """A loose key for matching headers and labels: no case, accents, punctuation or spacing."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _NOT_WORD.sub(" ", text).strip()


class ImportFileError(Exception):
    """The file cannot be read as a table; the message is translated for the user."""


# --- Reading the file ------------------------------------------------------------------------


@dataclass
class Table:
    """The file's header and its non-empty rows, numbered as a spreadsheet numbers them."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def read_table(content: bytes) -> Table:
    """The first sheet of an XLSX workbook, or a UTF-8 CSV file separated by commas or semicolons.

    Raises :class:`ImportFileError` for anything that is not such a file or breaks the limits.
    """
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(_file_too_large())
    if content.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(content)
    else:
        rows = _csv_rows(content)
    return _table(rows)


def _file_too_large() -> str:
    return _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)}


def _too_many_rows() -> str:
    return _("The file has more than %(count)s rows. Split it into smaller files.") % {
        "count": f"{MAX_ROWS:,}".replace(",", " ")
    }


def _sniff_delimiter(text: str) -> str:
    lines = [line for line in text[:65536].splitlines() if line.strip()][:20]
    if not lines:
        return ","
    try:
        delimiter = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ""
    header = lines[0]
    if len(delimiter) != 1 or delimiter not in header:
        counts = {candidate: header.count(candidate) for candidate in (";", ",", "\t")}
        delimiter = max(counts, key=lambda candidate: counts[candidate])
        if not counts[delimiter]:
            delimiter = ","
    return delimiter


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _(
                "The file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8. "
                "Save it as “CSV UTF-8” or as an Excel workbook and try again."
            )
        ) from exc
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV file or an Excel workbook (.xlsx)."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    row = 1
    try:
        for row, fields in enumerate(reader, start=1):  # noqa: B007 - row is used below
            yield fields
    except csv.Error as exc:
        raise ImportFileError(
            _("Row %(row)s could not be read as CSV; check its quotation marks.") % {"row": row + 1}
        ) from exc


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    not_a_workbook = _("The file could not be read as an Excel workbook (.xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportFileError(not_a_workbook) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(_file_too_large())
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any damage to an uploaded file means "unreadable"
        raise ImportFileError(not_a_workbook) from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError(not_a_workbook)
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - as above, while the sheet is streamed
        raise ImportFileError(not_a_workbook) from exc
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(rows: Iterable[list[str]]) -> Table:
    headers: list[str] | None = None
    body: list[tuple[int, list[str]]] = []
    for number, raw in enumerate(rows, start=1):
        cells = [unicodedata.normalize("NFC", cell).strip() for cell in raw]
        while cells and not cells[-1]:
            cells.pop()
        if headers is None:
            if not cells:
                continue
            if len(cells) > MAX_COLUMNS:
                raise ImportFileError(
                    _("The file has more than %(count)s columns.") % {"count": MAX_COLUMNS}
                )
            headers = [cell[:100] or _("Column %(number)s") % {"number": i + 1}
                       for i, cell in enumerate(cells)]  # fmt: skip
            continue
        if not cells:
            continue
        if len(cells) > len(headers):
            raise ImportFileError(
                _("Row %(row)s has more cells than the header row has columns.") % {"row": number}
            )
        if len(body) >= MAX_ROWS:
            raise ImportFileError(_too_many_rows())
        body.append((number, cells + [""] * (len(headers) - len(cells))))
    if headers is None:
        raise ImportFileError(_("The file is empty."))
    if not body:
        raise ImportFileError(_("The file has a header row but no members below it."))
    return Table(headers=headers, rows=body)


# --- Columns ---------------------------------------------------------------------------------


def _header_index() -> dict[str, str]:
    """Every recognised header key, with the field it stands for."""
    index: dict[str, str] = {}
    for target, names in HEADER_NAMES.items():
        for name in names.split("|"):
            index.setdefault(_key(name), target)
    for language in ("nb", "sv", "en"):
        with translation.override(language):
            for target, label in ImportField.choices:
                if target:
                    index.setdefault(_key(str(label)), target)
    return index


def guess_columns(headers: Sequence[str]) -> list[str]:
    """The field each header most likely holds (``""``: ignore); each field chosen once."""
    index = _header_index()
    chosen: list[str] = []
    for header in headers:
        target = index.get(_key(header), "")
        chosen.append("" if target in chosen else target)
    return chosen


def column_problems(columns: Sequence[str]) -> list[str]:
    """What is wrong with a column mapping, as sentences for the user."""
    problems = []
    if ImportField.MEMBER_ID not in columns:
        problems.append(_("Choose the column that holds the member id."))
    labels = dict(ImportField.choices)
    for target in sorted({c for c in columns if c and columns.count(c) > 1}):
        problems.append(
            _("“%(field)s” is chosen for more than one column.") % {"field": labels[target]}
        )
    return problems


# --- Checking the rows -----------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


class _CellError(Exception):
    pass


_T = TypeVar("_T")


@dataclass
class _Row:
    number: int
    key: str
    country: str
    full_name: str = ""
    email: str = ""
    phone: str = ""
    birth_year: int | None = None
    gender: str = ""
    municipality_id: int | None = None
    follow_up: bool = False
    research: bool = False
    filled_on: dt.date | None = None
    answers: MappingAnswers = field(default_factory=MappingAnswers)
    participant_id: int | None = None  # a member imported before
    give: tuple[str, ...] = ()  # consents to record
    mapping: bool = False  # record a new mapping version


@dataclass
class ImportCounts:
    rows: int = 0
    participants_created: int = 0
    participants_found: int = 0
    mappings_created: int = 0
    unchanged: int = 0
    without_consent: int = 0
    without_answers: int = 0
    consents_given: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class ImportOutcome:
    """What an import did, or would do (a check), or why it did nothing."""

    counts: ImportCounts = field(default_factory=ImportCounts)
    errors: list[RowError] = field(default_factory=list)
    imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> list[str]:
        """The counts as sentences in the active language."""
        return summary_of(self.counts.as_dict())


def summary_of(counts: dict[str, int]) -> list[str]:
    def count(name: str) -> int:
        return int(counts.get(name, 0))

    lines = [
        ngettext(
            "%(count)s new participant.",
            "%(count)s new participants.",
            count("participants_created"),
        ) % {"count": count("participants_created")},
        ngettext(
            "%(count)s new mapping version.",
            "%(count)s new mapping versions.",
            count("mappings_created"),
        ) % {"count": count("mappings_created")},
        ngettext(
            "%(count)s member unchanged since an earlier import.",
            "%(count)s members unchanged since an earlier import.",
            count("unchanged"),
        ) % {"count": count("unchanged")},
    ]  # fmt: skip
    if count("without_consent"):
        lines.append(
            ngettext(
                "%(count)s member has not consented to follow-up: registered, but their answers "
                "are not recorded as a mapping.",
                "%(count)s members have not consented to follow-up: registered, but their "
                "answers are not recorded as mappings.",
                count("without_consent"),
            )
            % {"count": count("without_consent")}
        )
    if count("without_answers"):
        lines.append(
            ngettext(
                "%(count)s member has no mapping answers in the file.",
                "%(count)s members have no mapping answers in the file.",
                count("without_answers"),
            )
            % {"count": count("without_answers")}
        )
    if count("consents_given"):
        lines.append(
            ngettext(
                "%(count)s consent recorded as given on paper.",
                "%(count)s consents recorded as given on paper.",
                count("consents_given"),
            )
            % {"count": count("consents_given")}
        )
    return lines


class _Lookups:
    """Everything a row is checked against, read once per import."""

    def __init__(self, programme: Programme, subproject: Subproject) -> None:
        self.occupations: dict[str, tuple[int, str, str, str]] = {
            code: (pk, nb or styrk or en, sv or en, en)
            for pk, code, nb, styrk, sv, en in Occupation.objects.filter(level=4).values_list(
                "pk", "code", "label_nb", "styrk_label", "label_sv", "label_en"
            )
        }
        self.education_levels = set(
            EducationLevel.objects.filter(scheme=EducationScheme.ISCED_2011).values_list(
                "code", flat=True
            )
        )
        self.municipalities = {
            (country, code): pk
            for pk, country, code in Municipality.objects.values_list("pk", "country", "code")
        }
        self.skills = _vocabulary(
            (code, (en, nb, sv))
            for code, en, nb, sv in Skill.objects.values_list(
                "code", "label_en", "label_nb", "label_sv"
            )
        )
        self.items = {kind: _choice_vocabulary(choices) for kind, choices in _ITEM_FIELDS.values()}
        self.genders = _choice_vocabulary(Gender)
        for gender, words in _GENDER_WORDS.items():
            for word in words:
                self.genders.setdefault(_key(word), gender)
        self.members = dict(
            ImportedMember.objects.filter(programme=programme).values_list(
                "source_key", "participant_id"
            )
        )
        self.in_subproject = set(
            Participant.subprojects.through.objects.filter(subproject=subproject).values_list(
                "participant_id", flat=True
            )
        )
        self.suggestions: dict[tuple[str, str], str] = {}

    def suggest(self, title: str, language: str) -> str:
        key = (normalise(title), language)
        if key not in self.suggestions:
            self.suggestions[key] = suggest_occupation_code(title, language)
        return self.suggestions[key]


_ITEM_FIELDS: dict[str, tuple[str, type[models.TextChoices]]] = {
    ImportField.INTERESTS: (ItemKind.INTEREST, Interest),
    ImportField.RESOURCES: (ItemKind.RESOURCE, Resource),
    ImportField.GOALS: (ItemKind.GOAL, Goal),
}


def _vocabulary(entries: Iterable[tuple[str, Sequence[str]]]) -> dict[str, str]:
    """Loose keys of every code and label, to the code."""
    vocabulary: dict[str, str] = {}
    for code, labels in entries:
        vocabulary.setdefault(_key(code), code)
        for label in labels:
            if label:
                vocabulary.setdefault(_key(label), code)
    return vocabulary


def _choice_vocabulary(choices: type[models.TextChoices]) -> dict[str, str]:
    labels: dict[str, list[str]] = defaultdict(list)
    for language in ("nb", "sv", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                labels[value].append(str(label))
    return _vocabulary(labels.items())


def _text(value: str, limit: int) -> str:
    if len(value) > limit:
        raise _CellError(_("Longer than %(limit)s characters.") % {"limit": limit})
    return value


def _integer(value: str) -> int:
    cleaned = value.replace(" ", "").replace("\u00a0", "")
    if cleaned.endswith((".0", ",0")):
        cleaned = cleaned[:-2]
    if not (cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 6):
        raise _CellError(_("“%(value)s” is not a whole number.") % {"value": value[:40]})
    return int(cleaned)


def _yes_no(value: str) -> bool:
    key = _key(value)
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise _CellError(_("Write yes or no, not “%(value)s”.") % {"value": value[:40]})


def _date(value: str) -> dt.date:
    text = value.strip()[:10]
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y.%m.%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise _CellError(
        _("“%(value)s” is not a date; write it as 2024-03-31 or 31.03.2024.")
        % {"value": value[:40]}
    )


def _split(value: str) -> list[str]:
    return list(dict.fromkeys(part.strip() for part in value.split(";") if part.strip()))


class _RowReader:
    """Turns one row of cells into a :class:`_Row`, noting every problem as a :class:`RowError`."""

    def __init__(
        self,
        table: Table,
        columns: Sequence[str],
        lookups: _Lookups,
        default_country: str,
        today: dt.date,
    ) -> None:
        self.headers = table.headers
        self.at = {target: index for index, target in enumerate(columns) if target}
        self.lookups = lookups
        self.default_country = default_country
        self.today = today
        self.errors: list[RowError] = []
        self.low_year, self.high_year = birth_year_bounds()

    def read(self, number: int, cells: list[str]) -> _Row | None:
        self.number, self.cells = number, cells
        errors_before = len(self.errors)
        key = self._cell(ImportField.MEMBER_ID, lambda v: _text(v, MAX_KEY_LENGTH))
        if not key:
            self._error(ImportField.MEMBER_ID, _("The member id is missing."))
        country = self._cell(ImportField.COUNTRY, self._country) or self.default_country
        row = _Row(number=number, key=key or "", country=country)
        row.full_name = self._cell(ImportField.FULL_NAME, lambda v: _text(v, 200)) or ""
        row.email = self._cell(ImportField.EMAIL, self._email) or ""
        row.phone = self._cell(ImportField.PHONE, self._phone) or ""
        row.birth_year = self._cell(ImportField.BIRTH_YEAR, self._birth_year)
        row.gender = self._cell(ImportField.GENDER, self._gender) or ""
        row.municipality_id = self._cell(
            ImportField.MUNICIPALITY, lambda v: self._municipality(v, country)
        )
        row.follow_up = bool(self._cell(ImportField.CONSENT_FOLLOW_UP, _yes_no))
        row.research = bool(self._cell(ImportField.CONSENT_RESEARCH, _yes_no))
        row.filled_on = self._cell(ImportField.FILLED_ON, self._filled_on)
        row.answers = self._answers(country)
        return row if len(self.errors) == errors_before else None

    def _error(self, target: str, message: str) -> None:
        index = self.at.get(target)
        column = self.headers[index] if index is not None else ""
        self.errors.append(RowError(row=self.number, column=column, message=message))

    def _cell(self, target: str, parse: Callable[[str], _T]) -> _T | None:
        index = self.at.get(target)
        if index is None:
            return None
        value = self.cells[index]
        if not value:
            return None
        try:
            return parse(value)
        except _CellError as exc:
            self._error(target, str(exc))
            return None

    def _country(self, value: str) -> str:
        country = _COUNTRIES.get(_key(value))
        if country is None:
            raise _CellError(
                _("Write the country as NO or SE, not “%(value)s”.") % {"value": value[:40]}
            )
        return country

    def _email(self, value: str) -> str:
        try:
            validate_email(value)
        except ValidationError as exc:
            raise _CellError(
                _("“%(value)s” is not a valid e-mail address.") % {"value": value[:60]}
            ) from exc
        return _text(value, 254)

    def _phone(self, value: str) -> str:
        if not re.fullmatch(r"\+?[0-9 ()\-./]{4,40}", value):
            raise _CellError(_("“%(value)s” is not a phone number.") % {"value": value[:40]})
        return value

    def _birth_year(self, value: str) -> int:
        year = _integer(value)
        if not self.low_year <= year <= self.high_year:
            raise _CellError(
                _("The birth year %(year)s is not between %(low)s and %(high)s.")
                % {"year": year, "low": self.low_year, "high": self.high_year}
            )
        return year

    def _gender(self, value: str) -> str:
        gender = self.lookups.genders.get(_key(value))
        if gender is None:
            raise _CellError(_("Unknown gender “%(value)s”.") % {"value": value[:40]})
        return gender

    def _municipality(self, value: str, country: str) -> int:
        code = value.strip()
        if code.isascii() and code.isdigit() and len(code) == 3:
            code = f"0{code}"  # a spreadsheet dropped the leading zero
        pk = self.lookups.municipalities.get((country, code))
        if pk is None:
            raise _CellError(
                _("Unknown municipality number “%(value)s” in %(country)s.")
                % {"value": value[:40], "country": country}
            )
        return pk

    def _filled_on(self, value: str) -> dt.date:
        day = _date(value)
        if day > self.today:
            raise _CellError(_("A mapping cannot be dated in the future."))
        if day.year < EARLIEST_MAPPING_YEAR:
            raise _CellError(_("Give a date after 1940."))
        return day

    def _codes(self, target: str, vocabulary: dict[str, str], unknown: str) -> list[str]:
        codes: list[str] = []
        for part in self._cell(target, _split) or []:
            code = vocabulary.get(_key(part))
            if code is None:
                self._error(target, unknown % {"value": part[:60]})
            elif code not in codes:
                codes.append(code)
        return codes

    def _answers(self, country: str) -> MappingAnswers:
        items = {
            kind: self._codes(target, self.lookups.items[kind], message)
            for target, kind, message in (
                (ImportField.INTERESTS, ItemKind.INTEREST, _("Unknown interest “%(value)s”.")),
                (ImportField.RESOURCES, ItemKind.RESOURCE, _("Unknown resource “%(value)s”.")),
                (ImportField.GOALS, ItemKind.GOAL, _("Unknown goal “%(value)s”.")),
            )
        }
        skills = self._codes(
            ImportField.SKILLS, self.lookups.skills, _("Unknown skill “%(value)s”.")
        )
        hours = self._cell(ImportField.HOURS_PER_WEEK, self._hours)
        return MappingAnswers(
            skill_codes=tuple(sorted(skills)),
            items={kind: tuple(sorted(codes)) for kind, codes in items.items() if codes},
            hours_per_week=hours,
            work=tuple(self._work(country)),
            education=tuple(self._education()),
        )

    def _hours(self, value: str) -> int:
        hours = _integer(value)
        if hours > 168:
            raise _CellError(_("A week has 168 hours; %(hours)s is too many.") % {"hours": hours})
        return hours

    def _work(self, country: str) -> list[WorkEntry]:
        titles = self._cell(ImportField.JOB_TITLES, _split) or []
        codes = self._cell(ImportField.OCCUPATION_CODE, _split) or []
        if len(titles) > MAX_WORK_ENTRIES or len(codes) > MAX_WORK_ENTRIES:
            self._error(
                ImportField.JOB_TITLES,
                _("More than %(count)s jobs in one row.") % {"count": MAX_WORK_ENTRIES},
            )
            return []
        language = _LANGUAGE_OF_COUNTRY.get(country, "en")
        entries = []
        for position in range(max(len(titles), len(codes))):
            title = titles[position] if position < len(titles) else ""
            code = codes[position] if position < len(codes) else ""
            if len(title) > 200:
                self._error(ImportField.JOB_TITLES, _("A job title is longer than 200 characters."))
                continue
            if code:
                if code.endswith(".0"):
                    code = code[:-2]
                occupation = self.lookups.occupations.get(code)
                if occupation is None:
                    self._error(
                        ImportField.OCCUPATION_CODE,
                        _("Unknown ISCO-08 occupation code “%(value)s”; give a four-digit code.")
                        % {"value": code[:20]},
                    )
                    continue
                if not title:
                    title = {"nb": occupation[1], "sv": occupation[2]}.get(language, occupation[3])
            else:
                code = self.lookups.suggest(title, language) or UNCODED
            entries.append(WorkEntry(title=title, occupation_code=code))
        return entries

    def _education(self) -> list[EducationEntry]:
        errors_before = len(self.errors)
        level = self._cell(ImportField.EDUCATION_LEVEL, self._education_level)
        subject = self._cell(ImportField.EDUCATION_FIELD, lambda v: _text(v, 200)) or ""
        if level is None:
            if subject and len(self.errors) == errors_before:
                self._error(
                    ImportField.EDUCATION_FIELD, _("Give the level of this education as well.")
                )
            return []
        return [EducationEntry(level_code=level, field=subject)]

    def _education_level(self, value: str) -> str:
        code = value[:-2] if value.endswith(".0") else value
        if code not in self.lookups.education_levels:
            raise _CellError(
                _("Unknown education level “%(value)s”; give an ISCED 2011 level from 0 to 8.")
                % {"value": value[:20]}
            )
        return code


# --- Comparing with what is recorded ---------------------------------------------------------

AnswersKey = tuple[Any, ...]


def answers_key(answers: MappingAnswers) -> AnswersKey:
    """What an import can say about a mapping, in a form that compares equal when it is equal."""
    return (
        tuple(sorted(set(answers.skill_codes))),
        tuple(
            sorted(
                (kind, code)
                for kind, codes in answers.items.items()
                if kind in (ItemKind.INTEREST, ItemKind.RESOURCE, ItemKind.GOAL)
                for code in set(codes)
            )
        ),
        answers.hours_per_week,
        tuple(
            sorted(
                (
                    " ".join(entry.title.split()),
                    "" if entry.occupation_code == UNCODED else entry.occupation_code,
                )
                for entry in answers.work
            )
        ),  # fmt: skip
        tuple(sorted((entry.level_code, entry.field) for entry in answers.education)),
    )


EMPTY_ANSWERS = answers_key(MappingAnswers())


@dataclass
class _Version:
    filled_on: dt.date
    is_current: bool
    skills: list[str] = field(default_factory=list)
    items: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    hours: int | None = None
    work: list[WorkEntry] = field(default_factory=list)
    education: list[EducationEntry] = field(default_factory=list)

    def key(self) -> AnswersKey:
        return answers_key(
            MappingAnswers(
                skill_codes=self.skills,
                items={kind: tuple(codes) for kind, codes in self.items.items()},
                hours_per_week=self.hours,
                work=self.work,
                education=self.education,
            )
        )


def _recorded_versions(participant_ids: Iterable[int]) -> dict[int, list[_Version]]:
    """Every mapping version of the given participants, read in five queries."""
    ids = set(participant_ids)
    if not ids:
        return {}
    mappings = Mapping.objects.filter(participant_id__in=ids)
    versions: dict[int, _Version] = {}
    owner: dict[int, int] = {}
    for pk, participant_id, filled_on, is_current, hours in mappings.values_list(
        "pk", "participant_id", "filled_on", "is_current", "hours_per_week"
    ):
        versions[pk] = _Version(filled_on=filled_on, is_current=is_current, hours=hours)
        owner[pk] = participant_id
    for mapping_id, code in Mapping.skills.through.objects.filter(
        mapping__participant_id__in=ids
    ).values_list("mapping_id", "skill__code"):
        versions[mapping_id].skills.append(code)
    for mapping_id, kind, code in MappingItem.objects.filter(
        mapping__participant_id__in=ids
    ).values_list("mapping_id", "kind", "code"):
        versions[mapping_id].items[kind].append(code)
    for mapping_id, title, code in WorkExperience.objects.filter(
        mapping__participant_id__in=ids
    ).values_list("mapping_id", "title", "occupation__code"):
        versions[mapping_id].work.append(WorkEntry(title=title, occupation_code=code or ""))
    for mapping_id, level, subject in Education.objects.filter(
        mapping__participant_id__in=ids
    ).values_list("mapping_id", "level__code", "field"):
        versions[mapping_id].education.append(EducationEntry(level_code=level, field=subject))
    by_participant: dict[int, list[_Version]] = defaultdict(list)
    for pk, version in versions.items():
        by_participant[owner[pk]].append(version)
    return by_participant


def _is_recorded(row: _Row, versions: Sequence[_Version], today: dt.date) -> bool:
    """The row says what the current version says, or what a version of the same date says."""
    wanted = answers_key(row.answers)
    filled_on = row.filled_on or today
    return any(
        (version.is_current or version.filled_on == filled_on) and version.key() == wanted
        for version in versions
    )


# --- The import ------------------------------------------------------------------------------


def purge_stale_batches(*, programme: Programme) -> int:
    """Forget the files of uploads that were never imported (they hold personal data)."""
    return (
        ImportBatch.objects.filter(
            programme=programme,
            status=ImportStatus.UPLOADED,
            created_at__lt=timezone.now() - STALE_AFTER,
        )
        .exclude(content=b"")
        .update(content=b"", updated_at=timezone.now())
    )


def batch_uploaded_by(user: User, programme: Programme, public_id: str) -> ImportBatch | None:
    """An upload in the programme, for the person who made it only: the file is personal data."""
    return (
        ImportBatch.objects.filter(programme=programme, public_id=public_id, uploaded_by=user)
        .select_related("subproject")
        .first()
    )


@transaction.atomic
def create_batch(
    *,
    actor: User,
    programme: Programme,
    subproject: Subproject,
    country: str,
    filename: str,
    content: bytes,
) -> ImportBatch:
    """Keep an uploaded file for the next steps. The caller has already read it as a table."""
    purge_stale_batches(programme=programme)
    return ImportBatch.objects.create(
        programme=programme,
        subproject=subproject,
        uploaded_by=actor,
        country=country,
        filename=filename[:255],
        sha256=sha256_of(content),
        content=content,
        columns=[],
    )


def plan_rows(
    *, table: Table, columns: Sequence[str], batch: ImportBatch
) -> tuple[list[_Row], list[RowError], ImportCounts]:
    """Check every row and work out what importing it would do; writes nothing."""
    today = timezone.localdate()
    lookups = _Lookups(batch.programme, batch.subproject)
    reader = _RowReader(table, columns, lookups, batch.country, today)
    rows: list[_Row] = []
    first_seen: dict[str, int] = {}
    for number, cells in table.rows:
        row = reader.read(number, cells)
        if row is None:
            continue
        if row.key in first_seen:
            reader.number = number
            reader._error(
                ImportField.MEMBER_ID,
                _("The member id %(id)s is also on row %(row)s.")
                % {"id": row.key[:40], "row": first_seen[row.key]},
            )
            continue
        first_seen[row.key] = number
        row.participant_id = lookups.members.get(row.key)
        if row.participant_id is not None and row.participant_id not in lookups.in_subproject:
            reader.number = number
            reader._error(
                ImportField.MEMBER_ID,
                _("The member id %(id)s was imported earlier into another subproject.")
                % {"id": row.key[:40]},
            )
            continue
        rows.append(row)
    counts = ImportCounts(rows=len(table.rows))
    if reader.errors:
        return rows, reader.errors, counts
    _decide(rows, counts, today)
    return rows, [], counts


def _decide(rows: list[_Row], counts: ImportCounts, today: dt.date) -> None:
    existing = [row.participant_id for row in rows if row.participant_id is not None]
    given: dict[int, set[str]] = defaultdict(set)  # every purpose ever consented to
    active: dict[int, set[str]] = defaultdict(set)
    for participant_id, purpose, withdrawn_at in Consent.objects.filter(
        participant_id__in=existing,
        purpose__in=[ConsentPurpose.FOLLOW_UP, ConsentPurpose.RESEARCH],
    ).values_list("participant_id", "purpose", "withdrawn_at"):
        given[participant_id].add(purpose)
        if withdrawn_at is None:
            active[participant_id].add(purpose)
    versions = _recorded_versions(existing)
    for row in rows:
        wanted = [
            purpose
            for purpose, yes in (
                (ConsentPurpose.FOLLOW_UP, row.follow_up),
                (ConsentPurpose.RESEARCH, row.research),
            )
            if yes
        ]
        if row.participant_id is None:
            counts.participants_created += 1
            # A consent withdrawn in Samvirke is never given again by re-importing old paper.
            row.give = tuple(wanted)
            consented = row.follow_up
            recorded: Sequence[_Version] = ()
        else:
            counts.participants_found += 1
            row.give = tuple(p for p in wanted if p not in given[row.participant_id])
            consented = (
                ConsentPurpose.FOLLOW_UP in active[row.participant_id]
                or ConsentPurpose.FOLLOW_UP in row.give
            )
            recorded = versions.get(row.participant_id, ())
        counts.consents_given += len(row.give)
        if answers_key(row.answers) == EMPTY_ANSWERS:
            counts.without_answers += 1
        elif not consented:
            counts.without_consent += 1
        elif _is_recorded(row, recorded, today):
            counts.unchanged += 1
        else:
            row.mapping = True
            counts.mappings_created += 1


class ImportWriteError(Exception):
    """A service refused a write; the import was rolled back. The message is translated."""


@transaction.atomic
def import_members(
    *,
    actor: User,
    request: HttpRequest | None,
    batch: ImportBatch,
    columns: Sequence[str],
    dry_run: bool,
) -> ImportOutcome:
    """Check the batch's file with ``columns`` and, unless ``dry_run``, import it.

    All or nothing: a row with a problem means nothing is written and the outcome lists the
    problems. Raises :class:`ImportFileError` if the file cannot be read and
    :class:`ImportWriteError` if a service refuses a write (everything is rolled back).
    """
    batch = (
        ImportBatch.objects.select_for_update()
        .select_related("programme", "subproject")
        .get(pk=batch.pk)
    )
    if batch.status != ImportStatus.UPLOADED or not batch.content:
        raise ImportFileError(_("This file has already been imported or has expired."))
    table = read_table(bytes(batch.content))
    rows, errors, counts = plan_rows(table=table, columns=columns, batch=batch)
    outcome = ImportOutcome(counts=counts, errors=errors)
    if errors or dry_run:
        return outcome
    _write(actor=actor, request=request, batch=batch, rows=rows)
    batch.columns = list(columns)
    batch.status = ImportStatus.IMPORTED
    batch.counts = counts.as_dict()
    batch.content = b""
    batch.completed_at = timezone.now()
    batch.save(
        update_fields=["columns", "status", "counts", "content", "completed_at", "updated_at"]
    )
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        request=request,
        obj=batch,
        object_label="member import",
        programme=batch.programme,
        detail={
            "what": "member import",
            "subproject": batch.subproject_id,
            "sha256": batch.sha256,
            **counts.as_dict(),
        },
    )
    outcome.imported = True
    return outcome


def _write(
    *, actor: User, request: HttpRequest | None, batch: ImportBatch, rows: list[_Row]
) -> None:
    known = [r for r in rows if r.participant_id is not None and (r.give or r.mapping)]
    new = [r for r in rows if r.participant_id is None]
    _register_new_members(actor=actor, request=request, batch=batch, rows=new)
    _update_known_members(actor=actor, request=request, rows=known)


def _update_known_members(*, actor: User, request: HttpRequest | None, rows: list[_Row]) -> None:
    """Members imported before: their consents and mappings have a history, so the services
    that know it (``give_consent``, ``record_mapping``) write each change."""
    from samvirke.mapping.services import MappingConsentError
    from samvirke.participants.services import ConsentError

    participants = Participant.objects.select_related("programme").in_bulk(
        [row.participant_id for row in rows]
    )
    today = timezone.localdate()
    for row in rows:
        participant = participants[row.participant_id]
        try:
            for purpose in row.give:
                give_consent(
                    actor=actor,
                    request=request,
                    participant=participant,
                    purpose=purpose,
                    method=ConsentMethod.PAPER,
                )
            if row.mapping:
                record_mapping(
                    actor=actor,
                    request=request,
                    participant=participant,
                    filled_by=FilledBy.SELF,
                    filled_on=row.filled_on or today,
                    answers=row.answers,
                )
        except (ConsentError, MappingConsentError) as exc:
            raise ImportWriteError(
                _("Row %(row)s: %(problem)s") % {"row": row.number, "problem": exc}
            ) from exc


def _register_new_members(
    *, actor: User, request: HttpRequest | None, batch: ImportBatch, rows: list[_Row]
) -> None:
    """Members not seen before, written in bulk: a first import of thousands of members would
    take minutes through the one-person services.

    What is written is what ``register_participant``, ``give_consent`` (on paper) and
    ``record_mapping`` write for a new person with no history: the same identity encryption, the
    current consent texts, and a first mapping version that is the current one
    (``tests/mapping/test_member_import.py`` compares the two). Each new participant gets one
    ``create`` entry in the audit log, which they can read in their access log.
    """
    if not rows:
        return
    programme = batch.programme
    taken = set(Participant.objects.values_list("pseudonym", flat=True))
    records = []
    for row in rows:
        pseudonym = new_pseudonym(row.country)
        while pseudonym in taken:
            pseudonym = new_pseudonym(row.country)
        taken.add(pseudonym)
        records.append(
            Participant(
                programme=programme,
                pseudonym=pseudonym,
                country=row.country,
                birth_year=row.birth_year,
                gender=row.gender,
                municipality_id=row.municipality_id,
            )
        )
    participants = Participant.objects.bulk_create(records, batch_size=_BATCH)
    for row, participant in zip(rows, participants, strict=True):
        row.participant_id = participant.pk
    through = Participant.subprojects.through
    through.objects.bulk_create(
        [through(participant_id=p.pk, subproject_id=batch.subproject_id) for p in participants],
        batch_size=_BATCH,
    )
    ImportedMember.objects.bulk_create(
        [
            ImportedMember(programme=programme, source_key=row.key, participant=p, batch=batch)
            for row, p in zip(rows, participants, strict=True)
        ],
        batch_size=_BATCH,
    )
    box = cipher()
    ParticipantIdentity.objects.bulk_create(
        [
            # As participants.services._store_identity stores it.
            ParticipantIdentity(
                participant=p,
                full_name=box.encrypt(row.full_name.strip()),
                email=box.encrypt(row.email.strip().lower()),
                phone=box.encrypt(row.phone.strip()),
                national_id="",
                national_id_hash="",
            )
            for row, p in zip(rows, participants, strict=True)
        ],
        batch_size=_BATCH,
    )
    consents = _bulk_consents(actor=actor, rows=rows, participants=participants)
    mappings = _bulk_mappings(actor=actor, batch=batch, rows=rows, participants=participants)
    for participant in participants:
        record_event(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=participant,
            programme=programme,
            detail={
                "import": str(batch.public_id),
                "consents": [{"consent": purpose, "method": ConsentMethod.PAPER}
                             for purpose in consents.get(participant.pk, ())],
                "mapping": mappings.get(participant.pk, ""),
            },
        )  # fmt: skip


_BATCH = 500


def _bulk_consents(
    *, actor: User, rows: list[_Row], participants: list[Participant]
) -> dict[int, list[str]]:
    texts: dict[tuple[str, bool], int] = {}
    now = timezone.now()
    records = []
    given: dict[int, list[str]] = defaultdict(list)
    for row, participant in zip(rows, participants, strict=True):
        youth = participant.needs_age_appropriate_consent
        for purpose in row.give:
            if (purpose, youth) not in texts:
                texts[(purpose, youth)] = current_text(purpose, youth=youth).pk
            records.append(
                Consent(
                    participant=participant,
                    purpose=purpose,
                    text_id=texts[(purpose, youth)],
                    method=ConsentMethod.PAPER,
                    given_at=now,
                    given_by=actor,
                )
            )
            given[participant.pk].append(purpose)
    Consent.objects.bulk_create(records, batch_size=_BATCH)
    return given


def _bulk_mappings(
    *, actor: User, batch: ImportBatch, rows: list[_Row], participants: list[Participant]
) -> dict[int, str]:
    """A first, current mapping version for each new member whose row asks for one."""
    wanted = [(row, p) for row, p in zip(rows, participants, strict=True) if row.mapping]
    if not wanted:
        return {}
    today = timezone.localdate()
    mappings = Mapping.objects.bulk_create(
        [
            Mapping(
                programme=batch.programme,
                participant=participant,
                filled_on=row.filled_on or today,
                filled_by=FilledBy.SELF,
                is_current=True,
                recorded_by=actor,
                hours_per_week=row.answers.hours_per_week,
            )
            for row, participant in wanted
        ],
        batch_size=_BATCH,
    )
    skill_ids = dict(Skill.objects.values_list("code", "pk"))
    occupation_ids = dict(Occupation.objects.filter(level=4).values_list("code", "pk"))
    level_ids = dict(
        EducationLevel.objects.filter(scheme=EducationScheme.ISCED_2011).values_list("code", "pk")
    )
    skill_links = Mapping.skills.through
    skills, items, work, education = [], [], [], []
    for (row, _participant), mapping in zip(wanted, mappings, strict=True):
        answers = row.answers
        skills += [
            skill_links(mapping_id=mapping.pk, skill_id=skill_ids[code])
            for code in sorted(set(answers.skill_codes))
        ]
        items += [
            MappingItem(mapping=mapping, kind=kind, code=code)
            for kind, codes in answers.items.items()
            for code in sorted(set(codes))
        ]
        work += [
            WorkExperience(
                mapping=mapping,
                title=entry.title,
                occupation_id=occupation_ids.get(entry.occupation_code),
            )
            for entry in answers.work
        ]
        education += [
            Education(mapping=mapping, level_id=level_ids[entry.level_code], field=entry.field)
            for entry in answers.education
        ]
    skill_links.objects.bulk_create(skills, batch_size=_BATCH)
    MappingItem.objects.bulk_create(items, batch_size=_BATCH)
    WorkExperience.objects.bulk_create(work, batch_size=_BATCH)
    Education.objects.bulk_create(education, batch_size=_BATCH)
    # What record_mapping does last: the profile that resource maps count.
    from samvirke.mapping.profiles import refresh_profiles
    from samvirke.mapping.selectors import with_parts

    ids = [mapping.pk for mapping in mappings]
    for start in range(0, len(ids), 2000):
        refresh_profiles(with_parts(Mapping.objects.filter(pk__in=ids[start : start + 2000])))
    return {
        row_participant[1].pk: str(mapping.public_id)
        for row_participant, mapping in zip(wanted, mappings, strict=True)
    }


# --- Forms for the upload and column steps ---------------------------------------------------


class ImportUploadForm(StyledFormMixin, forms.Form):
    subproject = forms.ModelChoiceField(
        label=gettext_lazy("Subproject"), queryset=Subproject.objects.none()
    )
    country = forms.ChoiceField(
        label=gettext_lazy("Country of the members"),
        choices=Country.choices,
        help_text=gettext_lazy("Used for rows that do not say which country the member lives in."),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "An Excel workbook (.xlsx, the first sheet) or a CSV file in UTF-8 separated by commas "
            "or semicolons, with the column names in the first row. At most 10 MB and 20 000 rows."
        ),
    )

    def __init__(self, *args: Any, subprojects: models.QuerySet[Subproject], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["subproject"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = subprojects
        self.content = b""

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_FILE_BYTES:
            raise forms.ValidationError(_file_too_large())
        self.content = upload.read(MAX_FILE_BYTES + 1)
        try:
            read_table(self.content)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


def column_field_name(index: int) -> str:
    return f"column_{index}"


class ImportColumnsForm(forms.Form):
    """One choice per column of the file: what to import it as."""

    def __init__(self, *args: Any, headers: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers = list(headers)
        for index, header in enumerate(self.headers):
            self.fields[column_field_name(index)] = forms.ChoiceField(
                label=header, choices=ImportField.choices, required=False
            )

    def columns(self) -> list[str]:
        return [self.cleaned_data.get(column_field_name(i)) or "" for i in range(len(self.headers))]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            for problem in column_problems(self.columns()):
                self.add_error(None, problem)
        return data
