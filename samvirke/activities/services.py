"""Writes about activities: planning, registration with a waiting list, attendance, minutes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from samvirke.accounts.models import Role
from samvirke.activities.models import (
    Action,
    Activity,
    ActivityStatus,
    CalendarSubscription,
    Decision,
    Registration,
    RegistrationStatus,
)
from samvirke.activities.tasks import notify_registration
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import Change, record_change, record_event
from samvirke.programmes.models import new_calendar_token
from samvirke.programmes.search import index_entry

if TYPE_CHECKING:
    from samvirke.accounts.models import User
    from samvirke.programmes.models import Programme


class RegistrationError(Exception):
    """A registration that cannot be made; the message is translated for the user."""


def index_activity(activity: Activity) -> None:
    decisions = " ".join(d.text for d in activity.decisions.all())
    actions = " ".join(a.title for a in activity.actions.all())
    index_entry(
        programme=activity.programme,
        obj=activity,
        kind="activity",
        title=activity.title,
        body=" ".join(
            [
                activity.get_type_display(),
                activity.place,
                activity.agenda,
                activity.minutes,
                decisions,
                actions,
            ]
        ),
        url=activity.get_absolute_url(),
        visibility="" if activity.open_to_participants else "workspace",
    )


@transaction.atomic
def save_activity(*, actor: Actor, change: Change[Activity]) -> Activity:
    creating = change.creating
    if creating:
        change.obj.created_by = actor.user
    activity = record_change(actor=actor, change=change, programme=change.obj.programme)
    if not creating:
        _fill_from_waiting_list(activity)
    index_activity(activity)
    return activity


def _notify_on_commit(registration: Registration) -> None:

    registration_id, status = registration.pk, registration.status
    transaction.on_commit(lambda: notify_registration.enqueue(registration_id, status))


def _registered_count(activity: Activity) -> int:
    return activity.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def _fill_from_waiting_list(activity: Activity) -> list[Registration]:
    """Move people up from the waiting list, in the order they registered, while seats are free."""
    waiting = list(
        activity.registrations.select_for_update()
        .filter(status=RegistrationStatus.WAITING)
        .order_by("registered_at", "id")
    )
    free = None if activity.capacity is None else activity.capacity - _registered_count(activity)
    promoted = []
    for registration in waiting:
        if free is not None and free <= 0:
            break
        registration.status = RegistrationStatus.REGISTERED
        registration.save(update_fields=["status", "updated_at"])
        _notify_on_commit(registration)
        promoted.append(registration)
        if free is not None:
            free -= 1
    return promoted


@transaction.atomic
def register_for_activity(*, actor: Actor, activity: Activity, person: User) -> Registration:
    """Register ``person``; over capacity they join the waiting list, in order."""
    from django.utils.translation import gettext as _

    # Lock the activity row so that two people cannot take the last seat at once.
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if not activity.registration_open:
        raise RegistrationError(_("Registration for this activity is closed."))
    if activity.status == ActivityStatus.CANCELLED:
        raise RegistrationError(_("This activity has been cancelled."))
    if activity.is_past:
        raise RegistrationError(_("This activity is over."))
    registration = Registration.objects.filter(activity=activity, user=person).first()
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        raise RegistrationError(_("Already registered."))
    full = activity.capacity is not None and _registered_count(activity) >= activity.capacity
    status = RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED
    if registration is None:
        registration = Registration.objects.create(activity=activity, user=person, status=status)
    else:
        registration.status = status
        registration.registered_at = timezone.now()
        registration.save(update_fields=["status", "registered_at", "updated_at"])
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        obj=registration,
        programme=activity.programme,
        detail={"status": status},
    )
    _notify_on_commit(registration)
    return registration


@transaction.atomic
def cancel_registration(*, actor: Actor, registration: Registration) -> list[Registration]:
    """Cancel a registration; the first on the waiting list takes the freed seat."""
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    promoted = _fill_from_waiting_list(registration.activity)
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=registration,
        programme=registration.activity.programme,
        detail={"status": "cancelled", "promoted": len(promoted)},
    )
    return promoted


@transaction.atomic
def record_attendance(
    *,
    actor: Actor,
    activity: Activity,
    attended: Mapping[int, bool | None],
) -> int:
    """Save attendance for the activity's registrations in one go; returns how many changed."""
    registrations = activity.registrations.filter(pk__in=list(attended)).exclude(
        status=RegistrationStatus.CANCELLED
    )
    changed = []
    for registration in registrations:
        value = attended[registration.pk]
        if registration.attended != value:
            registration.attended = value
            changed.append(registration)
    Registration.objects.bulk_update(changed, ["attended"])
    if activity.status == ActivityStatus.PLANNED and activity.is_past and changed:
        activity.status = "held"
        activity.save(update_fields=["status", "updated_at"])
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=activity,
        programme=activity.programme,
        detail={"attendance_changed": len(changed)},
    )
    return len(changed)


@transaction.atomic
def add_decision(*, actor: Actor, activity: Activity, change: Change[Decision]) -> Decision:
    change.obj.activity = activity
    change.obj.created_by = actor.user
    decision = record_change(actor=actor, change=change, programme=activity.programme, detail={})
    index_activity(activity)
    return decision


@transaction.atomic
class ActionOwnerError(Exception):
    """An action given to someone who cannot own one; the message is translated."""


def _may_own_actions(user: User, programme_id: int) -> bool:
    """Actions belong to the people who work in the programme, never to a participant."""

    if hasattr(user, "participant_record"):
        return False
    return (
        user.memberships.filter(programme_id=programme_id).exclude(role=Role.PARTICIPANT).exists()
    )


@transaction.atomic
def save_action(*, actor: Actor, change: Change[Action]) -> Action:
    from django.utils.translation import gettext as _

    owner = change.obj.owner
    if owner is not None and not _may_own_actions(owner, change.obj.programme_id):
        raise ActionOwnerError(_("A participant cannot own a follow-up action."))
    action = record_change(actor=actor, change=change, programme=change.obj.programme)
    if action.activity_id:
        index_activity(action.activity)  # type: ignore[arg-type]
    return action


# --- Personal calendar addresses ---------------------------------------------------------------


def calendar_token_for(*, user: User, programme: Programme) -> str:
    """The person's own calendar address token for the programme, made on first use."""

    subscription, _created = CalendarSubscription.objects.get_or_create(
        user=user, programme=programme, defaults={"token": new_calendar_token()}
    )
    return subscription.token


@transaction.atomic
def renew_calendar_token(*, actor: Actor, programme: Programme) -> str:
    """A new address for the person; the old one stops working at once."""

    CalendarSubscription.objects.filter(user=actor.user, programme=programme).delete()
    subscription = CalendarSubscription.objects.create(
        user=actor.signed_in_user(), programme=programme, token=new_calendar_token()
    )
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=programme,
        programme=programme,
        detail={"calendar_address": "renewed"},
    )
    return subscription.token
