"""Writing the audit log. Services call these; signals never do."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

from samvirke.audit.models import AuditAction, AuditEntry
from samvirke.lib.client_ip import Network, client_address, networks

if TYPE_CHECKING:
    from django.http import HttpRequest

    from samvirke.accounts.models import User
    from samvirke.programmes.models import Programme


def client_ip(request: HttpRequest | None) -> str | None:
    """The one answer to "where did this request come from", for the audit log and for the
    sign-in throttle alike (``AXES_CLIENT_IP_CALLABLE``): forwarding headers count only from a
    proxy listed in ``SAMVIRKE_TRUSTED_PROXIES``."""
    if request is None:
        return None
    return client_address(
        peer=str(request.META.get("REMOTE_ADDR") or ""),
        forwarded_for=str(request.META.get("HTTP_X_FORWARDED_FOR") or ""),
        proxies=trusted_proxies(),
    )


@cache
def _parsed_proxies(entries: tuple[str, ...]) -> list[Network]:
    return networks(entries)


def trusted_proxies() -> list[Network]:
    return _parsed_proxies(tuple(settings.TRUSTED_PROXIES))


def _actor_label(actor: User | None) -> str:
    """Staff by e-mail; a participant by pseudonym, so the append-only log keeps no address
    of theirs that erasure could not remove."""
    if actor is None:
        return ""
    from samvirke.participants.models import Participant

    pseudonym = (
        Participant.objects.filter(account=actor).values_list("pseudonym", flat=True).first()
    )
    return str(pseudonym) if pseudonym else actor.email


def record_event(
    *,
    action: AuditAction | str,
    actor: User | None,
    request: HttpRequest | None = None,
    obj: models.Model | None = None,
    programme: Programme | None = None,
    role: str = "",
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one row to the audit log."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "public_id", None) or obj.pk)
        object_label = object_label or str(obj)[:300]
    if not role and request is not None:
        role = getattr(request, "samvirke_role", "") or ""
    actor_obj = actor if (actor is not None and actor.is_authenticated) else None
    return AuditEntry.objects.create(
        action=str(action),
        actor=actor_obj,
        actor_label=_actor_label(actor_obj)[:254],
        role=role[:32],
        object_type=object_type[:64],
        object_id=object_id[:64],
        object_label=object_label[:300],
        programme=programme,
        ip_address=client_ip(request),
        detail=detail or {},
    )
