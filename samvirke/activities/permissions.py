"""Who may see, run and follow up activities (gatherings, user meetings, study visits)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from samvirke.accounts.models import Role
from samvirke.accounts.permissions import (
    EVERY_ROLE,
    FOLLOWER_ROLES,
    MANAGERS_ONLY,
    WORKSPACE_ROLES,
    Access,
    Perm,
    RoleRule,
    Rule,
    ScopeRule,
)
from samvirke.activities.models import Action, Activity


def _activities(access: Access) -> QuerySet[Activity]:
    return Activity.objects.filter(programme=access.programme)


def _seen(access: Access) -> Q:
    """The workspace sees every activity; a participant those open to them or they joined."""
    if access.is_workspace_member:
        return Q()
    return Q(open_to_participants=True) | Q(registrations__user=access.user)


def _run_by(access: Access) -> Q:
    """Whoever created it, and contact persons of a subproject it involves."""
    theirs = Q(created_by=access.user)
    if Role.CONTACT_PERSON in access.roles and access.subproject_ids:
        theirs |= Q(subprojects__in=access.subproject_ids)
    return theirs


def _owned(access: Access) -> Q:
    mine = Q(owner=access.user)
    if Role.CONTACT_PERSON in access.roles and access.subproject_ids:
        mine |= Q(subproject__in=access.subproject_ids)
    return mine


ACTIVITY_VIEW = ScopeRule[Activity](
    base=_activities,
    q=_seen,
    roles=EVERY_ROLE,
    anywhere=lambda access: access.is_workspace_member,
    about="the workspace; participants those open to them or they registered for",
)
ACTIVITY_REGISTER_SELF = ScopeRule[Activity](
    base=_activities,
    q=lambda access: Q() if access.is_workspace_member else Q(open_to_participants=True),
    roles=EVERY_ROLE,
    about="the workspace; participants where open to them",
)
ACTIVITY_RUN = ScopeRule[Activity](
    base=_activities,
    q=_run_by,
    roles=FOLLOWER_ROLES,
    about="contact persons and guides who created it, contact persons of its subprojects",
)
ACTION_EDIT = ScopeRule[Action](
    base=lambda access: Action.objects.filter(programme=access.programme),
    q=_owned,
    roles=WORKSPACE_ROLES,
    about="its owner, contact persons of its subproject",
)

RULES: dict[Perm, Rule] = {
    Perm.ACTIVITY_VIEW: ACTIVITY_VIEW,
    Perm.ACTIVITY_REGISTER_SELF: ACTIVITY_REGISTER_SELF,
    Perm.ACTIVITY_CREATE: RoleRule(FOLLOWER_ROLES, "contact persons and guides"),
    Perm.ACTIVITY_EDIT: ACTIVITY_RUN,
    Perm.ACTIVITY_ATTENDANCE: ACTIVITY_RUN,
    Perm.ACTIONS_VIEW: RoleRule(WORKSPACE_ROLES, "the workspace"),
    Perm.ACTION_EDIT: ACTION_EDIT,
    Perm.CALENDAR_MANAGE: RoleRule(MANAGERS_ONLY, "managers only"),
}
