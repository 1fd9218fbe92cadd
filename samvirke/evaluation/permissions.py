"""Who may take pseudonymised research data out of Samvirke, and who sees the evaluation."""

from __future__ import annotations

from samvirke.accounts.models import Role
from samvirke.accounts.permissions import Perm, RoleRule, Rule

RULES: dict[Perm, Rule] = {
    Perm.RESEARCH_EXPORT: RoleRule(frozenset({Role.RESEARCHER}), "researchers (and managers)"),
    # User representatives see the same results with small cells suppressed (analysis_views).
    Perm.EVALUATION_VIEW: RoleRule(
        frozenset({Role.RESEARCHER, Role.USER_REPRESENTATIVE}),
        "researchers and user representatives (and managers)",
    ),
    Perm.EVALUATION_RUN: RoleRule(frozenset({Role.RESEARCHER}), "researchers (and managers)"),
}
