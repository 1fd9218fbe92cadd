"""``samvirke permissions``: every permission, the app whose rule answers it, and who it lets in.

The rules live in each app's ``permissions.py``; this keeps the indirection visible."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samvirke.accounts.permissions import (
    MANAGER_ROLES,
    REGISTERED_BY,
    RULES,
    Perm,
    ScopeRule,
)


class Command(BaseCommand):
    help = "List every permission with its rule and the roles it can let in."

    def handle(self, *args: Any, **options: Any) -> None:
        width = max(len(str(perm)) for perm in Perm)
        for perm in Perm:
            rule = RULES.get(perm)
            if rule is None:
                self.stdout.write(f"{perm:<{width}}  (no rule: denied to everyone)")
                continue
            kind = "objects" if isinstance(rule, ScopeRule) else "role"
            others = sorted(str(role) for role in rule.roles - MANAGER_ROLES)
            roles = ", ".join(["managers", *others]) if others else "managers only"
            where = f"samvirke.{REGISTERED_BY[perm]}.permissions"
            self.stdout.write(
                f"{perm:<{width}}  {kind:<7}  {where:<32}  {roles}\n"
                f"{'':<{width}}  {rule.describe()}"
            )
