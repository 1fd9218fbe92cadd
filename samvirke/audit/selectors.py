"""Reading the audit log, already scoped to what the reader may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse

from samvirke.accounts.models import Membership
from samvirke.audit.models import AuditAction, AuditEntry
from samvirke.participants.models import Participant
from samvirke.programmes.models import Programme

# Sign-ins belong to no programme; each programme sees those of the people who hold a role in it.
SIGN_IN_ACTIONS = (AuditAction.LOGIN, AuditAction.LOGIN_FAILED, AuditAction.LOGOUT)

# Only these appear under "Recent changes", which every workspace role sees: their labels are
# programme content. Registrations, memberships, participants, consents and the like name people.
RECENT_CHANGE_TYPES = (
    "programmes.programme",
    "programmes.goal",
    "programmes.indicator",
    "programmes.milestone",
    "programmes.subproject",
    "programmes.partnership",
    "programmes.organisation",
    "activities.activity",
    "activities.decision",
    "activities.action",
)


def _sign_ins_of_people_in(programme: Programme) -> Q:
    people = Membership.objects.filter(programme=programme)
    return Q(programme__isnull=True, action__in=SIGN_IN_ACTIONS) & (
        Q(actor_id__in=people.values("user_id"))
        # A refused password has no actor; it points at the account the address belongs to.
        | Q(
            actor__isnull=True,
            object_type="accounts.user",
            object_id__in=[str(pk) for pk in people.values_list("user_id", flat=True)],
        )
    )


# Where an entry's object can be opened: object type → URL name taking (slug, object_id).
OBJECT_PAGES = {
    "participants.participant": "participants:detail",
    "activities.activity": "activities:detail",
}


def object_url(entry: AuditEntry, slug: str) -> str:
    """The page of the entry's object in this programme, or "" when it has none."""
    name = OBJECT_PAGES.get(entry.object_type)
    if not name or not entry.object_id:
        return ""
    try:
        return reverse(name, args=[slug, entry.object_id])
    except NoReverseMatch:
        return ""


def audit_entries_for_programme(
    programme: Programme,
    *,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    participant: str = "",
    kind: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """The programme's entries, filtered; ``participant`` is a pseudonym, ``kind`` a READ_KINDS
    key."""
    entries = AuditEntry.objects.filter(Q(programme=programme) | _sign_ins_of_people_in(programme))
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(Q(actor_label__icontains=actor))
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if participant:
        public_id = (
            Participant.objects.filter(programme=programme, pseudonym=participant.strip().upper())
            .values_list("public_id", flat=True)
            .first()
        )
        entries = entries.filter(
            object_type="participants.participant", object_id=str(public_id or "-")
        )
    if kind:
        entries = entries.filter(Q(detail__read=kind) | Q(detail__what=kind))
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    return entries


def recent_changes(programme: Programme, *, limit: int = 10) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            programme=programme,
            action__in=["create", "update", "delete"],
            object_type__in=RECENT_CHANGE_TYPES,
        ).order_by("-at", "-id")[:limit]
    )
