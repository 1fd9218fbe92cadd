"""Reads for evaluation research: only people with an active consent to research, ever.

``active_consent_q`` is checked when the file is made, so a withdrawal leaves the person out
of the next export at once.
"""

from __future__ import annotations

from django.db.models import QuerySet

from samvirke.accounts.permissions import Access, Perm
from samvirke.mapping.models import Mapping
from samvirke.participants.models import ConsentPurpose, Participant, active_consent_q


def research_participants(access: Access) -> QuerySet[Participant]:
    """The programme's participants who have an active consent to evaluation research."""
    if not access.can(Perm.RESEARCH_EXPORT):
        return Participant.objects.none()
    consented = Participant.objects.filter(
        active_consent_q(ConsentPurpose.RESEARCH), programme=access.programme
    )
    return Participant.objects.filter(pk__in=consented.values("pk"))


def research_mappings(access: Access, *, all_versions: bool = False) -> QuerySet[Mapping]:
    """Their mapping versions: the current one of each person, or every version."""
    mappings = Mapping.objects.filter(
        programme=access.programme, participant__in=research_participants(access).values("pk")
    )
    return mappings if all_versions else mappings.filter(is_current=True)
