"""Writes for evaluation research: the audit trail of what left Samvirke."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from samvirke.audit.models import AuditAction, AuditEntry
from samvirke.audit.services import record_event

if TYPE_CHECKING:
    from django.http import HttpRequest

    from samvirke.accounts.models import User
    from samvirke.programmes.models import Programme

RESEARCH_DATA_TYPE = "evaluation.research_data"


@transaction.atomic
def record_research_export(
    *,
    actor: User,
    request: HttpRequest | None,
    programme: Programme,
    rows: int,
    all_versions: bool,
) -> AuditEntry:
    """Log a download of the research data: who, which programme and how many rows.

    Never who was in it: the file is pseudonymous and the log should not become a list of the
    people who take part in research.
    """
    return record_event(
        action=AuditAction.EXPORT,
        actor=actor,
        request=request,
        programme=programme,
        object_type=RESEARCH_DATA_TYPE,
        object_id=programme.slug,
        object_label="research data: resource mapping",
        detail={
            "what": "research data",
            "rows": rows,
            "versions": "all" if all_versions else "current",
            "output": "csv",
        },
    )
