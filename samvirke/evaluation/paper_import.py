"""Importing answers from paper questionnaires, typed into a spreadsheet: all or nothing.

One row per questionnaire: the participant's pseudonym, the day it was answered, optionally the
key of the time point it belongs to (``baseline``, ``m3`` …), then one column per item, named by
the item's key (``who5_1`` …) and holding the value of the option chosen (empty: not answered).
``template`` gives the header of an instrument. The file is read by the shared reader
(:func:`samvirke.imports.reading.read_table`: sandboxed, the same size, row and cell
limits as every upload); every row and cell is checked before anything is written, the report
lists each problem by row and column in the user's language, and one bad cell means nothing is
imported. Every row must name someone the user follows.

Each imported questionnaire is sent in through ``enter_response`` as entered from paper (so it is
scored, audited and a safety item raises its alert) and carries a key of its row: importing the
same file again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.evaluation import response_services, scoring
from samvirke.evaluation.models import (
    EntryMode,
    InstrumentVersion,
    Item,
    QuestionnaireResponse,
    ResponseStatus,
)
from samvirke.imports import sandbox
from samvirke.imports.cells import key as _key
from samvirke.imports.limits import MAX_ERRORS_SHOWN, MAX_FILE_BYTES, MAX_ROWS_READ
from samvirke.imports.reading import (
    ImportFileError,
    Table,
    file_too_large,
    read_table,
    table_of,
)
from samvirke.participants.models import Participant
from samvirke.participants.selectors import participants_followed_by

if TYPE_CHECKING:
    from django.http import HttpRequest

    from samvirke.accounts.permissions import Access

__all__ = ["ImportFileError", "Report", "check", "read_upload", "run", "template_header"]

PSEUDONYM, ANSWERED_ON, TIME_POINT = "pseudonym", "answered_on", "time_point"
IMPORT_TYPE = "evaluation.paper_import"
EARLIEST = dt.date(1990, 1, 1)


SAV_MAGIC = (b"$FL2", b"$FL3")  # SPSS .sav and compressed .zsav


def read_upload(content: bytes) -> Table:
    """A CSV or XLSX file through the shared reader, or an SPSS ``.sav`` file (evaluation data a
    programme already holds) read by pyreadstat in the same limited child process."""
    if content[:4] not in SAV_MAGIC:
        return read_table(content)
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(file_too_large())
    result = sandbox.run(_sav_as_json, content)
    if result is None:
        raise ImportFileError(
            _(
                "The file needs more memory or time to read than an upload may use. Save only "
                "the columns and rows to import, or split it into smaller files."
            )
        )
    kind, payload = result
    if kind == "error":
        raise ImportFileError(str(payload))
    return Table(
        headers=list(payload["headers"]),
        rows=[(int(number), list(cells)) for number, cells in payload["rows"]],
    )


def _sav_cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):  # NaN: system missing
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _sav_as_json(content: bytes) -> tuple[str, object]:
    """Run in the child: the .sav file as header and rows of text, under the upload limits."""
    import tempfile

    import pyreadstat

    try:
        with tempfile.NamedTemporaryFile(suffix=".sav") as file:
            file.write(content)
            file.flush()
            frame, _meta = pyreadstat.read_sav(file.name, row_limit=MAX_ROWS_READ)
        rows = [[str(name) for name in frame.columns]] + [
            [_sav_cell(value) for value in row] for row in frame.itertuples(index=False)
        ]
        table = table_of(iter(rows))
    except ImportFileError as exc:
        return ("error", str(exc))
    except Exception:  # noqa: BLE001 - any parser failure is the file's, said in words
        return ("error", _("The file could not be read as an SPSS .sav file."))
    return ("table", {"headers": table.headers, "rows": table.rows})


def template_header(version: InstrumentVersion) -> list[str]:
    return [PSEUDONYM, ANSWERED_ON, TIME_POINT, *version.items.values_list("key", flat=True)]


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    message: str


@dataclass
class _Row:
    number: int
    participant: Participant
    answered_on: dt.date
    time_point: str
    answers: dict[str, int | None]
    import_key: str = ""


@dataclass
class Report:
    errors: list[CellError] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)
    imported: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _columns(table: Table, items: list[Item]) -> tuple[dict[str, int], list[CellError]]:
    wanted = {_key(name): name for name in (PSEUDONYM, ANSWERED_ON, TIME_POINT)}
    wanted.update({_key(item.key): item.key for item in items})
    found: dict[str, int] = {}
    errors: list[CellError] = []
    for index, header in enumerate(table.headers):
        name = wanted.get(_key(header))
        if name is None:
            if header.strip():
                errors.append(CellError(1, header, _("This column is not part of the template.")))
            continue
        if name in found:
            errors.append(CellError(1, header, _("This column appears twice.")))
        found[name] = index
    for name in (PSEUDONYM, ANSWERED_ON):
        if name not in found:
            errors.append(CellError(1, name, _("This column is missing.")))
    return found, errors


def _date(value: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value.strip().split(" ")[0], pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


def _row_key(programme_id: int, version: InstrumentVersion, row: _Row) -> str:
    text = "|".join(
        [
            str(programme_id),
            version.instrument.key,
            row.participant.pseudonym,
            row.time_point,
            row.answered_on.isoformat(),
        ]
    )
    return "paper:" + hashlib.sha256(text.encode()).hexdigest()[:58]


def check(access: Access, version: InstrumentVersion, table: Table) -> Report:
    """Every problem of the file, by row and column; and the rows, when there are none."""
    items = list(version.items.order_by("position"))
    columns, errors = _columns(table, items)
    report = Report(errors=errors)
    if errors:
        return report
    if not table.rows:
        report.errors.append(CellError(1, "", _("The file has no rows to import.")))
        return report
    named = {
        cells[columns[PSEUDONYM]].strip().upper()
        for _number, cells in table.rows
        if columns[PSEUDONYM] < len(cells)
    }
    followed = {
        p.pseudonym.upper(): p
        for p in participants_followed_by(access)
        .filter(pseudonym__in=named)
        .only("pk", "pseudonym", "programme_id")
    }
    time_points = set(
        QuestionnaireResponse.objects.filter(
            participant__programme=access.programme,
            version__instrument=version.instrument_id,
            time_point__isnull=False,
        ).values_list("time_point__key", flat=True)
    )
    today = timezone.localdate()
    seen: dict[tuple[int, str, dt.date], int] = {}

    def cell(cells: list[str], name: str) -> str:
        index = columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for number, cells in table.rows:
        problems: list[CellError] = []
        pseudonym = cell(cells, PSEUDONYM)
        participant = followed.get(pseudonym.upper())
        if participant is None:
            problems.append(
                CellError(number, PSEUDONYM, _("No one you follow has this pseudonym."))
            )
        answered_on = _date(cell(cells, ANSWERED_ON))
        if answered_on is None:
            problems.append(
                CellError(number, ANSWERED_ON, _("Write the date as 2026-03-31 or 31.03.2026."))
            )
        elif answered_on > today or answered_on < EARLIEST:
            problems.append(
                CellError(number, ANSWERED_ON, _("The date cannot be in the future."))
                if answered_on > today
                else CellError(number, ANSWERED_ON, _("The date is too long ago."))
            )
        time_point = cell(cells, TIME_POINT)
        if time_point and time_point not in time_points:
            problems.append(
                CellError(number, TIME_POINT, _("No questionnaire is planned at this time point."))
            )
        answers: dict[str, int | None] = {}
        for item in items:
            raw = cell(cells, item.key)
            if not raw:
                answers[item.key] = None
                continue
            try:
                value = int(float(raw.replace(",", ".")))
                if float(raw.replace(",", ".")) != value:
                    raise ValueError(raw)
            except ValueError:
                problems.append(CellError(number, item.key, _("Write the number of the answer.")))
                continue
            problem = scoring.answer_problem(version.definition, item.key, value)
            if problem:
                choices = scoring.option_values(version.definition, _spec(version, item.key))
                message = (
                    _("That answer is not one of the choices (%(choices)s).")
                    % {"choices": ", ".join(str(c) for c in choices)}
                    if choices
                    else _("That number is outside what the question allows.")
                )
                problems.append(CellError(number, item.key, message))
                continue
            answers[item.key] = value
        if not problems:
            assert participant is not None and answered_on is not None  # noqa: S101
            shown = [i for i in items if response_services.is_shown(i, answers)]
            for item in shown:
                if item.required and answers.get(item.key) is None:
                    problems.append(
                        CellError(number, item.key, _("This question must be answered."))
                    )
            twin = seen.get((participant.pk, time_point, answered_on))
            if twin is not None:
                problems.append(
                    CellError(
                        number,
                        PSEUDONYM,
                        _("Row %(row)s is the same questionnaire.") % {"row": twin},
                    )
                )
            seen[(participant.pk, time_point, answered_on)] = number
        if problems:
            report.errors.extend(problems)
            if len(report.errors) >= MAX_ERRORS_SHOWN:
                break
            continue
        assert participant is not None and answered_on is not None  # noqa: S101
        row = _Row(number, participant, answered_on, time_point, answers)
        row.import_key = _row_key(access.programme.pk, version, row)
        report.rows.append(row)
    if not report.errors:
        _match_time_points(version, report)
    return report


def _spec(version: InstrumentVersion, key: str) -> dict[str, object]:
    return dict(scoring.item_by_key(version.definition)[key])


def _match_time_points(version: InstrumentVersion, report: Report) -> None:
    """A row with a time point needs an open questionnaire there (or one it imported before)."""
    for row in report.rows:
        if not row.time_point:
            continue
        responses = QuestionnaireResponse.objects.filter(
            participant=row.participant,
            version__instrument=version.instrument_id,
            time_point__key=row.time_point,
        )
        if responses.filter(import_key=row.import_key).exists():
            continue
        if not responses.filter(status__in=[ResponseStatus.DUE, ResponseStatus.IN_PROGRESS]):
            report.errors.append(
                CellError(
                    row.number,
                    TIME_POINT,
                    _("This questionnaire has already been answered or missed."),
                )
            )


@transaction.atomic
def run(
    *, access: Access, request: HttpRequest | None, version: InstrumentVersion, report: Report
) -> Report:
    """Write the checked rows: all of them or, on any refusal, none."""
    if not report.ok:
        raise ValueError("a report with errors is not imported")
    for row in report.rows:
        existing = QuestionnaireResponse.objects.filter(
            participant=row.participant, import_key=row.import_key
        ).first()
        if existing is not None and existing.status == ResponseStatus.SUBMITTED:
            report.unchanged += 1
            continue
        if row.time_point:
            response = (
                QuestionnaireResponse.objects.filter(
                    participant=row.participant,
                    version__instrument=version.instrument_id,
                    time_point__key=row.time_point,
                    status__in=[ResponseStatus.DUE, ResponseStatus.IN_PROGRESS],
                )
                .order_by("due_on")
                .first()
            )
            if response is None:  # answered between the check and now
                raise response_services.ResponseError("closed")
        else:
            response = response_services.open_response(
                participant=row.participant, version=version, due_on=row.answered_on
            )
        if response.version_id != version.pk:
            raise response_services.ResponseError("unknown_item")
        response.import_key = row.import_key
        response.save(update_fields=["import_key", "updated_at"])
        response_services.enter_response(
            actor=access.user,
            request=request,
            response=response,
            answers=row.answers,
            mode=EntryMode.PAPER,
            answered_on=row.answered_on,
        )
        report.imported += 1
    record_event(
        action=AuditAction.CREATE,
        actor=access.user,
        request=request,
        programme=access.programme,
        object_type=IMPORT_TYPE,
        object_id=str(version.pk),
        object_label=str(version),
        detail={"imported": report.imported, "unchanged": report.unchanged},
    )
    return report
