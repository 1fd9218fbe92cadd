"""Reads for evaluation research: only people with an active consent to research, ever.

``active_consent_q`` is checked when the file is made, so a withdrawal leaves the person out
of the next export at once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db.models import F, Min, QuerySet
from django.utils import timezone

from samvirke.accounts.permissions import Access, Perm
from samvirke.evaluation.deidentify import Deidentifier
from samvirke.evaluation.models import ResearchExport
from samvirke.lib.among import Among
from samvirke.mapping.models import Mapping
from samvirke.measures.models import Enrolment
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


@dataclass(frozen=True)
class Person:
    """One participant as an export sees them: the internal key, and this export's study id."""

    pk: int
    public_id: uuid.UUID
    study_id: str


def ordered_people(participants: QuerySet[Participant], *, deid: Deidentifier) -> list[Person]:
    """The participants in the order of their study ids, which says nothing about who they are.

    Ordering by the internal id instead would let two exports be lined up row by row.
    """
    people = [
        Person(pk=pk, public_id=public_id, study_id=deid.study_id(public_id))
        for pk, public_id in participants.order_by().values_list("pk", "public_id")
    ]
    people.sort(key=lambda person: person.study_id)
    return people


def batches(people: Sequence[Person], size: int) -> Iterator[Sequence[Person]]:
    for start in range(0, len(people), size):
        yield people[start : start + size]


def baselines(participant_ids: Iterable[int]) -> dict[int, dt.date]:
    """Each participant's baseline: the first date Samvirke knows of them in the programme
    (their first resource mapping or their first referral to a measure, whichever came first),
    or the day their record was made."""
    ids = list(participant_ids)
    found: dict[int, dt.date] = {
        pk: timezone.localdate(created)
        for pk, created in Participant.objects.filter(Among(F("pk"), ids))
        .order_by()
        .values_list("pk", "created_at")
    }
    firsts = [
        Mapping.objects.filter(Among(F("participant_id"), ids))
        .values("participant_id")
        .annotate(first=Min("filled_on"))
        .values_list("participant_id", "first"),
        Enrolment.objects.filter(Among(F("participant_id"), ids))
        .values("participant_id")
        .annotate(first=Min("referred_on"))
        .values_list("participant_id", "first"),
    ]
    earliest: dict[int, dt.date] = {}
    for query in firsts:
        for pk, first in query:
            if first is not None and (pk not in earliest or first < earliest[pk]):
                earliest[pk] = first
    found.update(earliest)
    return found


def exports_of(access: Access) -> QuerySet[ResearchExport]:
    """The programme's research exports, newest first, for the page that shows checksums."""
    if not access.can(Perm.RESEARCH_EXPORT):
        return ResearchExport.objects.none()
    return ResearchExport.objects.filter(programme=access.programme).select_related("created_by")
