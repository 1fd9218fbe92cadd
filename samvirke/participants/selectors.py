"""Reads about participants, scoped by the permission module. Never returns identity."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from samvirke.accounts.models import User
from samvirke.accounts.permissions import Access
from samvirke.audit.models import AuditEntry
from samvirke.participants.models import (
    Consent,
    ConsentPurpose,
    ConsentText,
    ErasureRequest,
    ErasureStatus,
    Participant,
)
from samvirke.participants.permissions import FOLLOWED, VISIBLE

PARTICIPANT_TYPE = "participants.participant"


def participants_followed_by(access: Access) -> QuerySet[Participant]:
    """Those whose follow-up the user takes part in: managers the programme's, contact persons
    their subprojects', guides their own. Not those who only shared their record with the
    user's organisation: that consent opens the record and who it is, nothing more."""
    return FOLLOWED.scope(access)


def participants_visible_to(access: Access) -> QuerySet[Participant]:
    """Managers see the programme's; contact persons their subprojects'; guides their own.

    Contact persons also see those who have shared their follow-up with an organisation the
    contact person acts for, while that consent is active. Erased records are out of
    follow-up: what is left of them is research data only. The same rule answers
    ``can(access, Perm.PARTICIPANT_VIEW, participant)``.
    """
    return VISIBLE.scope(access)


def participant_list(
    access: Access, *, subproject: int | None = None, q: str = ""
) -> QuerySet[Participant]:
    """The people of the list the user may see, by pseudonym: only the columns a row shows
    (what else a row shows comes from ``listed_details`` for one page at a time)."""
    # Not joined to the programme for each row (it is access.programme): on page 500 the join
    # ran over the 25,000 rows before the page, more than reading them from the index.
    participants = participants_visible_to(access)
    if subproject:
        participants = participants.filter(subprojects=subproject)
    if q:
        participants = participants.filter(pseudonym__icontains=q.strip().upper())
    return participants.only("id", "public_id", "pseudonym", "birth_year", "programme_id").order_by(
        "pseudonym"
    )


@dataclass
class ListedDetails:
    """What a row of the participant list shows beside the pseudonym, in the order the models
    order them: subproject names, guides, the purposes of the active consents."""

    subprojects: list[str] = field(default_factory=list)
    guides: list[User] = field(default_factory=list)
    consent_purposes: list[str] = field(default_factory=list)


def listed_details(participants: Iterable[Participant]) -> dict[int, ListedDetails]:
    """``ListedDetails`` of each of ``participants`` (a page), in three queries of plain
    values: a page of 50 cost more in building related objects than in reading them."""
    details = {participant.pk: ListedDetails() for participant in participants}
    if not details:
        return details
    ids = list(details)
    memberships = Participant.subprojects.through.objects.filter(participant_id__in=ids)
    for participant_id, name in memberships.order_by("subproject__name").values_list(
        "participant_id", "subproject__name"
    ):
        details[participant_id].subprojects.append(name)
    guides = Participant.guides.through.objects.filter(participant_id__in=ids)
    users = {
        user.pk: user
        for user in User.objects.filter(pk__in=guides.values("user_id")).only(
            "id", "full_name", "email"
        )
    }
    for participant_id, user_id in guides.values_list("participant_id", "user_id"):
        details[participant_id].guides.append(users[user_id])
    for listed in details.values():  # as User orders them
        listed.guides.sort(key=lambda user: (user.full_name, user.email))
    active = Consent.objects.filter(participant_id__in=ids, withdrawn_at__isnull=True)
    for participant_id, purpose in active.order_by("purpose", "-given_at").values_list(
        "participant_id", "purpose"
    ):
        details[participant_id].consent_purposes.append(purpose)
    return details


def awaiting_sign_in_approval(access: Access, *, limit: int = 20) -> list[Participant]:
    """Records the user follows whose new sign-in address waits for a colleague: someone other
    than the one who asked (whether this user may approve is decided on the record's page)."""
    from django.utils import timezone

    return list(
        participants_followed_by(access)
        .filter(sign_in_confirmation__expires_at__gt=timezone.now())
        .exclude(sign_in_confirmation__requested_by=access.user)
        .only("pseudonym", "public_id", "programme__slug")
        .select_related("programme")
        .order_by("pseudonym")[:limit]
    )


def current_consent_texts(*, youth: bool) -> dict[str, ConsentText]:
    texts: dict[str, ConsentText] = {}
    for text in ConsentText.objects.filter(for_youth=youth).order_by("purpose", "-version"):
        texts.setdefault(text.purpose, text)
    return texts


