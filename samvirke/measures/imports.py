"""Importing a measure's enrolments and attendance from the spreadsheet a programme keeps.

One row per participant, or one row per participant per session. Participants are identified
by their pseudonym, which must belong to someone the user follows in the programme. The file,
its columns and its cells are read by the import kit (:mod:`samvirke.imports`); this module
declares the columns (:data:`ENROLMENT_COLUMNS`) and checks and writes the rows. Every row is
checked before anything is written, and the report lists every problem by row and column in
the user's language. One bad row and nothing is imported.

Re-importing is safe: an enrolment is matched by participant and measure, attendance by session
and enrolment, and only what differs is written (through the measures services), so the same
file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from samvirke.audit.actor import Actor
from samvirke.imports import cells
from samvirke.imports.columns import Columns
from samvirke.imports.forms import ColumnsForm, column_field_name
from samvirke.imports.limits import MAX_ERRORS_SHOWN
from samvirke.imports.reading import ImportFileError, Table, read_table
from samvirke.imports.rows import Report, Row, RowError, Rows
from samvirke.imports.steps import ImportWriteError, UploadForm, pack, unpack
from samvirke.measures import services
from samvirke.measures.models import (
    AbsentReason,
    Attendance,
    DropoutReason,
    Enrolment,
    EnrolmentStatus,
    Measure,
    ReferralSource,
)
from samvirke.participants.selectors import follow_up_withdrawn_among, participants_visible_to
from samvirke.programmes.models import Programme

if TYPE_CHECKING:
    from samvirke.accounts.permissions import Access

__all__ = [
    "ENROLMENT_COLUMNS",
    "MAX_ERRORS_SHOWN",
    "Column",
    "ColumnsForm",
    "ImportFileError",
    "ImportWriteError",
    "Plan",
    "Report",
    "RowError",
    "Table",
    "UploadForm",
    "check",
    "column_field_name",
    "guess_columns",
    "pack",
    "read_table",
    "run",
    "unpack",
]


def withdrawn_message() -> str:
    # The same words as the services' refusal (measures.services._refuse_after_withdrawal).
    return _("The participant has withdrawn their consent to follow-up: nothing is recorded.")


class Column(models.TextChoices):
    """What a column of the file can be imported as."""

    IGNORE = "", gettext_lazy("do not import")
    PSEUDONYM = "pseudonym", gettext_lazy("pseudonym")
    REFERRAL_SOURCE = "referral_source", gettext_lazy("referred by")
    REFERRED_ON = "referred_on", gettext_lazy("referred on")
    STATUS = "status", gettext_lazy("status")
    DROPOUT_REASON = "dropout_reason", gettext_lazy("reason")
    SESSION_DATE = "session_date", gettext_lazy("session date")
    PRESENT = "present", gettext_lazy("present")
    ABSENT_REASON = "absent_reason", gettext_lazy("reason for absence")


def _session_needs_date(columns: Sequence[str]) -> list[str]:
    if Column.PRESENT in columns and Column.SESSION_DATE not in columns:
        return [_("Choose the column that holds the session date.")]
    return []


ENROLMENT_COLUMNS = Columns(
    choices=Column,
    # Header names recognised besides the labels in Norwegian, Swedish and English.
    names={
        Column.PSEUDONYM: "pseudonym|pseudonymous id|deltaker|deltakar|deltagare|participant",
        Column.REFERRAL_SOURCE: "referral|referral source|henvist av|henvisning|remitterad av|"
        "remiss",
        Column.REFERRED_ON: "referral date|henvist dato|henvisningsdato|remissdatum|remitterad",
        Column.STATUS: "status|enrolment status",
        Column.DROPOUT_REASON: "dropout reason|reason for dropping out|arsak|orsak",
        Column.SESSION_DATE: "session|date|dato|datum|motedato|sesjon|tillfalle|session date",
        Column.PRESENT: "present|attended|til stede|tilstede|oppmott|narvarande|narvaro|deltok",
        Column.ABSENT_REASON: "absent reason|reason for absence|fravaersarsak|franvaroorsak|"
        "fravaer",
    },
    required={Column.PSEUDONYM: gettext_lazy("Choose the column that holds the pseudonym.")},
    cells={
        Column.REFERRAL_SOURCE: cells.choice(
            ReferralSource, gettext_noop("“%(value)s” is not a known referral source.")
        ),
        Column.REFERRED_ON: cells.date,
        Column.STATUS: cells.choice(
            EnrolmentStatus, gettext_noop("“%(value)s” is not a known status.")
        ),
        Column.DROPOUT_REASON: cells.choice(
            DropoutReason, gettext_noop("“%(value)s” is not a known reason.")
        ),
        Column.SESSION_DATE: cells.date,
        Column.PRESENT: cells.yes_no,
        Column.ABSENT_REASON: cells.choice(
            AbsentReason, gettext_noop("“%(value)s” is not a known reason for absence.")
        ),
    },
    rules=_session_needs_date,
)
guess_columns = ENROLMENT_COLUMNS.guess
column_problems = ENROLMENT_COLUMNS.problems


def template_row(measure: Measure) -> dict[str, str]:
    """What the template file shows in its example row, cell by cell, in the user's language."""
    zone = zoneinfo.ZoneInfo(measure.time_zone)
    first = measure.sessions.order_by("starts_at").values_list("starts_at", flat=True).first()
    day = first.astimezone(zone).date() if first else timezone.localdate()
    return {
        Column.PSEUDONYM: "NO-7K3F-Q",
        Column.REFERRAL_SOURCE: str(ReferralSource.NAV.label),
        Column.REFERRED_ON: (day - dt.timedelta(days=14)).isoformat(),
        Column.STATUS: str(EnrolmentStatus.ACTIVE.label),
        Column.DROPOUT_REASON: "",
        Column.SESSION_DATE: day.isoformat(),
        Column.PRESENT: _("yes"),
        Column.ABSENT_REASON: "",
    }


