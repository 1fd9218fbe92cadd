"""Who may manage measures and the service map, work with a measure's people, read notes."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from samvirke.accounts.models import Role
from samvirke.accounts.permissions import (
    EVERY_ROLE,
    FOLLOWER_ROLES,
    MANAGERS_ONLY,
    WORKSPACE_ROLES,
    Access,
    Perm,
    RoleRule,
    Rule,
    ScopeRule,
)
from samvirke.measures.models import Enrolment, Measure, Referral
from samvirke.participants.permissions import FOLLOWED, follows


def _measures(access: Access) -> QuerySet[Measure]:
    return Measure.objects.filter(programme=access.programme)


def _works_in(access: Access) -> Q:
    """Contact persons and guides of the measure's subproject, and guides of its enrolments."""
    scope = Q(pk__in=[])
    if Role.CONTACT_PERSON in access.roles:
        scope |= Q(subproject__in=access.subproject_ids)
    if Role.GUIDE in access.roles:
        scope |= Q(subproject__in=access.guide_subproject_ids) | Q(enrolments__guide=access.user)
    return scope


def _reads_notes(access: Access) -> Q:
    """The enrolment's guide, the measure's contact persons, whoever follows the participant."""
    scope = follows(access, prefix="participant__")
    if Role.GUIDE in access.roles:
        scope |= Q(guide=access.user)
    if Role.CONTACT_PERSON in access.roles:
        scope |= Q(measure__subproject__in=access.subproject_ids)
    return scope


def _receives(access: Access, prefix: str = "") -> Q:
    """The staff of the measure's own subproject: its contact persons and guides (not guides
    who only have someone enrolled there, nor those who refer to it)."""
    subprojects: frozenset[int] = frozenset()
    if Role.CONTACT_PERSON in access.roles:
        subprojects |= access.subproject_ids
    if Role.GUIDE in access.roles:
        subprojects |= access.guide_subproject_ids
    return Q(**{f"{prefix}subproject__in": subprojects})


MEASURE_MANAGE = ScopeRule[Measure](
    base=_measures,
    q=lambda access: Q(subproject__in=access.subproject_ids),
    roles=frozenset({Role.CONTACT_PERSON}),
    anywhere=lambda access: bool(access.subproject_ids),
    about="contact persons of the measure's subproject",
)
MEASURE_PEOPLE = ScopeRule[Measure](
    base=_measures,
    q=_works_in,
    roles=FOLLOWER_ROLES,
    about="contact persons and guides of its subproject, guides of its enrolments",
)
ENROLMENT_NOTES = ScopeRule[Enrolment](
    base=lambda access: Enrolment.objects.filter(measure__programme=access.programme),
    q=_reads_notes,
    roles=FOLLOWER_ROLES,
    about="the enrolment's guide, the measure's contact persons, who follows the participant",
)

REFERRALS_RECEIVE = ScopeRule[Measure](
    base=_measures,
    q=_receives,
    roles=FOLLOWER_ROLES,
    about="contact persons and guides of the measure's subproject",
)
REFERRAL_DECIDE = ScopeRule[Referral](
    base=lambda access: Referral.objects.filter(measure__programme=access.programme),
    q=lambda access: _receives(access, prefix="measure__"),
    roles=FOLLOWER_ROLES,
    about="contact persons and guides of the receiving measure's subproject",
)

RULES: dict[Perm, Rule] = {
    Perm.SERVICE_MAP_VIEW: RoleRule(EVERY_ROLE, "everyone with a role, participants too"),
    Perm.SERVICE_MAP_MANAGE: RoleRule(MANAGERS_ONLY, "managers only"),
    Perm.MEASURES_VIEW: RoleRule(WORKSPACE_ROLES, "the workspace"),
    Perm.MEASURES_IMPORT: RoleRule(MANAGERS_ONLY, "managers only"),
    Perm.MEASURE_MANAGE: MEASURE_MANAGE,
    Perm.MEASURE_PEOPLE: MEASURE_PEOPLE,
    Perm.ENROLMENT_NOTES: ENROLMENT_NOTES,
    # Whoever follows the participant refers them, sees the answers and may withdraw a referral.
    Perm.REFERRAL_MAKE: FOLLOWED,
    Perm.REFERRALS_RECEIVE: REFERRALS_RECEIVE,
    Perm.REFERRAL_DECIDE: REFERRAL_DECIDE,
}
