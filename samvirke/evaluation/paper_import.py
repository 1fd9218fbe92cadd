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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.evaluation import response_services, scoring
from samvirke.evaluation.models import (
    EntryMode,
    InstrumentVersion,
    ItemKind,
    QuestionnaireResponse,
    ResponseStatus,
)
from samvirke.imports import cells
from samvirke.imports.cells import CellError
from samvirke.imports.columns import Columns
from samvirke.imports.limits import MAX_ERRORS_SHOWN, MAX_ROWS_READ
from samvirke.imports.reading import (
    ImportFileError,
    Table,
    read_in_child,
    read_table,
    table_of,
)
from samvirke.imports.rows import RowError, Rows
from samvirke.participants.models import Participant
from samvirke.participants.selectors import participants_followed_by

if TYPE_CHECKING:
    from samvirke.accounts.permissions import Access

__all__ = [
    "ImportFileError",
    "Report",
    "check",
    "columns_of",
    "read_upload",
    "run",
    "template_header",
]

PSEUDONYM, ANSWERED_ON, TIME_POINT = "pseudonym", "answered_on", "time_point"
IMPORT_TYPE = "evaluation.paper_import"
EARLIEST = dt.date(1990, 1, 1)


SAV_MAGIC = (b"$FL2", b"$FL3")  # SPSS .sav and compressed .zsav


def read_upload(content: bytes) -> Table:
    """A CSV or XLSX file through the shared reader, or an SPSS ``.sav`` file (evaluation data a
    programme already holds) read by pyreadstat in the same limited child process."""
    if content[:4] not in SAV_MAGIC:
        return read_table(content)
    return read_in_child(_sav_as_json, content)


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
    items = version.items.exclude(kind=ItemKind.TEXT).values_list("key", flat=True)
    return [PSEUDONYM, ANSWERED_ON, TIME_POINT, *items]


def _needs_an_answer(items: Sequence[str]) -> Callable[[Sequence[str]], list[str]]:
    def rule(columns: Sequence[str]) -> list[str]:
        if not set(columns) & set(items):
            return [_("Choose at least one column that holds the answers to a question.")]
        return []

    return rule


def columns_of(version: InstrumentVersion) -> Columns:
    """What a column of a paper file can hold: the person, the day, the time point or the
    answer to one question (named by the item's key, as in the template)."""
    keys = list(
        version.items.exclude(kind=ItemKind.TEXT).order_by("position").values_list("key", flat=True)
    )
    members: list[tuple[str, tuple[str, object]]] = [
        ("IGNORE", ("", gettext_lazy("do not import"))),
        ("PSEUDONYM", (PSEUDONYM, gettext_lazy("pseudonym"))),
        ("ANSWERED_ON", (ANSWERED_ON, gettext_lazy("day answered"))),
        ("TIME_POINT", (TIME_POINT, gettext_lazy("time point"))),
    ]
    members += [(f"ITEM_{index}", (item, item)) for index, item in enumerate(keys)]
    choices = models.TextChoices("PaperColumn", members)  # type: ignore[call-overload]
    return Columns(
        choices=choices,
        names={
            PSEUDONYM: "pseudonym|pseudonymous id|deltaker|deltakar|deltagare|participant",
            ANSWERED_ON: "answered on|answered|date|dato|datum|day|dag|utfylt|besvart|ifylld|"
            "besvarad|day answered|date answered",
            TIME_POINT: "time point|timepoint|tidspunkt|tidpunkt|maletidspunkt|matpunkt|"
            "matningstillfalle",
        },
        required={
            PSEUDONYM: gettext_lazy("Choose the column that holds the pseudonym."),
            ANSWERED_ON: gettext_lazy("Choose the column that holds the day answered."),
        },
        rules=_needs_an_answer(keys),
    )


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
    errors: list[RowError] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)
    imported: int = 0
    unchanged: int = 0
    time_point_header: str = TIME_POINT

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> list[str]:
        return [
            ngettext(
                "%(count)s questionnaire to import.",
                "%(count)s questionnaires to import.",
                len(self.rows),
            )
            % {"count": len(self.rows)}
        ]


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


