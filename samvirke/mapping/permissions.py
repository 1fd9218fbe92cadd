"""Who may read and record a participant's resource mapping, see resource maps, and import."""

from __future__ import annotations

from django.db.models import Q

from samvirke.accounts.models import Role
from samvirke.accounts.permissions import WORKSPACE_ROLES, Perm, RoleRule, Rule, ScopeRule
from samvirke.participants.permissions import FOLLOWED
from samvirke.programmes.models import Subproject

IMPORT_INTO = ScopeRule[Subproject](
    base=lambda access: Subproject.objects.filter(programme=access.programme),
    q=lambda access: Q(pk__in=access.subproject_ids),
    roles=frozenset({Role.CONTACT_PERSON}),
    anywhere=lambda access: bool(access.subproject_ids),
    about="contact persons, into their own subprojects",
)

RULES: dict[Perm, Rule] = {
    Perm.MAPPING_VIEW: FOLLOWED,
    Perm.MAPPING_RECORD: FOLLOWED,
    # Resource maps are aggregates with small cells suppressed: safe for the workspace.
    Perm.RESOURCE_MAP_VIEW: RoleRule(WORKSPACE_ROLES, "the workspace"),
    Perm.PARTICIPANTS_IMPORT: IMPORT_INTO,
}
