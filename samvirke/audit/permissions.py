"""Who may read the audit log."""

from __future__ import annotations

from samvirke.accounts.permissions import MANAGERS_ONLY, Perm, RoleRule, Rule

RULES: dict[Perm, Rule] = {
    Perm.AUDIT_VIEW: RoleRule(MANAGERS_ONLY, "managers only"),
}
