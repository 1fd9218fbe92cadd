"""Who may see and run ventures. ``accounts.permissions.can`` asks here for the venture rights.

Managers are granted everything before this is asked. Contact persons manage the ventures of
their subprojects; guides see the ventures where someone they guide is on the team; researchers
see every venture, with team members by pseudonym only (as everyone does); user representatives
see the pipeline's aggregates only. The scope for lists (``visible_q``) and the check for one
venture (``may``) come from the same rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Model, Q

from samvirke.accounts.models import Role

if TYPE_CHECKING:
    from samvirke.accounts.permissions import Access


def visible_q(access: Access) -> Q:
    """The ventures of the programme that ``access`` may open."""
    if access.is_manager or Role.RESEARCHER in access.roles:
        return Q(programme=access.programme)
    scope = Q(pk__in=[])
    if Role.CONTACT_PERSON in access.roles and access.subproject_ids:
        scope |= Q(subproject__in=access.subproject_ids)
    if Role.GUIDE in access.roles:
        scope |= Q(members__participant__guides=access.user)
    return Q(programme=access.programme) & scope


def managed_q(access: Access) -> Q:
    if access.is_manager:
        return Q(programme=access.programme)
    if Role.CONTACT_PERSON in access.roles and access.subproject_ids:
        return Q(programme=access.programme, subproject__in=access.subproject_ids)
    return Q(pk__in=[])


def may(access: Access, perm: str, obj: Model | None) -> bool:
    from samvirke.accounts.permissions import Perm
    from samvirke.ventures.models import Venture

    roles = access.roles
    match perm:
        case Perm.VENTURE_PIPELINE:
            return access.is_workspace_member
        case Perm.VENTURES_VIEW:
            return bool(roles & {Role.CONTACT_PERSON, Role.GUIDE, Role.RESEARCHER})
        case Perm.VENTURE_MANAGE:
            if Role.CONTACT_PERSON not in roles:
                return False
            if obj is None:
                return bool(access.subproject_ids)
            return getattr(obj, "subproject_id", None) in access.subproject_ids
        case Perm.VENTURE_VIEW:
            if not isinstance(obj, Venture):
                return False
            return Venture.objects.filter(visible_q(access), pk=obj.pk).exists()
    return False
