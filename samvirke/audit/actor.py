"""Who acts, as one value: what services take instead of a request.

The view layer builds it once (``Actor.of(request)``); a background task, an import or the
demo builds it from a user (``Actor.of_user``). The audit log reads the acting role and the
client address from it, so a service never needs the request to write its entry.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

    from samvirke.accounts.models import User


@dataclass(frozen=True)
class Actor:
    user: User | None
    role: str = ""  # the role the user acts in (set by programme_view), "" outside a programme
    ip: str | None = None  # the client address, from a trusted proxy's header where one is set

    @classmethod
    def of(cls, request: HttpRequest) -> Actor:
        from samvirke.audit.services import client_ip

        user = request.user if request.user.is_authenticated else None
        return cls(
            user=user,
            role=getattr(request, "samvirke_role", "") or "",
            ip=client_ip(request),
        )

    def with_user(self, user: User | None) -> Actor:
        """The same browser, acting as ``user``: the account a set-password link proved, or
        no account for a visitor on a sign-in page."""
        return replace(self, user=user)

    def signed_in_user(self) -> User:
        """The acting user, for what only a signed-in person does (their own calendar
        address, a staff member's request that a colleague approves)."""
        if self.user is None:
            raise ValueError("this needs a signed-in user, and the actor has none")
        return self.user

    @classmethod
    def of_user(cls, user: User | None, *, role: str = "") -> Actor:
        """Someone acting without a request: a background task, an import, the demo."""
        return cls(user=user, role=role)
