"""Reads about activities, scoped by the permission module."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from samvirke.accounts.permissions import Access, activities_visible_to
from samvirke.activities.models import (
    OPEN_ACTION_STATUSES,
    Action,
    Activity,
    ActivityStatus,
    Registration,
    RegistrationStatus,
)
from samvirke.programmes.models import Programme
from samvirke.programmes.search import contains_text


@dataclass(frozen=True)
class ActivityFilter:
    type: str = ""
    subproject: int | None = None
    when: str = "upcoming"  # upcoming | past | all
    q: str = ""


def activity_list(access: Access, filters: ActivityFilter) -> QuerySet[Activity]:
    activities = activities_visible_to(access).select_related("organiser", "programme")
    now = timezone.now()
    if filters.type:
        activities = activities.filter(type=filters.type)
    if filters.subproject:
        activities = activities.filter(subprojects=filters.subproject)
    if filters.q:
        activities = activities.filter(
            contains_text("title", filters.q) | contains_text("place", filters.q)
        )
    if filters.when == "upcoming":
        activities = activities.filter(ends_at__gte=now).order_by("starts_at", "id")
    elif filters.when == "past":
        activities = activities.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    else:
        activities = activities.order_by("-starts_at", "-id")
    # A correlated count rather than a join: the paginator's COUNT(*) then leaves it out.
    registered = (
        Registration.objects.filter(activity=OuterRef("pk"), status=RegistrationStatus.REGISTERED)
        .order_by()
        .values("activity")
        .annotate(n=Count("id"))
        .values("n")
    )
    return activities.annotate(registered_count=Coalesce(Subquery(registered), 0))


def registrations_for(activity: Activity) -> QuerySet[Registration]:
    return (
        activity.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("user")
        .prefetch_related("user__memberships")
        .order_by("status", "registered_at", "id")
    )


def own_registration(activity: Activity, access: Access) -> Registration | None:
    return Registration.objects.filter(activity=activity, user=access.user).first()


# What the action list can show besides one ActionStatus: every open one, or the overdue ones.
SHOW_OPEN = "open"
SHOW_OVERDUE = "overdue"


def actions_for(
    access: Access, *, status: str = SHOW_OPEN, owner_only: bool = False
) -> QuerySet[Action]:
    actions = (
        Action.objects.filter(programme=access.programme)
        .select_related("owner", "activity", "activity__programme", "subproject")
        .prefetch_related("owner__memberships")
    )
    if status == SHOW_OPEN:
        actions = actions.filter(status__in=OPEN_ACTION_STATUSES)
    elif status == SHOW_OVERDUE:
        actions = actions.filter(status__in=OPEN_ACTION_STATUSES, due_on__lt=timezone.localdate())
    elif status:
        actions = actions.filter(status=status)
    if owner_only:
        actions = actions.filter(owner=access.user)
    return actions.order_by("due_on", "id")


def overdue_actions(access: Access, *, limit: int = 10) -> list[Action]:
    return list(actions_for(access, status=SHOW_OVERDUE)[:limit])


def upcoming_activities(access: Access, *, limit: int = 5) -> list[Activity]:
    """The next activities; for a programme whose period is over, its last ones, latest first."""
    activities = activities_visible_to(access).select_related("organiser", "programme")
    if access.programme.has_ended:
        return list(activities.order_by("-starts_at", "-id")[:limit])
    return list(activities.filter(ends_at__gte=timezone.now()).order_by("starts_at", "id")[:limit])


def default_when(programme: Programme) -> str:
    """Which activities a list opens on: the coming ones, or the past ones once it has ended."""
    return "past" if programme.has_ended else "upcoming"


def calendar_activities(programme_id: int, *, since: dt.datetime) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(programme_id=programme_id, starts_at__gte=since)
        .exclude(status=ActivityStatus.CANCELLED)
        .select_related("programme")
        .order_by("starts_at")
    )
