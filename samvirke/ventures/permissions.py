"""Who may see and run ventures.

Contact persons manage the ventures of their subprojects; guides see the ventures where someone
they guide is on the team, or where they are on the team themselves; researchers see every
venture, with team members by pseudonym only (as everyone does); user representatives see the
pipeline's aggregates only. Managers may do all of it. The scope for lists and the check for one
venture come from the same rule.

The work on a venture (its stage checklist, milestones and tasks, attached documents) is for
those who work with the team: contact persons of its subproject and guides on it or of someone
on it, not researchers, because documents and tasks are not pseudonymised. Deleting a document
is for those who manage the venture. Only managers edit the checklist templates.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from samvirke.accounts.models import Role
from samvirke.accounts.permissions import (
    MANAGERS_ONLY,
    WORKSPACE_ROLES,
    Access,
    Perm,
    RoleRule,
    Rule,
    ScopeRule,
)
from samvirke.ventures.models import Venture

OPENERS = frozenset({Role.CONTACT_PERSON, Role.GUIDE, Role.RESEARCHER})


def _ventures(access: Access) -> QuerySet[Venture]:
    return Venture.objects.filter(programme=access.programme)


def _worked_on(access: Access) -> Q:
    scope = Q(pk__in=[])
    if Role.CONTACT_PERSON in access.roles and access.subproject_ids:
        scope |= Q(subproject__in=access.subproject_ids)
    if Role.GUIDE in access.roles:
        scope |= Q(members__participant__guides=access.user)
        scope |= Q(members__kind="guide", members__user=access.user)
    return scope


def _visible(access: Access) -> Q:
    if Role.RESEARCHER in access.roles:
        return Q()
    return _worked_on(access)


VENTURE_VIEW = ScopeRule[Venture](
    base=_ventures,
    q=_visible,
    roles=OPENERS,
    about="researchers; contact persons of its subproject; guides on its team or of someone on it",
)
VENTURE_WORK = ScopeRule[Venture](
    base=_ventures,
    q=_worked_on,
    roles=frozenset({Role.CONTACT_PERSON, Role.GUIDE}),
    about="contact persons of its subproject; guides on its team or of someone on it",
)
VENTURE_MANAGE = ScopeRule[Venture](
    base=_ventures,
    q=lambda access: Q(subproject__in=access.subproject_ids),
    roles=frozenset({Role.CONTACT_PERSON}),
    anywhere=lambda access: bool(access.subproject_ids),
    about="contact persons of its subproject",
)

RULES: dict[Perm, Rule] = {
    Perm.VENTURES_VIEW: RoleRule(OPENERS, "contact persons, guides and researchers"),
    Perm.VENTURE_VIEW: VENTURE_VIEW,
    Perm.VENTURE_MANAGE: VENTURE_MANAGE,
    Perm.VENTURE_WORK: VENTURE_WORK,
    Perm.VENTURE_CHECKLISTS: RoleRule(MANAGERS_ONLY, "managers only"),
    Perm.VENTURE_PIPELINE: RoleRule(WORKSPACE_ROLES, "the workspace (aggregates)"),
}
