"""Writes to the service map and to measures. Each function is one domain verb, atomic and
audited."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import Change, record_change, record_event, record_events
from samvirke.evaluation import schedule_services
from samvirke.measures.models import (
    FINISHED,
    PLACE_HOLDING,
    STATUS_CHANGES,
    Attendance,
    Enrolment,
    EnrolmentNote,
    EnrolmentStatus,
    EnrolmentStatusChange,
    Measure,
    MeasureSession,
    MeasureStatus,
    Pathway,
    PathwayStep,
    Referral,
    ReferralSource,
    ReferralStatus,
    Service,
    ServiceMapSettings,
    enrolled_on,
)
from samvirke.participants.models import Participant
from samvirke.participants.selectors import follow_up_withdrawn, follow_up_withdrawn_q
from samvirke.programmes.models import Programme

if TYPE_CHECKING:
    from samvirke.accounts.models import User

# What a participant's access log says was read or changed (participants/access_log.html).
NOTE = "note"
JOURNEY = "journey"
ENROLMENT = "enrolment"
REFERRAL = "referral"


@transaction.atomic
def save_service(*, actor: Actor, change: Change[Service]) -> Service:
    return record_change(actor=actor, change=change, programme=change.obj.programme)


@transaction.atomic
def save_pathway(*, actor: Actor, change: Change[Pathway]) -> Pathway:
    return record_change(actor=actor, change=change, programme=change.obj.programme)


@transaction.atomic
def save_pathway_step(*, actor: Actor, change: Change[PathwayStep]) -> PathwayStep:
    return record_change(actor=actor, change=change, programme=change.obj.pathway.programme)


@transaction.atomic
def remove_pathway_step(*, actor: Actor, step: PathwayStep) -> None:
    programme = step.pathway.programme
    record_event(action=AuditAction.DELETE, actor=actor, obj=step, programme=programme)
    step.delete()


@transaction.atomic
def publish_service_map(
    *, actor: Actor, programme: Programme, published: bool
) -> ServiceMapSettings:
    """Open the programme's service map to everyone, or close it again."""
    settings, _ = ServiceMapSettings.objects.get_or_create(programme=programme)
    if settings.published != published:
        settings.published = published
        settings.save(update_fields=["published", "updated_at"])
        record_event(
            action=AuditAction.UPDATE,
            actor=actor,
            obj=settings,
            programme=programme,
            detail={"published": published},
        )
    return settings


# --- Measures ------------------------------------------------------------------------------------


class EnrolmentError(Exception):
    pass


def _refuse_after_withdrawal(participant: Participant) -> None:
    """No follow-up is recorded once it is withdrawn (``follow_up_withdrawn_q`` says why this
    is not the mappings' rule of an active consent)."""
    if follow_up_withdrawn(participant):
        raise EnrolmentError(
            _("The participant has withdrawn their consent to follow-up: nothing is recorded.")
        )


@transaction.atomic
def save_measure(*, actor: Actor, change: Change[Measure]) -> Measure:
    return record_change(actor=actor, change=change, programme=change.obj.programme)


def session_times(measure: Measure) -> list[tuple[dt.datetime, dt.datetime]]:
    """Start and end of every session the weekly schedule gives, in the measure's time zone."""
    if not measure.has_schedule:
        return []
    first, last, weekday = measure.first_date, measure.last_date, measure.weekday
    assert first and last and measure.starts_at and weekday is not None  # noqa: S101
    zone = zoneinfo.ZoneInfo(measure.time_zone)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    length = dt.timedelta(minutes=measure.duration_minutes or 60)
    times = []
    while day <= last:
        start = dt.datetime.combine(day, measure.starts_at, tzinfo=zone)
        times.append((start, start + length))
        day += dt.timedelta(days=7)
    return times


class SessionPlan(NamedTuple):
    """What planning from the schedule did: sessions added, and sessions no longer in it removed."""

    added: int
    removed: int


@transaction.atomic
def plan_sessions(*, actor: Actor, measure: Measure) -> SessionPlan:
    """Make the sessions match the weekly schedule; running it again changes nothing.

    Sessions the schedule gives and that do not exist yet are added. Sessions that are no
    longer in the schedule are removed only while they lie ahead and hold no attendance: a
    session that has taken place, or whose attendance is recorded, stays.
    """
    times = session_times(measure)
    scheduled = {start for start, _end in times}
    existing = set(measure.sessions.values_list("starts_at", flat=True))
    new = [
        MeasureSession(measure=measure, starts_at=start, ends_at=end)
        for start, end in times
        if start not in existing
    ]
    MeasureSession.objects.bulk_create(new)
    stale = (
        measure.sessions.filter(starts_at__gt=timezone.now(), attendances__isnull=True)
        .exclude(starts_at__in=scheduled)
        .values_list("pk", flat=True)
    )
    removed, _by_model = MeasureSession.objects.filter(pk__in=list(stale)).delete()
    if new or removed:
        record_event(
            action=AuditAction.UPDATE if removed else AuditAction.CREATE,
            actor=actor,
            obj=measure,
            programme=measure.programme,
            detail={"sessions_planned": len(new), "sessions_removed": removed},
        )
    return SessionPlan(added=len(new), removed=removed)


