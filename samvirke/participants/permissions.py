"""Who follows a participant, and so may see and change their record.

The rule "who follows a participant" is written here once, as a ``Q``: the participant lists
(``participants.selectors``), the checks on one record and the enrolment notes in measures all
derive from it. Erased records are in nobody's scope: what is left of them is research data.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from samvirke.accounts.models import Role
from samvirke.accounts.permissions import (
    FOLLOWER_ROLES,
    MANAGERS_ONLY,
    Access,
    Perm,
    RoleRule,
    Rule,
    ScopeRule,
)
from samvirke.participants.models import ConsentPurpose, Participant, active_consent_q


def follows(access: Access, prefix: str = "") -> Q:
    """Contact persons follow their subprojects' participants; guides those they guide.

    ``prefix`` reaches the participant from another model (``"participant__"`` from an
    enrolment)."""
    scope = Q(**{f"{prefix}pk__in": []})
    if Role.CONTACT_PERSON in access.roles and access.subproject_ids:
        scope |= Q(**{f"{prefix}subprojects__in": access.subproject_ids})
    if Role.GUIDE in access.roles:
        scope |= Q(**{f"{prefix}guides": access.user})
    return scope


def shared_with_organisations(organisation_ids: frozenset[int]) -> Q:
    """Participants with an active consent to share their follow-up with one of these
    organisations; withdrawing the consent ends the sharing at once."""
    return active_consent_q(ConsentPurpose.SHARE_PARTNER) & Q(
        consents__partner__in=organisation_ids
    )


def _followed_or_shared(access: Access) -> Q:
    """Whoever follows the record, and the contact persons of a partner it is shared with."""
    scope = follows(access)
    if Role.CONTACT_PERSON in access.roles and access.partner_organisation_ids:
        shared = shared_with_organisations(access.partner_organisation_ids)
        scope |= Q(pk__in=Participant.objects.filter(shared).values("pk"))
    return scope


def _participants(access: Access) -> QuerySet[Participant]:
    return Participant.objects.filter(programme=access.programme, erased_at__isnull=True)


FOLLOWED = ScopeRule[Participant](
    base=_participants,
    q=follows,
    roles=FOLLOWER_ROLES,
    about="managers; contact persons of their subprojects; guides of those they guide",
)
VISIBLE = ScopeRule[Participant](
    base=_participants,
    q=_followed_or_shared,
    roles=FOLLOWER_ROLES,
    about="those who follow the participant, and contact persons of a partner it is shared with",
)

RULES: dict[Perm, Rule] = {
    Perm.PARTICIPANTS_VIEW: RoleRule(FOLLOWER_ROLES, "contact persons and guides"),
    Perm.PARTICIPANT_CREATE: RoleRule(FOLLOWER_ROLES, "contact persons and guides"),
    Perm.PARTICIPANT_VIEW: VISIBLE,
    Perm.PARTICIPANT_IDENTITY: VISIBLE,
    Perm.PARTICIPANT_EDIT: FOLLOWED,
    Perm.CONSENT_RECORD: FOLLOWED,
    Perm.SELF_SERVICE: RoleRule(frozenset({Role.PARTICIPANT}), "participants, about themselves"),
    Perm.PARTICIPANT_EXPORT: RoleRule(MANAGERS_ONLY, "managers only"),
    Perm.ERASURE_MANAGE: RoleRule(MANAGERS_ONLY, "managers only"),
}
