"""Reads in the programme workspace, already scoped by the permission module."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from samvirke.accounts.models import Membership
from samvirke.accounts.permissions import Access
from samvirke.activities.models import OPEN_ACTION_STATUSES, Action, Activity
from samvirke.activities.selectors import overdue_actions, upcoming_activities
from samvirke.audit.models import AuditEntry
from samvirke.audit.selectors import recent_changes
from samvirke.programmes.models import (
    Goal,
    Indicator,
    Milestone,
    Partnership,
    ProjectGroupMember,
    Subproject,
)


def subprojects_at_a_glance(access: Access) -> QuerySet[Subproject]:
    """Subprojects with their last activity, open actions and indicators: a fixed query count."""
    now = timezone.now()
    last_activity = (
        Activity.objects.filter(subprojects=OuterRef("pk"), starts_at__lte=now)
        .values("subprojects")
        .annotate(last=Max("starts_at"))
        .values("last")
    )
    open_actions = (
        Action.objects.filter(subproject=OuterRef("pk"), status__in=OPEN_ACTION_STATUSES)
        .values("subproject")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Subproject.objects.filter(programme=access.programme)
        .select_related("contact_person", "programme")
        .prefetch_related("owners", Prefetch("indicators", queryset=Indicator.objects.all()))
        .annotate(
            last_activity_at=Subquery(last_activity),
            open_action_count=Coalesce(Subquery(open_actions, output_field=IntegerField()), 0),
        )
        .order_by("name")
    )


def partnerships(access: Access) -> QuerySet[Partnership]:
    return (
        Partnership.objects.filter(programme=access.programme)
        .select_related("organisation", "organisation__municipality", "contact_person")
        .order_by("organisation__country", "role", "organisation__name")
    )


def goals_with_indicators(access: Access) -> QuerySet[Goal]:
    return Goal.objects.filter(programme=access.programme).prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.select_related("subproject"))
    )


def milestones(access: Access) -> QuerySet[Milestone]:
    return Milestone.objects.filter(programme=access.programme).order_by("due_on")


def project_group(access: Access) -> QuerySet[ProjectGroupMember]:
    return (
        ProjectGroupMember.objects.filter(programme=access.programme)
        .select_related("user", "subproject")
        .order_by("subproject__name", "user__full_name")
    )


def memberships(access: Access) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(programme=access.programme)
        .select_related("user", "organisation", "subproject")
        .prefetch_related("user__memberships")
        .order_by("user__full_name", "role")
    )


def subproject_people(subproject: Subproject) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(subproject=subproject)
        .select_related("user")
        .prefetch_related("user__memberships")
        .order_by("role", "user__full_name")
    )


@dataclass
class Dashboard:
    subprojects: list[Subproject]
    upcoming: list[Activity]
    overdue: list[Action]
    recent: list[AuditEntry]
    goals: list[Goal]
    milestones: list[Milestone]


def dashboard_for(access: Access) -> Dashboard:

    return Dashboard(
        subprojects=list(subprojects_at_a_glance(access)),
        upcoming=upcoming_activities(access, limit=6),
        overdue=overdue_actions(access, limit=10),
        recent=recent_changes(access.programme, limit=10),
        goals=list(goals_with_indicators(access)),
        milestones=list(
            milestones(access).filter(
                reached_on__isnull=True,
                # Once the period is over, what was never reached is worth seeing.
                **({} if access.programme.has_ended else {"due_on__gte": timezone.localdate()}),
            )[:5]
        ),
    )