# --- What an upload token is bound to ----------------------------------------------------------


def measure_scope(measure: Measure) -> str:
    """What a token of the enrolment and attendance import is bound to."""
    return f"measure:{measure.pk}"


def catalogue_scope(programme: Programme) -> str:
    """What a token of the catalogue import is bound to."""
    return f"catalogue:{programme.pk}"


# --- Checking every row ------------------------------------------------------------------------


@dataclass
class _Enrolling:
    """What the file says about one participant's enrolment."""

    participant_id: int
    first_row: int
    referral_source: str = ""
    referred_on: dt.date | None = None
    status: str = ""
    dropout_reason: str = ""


@dataclass
class Plan:
    """What the import would do; empty lists of errors mean it may go ahead."""

    errors: list[RowError] = field(default_factory=list)
    enrolments: dict[int, _Enrolling] = field(default_factory=dict)  # by participant id
    # (session id, participant id) -> (present, reason)
    marks: dict[tuple[int, int], tuple[bool, str]] = field(default_factory=dict)
    new_enrolments: int = 0
    status_changes: int = 0
    unchanged_enrolments: int = 0
    new_attendance: int = 0
    changed_attendance: int = 0
    unchanged_attendance: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes(self) -> int:
        return (
            self.new_enrolments
            + self.status_changes
            + self.new_attendance
            + self.changed_attendance
        )

    def summary(self) -> list[str]:
        attendance = self.new_attendance + self.changed_attendance
        unchanged = self.unchanged_enrolments + self.unchanged_attendance
        return [
            ngettext(
                "%(count)s participant enrolled.",
                "%(count)s participants enrolled.",
                self.new_enrolments,
            )
            % {"count": self.new_enrolments},
            ngettext(
                "%(count)s status changed.", "%(count)s statuses changed.", self.status_changes
            )
            % {"count": self.status_changes},
            ngettext(
                "%(count)s attendance recorded or changed.",
                "%(count)s attendances recorded or changed.",
                attendance,
            )
            % {"count": attendance},
            ngettext(
                "%(count)s unchanged: already recorded.",
                "%(count)s unchanged: already recorded.",
                unchanged,
            )
            % {"count": unchanged},
        ]


# The enrolment's fields a row may give, by column.
_ENROLLING = (
    (Column.REFERRAL_SOURCE, "referral_source"),
    (Column.REFERRED_ON, "referred_on"),
    (Column.STATUS, "status"),
    (Column.DROPOUT_REASON, "dropout_reason"),
)


