"""Reading the audit log, already scoped to what the reader may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from samvirke.audit.models import AuditEntry
from samvirke.programmes.models import Programme


def audit_entries_for_programme(
    programme: Programme,
    *,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.filter(programme=programme)
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(Q(actor_label__icontains=actor))
    if object_type:
        entries = entries.filter(object_type=object_type)
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    return entries


def recent_changes(programme: Programme, *, limit: int = 10) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            programme=programme, action__in=["create", "update", "delete"]
        ).order_by("-at", "-id")[:limit]
    )
