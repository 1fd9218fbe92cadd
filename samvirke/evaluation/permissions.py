"""Who may take pseudonymised research data out of Samvirke."""

from __future__ import annotations

from samvirke.accounts.models import Role
from samvirke.accounts.permissions import Perm, RoleRule, Rule

RULES: dict[Perm, Rule] = {
    Perm.RESEARCH_EXPORT: RoleRule(frozenset({Role.RESEARCHER}), "researchers (and managers)"),
}