def _session_days(measure: Measure) -> dict[dt.date, list[int]]:
    zone = zoneinfo.ZoneInfo(measure.time_zone)
    days: dict[dt.date, list[int]] = {}
    for pk, starts_at in measure.sessions.values_list("pk", "starts_at"):
        days.setdefault(starts_at.astimezone(zone).date(), []).append(pk)
    return days


def check(access: Access, measure: Measure, table: Table, columns: Sequence[str]) -> Plan:
    """Check every row against what is recorded; a fixed number of queries for the file."""
    rows = Rows(table, columns, ENROLMENT_COLUMNS)
    plan = Plan(errors=rows.errors)
    pseudonyms = {row.text(Column.PSEUDONYM).upper() for row in rows} - {""}
    visible = dict(
        participants_visible_to(access)
        .filter(pseudonym__in=pseudonyms)
        .values_list("pseudonym", "pk")
    )
    withdrawn = follow_up_withdrawn_among(visible.values())
    days = _session_days(measure)
    for row in rows:
        pseudonym = row.text(Column.PSEUDONYM).upper()
        participant_id = visible.get(pseudonym)
        if not pseudonym:
            row.fail(Column.PSEUDONYM, _("The pseudonym is missing."))
            continue
        if participant_id is None:
            row.fail(
                Column.PSEUDONYM,
                _("No participant you follow has the pseudonym %(pseudonym)s.")
                % {"pseudonym": pseudonym[:40]},
            )
            continue
        if participant_id in withdrawn:
            row.fail(Column.PSEUDONYM, withdrawn_message())
            continue
        _enrolling(plan, row, participant_id)
        _attendance(plan, row, participant_id, days)
    if plan.ok:
        _compare(measure, plan)
    return plan


def _enrolling(plan: Plan, row: Row, participant_id: int) -> None:
    """What the row says of the enrolment, merged with what earlier rows said."""
    wanted = _Enrolling(participant_id=participant_id, first_row=row.number)
    for target, name in _ENROLLING:
        if (value := row.value(target)) is not None:
            setattr(wanted, name, value)
    if wanted.status == EnrolmentStatus.WAITING:
        row.fail(Column.STATUS, _("The waiting list is kept by the system."))
    elif wanted.status == EnrolmentStatus.DROPPED_OUT and not wanted.dropout_reason:
        row.fail(Column.STATUS, _("Say why the participant dropped out."))
    earlier = plan.enrolments.setdefault(participant_id, wanted)
    if earlier is wanted:
        return
    for target, name in _ENROLLING:
        mine, theirs = getattr(wanted, name), getattr(earlier, name)
        if mine and theirs and mine != theirs:
            row.fail(
                target,
                _("Row %(row)s says something else for the same participant.")
                % {"row": earlier.first_row},
            )
        elif mine and not theirs:
            setattr(earlier, name, mine)


def _attendance(plan: Plan, row: Row, participant_id: int, days: dict[dt.date, list[int]]) -> None:
    """The row's mark for a session, when it names one."""
    if not row.text(Column.SESSION_DATE):
        if row.text(Column.PRESENT):
            row.fail(Column.PRESENT, _("Say which session: the session date is missing."))
        return
    day = row.value(Column.SESSION_DATE)
    if day is None:
        return
    sessions = days.get(day, [])
    if len(sessions) != 1:
        row.fail(
            Column.SESSION_DATE,
            _("The measure has no session on %(date)s.") % {"date": day.isoformat()}
            if not sessions
            else _("The measure has more than one session on %(date)s.")
            % {"date": day.isoformat()},
        )
        return
    if not row.text(Column.PRESENT):
        row.fail(Column.SESSION_DATE, _("Say whether the participant was present (yes or no)."))
        return
    errors_before = len(plan.errors)
    present = row.value(Column.PRESENT)
    reason = "" if present or present is None else row.value(Column.ABSENT_REASON) or ""
    if present is None or len(plan.errors) > errors_before:
        return
    key = (sessions[0], participant_id)
    if plan.marks.setdefault(key, (present, reason)) != (present, reason):
        row.fail(Column.PRESENT, _("Another row says something else for this session."))