def _history(
    enrolment: Enrolment,
    *,
    actor: User | None,
    on: dt.date,
    reason_code: str = "",
    reason: str = "",
) -> EnrolmentStatusChange:
    return EnrolmentStatusChange.objects.create(
        enrolment=enrolment,
        status=enrolment.status,
        changed_on=on,
        reason_code=reason_code,
        reason=reason,
        changed_by=actor if actor is not None and actor.is_authenticated else None,
    )


def _places_taken(measure: Measure) -> int:
    return measure.enrolments.filter(status__in=PLACE_HOLDING).count()


@transaction.atomic
def enrol_participant(
    *,
    actor: Actor,
    measure: Measure,
    participant: Participant,
    referral_source: str,
    referred_on: dt.date,
    guide: User | None = None,
    start_now: bool = False,
) -> Enrolment:
    """Enrol the participant; when every place is taken they go last on the waiting list."""
    _refuse_after_withdrawal(participant)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if measure.enrolments.filter(participant=participant).exclude(status__in=FINISHED).exists():
        raise EnrolmentError(_("The participant is already enrolled in this measure."))
    full = measure.capacity is not None and _places_taken(measure) >= measure.capacity
    enrolment = Enrolment(
        measure=measure,
        participant=participant,
        referral_source=referral_source,
        referred_on=referred_on,
        guide=guide,
    )
    if full:
        last = measure.enrolments.filter(status=EnrolmentStatus.WAITING).aggregate(
            last=Max("position")
        )["last"]
        enrolment.status = EnrolmentStatus.WAITING
        enrolment.position = (last or 0) + 1
    elif start_now:
        enrolment.status = EnrolmentStatus.ACTIVE
        enrolment.started_on = referred_on
    else:
        enrolment.status = EnrolmentStatus.REFERRED
    enrolment.save()
    _history(enrolment, actor=actor.user, on=referred_on)
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        obj=participant,
        programme=measure.programme,
        detail={"what": ENROLMENT, "measure": measure.pk, "status": enrolment.status},
    )
    schedule_services.plan_enrolment(enrolment=enrolment)  # baseline and follow-ups
    return enrolment


def _fill_from_waiting_list(
    measure: Measure, *, actor: User | None, on: dt.date
) -> list[Enrolment]:
    """Give freed places to the waiting list, first come first served. Someone who withdrew
    their consent to follow-up keeps their place in the queue but is passed over: nothing new
    is recorded about them until staff end the enrolment."""
    waiting = measure.enrolments.filter(status=EnrolmentStatus.WAITING).exclude(
        follow_up_withdrawn_q("participant_id")
    )
    if measure.capacity is None:
        free = waiting.count()
    else:
        free = max(0, measure.capacity - _places_taken(measure))
    promoted = list(waiting.order_by("position", "pk")[:free])
    for enrolment in promoted:
        enrolment.status = EnrolmentStatus.REFERRED
        enrolment.position = None
        enrolment.save(update_fields=["status", "position", "updated_at"])
        _history(enrolment, actor=actor, on=on)
    return promoted


