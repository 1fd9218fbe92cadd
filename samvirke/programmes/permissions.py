"""Who may do what with a programme, its partners, subprojects, project group and goals."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from samvirke.accounts.models import Role
from samvirke.accounts.permissions import (
    EVERY_ROLE,
    MANAGERS_ONLY,
    WORKSPACE_ROLES,
    Access,
    Perm,
    RoleRule,
    Rule,
    ScopeRule,
)
from samvirke.programmes.models import Subproject


def _subprojects(access: Access) -> QuerySet[Subproject]:
    return Subproject.objects.filter(programme=access.programme)


SUBPROJECT_EDIT = ScopeRule[Subproject](
    base=_subprojects,
    q=lambda access: Q(pk__in=access.subproject_ids),
    roles=frozenset({Role.CONTACT_PERSON}),
    about="contact persons, their own subprojects",
)

RULES: dict[Perm, Rule] = {
    Perm.PROGRAMME_VIEW: RoleRule(EVERY_ROLE, "everyone with a role in the programme"),
    Perm.PROGRAMME_OVERVIEW: RoleRule(WORKSPACE_ROLES, "the workspace (staff, user reps)"),
    Perm.SEARCH: RoleRule(WORKSPACE_ROLES, "the workspace"),
    Perm.PROGRAMME_EDIT: RoleRule(MANAGERS_ONLY, "managers only"),
    Perm.PARTNERS_MANAGE: RoleRule(MANAGERS_ONLY, "managers only"),
    Perm.MEMBERS_MANAGE: RoleRule(MANAGERS_ONLY, "managers only"),
    Perm.SUBPROJECT_CREATE: RoleRule(MANAGERS_ONLY, "managers only"),
    Perm.PROJECT_GROUP_MANAGE: RoleRule(MANAGERS_ONLY, "managers only"),
    Perm.GOALS_MANAGE: RoleRule(MANAGERS_ONLY, "managers only"),
    Perm.SUBPROJECT_EDIT: SUBPROJECT_EDIT,
}
