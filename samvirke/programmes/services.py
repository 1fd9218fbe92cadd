"""Writes in the programme workspace. Each function is one domain verb, atomic and audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse

from samvirke.accounts.models import Membership, Role, User
from samvirke.accounts.services import default_base_url, invite_user
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import Change, audit_label, record_change, record_event
from samvirke.programmes.models import (
    Municipality,
    Organisation,
    Partnership,
    Programme,
    ProjectGroupMember,
    Subproject,
)
from samvirke.programmes.search import index_entry, remove_entry

if TYPE_CHECKING:
    from samvirke.accounts.models import User


def index_programme(programme: Programme) -> None:
    index_entry(
        programme=programme,
        obj=programme,
        kind="programme",
        title=programme.name_nb,
        body=" ".join(
            [
                programme.name_sv,
                programme.name_en,
                programme.description_nb,
                programme.description_sv,
                programme.description_en,
                programme.funding,
            ]
        ),
        url=reverse("programmes:dashboard", args=[programme.slug]),
    )


def index_subproject(subproject: Subproject) -> None:
    index_entry(
        programme=subproject.programme,
        obj=subproject,
        kind="subproject",
        title=subproject.name,
        body=f"{subproject.description} {subproject.goals}",
        url=reverse("programmes:subproject", args=[subproject.programme.slug, subproject.pk]),
    )


def index_partnership(partnership: Partnership) -> None:
    organisation = partnership.organisation
    index_entry(
        programme=partnership.programme,
        obj=partnership,
        kind="partner",
        title=organisation.name,
        body=f"{organisation.short_name} {organisation.get_type_display()}",
        url=reverse("programmes:partners", args=[partnership.programme.slug]),
    )


@transaction.atomic
def update_programme(*, actor: Actor, change: Change[Programme]) -> Programme:
    programme = record_change(actor=actor, change=change, programme=change.obj)
    index_programme(programme)
    return programme


@transaction.atomic
def create_programme(*, actor: User | None, leader: User | None, **fields: Any) -> Programme:

    programme = Programme.objects.create(**fields)
    if leader is not None:
        Membership.objects.create(user=leader, programme=programme, role=Role.PROGRAMME_LEADER)
    index_programme(programme)
    record_event(
        action=AuditAction.CREATE, actor=Actor.of_user(actor), obj=programme, programme=programme
    )
    return programme


@transaction.atomic
def create_programme_led_by(
    *,
    actor: User | None,
    leader_email: str,
    leader_name: str = "",
    leader_language: str = "",
    **fields: Any,
) -> tuple[Programme, User, bool]:
    """Create a programme with its leader; a new person is given an account and an invitation.

    Returns the programme, the leader and whether an invitation is on its way.
    """

    email = leader_email.strip().lower()
    leader = User.objects.filter(email=email).first()
    if leader is None:
        extra = {"language": leader_language} if leader_language else {}
        leader = User.objects.create_user(
            email=email, password=None, full_name=leader_name.strip(), **extra
        )
        record_event(action=AuditAction.CREATE, actor=Actor.of_user(actor), obj=leader)
    programme = create_programme(actor=actor, leader=leader, **fields)
    invited = not leader.has_usable_password()
    if invited:
        invite_user(
            actor=Actor.of_user(actor),
            user=leader,
            programme=programme,
            base_url=default_base_url(),
        )
    return programme, leader, invited


@transaction.atomic
def save_organisation(
    *, actor: Actor, programme: Programme, change: Change[Organisation]
) -> Organisation:
    organisation = record_change(actor=actor, change=change, programme=programme)
    for partnership in organisation.partnerships.select_related("programme", "organisation"):
        index_partnership(partnership)
    return organisation


@transaction.atomic
def save_partnership(*, actor: Actor, change: Change[Partnership]) -> Partnership:
    partnership = record_change(actor=actor, change=change, programme=change.obj.programme)
    index_partnership(partnership)
    return partnership


@transaction.atomic
def end_partnership(*, actor: Actor, partnership: Partnership) -> None:
    programme = partnership.programme
    remove_entry(programme=programme, obj=partnership, kind="partner")
    record_event(
        action=AuditAction.DELETE,
        actor=actor,
        obj=partnership,
        programme=programme,
    )
    partnership.delete()


@transaction.atomic
def save_subproject(*, actor: Actor, change: Change[Subproject]) -> Subproject:
    subproject = record_change(actor=actor, change=change, programme=change.obj.programme)
    index_subproject(subproject)
    return subproject


@transaction.atomic
def add_project_group_member(
    *, actor: Actor, change: Change[ProjectGroupMember]
) -> ProjectGroupMember:
    return record_change(actor=actor, change=change, programme=change.obj.programme, detail={})


@transaction.atomic
def remove_project_group_member(*, actor: Actor, member: ProjectGroupMember) -> None:
    record_event(
        action=AuditAction.DELETE,
        actor=actor,
        obj=member,
        programme=member.programme,
    )
    member.delete()


@transaction.atomic
def grant_membership(*, actor: Actor, change: Change[Membership], base_url: str) -> Membership:
    """Give someone a role; without a password the role is useless, so the link to choose one
    is mailed (pointing at ``base_url``)."""
    membership = change.obj
    detail = {"role": membership.role, "user": audit_label(membership.user)}
    record_change(actor=actor, change=change, programme=membership.programme, detail=detail)
    if not membership.user.has_usable_password():
        invite_user(
            actor=actor, user=membership.user, programme=membership.programme, base_url=base_url
        )
    return membership


@transaction.atomic
def revoke_membership(*, actor: Actor, membership: Membership) -> None:
    record_event(
        action=AuditAction.DELETE,
        actor=actor,
        obj=membership,
        programme=membership.programme,
        detail={"role": membership.role, "user": audit_label(membership.user)},
    )
    membership.delete()


@transaction.atomic
def save_goal_part(*, actor: Actor, programme: Programme, change: Change[Any]) -> Any:
    """A goal, an indicator or a milestone of the programme."""
    return record_change(actor=actor, change=change, programme=programme)


@transaction.atomic
def import_municipalities(records: list[Any]) -> tuple[int, int]:
    """Create or rename municipalities by (country, code); returns (created, updated)."""

    existing = {
        (m.country, m.code): m
        for m in Municipality.objects.filter(country__in={r.country for r in records})
    }
    created: list[Municipality] = []
    changed: list[Municipality] = []
    for record in records:
        current = existing.get((record.country, record.code))
        if current is None:
            created.append(
                Municipality(
                    country=record.country,
                    code=record.code,
                    name=record.name,
                    county=record.county,
                )
            )
        elif (current.name, current.county) != (record.name, record.county):
            current.name, current.county = record.name, record.county
            changed.append(current)
    Municipality.objects.bulk_create(created)
    Municipality.objects.bulk_update(changed, ["name", "county", "updated_at"])
    return len(created), len(changed)