@transaction.atomic
def change_enrolment_status(
    *,
    actor: Actor,
    enrolment: Enrolment,
    status: str,
    on: dt.date,
    reason_code: str = "",
    reason: str = "",
) -> Enrolment:
    """Move the enrolment on; someone leaving frees a place for the first on the waiting list.

    Refused: a date before the referral, a change ``STATUS_CHANGES`` does not allow (a
    referral cannot be completed before it started), and after the participant withdrew
    follow-up anything but ending the enrolment (without a comment).
    """
    measure = Measure.objects.select_for_update().get(pk=enrolment.measure_id)
    if status not in FINISHED or reason.strip():
        # Ending the enrolment stays possible, so that the place is freed; nothing else is.
        _refuse_after_withdrawal(enrolment.participant)
    if status == EnrolmentStatus.DROPPED_OUT and not reason_code:
        raise EnrolmentError(_("Say why the participant dropped out."))
    if status == EnrolmentStatus.WAITING:
        raise EnrolmentError(_("The waiting list is kept by the system."))
    if on < enrolment.referred_on:
        raise EnrolmentError(
            _("The date is before the referral on %(date)s.")
            % {"date": formats.date_format(enrolment.referred_on, "SHORT_DATE_FORMAT")}
        )
    if status not in STATUS_CHANGES.get(enrolment.status, frozenset()):
        raise EnrolmentError(
            _("An enrolment that is “%(current)s” cannot become “%(wanted)s”.")
            % {
                "current": EnrolmentStatus(enrolment.status).label,
                "wanted": EnrolmentStatus(status).label,
            }
        )
    if (
        enrolment.status in FINISHED
        and status not in FINISHED
        and measure.enrolments.filter(participant_id=enrolment.participant_id)
        .exclude(status__in=FINISHED)
        .exclude(pk=enrolment.pk)
        .exists()
    ):
        raise EnrolmentError(
            _("The participant has a newer enrolment in this measure; change that one instead.")
        )
    previous = enrolment.status
    enrolment.status = status
    enrolment.position = None
    if status == EnrolmentStatus.ACTIVE and enrolment.started_on is None:
        enrolment.started_on = on
    enrolment.ended_on = on if status in FINISHED else None
    enrolment.save(update_fields=["status", "position", "started_on", "ended_on", "updated_at"])
    _history(enrolment, actor=actor.user, on=on, reason_code=reason_code, reason=reason.strip())
    promoted = _fill_from_waiting_list(measure, actor=actor.user, on=on)
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=enrolment.participant,
        programme=measure.programme,
        detail={
            "what": ENROLMENT,
            "measure": measure.pk,
            "from": previous,
            "status": status,
            "promoted": len(promoted),
        },
    )
    return enrolment


# present: True, False, or None to clear what was recorded; the reason only when absent.
Mark = tuple[bool | None, str]


@transaction.atomic
def record_attendance(
    *,
    actor: Actor,
    session: MeasureSession,
    marks: Mapping[int, Mark],
) -> int:
    """Save a session's attendance in one go, by enrolment id; returns how many rows changed.

    A fixed number of queries whatever the size of the group: one read of the enrolments, one of
    the attendance already recorded, then one insert, one update and one delete.
    """
    enrolments = {
        enrolment_id: (pseudonym, held_a_place, withdrawn)
        for enrolment_id, pseudonym, held_a_place, withdrawn in session.measure.enrolments.filter(
            pk__in=list(marks)
        )
        .annotate(
            held_a_place=ExpressionWrapper(enrolled_on(session.day), BooleanField()),
            withdrawn=ExpressionWrapper(follow_up_withdrawn_q("participant_id"), BooleanField()),
        )
        .values_list("pk", "participant__pseudonym", "held_a_place", "withdrawn")
    }
    enrolment_ids = set(enrolments)
    existing = {
        a.enrolment_id: a for a in session.attendances.filter(enrolment_id__in=enrolment_ids)
    }
    for enrolment_id, (pseudonym, held_a_place, withdrawn) in enrolments.items():
        present, reason = marks[enrolment_id]
        if not held_a_place and present is not None:
            raise EnrolmentError(
                _("%(pseudonym)s was not enrolled in the measure on %(date)s.")
                % {
                    "pseudonym": pseudonym,
                    "date": formats.date_format(session.day, "SHORT_DATE_FORMAT"),
                }
            )
        row = existing.get(enrolment_id)
        kept = row is not None and (row.present, row.absent_reason) == (
            present,
            "" if present else reason,
        )
        if withdrawn and present is not None and not kept:
            # What was recorded before the withdrawal may stay or be cleared; nothing new.
            raise EnrolmentError(
                _(
                    "%(pseudonym)s has withdrawn their consent to follow-up: their attendance "
                    "is not recorded. Nothing was saved."
                )
                % {"pseudonym": pseudonym}
            )
    new, changed, cleared = [], [], []
    for enrolment_id in enrolment_ids:
        present, reason = marks[enrolment_id]
        reason = "" if present else reason
        row = existing.get(enrolment_id)
        if present is None:
            if row is not None:
                cleared.append(row.pk)
        elif row is None:
            new.append(
                Attendance(
                    session=session,
                    enrolment_id=enrolment_id,
                    present=present,
                    absent_reason=reason,
                )
            )
        elif (row.present, row.absent_reason) != (present, reason):
            row.present, row.absent_reason, row.updated_at = present, reason, timezone.now()
            changed.append(row)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["present", "absent_reason", "updated_at"])
    Attendance.objects.filter(pk__in=cleared).delete()
    count = len(new) + len(changed) + len(cleared)
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=session.measure,
        programme=session.measure.programme,
        detail={"session": session.pk, "attendance_changed": count},
    )
    return count