def _answer(version: InstrumentVersion, key: str) -> Callable[[str], int]:
    """The cell of one question: the number of the option chosen, within what it allows."""

    def parse(raw: str) -> int:
        try:
            number = float(raw.replace(",", "."))
            value = int(number)
        except (ValueError, OverflowError) as exc:
            raise CellError(_("Write the number of the answer.")) from exc
        if number != value:
            raise CellError(_("Write the number of the answer."))
        if scoring.answer_problem(version.definition, key, value):
            choices = scoring.option_values(version.definition, _spec(version, key))
            raise CellError(
                _("That answer is not one of the choices (%(choices)s).")
                % {"choices": ", ".join(str(c) for c in choices)}
                if choices
                else _("That number is outside what the question allows.")
            )
        return value

    return parse


def _day(value: str) -> dt.date:
    try:
        day = cells.date(value)
    except CellError as exc:
        raise CellError(_("Write the date as 2026-03-31 or 31.03.2026.")) from exc
    if day > timezone.localdate():
        raise CellError(_("The date cannot be in the future."))
    if day < EARLIEST:
        raise CellError(_("The date is too long ago."))
    return day


def check(
    access: Access, version: InstrumentVersion, table: Table, columns: Sequence[str]
) -> Report:
    """Every problem of the file, by row and column; and the rows, when there are none.

    ``columns`` says what each column of ``table`` holds (:func:`columns_of`)."""
    items = list(version.items.exclude(kind=ItemKind.TEXT).order_by("position"))
    rows = Rows(table, columns, columns_of(version))
    report = Report(errors=rows.errors, time_point_header=rows.header(TIME_POINT) or TIME_POINT)
    if not table.rows:
        rows.fail(1, "", _("The file has no rows to import."))
        return report
    named = {row.text(PSEUDONYM).upper() for row in rows} - {""}
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
    parsers = {item.key: _answer(version, item.key) for item in items}
    seen: dict[tuple[int, str, dt.date], int] = {}
    for row in rows:
        participant = followed.get(row.text(PSEUDONYM).upper())
        if participant is None:
            row.fail(PSEUDONYM, _("No one you follow has this pseudonym."))
        answered_on = row.value(ANSWERED_ON, _day)
        if not row.text(ANSWERED_ON):
            row.fail(ANSWERED_ON, _("Write the date as 2026-03-31 or 31.03.2026."))
        time_point = row.text(TIME_POINT)
        if time_point and time_point not in time_points:
            row.fail(TIME_POINT, _("No questionnaire is planned at this time point."))
        answers: dict[str, int | None] = {
            item.key: row.value(item.key, parsers[item.key]) for item in items
        }
        if row.ok:
            assert participant is not None and answered_on is not None  # noqa: S101
            for item in items:
                shown = response_services.is_shown(item, answers)
                if shown and item.required and answers.get(item.key) is None:
                    row.fail(item.key, _("This question must be answered."))
            twin = seen.get((participant.pk, time_point, answered_on))
            if twin is not None:
                row.fail(PSEUDONYM, _("Row %(row)s is the same questionnaire.") % {"row": twin})
            seen[(participant.pk, time_point, answered_on)] = row.number
        if not row.ok:
            if len(report.errors) >= MAX_ERRORS_SHOWN:
                break
            continue
        assert participant is not None and answered_on is not None  # noqa: S101
        found = _Row(row.number, participant, answered_on, time_point, answers)
        found.import_key = _row_key(access.programme.pk, version, found)
        report.rows.append(found)
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
                RowError(
                    row.number,
                    report.time_point_header,
                    _("This questionnaire has already been answered or missed."),
                )
            )


@transaction.atomic
def run(*, access: Access, actor: Actor, version: InstrumentVersion, report: Report) -> Report:
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
            actor=actor,
            response=response,
            answers=row.answers,
            mode=EntryMode.PAPER,
            answered_on=row.answered_on,
        )
        report.imported += 1
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        programme=access.programme,
        object_type=IMPORT_TYPE,
        object_id=str(version.pk),
        object_label=str(version),
        detail={"imported": report.imported, "unchanged": report.unchanged},
    )
    return report