def consents_of(participant: Participant) -> QuerySet[Consent]:
    return participant.consents.select_related("text", "partner", "given_by").order_by(
        "purpose", "-given_at"
    )


def access_log_of(participant: Participant) -> QuerySet[AuditEntry]:
    """Every read and change of the participant's record, newest first."""
    return AuditEntry.objects.filter(
        object_type=PARTICIPANT_TYPE, object_id=str(participant.public_id)
    ).order_by("-at", "-id")


def participant_for(access: Access, public_id: str) -> Participant | None:
    """One participant the user may reach by their record's id, or None."""
    return (
        participants_visible_to(access)
        .filter(public_id=public_id)
        .select_related("programme", "municipality")
        .first()
    )


def own_participant(access: Access) -> Participant | None:
    """The participant record of the signed-in user in this programme, if they have one."""
    return (
        Participant.objects.filter(account=access.user, programme=access.programme)
        .select_related("programme")
        .first()
    )


def has_active_consent(participant: Participant, purpose: str) -> bool:
    return participant.consents.filter(purpose=purpose, withdrawn_at__isnull=True).exists()


def follow_up_withdrawn_q(participant_ref: str = "pk") -> Q:
    """Participants who withdrew their consent to follow-up and have not given it again, as a
    filter (``participant_ref`` names the participant's id in the outer query: ``"pk"`` for
    participants, ``"participant_id"`` for enrolments).

    This is one of two consent rules for follow-up, and they are kept apart on purpose.
    Measures (enrolment, attendance, notes, journeys, referrals) refuse only after a
    *withdrawal*: a person can be referred to and take part in a measure before anyone has
    recorded their consent (it is often given on paper at the first session), but once they
    have said no, nothing more is recorded. A mapping needs an *active* consent
    (``has_active_consent``): it is the programme's own survey of the person and is made only
    with their yes. The two agree except for someone with no consent on record.
    """
    consents = Consent.objects.filter(
        participant=OuterRef(participant_ref), purpose=ConsentPurpose.FOLLOW_UP
    )
    return Q(Exists(consents.filter(withdrawn_at__isnull=False))) & ~Q(
        Exists(consents.filter(withdrawn_at__isnull=True))
    )


def follow_up_withdrawn(participant: Participant) -> bool:
    """Whether the participant has withdrawn their consent to follow-up and not given it again:
    then nothing more is recorded about them in measures (see ``follow_up_withdrawn_q``)."""
    return Participant.objects.filter(follow_up_withdrawn_q(), pk=participant.pk).exists()


def follow_up_withdrawn_among(participant_ids: Iterable[int]) -> set[int]:
    """:func:`follow_up_withdrawn` for many participants in one query (an import's rows)."""
    withdrawn: set[int] = set()
    active: set[int] = set()
    for participant_id, withdrawn_at in Consent.objects.filter(
        participant_id__in=list(participant_ids), purpose=ConsentPurpose.FOLLOW_UP
    ).values_list("participant_id", "withdrawn_at"):
        (active if withdrawn_at is None else withdrawn).add(participant_id)
    return withdrawn - active


def erasure_requests_waiting(access: Access) -> QuerySet[ErasureRequest]:
    """Requests a manager has still to decide, oldest first (the law gives a month)."""
    if not access.is_manager:
        return ErasureRequest.objects.none()
    return (
        ErasureRequest.objects.filter(programme=access.programme, status=ErasureStatus.REQUESTED)
        .select_related("participant")
        .annotate(
            has_research_consent=Exists(
                Consent.objects.filter(
                    participant=OuterRef("participant"),
                    purpose=ConsentPurpose.RESEARCH,
                    withdrawn_at__isnull=True,
                )
            )
        )
        .order_by("requested_at", "pk")
    )


def erasure_requests_decided(access: Access, *, limit: int = 20) -> QuerySet[ErasureRequest]:
    if not access.is_manager:
        return ErasureRequest.objects.none()
    return (
        ErasureRequest.objects.filter(programme=access.programme)
        .exclude(status=ErasureStatus.REQUESTED)
        .select_related("participant", "decided_by")
        .order_by("-decided_at", "-pk")[:limit]
    )


def waiting_erasure_request(access: Access, public_id: str) -> ErasureRequest | None:
    """The undecided request of one participant in the programme, for a manager to decide."""
    return erasure_requests_waiting(access).filter(participant__public_id=public_id).first()


def latest_erasure_request(participant: Participant) -> ErasureRequest | None:
    return participant.erasure_requests.order_by("-requested_at", "-pk").first()


def has_waiting_erasure_requests(access: Access) -> bool:
    return erasure_requests_waiting(access).exists()
