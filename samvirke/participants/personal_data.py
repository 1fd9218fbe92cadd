"""Where Samvirke holds personal data about a participant, and what export and erasure do with it.

``data_rights.export_participant_data`` and ``data_rights.erase_participant`` follow this list, and
``tests/participants/test_personal_data_registry.py`` walks every model and fails when a model
that reaches a participant (or their sign-in account) is missing here or from ``EXCLUDED``, or
when a covered model gains a text field nobody has decided about.
``tests/participants/test_erasure_by_value.py`` checks the same by value: it searches every
column of every table for a person's identity strings, before erasure against the export and
after erasure for none at all (models without a foreign key, such as the axes sign-in logs,
are found that way).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Erasure(enum.StrEnum):
    DELETED = "deleted"
    # Free text blanked; the coded rest kept only under an active research consent, else deleted.
    RESEARCH_ONLY = "kept coded for research, else deleted"
    # The row stays; its free text is blanked and the links to the person removed.
    BLANKED = "free text blanked"
    ANONYMISED = "replaced by a placeholder and deactivated"
    # Kept, linked only to the anonymised account.
    UNLINKED = "kept on the anonymised account"
    WITHDRAWN = "withdrawn, kept as the record of what was consented to"
    KEPT = "kept"


@dataclass(frozen=True)
class Holding:
    """One model that holds data about a participant."""

    model: str  # app_label.modelname
    via: str  # how a row reaches the person
    export: str  # the key of export_participant_data() that carries it
    erasure: Erasure
    # Text fields that erasure empties or replaces when the row is kept.
    free_text: tuple[str, ...] = ()
    # Text fields kept on purpose: codes and the pseudonym, which identify nobody alone.
    coded_text: tuple[str, ...] = ()
    why: str = ""


HOLDINGS: tuple[Holding, ...] = (
    Holding(
        "participants.participant",
        "the record itself",
        "participant",
        Erasure.BLANKED,
        free_text=("languages",),
        coded_text=("pseudonym",),
        why="The pseudonymous record stays so that the erasure and the audit trail can refer to "
        "it. Guides and the account are unlinked; birth year, gender, municipality, "
        "subprojects and organisations are kept only under an active research consent.",
    ),
    Holding(
        "participants.participantidentity",
        "participant",
        "identity",
        Erasure.DELETED,
        why="Name, contact and sign-in e-mail, phone and national number: always deleted.",
    ),
    Holding(
        "participants.signinconfirmation",
        "participant",
        "identity",
        Erasure.DELETED,
        why="A new sign-in address waiting to be confirmed (encrypted) and the keyed hash of "
        "its code: deleted on erasure, and once the address is confirmed.",
    ),
    Holding(
        "participants.consent",
        "participant",
        "consents",
        Erasure.WITHDRAWN,
        why="Withdrawn, not deleted: the consent is the legal basis of any research data kept.",
    ),
    Holding(
        "participants.erasurerequest",
        "participant",
        "erasure_requests",
        Erasure.BLANKED,
        free_text=("reason",),
        why="The record that erasure was asked for and carried out.",
    ),
    Holding(
        "mapping.mapping",
        "participant",
        "mappings",
        Erasure.RESEARCH_ONLY,
        free_text=("other_skills", "languages", "goals_in_own_words", "support_in_own_words"),
        coded_text=("profile",),
        why="The profile holds only the codes of the version (see mapping/profiles.py).",
    ),
    Holding(
        "mapping.workexperience",
        "mapping → participant",
        "mappings",
        Erasure.RESEARCH_ONLY,
        free_text=("title",),
        why="The ISCO-08 code, years, sector and paid/unpaid are kept for research.",
    ),
    Holding(
        "mapping.education",
        "mapping → participant",
        "mappings",
        Erasure.RESEARCH_ONLY,
        free_text=("field", "courses"),
        why="The ISCED level and whether it was completed are kept for research.",
    ),
    Holding(
        "mapping.mappingitem",
        "mapping → participant",
        "mappings",
        Erasure.RESEARCH_ONLY,
        coded_text=("code",),
        why="Ticked interests, resources, goals and support needs: codes only.",
    ),
    Holding(
        "mapping.lifesituation",
        "mapping → participant",
        "mappings",
        Erasure.RESEARCH_ONLY,
        why="Traffic-light ratings: codes only.",
    ),
    Holding(
        "mapping.importedmember",
        "participant",
        "imported_from",
        Erasure.DELETED,
        why="The member id in an imported survey points back to the source register.",
    ),
    Holding(
        "accounts.user",
        "participant.account",
        "account",
        Erasure.ANONYMISED,
        free_text=("full_name", "email", "phone", "password"),
        why="The account is unlinked, deactivated and left with a placeholder address.",
    ),
    Holding(
        "accounts.membership",
        "participant.account",
        "account",
        Erasure.DELETED,
        why="The account's roles end with it.",
    ),
    Holding(
        "otp_totp.totpdevice",
        "participant.account",
        "account",
        Erasure.DELETED,
        why="An authenticator is exported only as 'set up'; its secret is never exported.",
    ),
    Holding(
        "otp_static.staticdevice",
        "participant.account",
        "account",
        Erasure.DELETED,
        why="Recovery codes are exported only as 'set up'.",
    ),
    Holding(
        "measures.enrolment",
        "participant",
        "enrolments",
        Erasure.RESEARCH_ONLY,
        why="Measure, referral source, dates and status are codes; the guide is unlinked.",
    ),
    Holding(
        "measures.enrolmentstatuschange",
        "enrolment → participant",
        "enrolments",
        Erasure.RESEARCH_ONLY,
        free_text=("reason",),
        why="The dropout reason is kept as a code; the comment is blanked.",
    ),
    Holding(
        "measures.attendance",
        "enrolment → participant",
        "enrolments",
        Erasure.RESEARCH_ONLY,
        why="Present or absent with a coded reason, per session.",
    ),
    Holding(
        "measures.enrolmentnote",
        "enrolment → participant",
        "enrolments",
        Erasure.DELETED,
        why="Guides' notes are sensitive free text: always deleted.",
    ),
    Holding(
        "measures.referral",
        "participant",
        "referrals",
        Erasure.DELETED,
        why="A referral's reason and answer are sensitive free text: always deleted (an "
        "accepted one lives on as its enrolment).",
    ),
    Holding(
        "activities.registration",
        "participant.account",
        "registrations",
        Erasure.UNLINKED,
        why="Kept on the anonymised account, so attendance counts stay right; upcoming places "
        "are cancelled and given to the waiting list.",
    ),
    Holding(
        "axes.accesslog",
        "username: the address the person types, or their account's",
        "sign_ins",
        Erasure.DELETED,
        why="Sign-ins with IP address and browser (django-axes).",
    ),
    Holding(
        "axes.accessattempt",
        "username: the address the person types, or their account's",
        "sign_ins",
        Erasure.DELETED,
        why="Refused passwords with IP address, browser and the form sent (django-axes).",
    ),
    Holding(
        "axes.accessfailurelog",
        "username: the address the person types, or their account's",
        "sign_ins",
        Erasure.DELETED,
        why="Refused passwords with IP address and browser (django-axes).",
    ),
    Holding(
        "sessions.session",
        "the account id in the session data",
        "sign_ins",
        Erasure.DELETED,
        why="Only the sign-in state: not exported; erasure signs the account out everywhere.",
    ),
    Holding(
        "ventures.teammember",
        "participant",
        "ventures",
        Erasure.DELETED,
        free_text=("name", "role"),
        why="Membership of an enterprise team: deleted; the venture itself is not personal.",
    ),
    Holding(
        "ventures.proposal",
        "participant",
        "ventures",
        Erasure.DELETED,
        why="Team proposals of the team-formation engine: deleted.",
    ),
    Holding(
        "evaluation.questionnaireresponse",
        "participant",
        "questionnaires",
        Erasure.RESEARCH_ONLY,
        coded_text=("status", "mode", "language", "import_key"),
        why="Which instrument, time point, dates and how it was entered: codes; the staff "
        "member who entered it is unlinked.",
    ),
    Holding(
        "evaluation.itemanswer",
        "response → participant",
        "questionnaires",
        Erasure.RESEARCH_ONLY,
        free_text=("text",),
        why="The coded value chosen for each item; the answer to a free-text item is blanked.",
    ),
    Holding(
        "evaluation.answercorrection",
        "answer → response → participant",
        "questionnaires",
        Erasure.RESEARCH_ONLY,
        free_text=("reason", "old_text", "new_text"),
        why="Earlier values are kept as codes; the reason given for a correction and the old "
        "and new text of a corrected free-text answer are blanked.",
    ),
    Holding(
        "evaluation.safetyalert",
        "response → participant",
        "questionnaires",
        Erasure.RESEARCH_ONLY,
        coded_text=("item_key",),
        why="That an answer asked for follow-up the same day, when, and who followed it up; it "
        "goes with its response.",
    ),
    Holding(
        "evaluation.score",
        "response → participant",
        "questionnaires",
        Erasure.RESEARCH_ONLY,
        coded_text=("scale", "band"),
        why="Scores computed from the answers.",
    ),
)

# Models that reach a participant or their account but are not the participant's data to export
# or erase, and why.
EXCLUDED: dict[str, str] = {
    "audit.auditentry": "The audit trail must stay (accountability, GDPR art. 5(2)) and is "
    "append-only. The participant's part of it is exported as the access log.",
    "admin.logentry": "History of the admin site, used by superusers only; on erasure the "
    "entries about the account lose its name.",
    "programmes.partnership": "contact_person is staff of a partner organisation.",
    "programmes.subproject": "contact_person is staff.",
    "programmes.projectgroupmember": "Members of the project group are staff or user "
    "representatives, never reached through a participant record.",
    "activities.activity": "created_by and organiser are staff.",
    "activities.decision": "created_by is staff.",
    "activities.action": "owner is a workspace member; participants have no actions.",
    "activities.calendarsubscription": "Only workspace members get a calendar address, and "
    "it answers only while they hold such a role; it holds a random token, nothing else.",
    "ventures.venture": "created_by is staff.",
    "ventures.stagechange": "moved_by is staff.",
    "ventures.formationrun": "started_by is staff; the proposals are covered.",
    "ventures.canvas": "created_by is staff; the canvas describes the venture, not a person.",
    "ventures.outcome": "updated_by is staff; an enskild firma owner's personnummer is the "
    "owner's, stored encrypted, and not reached through a participant record.",
    "ventures.checklistitem": "done_by is staff (those who work with the team); the item is "
    "about the venture's stage, not a person.",
    "ventures.task": "owner_user, done_by and created_by are staff; owner_member is a team "
    "membership (covered): erasure deletes it and the task is left without an owner.",
    "ventures.document": "uploaded_by is staff; the file is the venture's, reached through no "
    "participant record.",
    "evaluation.instrument": "created_by is staff who built the instrument.",
    "mapping.importbatch": "uploaded_by is staff. The uploaded file holds many members' rows "
    "and is emptied when the import is done or goes stale; the link to one person is "
    "mapping.importedmember, which is covered.",
    "evaluation.analysisrun": "requested_by is staff (a researcher or manager). The result holds "
    "aggregates only, no participant key (tests/evaluation/test_analysis_pages.py).",
    "evaluation.researchexport": "created_by is staff (a researcher or manager). The row holds "
    "an export's parameters, salt and checksum, never who was in it. Its file (pseudonymous "
    "research data) waits in the private folder for its one download, 24 hours at most "
    "(evaluation/export_jobs.py).",
}


def holding(model_label: str) -> Holding | None:
    return next((h for h in HOLDINGS if h.model == model_label), None)