@transaction.atomic
def add_note(
    *,
    actor: Actor,
    enrolment: Enrolment,
    text: str,
    corrects: int | None = None,
) -> EnrolmentNote:
    """Add a note, or a correction of note ``corrects`` (which stays, as its history).

    Only the current version of a note of this enrolment can be corrected.
    """
    _refuse_after_withdrawal(enrolment.participant)
    earlier = None
    if corrects is not None:
        earlier = (
            EnrolmentNote.objects.select_for_update(of=("self",))
            .filter(pk=corrects, enrolment=enrolment, correction__isnull=True)
            .first()
        )
        if earlier is None:
            raise EnrolmentError(
                _("That note is not on this enrolment, or it has been corrected already.")
            )
    note = EnrolmentNote.objects.create(
        enrolment=enrolment, text=text.strip(), author=actor.user, corrects=earlier
    )
    detail: dict[str, object] = {"what": NOTE, "enrolment": str(enrolment.public_id)}
    if earlier is not None:
        detail["corrects"] = earlier.pk
    record_event(
        action=AuditAction.UPDATE if earlier else AuditAction.CREATE,
        actor=actor,
        obj=enrolment.participant,
        programme=enrolment.measure.programme,
        detail=detail,
    )
    return note


def with_history(notes: list[EnrolmentNote]) -> list[tuple[EnrolmentNote, list[EnrolmentNote]]]:
    """Each note's current version with its earlier versions, newest first."""
    by_pk = {note.pk: note for note in notes}
    corrected = {note.corrects_id for note in notes if note.corrects_id is not None}
    current = [note for note in notes if note.pk not in corrected]
    result = []
    for note in current:
        earlier, pk = [], note.corrects_id
        while pk is not None and pk in by_pk:
            earlier.append(by_pk[pk])
            pk = by_pk[pk].corrects_id
        result.append((note, earlier))
    return result


def read_notes(*, actor: Actor, enrolment: Enrolment) -> list[EnrolmentNote]:
    """The notes on the enrolment, newest first; the read shows in the participant's log."""
    notes = list(enrolment.notes.select_related("author"))
    record_event(
        action=AuditAction.VIEW,
        actor=actor,
        obj=enrolment.participant,
        programme=enrolment.measure.programme,
        detail={"what": NOTE, "enrolment": str(enrolment.public_id), "count": len(notes)},
    )
    return notes


def log_status_comments_read(*, actor: Actor, enrolment: Enrolment, count: int) -> None:
    """The free-text comments on status changes (why someone dropped out, say) are read like
    notes, by those who may read notes, and the read shows in the participant's log."""
    if count:
        record_event(
            action=AuditAction.VIEW,
            actor=actor,
            obj=enrolment.participant,
            programme=enrolment.measure.programme,
            detail={"what": NOTE, "enrolment": str(enrolment.public_id), "comments": count},
        )


def log_journey_read(*, actor: Actor, participant: Participant) -> None:
    """Staff read a participant's journey: refused, and nothing read, once they withdrew
    follow-up (the participant still sees their own)."""
    if follow_up_withdrawn(participant):
        raise EnrolmentError(
            _(
                "The participant has withdrawn their consent to follow-up: their journey is "
                "not shown."
            )
        )
    record_event(
        action=AuditAction.VIEW,
        actor=actor,
        obj=participant,
        programme=participant.programme,
        detail={"what": JOURNEY},
    )


def log_people_read(*, actor: Actor, measure: Measure, read: str, count: int) -> None:
    """Who looked at the list of people in a measure or at a session's attendance sheet."""
    if count:
        record_event(
            action=AuditAction.VIEW,
            actor=actor,
            obj=measure,
            programme=measure.programme,
            detail={"read": read, "count": count},
        )


# --- Referrals across subprojects ----------------------------------------------------------------


class ReferralError(Exception):
    pass


def _log_referral(
    referral: Referral,
    *,
    action: AuditAction,
    actor: Actor,
    **detail: object,
) -> None:
    """On the participant's record, so the referral and its answer show in their access log.
    The reason itself is never copied into the log."""
    record_event(
        action=action,
        actor=actor,
        obj=referral.participant,
        programme=referral.measure.programme,
        detail={
            "what": REFERRAL,
            "referral": str(referral.public_id),
            "measure": referral.measure_id,
            "status": referral.status,
            **detail,
        },
    )


