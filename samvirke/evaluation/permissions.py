"""Who may take pseudonymised research data out of Samvirke, who may enter answers, and who
sees the evaluation.

Entering a questionnaire on someone's behalf (from a phone call or a paper form) is part of
following them: the rule is the participant register's own ``FOLLOWED``, so a guide enters the
answers of the people they guide and a contact person those of their subprojects.
"""

from __future__ import annotations

from samvirke.accounts.models import Role
from samvirke.accounts.permissions import FOLLOWER_ROLES, MANAGERS_ONLY, Perm, RoleRule, Rule
from samvirke.participants.permissions import FOLLOWED

RULES: dict[Perm, Rule] = {
    Perm.RESEARCH_EXPORT: RoleRule(frozenset({Role.RESEARCHER}), "researchers (and managers)"),
    Perm.QUESTIONNAIRE_ENTER: FOLLOWED,
    # Each row must name someone the importer follows (checked row by row).
    Perm.QUESTIONNAIRES_IMPORT: RoleRule(FOLLOWER_ROLES, "contact persons and guides"),
    Perm.INSTRUMENTS_MANAGE: RoleRule(MANAGERS_ONLY, "managers only"),
    # User representatives see the same results with small cells suppressed (analysis_views).
    Perm.EVALUATION_VIEW: RoleRule(
        frozenset({Role.RESEARCHER, Role.USER_REPRESENTATIVE}),
        "researchers and user representatives (and managers)",
    ),
    Perm.EVALUATION_RUN: RoleRule(frozenset({Role.RESEARCHER}), "researchers (and managers)"),
}