def _current_enrolments(measure: Measure, participant_ids: Sequence[int]) -> dict[int, Enrolment]:
    """Per participant, their open enrolment in the measure, else their latest finished one."""
    found: dict[int, Enrolment] = {}
    enrolments = measure.enrolments.filter(participant_id__in=list(participant_ids)).order_by(
        "-referred_on", "-pk"
    )
    for enrolment in enrolments:
        earlier = found.get(enrolment.participant_id)
        if earlier is None or (enrolment.is_open and not earlier.is_open):
            found[enrolment.participant_id] = enrolment
    return found


def _compare(measure: Measure, plan: Plan) -> None:
    """Count what is new, what would change and what is already as the file says."""
    current = _current_enrolments(measure, list(plan.enrolments))
    for participant_id, wanted in plan.enrolments.items():
        enrolment = current.get(participant_id)
        if enrolment is None:
            if not wanted.referral_source or wanted.referred_on is None:
                plan.errors.append(
                    RowError(
                        wanted.first_row,
                        "",
                        _(
                            "The participant is not enrolled in this measure: give the referral "
                            "source and the date of referral to enrol them."
                        ),
                    )
                )
            plan.new_enrolments += 1
        elif wanted.status and wanted.status != enrolment.status:
            plan.status_changes += 1
        else:
            plan.unchanged_enrolments += 1
    if not plan.ok:
        return
    enrolment_ids = {pid: e.pk for pid, e in current.items()}
    recorded = {
        (a["session_id"], a["enrolment__participant_id"]): (a["present"], a["absent_reason"])
        for a in Attendance.objects.filter(enrolment_id__in=list(enrolment_ids.values())).values(
            "session_id", "enrolment__participant_id", "present", "absent_reason"
        )
    }
    for key, mark in plan.marks.items():
        before = recorded.get(key)
        if key[1] not in enrolment_ids or before is None:
            plan.new_attendance += 1
        elif before != mark:
            plan.changed_attendance += 1
        else:
            plan.unchanged_attendance += 1


# --- Writing -----------------------------------------------------------------------------------


@transaction.atomic
def run(
    *,
    access: Access,
    actor: Actor,
    measure: Measure,
    table: Table,
    columns: Sequence[str],
) -> Plan:
    """Check, then write only what differs, through the services; all or nothing."""
    plan = check(access, measure, table, columns)
    if not plan.ok or not plan.changes:
        return plan
    today = timezone.localdate()
    current = _current_enrolments(measure, list(plan.enrolments))
    try:
        for participant_id, wanted in plan.enrolments.items():
            enrolment = current.get(participant_id)
            if enrolment is None:
                assert wanted.referred_on is not None  # noqa: S101 - checked above
                participant = participants_visible_to(access).get(pk=participant_id)
                enrolment = services.enrol_participant(
                    actor=actor,
                    measure=measure,
                    participant=participant,
                    referral_source=wanted.referral_source,
                    referred_on=wanted.referred_on,
                    # Someone who completed it had started it.
                    start_now=wanted.status in (EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED),
                )
                current[participant_id] = enrolment
            if wanted.status and wanted.status != enrolment.status:
                services.change_enrolment_status(
                    actor=actor,
                    enrolment=enrolment,
                    status=wanted.status,
                    on=today,
                    reason_code=wanted.dropout_reason,
                )
    except services.EnrolmentError as exc:
        raise ImportWriteError(str(exc)) from exc
    by_session: dict[int, dict[int, services.Mark]] = {}
    for (session_id, participant_id), (present, reason) in plan.marks.items():
        by_session.setdefault(session_id, {})[current[participant_id].pk] = (present, reason)
    for session in measure.sessions.filter(pk__in=list(by_session)):
        existing = dict(
            (a.enrolment_id, (a.present, a.absent_reason))
            for a in session.attendances.filter(enrolment_id__in=list(by_session[session.pk]))
        )
        marks = {
            enrolment_id: mark
            for enrolment_id, mark in by_session[session.pk].items()
            if existing.get(enrolment_id) != mark
        }
        if marks:
            try:
                services.record_attendance(actor=actor, session=session, marks=marks)
            except services.EnrolmentError as exc:
                raise ImportWriteError(str(exc)) from exc
    return plan