@transaction.atomic
def refer_participant(
    *,
    actor: Actor,
    participant: Participant,
    measure: Measure,
    reason: str,
) -> Referral:
    """Refer the participant to a measure of another subproject; its staff answer.

    Refused: after a withdrawal of consent to follow-up, a measure of one of the participant's
    own subprojects (enrol them there), an ended measure, a measure they are enrolled in now
    or already referred to, and an empty reason.
    """
    if follow_up_withdrawn(participant):
        raise ReferralError(
            _("The participant has withdrawn their consent to follow-up: nothing is recorded.")
        )
    reason = reason.strip()
    if not reason:
        raise ReferralError(_("Say briefly why the measure is right for the participant."))
    if measure.programme_id != participant.programme_id:
        raise ReferralError(_("The measure is not in the participant's programme."))
    if participant.subprojects.filter(pk=measure.subproject_id).exists():
        raise ReferralError(
            _("The measure is in the participant's own subproject: enrol them there instead.")
        )
    if measure.status == MeasureStatus.ENDED:
        raise ReferralError(_("The measure has ended."))
    if measure.enrolments.filter(participant=participant).exclude(status__in=FINISHED).exists():
        raise ReferralError(_("The participant is already enrolled in this measure."))
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if Referral.objects.filter(
        participant=participant, measure=measure, status=ReferralStatus.PENDING
    ).exists():
        raise ReferralError(_("The participant is already referred to this measure."))
    referral = Referral.objects.create(
        participant=participant, measure=measure, referred_by=actor.user, reason=reason
    )
    _log_referral(referral, action=AuditAction.CREATE, actor=actor)
    return referral


def _pending(referral: Referral) -> Referral:
    """The referral, locked, while it still waits for an answer."""
    locked = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("measure", "measure__programme", "participant")
        .get(pk=referral.pk)
    )
    if not locked.is_pending:
        raise ReferralError(
            _("The referral has been answered or withdrawn already: it is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def accept_referral(*, actor: Actor, referral: Referral, start_now: bool = False) -> Enrolment:
    """Enrol the referred participant through ``enrol_participant`` and its rules (consent,
    one open enrolment, the waiting list); the accepting staff member is their guide there."""
    referral = _pending(referral)
    try:
        enrolment = enrol_participant(
            actor=actor,
            measure=referral.measure,
            participant=referral.participant,
            referral_source=ReferralSource.SUBPROJECT,
            referred_on=timezone.localdate(),
            guide=actor.user,
            start_now=start_now,
        )
    except EnrolmentError as exc:
        raise ReferralError(str(exc)) from exc
    referral.status = ReferralStatus.ACCEPTED
    referral.decided_by, referral.decided_at = actor.user, timezone.now()
    referral.enrolment = enrolment
    referral.save(update_fields=["status", "decided_by", "decided_at", "enrolment"])
    _log_referral(
        referral,
        action=AuditAction.UPDATE,
        actor=actor,
        enrolment=str(enrolment.public_id),
    )
    return enrolment


@transaction.atomic
def decline_referral(*, actor: Actor, referral: Referral, reason: str) -> Referral:
    """Say no, and why: the referring side reads the answer."""
    reason = reason.strip()
    if not reason:
        raise ReferralError(_("Say why the referral is declined."))
    referral = _pending(referral)
    referral.status = ReferralStatus.DECLINED
    referral.decided_by, referral.decided_at = actor.user, timezone.now()
    referral.decline_reason = reason
    referral.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    _log_referral(referral, action=AuditAction.UPDATE, actor=actor)
    return referral


@transaction.atomic
def withdraw_referral(*, actor: Actor, referral: Referral) -> Referral:
    """The referring side takes a referral back while it waits for an answer."""
    referral = _pending(referral)
    referral.status = ReferralStatus.WITHDRAWN
    referral.decided_by, referral.decided_at = actor.user, timezone.now()
    referral.save(update_fields=["status", "decided_by", "decided_at"])
    _log_referral(referral, action=AuditAction.UPDATE, actor=actor)
    return referral


def log_referrals_read(*, actor: Actor, referrals: list[Referral]) -> None:
    """Who read the reasons of referrals (sensitive free text): one entry per participant, in
    one insert, shown in each participant's access log."""
    by_participant = {referral.participant_id: referral for referral in referrals}
    if not by_participant:
        return
    first = next(iter(by_participant.values()))
    record_events(
        action=AuditAction.VIEW,
        actor=actor,
        objects=[referral.participant for referral in by_participant.values()],
        programme=first.measure.programme,
        detail={"what": REFERRAL},
    )
