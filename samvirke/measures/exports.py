"""CSV and XLSX downloads of what a user may see: the catalogue, and the people in a measure.

The catalogue is for the whole workspace; counts of people are filled in only for the measures
whose people the user may see. A measure's enrolments and attendance are for those who work in
it, carry pseudonyms only (never names, never notes), and every such download writes an
``export`` audit row with counts. Every text cell that a spreadsheet would run as a formula gets
a leading apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samvirke.accounts.permissions import Access, Perm
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.lib.spreadsheets import CSV_QUOTING, neutralise
from samvirke.measures.models import PLACE_HOLDING, Attendance, EnrolmentStatus, Measure
from samvirke.measures.selectors import enrolments_in

if TYPE_CHECKING:
    pass

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | None


@dataclass(frozen=True)
class Sheet:
    name: str  # the file name, without its suffix
    header: list[str]
    rows: list[list[Cell]]


def safe(cell: Cell) -> Cell:
    return neutralise(cell) if isinstance(cell, str) else cell


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def chosen_format(value: str | None) -> str:
    return value if value in FORMATS else "csv"


# --- What goes in each download ----------------------------------------------------------------


def catalogue_sheet(access: Access, measures: QuerySet[Measure]) -> Sheet:
    """The catalogue as the user sees it, with counts for the measures whose people they see."""
    counted = measures.annotate(
        holding=Count("enrolments", filter=Q(enrolments__status__in=PLACE_HOLDING)),
        waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING)),
        finished=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.COMPLETED)),
    )
    header = [
        _("name"),
        _("kind"),
        _("status"),
        _("country"),
        _("municipality"),
        _("subproject"),
        _("language"),
        _("places"),
        _("first date"),
        _("last date"),
        str(EnrolmentStatus.ACTIVE.label),
        str(EnrolmentStatus.WAITING.label),
        str(EnrolmentStatus.COMPLETED.label),
    ]
    rows: list[list[Cell]] = []
    for measure in counted:
        people = access.can(Perm.MEASURE_PEOPLE, measure)
        rows.append(
            [
                measure.name,
                measure.get_kind_display(),
                measure.get_status_display(),
                measure.get_country_display(),
                measure.municipality.name if measure.municipality else "",
                measure.subproject.name,
                measure.get_language_display(),
                measure.capacity,
                _date(measure.first_date),
                _date(measure.last_date),
                measure.holding if people else None,
                measure.waiting if people else None,
                measure.finished if people else None,
            ]
        )
    day = timezone.localdate().isoformat()
    return Sheet(name=f"{access.programme.slug}-measures-{day}", header=header, rows=rows)


def _measure_file(measure: Measure, what: str) -> str:
    slug = slugify(measure.name_nb)[:40] or str(measure.pk)
    return f"{measure.pk}-{slug}-{what}-{timezone.localdate().isoformat()}"


def enrolments_sheet(measure: Measure) -> Sheet:
    """Pseudonym, status, referral, dates and attendance rate: never a name, never a note."""
    header = [
        _("pseudonym"),
        _("status"),
        _("referred by"),
        _("referred on"),
        _("started on"),
        _("ended on"),
        _("place in the queue"),
        _("present"),
        _("Attendance rate"),
    ]
    rows: list[list[Cell]] = []
    for enrolment in enrolments_in(measure):
        present: int = enrolment.present_count  # type: ignore[attr-defined]
        recorded: int = enrolment.recorded_count  # type: ignore[attr-defined]
        rows.append(
            [
                enrolment.participant.pseudonym,
                enrolment.get_status_display(),
                enrolment.get_referral_source_display(),
                _date(enrolment.referred_on),
                _date(enrolment.started_on),
                _date(enrolment.ended_on),
                enrolment.position,
                f"{present}/{recorded}",
                round(100 * present / recorded) if recorded else None,
            ]
        )
    return Sheet(name=_measure_file(measure, "enrolments"), header=header, rows=rows)


def attendance_sheet(measure: Measure) -> Sheet:
    """One row per recorded attendance: session date and time, pseudonym, present or why not."""
    zone = zoneinfo.ZoneInfo(measure.time_zone)
    header = [_("session date"), _("starts"), _("pseudonym"), _("present"), _("reason for absence")]
    attendances = (
        Attendance.objects.filter(session__measure=measure)
        .select_related("session", "enrolment__participant")
        .order_by("session__starts_at", "enrolment__participant__pseudonym", "pk")
    )
    rows: list[list[Cell]] = []
    for attendance in attendances:
        start = attendance.session.starts_at.astimezone(zone)
        rows.append(
            [
                start.date().isoformat(),
                start.strftime("%H:%M"),
                attendance.enrolment.participant.pseudonym,
                _yes_no(attendance.present),
                attendance.get_absent_reason_display() if attendance.absent_reason else "",
            ]
        )
    return Sheet(name=_measure_file(measure, "attendance"), header=header, rows=rows)


def log_people_export(*, actor: Actor, measure: Measure, what: str, sheet: Sheet) -> None:
    """Every download of people is in the audit log, with counts only."""
    record_event(
        action=AuditAction.EXPORT,
        actor=actor,
        obj=measure,
        programme=measure.programme,
        detail={"export": what, "rows": len(sheet.rows)},
    )


# --- Writing the file ------------------------------------------------------------------------


def _safe_rows(sheet: Sheet) -> Iterable[Sequence[Cell]]:
    yield [safe(cell) for cell in sheet.header]
    for row in sheet.rows:
        yield [safe(cell) for cell in row]


def csv_bytes(sheet: Sheet) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=CSV_QUOTING)
    for row in _safe_rows(sheet):
        writer.writerow(["" if cell is None else cell for cell in row])
    # A byte order mark, so that Excel reads the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheet: Sheet) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet.name[:31] or "Samvirke")
    for row in _safe_rows(sheet):
        worksheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(sheet: Sheet, fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(sheet), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(csv_bytes(sheet), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{sheet.name}.{fmt}"'
    return response
