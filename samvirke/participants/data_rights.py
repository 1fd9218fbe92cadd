"""A participant's rights over their data (GDPR art. 15, 17, 20): the export, and erasure.

What each model holds about a person, and how it is exported and erased, is listed in
:mod:`samvirke.participants.personal_data`; the tests hold this module to that list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.mapping import aggregate_versions
from samvirke.participants.models import (
    ConsentPurpose,
    ErasureRequest,
    ErasureStatus,
    Participant,
    ParticipantIdentity,
    SignInConfirmation,
)

if TYPE_CHECKING:
    from samvirke.accounts.models import User


from samvirke.accounts.services import delivery_address, hidden_address
from samvirke.activities.models import Registration, RegistrationStatus
from samvirke.activities.services import cancel_registration
from samvirke.evaluation.models import AnswerCorrection, QuestionnaireResponse
from samvirke.mapping.models import Education, ImportedMember, Mapping, WorkExperience
from samvirke.measures.models import Enrolment, EnrolmentNote, EnrolmentStatusChange, Referral
from samvirke.participants.selectors import access_log_of
from samvirke.participants.services import (
    _decrypted_identity,
    cipher,
)
from samvirke.participants.sign_in import confirmed_address
from samvirke.ventures.models import Proposal, TeamMember


class ErasureError(Exception):
    """An erasure request that cannot be made or decided; the message is translated."""


# --- Export: everything Samvirke holds about one person (see personal_data.py) ---------------


def _name(user: User | None) -> str:
    return str(user) if user is not None else ""


def export_participant_data(participant: Participant) -> dict[str, Any]:
    """Everything Samvirke holds about the participant, as plain data.

    Dates and times stay Python objects: templates format them for the reader and Django's JSON
    encoder writes them in ISO 8601. Labels are in the active language, with the codes beside
    them so the file is machine-readable.
    Reading it writes nothing: the callers log the export (``record_export``).
    """
    return {
        "format": "samvirke-participant-export/1",
        "generated_at": timezone.now(),
        "programme": participant.programme.name,
        "participant": _export_record(participant),
        "identity": _export_identity(participant),
        "account": _export_account(participant.account),
        "consents": _export_consents(participant),
        "mappings": _export_mappings(participant),
        "registrations": _export_registrations(participant.account),
        "enrolments": _export_enrolments(participant),
        "referrals": _export_referrals(participant),
        "ventures": _export_ventures(participant),
        "questionnaires": _export_questionnaires(participant),
        "erasure_requests": [
            {
                "status": request.status,
                "status_label": request.get_status_display(),
                "requested_at": request.requested_at,
                "decided_at": request.decided_at,
                "reason": request.reason,
            }
            for request in participant.erasure_requests.order_by("requested_at")
        ],
        "imported_from": _export_imports(participant),
        "sign_ins": _export_sign_ins(participant),
        "access_log": _export_access_log(participant),
    }


# Where django-axes keeps sign-in attempts: by the address typed (or the account's), with the
# IP address and browser they came from.
SIGN_IN_LOGS = ("axes.accesslog", "axes.accessattempt", "axes.accessfailurelog")


def _sign_in_names(participant: Participant) -> list[str]:
    """The usernames the person's sign-ins can be logged under: the address they type (kept
    in their identity) and what their account stores."""

    names = []
    for email in {_decrypted_identity(participant).email, confirmed_address(participant)}:
        if email:
            names += [email, hidden_address(email)]
    if participant.account is not None:
        names.append(participant.account.email)
    return [name for name in names if name]


def _sign_in_rows(participant: Participant) -> list[tuple[str, models.QuerySet[Any]]]:
    from django.apps import apps

    names = _sign_in_names(participant)
    if not names:
        return []
    match = Q()
    for name in names:
        match |= Q(username__iexact=name)
    return [
        (label, apps.get_model(label)._default_manager.filter(match))
        for label in SIGN_IN_LOGS
        if apps.is_installed(label.split(".")[0])
    ]


def _export_sign_ins(participant: Participant) -> list[dict[str, Any]]:
    kinds = {
        "axes.accesslog": "signed in",
        "axes.accessattempt": "refused password",
        "axes.accessfailurelog": "refused password",
    }
    return [
        {
            "kind": kinds[label],
            "at": row.attempt_time,
            "username": row.username,
            "ip_address": row.ip_address,
            "browser": row.user_agent,
            "post_data": getattr(row, "post_data", ""),
        }
        for label, rows in _sign_in_rows(participant)
        for row in rows.order_by("attempt_time")
    ]


def _end_sessions(account: User) -> None:
    """Sign the account out everywhere: its sessions go with what they hold."""
    from django.contrib.sessions.models import Session

    mine = [
        session.pk
        for session in Session.objects.iterator()
        if session.get_decoded().get("_auth_user_id") == str(account.pk)
    ]
    Session.objects.filter(pk__in=mine).delete()


def _export_questionnaires(participant: Participant) -> list[dict[str, Any]]:

    responses = (
        QuestionnaireResponse.objects.filter(participant=participant)
        .select_related("version__instrument", "time_point")
        .prefetch_related("answers__item", "answers__corrections", "scores")
        .order_by("due_on", "pk")
    )
    return [
        {
            "instrument": r.version.instrument.key,
            "title": r.version.title(),
            "version": r.version.version,
            "time_point": r.time_point.key if r.time_point else "",
            "due_on": r.due_on,
            "status": r.status,
            "status_label": r.get_status_display(),
            "entered": r.get_mode_display(),
            "submitted_at": r.submitted_at,
            "answers": [
                {
                    "item": a.item.key,
                    "value": a.value,
                    "corrections": [
                        {
                            "old_value": c.old_value,
                            "new_value": c.new_value,
                            "reason": c.reason,
                            "changed_at": c.changed_at,
                        }
                        for c in a.corrections.all()
                    ],
                }
                for a in r.answers.all()
            ],
            "scores": [
                {"scale": s.scale, "score": s.value, "band": s.band}
                for s in r.scores.all()
                if s.is_current
            ],
        }
        for r in responses
    ]


def _export_imports(participant: Participant) -> list[dict[str, Any]]:

    members = ImportedMember.objects.filter(participant=participant).select_related("batch")
    return [
        {
            "member_id": m.source_key,
            "file": m.batch.filename if m.batch else "",
            "imported_at": m.created_at,
        }
        for m in members.order_by("created_at", "pk")
    ]


def _export_record(participant: Participant) -> dict[str, Any]:
    return {
        "pseudonym": participant.pseudonym,
        "id": str(participant.public_id),
        "country": participant.country,
        "country_label": participant.get_country_display(),
        "birth_year": participant.birth_year,
        "gender": participant.gender,
        "gender_label": participant.get_gender_display() if participant.gender else "",
        "municipality": str(participant.municipality) if participant.municipality else "",
        "languages": participant.languages,
        "subprojects": [s.name for s in participant.subprojects.order_by("name")],
        "organisations": [o.name for o in participant.organisations.order_by("name")],
        "guides": [_name(g) for g in participant.guides.order_by("full_name")],
        "registered_at": participant.created_at,
        "updated_at": participant.updated_at,
        "erased_at": participant.erased_at,
    }


def _export_identity(participant: Participant) -> dict[str, str]:

    identity = _decrypted_identity(participant)
    waiting = SignInConfirmation.objects.filter(participant=participant).first()
    return {
        "full_name": identity.full_name,
        "email": identity.email,
        "phone": identity.phone,
        "national_id": identity.national_id,
        "sign_in_email": confirmed_address(participant),
        "sign_in_email_waiting_for_confirmation": (
            cipher().decrypt(waiting.address) if waiting is not None else ""
        ),
    }


def _export_account(account: User | None) -> dict[str, Any] | None:
    if account is None:
        return None
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return {
        # The account keeps only a keyed hash of the address; this is the address it stands for.
        "email": delivery_address(account),
        "full_name": account.full_name,
        "phone": account.phone,
        "language": account.language,
        "time_zone": account.time_zone,
        "joined_at": account.date_joined,
        "last_sign_in": account.last_login,
        "roles": [
            {"programme": m.programme.name, "role": m.role, "role_label": m.get_role_display()}
            for m in account.memberships.select_related("programme").order_by("programme__slug")
        ],
        "authenticator_set_up": TOTPDevice.objects.filter(user=account).exists(),
        "recovery_codes_set_up": StaticDevice.objects.filter(user=account).exists(),
    }


def _export_consents(participant: Participant) -> list[dict[str, Any]]:
    consents = participant.consents.select_related("text", "partner").order_by("given_at", "pk")
    return [
        {
            "purpose": c.purpose,
            "purpose_label": c.get_purpose_display(),
            "partner": c.partner.name if c.partner else "",
            "method": c.method,
            "method_label": c.get_method_display(),
            "given_at": c.given_at,
            "withdrawn_at": c.withdrawn_at,
            "text_version": c.text.version,
            "text_for_youth": c.text.for_youth,
            "text": c.text.text,
            "texts": {"nb": c.text.text_nb, "sv": c.text.text_sv, "en": c.text.text_en},
        }
        for c in consents
    ]


def _export_mappings(participant: Participant) -> list[dict[str, Any]]:

    mappings = (
        Mapping.objects.filter(participant=participant)
        .select_related("recorded_by")
        .prefetch_related(
            "skills", "items", "work__occupation", "education__level", "life_situation"
        )
        .order_by("filled_on", "created_at")
    )
    return [
        {
            "id": str(m.public_id),
            "filled_on": m.filled_on,
            "filled_by": m.filled_by,
            "filled_by_label": m.get_filled_by_display(),
            "is_current": m.is_current,
            "recorded_by": _name(m.recorded_by),
            "skills": [{"code": s.code, "label": s.label} for s in m.skills.all()],
            "other_skills": m.other_skills,
            "languages": m.languages,
            "hours_per_week": m.hours_per_week,
            "goals_in_own_words": m.goals_in_own_words,
            "support_in_own_words": m.support_in_own_words,
            "items": [
                {
                    "kind": i.kind,
                    "kind_label": i.get_kind_display(),
                    "code": i.code,
                    "label": i.label,
                }
                for i in m.items.all()
            ],
            "work": [
                {
                    "title": w.title,
                    "occupation_code": w.occupation.code if w.occupation else "",
                    "occupation_label": w.occupation.label if w.occupation else "",
                    "start_year": w.start_year,
                    "end_year": w.end_year,
                    "sector": w.sector,
                    "sector_label": w.get_sector_display() if w.sector else "",
                    "paid": w.paid,
                }
                for w in m.work.all()
            ],
            "education": [
                {
                    "level_code": e.level.code,
                    "level_label": e.level.label,
                    "field": e.field,
                    "completed": e.completed,
                    "courses": e.courses,
                }
                for e in m.education.all()
            ],
            "life_situation": [
                {
                    "domain": r.domain,
                    "domain_label": r.get_domain_display(),
                    "rater": r.rater,
                    "rater_label": r.get_rater_display(),
                    "level": r.level,
                    "level_label": r.get_level_display(),
                }
                for r in m.life_situation.all()
            ],
        }
        for m in mappings
    ]


def _export_registrations(account: User | None) -> list[dict[str, Any]]:
    if account is None:
        return []

    registrations = (
        Registration.objects.filter(user=account)
        .select_related("activity", "activity__programme")
        .order_by("activity__starts_at", "pk")
    )
    return [
        {
            "activity": r.activity.title,
            "programme": r.activity.programme.name,
            "starts_at": r.activity.starts_at,
            "ends_at": r.activity.ends_at,
            "place": r.activity.place,
            "status": r.status,
            "status_label": r.get_status_display(),
            "attended": r.attended,
            "registered_at": r.registered_at,
        }
        for r in registrations
    ]


def _export_ventures(participant: Participant) -> dict[str, list[dict[str, Any]]]:

    members = TeamMember.objects.filter(participant=participant).select_related("venture")
    proposals = Proposal.objects.filter(participant=participant).select_related("venture")
    return {
        "teams": [
            {
                "venture": m.venture.name,
                "role": m.role,
                "hours_per_week": str(m.hours_per_week) if m.hours_per_week is not None else "",
                "from": m.starts_on,
                "to": m.ends_on,
            }
            for m in members.order_by("starts_on", "pk")
        ],
        "proposals": [
            {"venture": p.venture.name, "status": p.status, "proposed_at": p.created_at}
            for p in proposals.order_by("created_at", "pk")
        ],
    }


def _export_referrals(participant: Participant) -> list[dict[str, Any]]:

    referrals = Referral.objects.filter(participant=participant).select_related(
        "measure", "referred_by", "decided_by"
    )
    return [
        {
            "measure": r.measure.name,
            "referred_at": r.referred_at,
            "referred_by": _name(r.referred_by),
            "reason": r.reason,
            "status": r.status,
            "status_label": r.get_status_display(),
            "answered_at": r.decided_at,
            "answered_by": _name(r.decided_by),
            "why_declined": r.decline_reason,
        }
        for r in referrals.order_by("referred_at", "pk")
    ]


def _export_enrolments(participant: Participant) -> list[dict[str, Any]]:

    enrolments = (
        Enrolment.objects.filter(participant=participant)
        .select_related("measure", "guide")
        .prefetch_related("history", "attendances__session", "notes__author")
        .order_by("referred_on", "pk")
    )
    return [
        {
            "measure": e.measure.name,
            "referral_source": e.referral_source,
            "referral_source_label": e.get_referral_source_display(),
            "status": e.status,
            "status_label": e.get_status_display(),
            "referred_on": e.referred_on,
            "started_on": e.started_on,
            "ended_on": e.ended_on,
            "guide": _name(e.guide),
            "history": [
                {
                    "status": h.status,
                    "status_label": h.get_status_display(),
                    "on": h.changed_on,
                    "reason": h.reason_code,
                    "reason_label": h.get_reason_code_display() if h.reason_code else "",
                    "comment": h.reason,
                }
                for h in e.history.all()
            ],
            "attendance": [
                {
                    "session": a.session.starts_at,
                    "present": a.present,
                    "absent_reason": a.absent_reason,
                }
                for a in sorted(e.attendances.all(), key=lambda a: a.session.starts_at)
            ],
            "notes": [
                {"written_at": n.created_at, "by": _name(n.author), "text": n.text}
                for n in e.notes.all()
            ],
        }
        for e in enrolments
    ]


def _export_access_log(participant: Participant) -> list[dict[str, Any]]:

    return [
        {
            "at": entry.at,
            "who": _name(entry.actor) if entry.actor_id else entry.actor_label,
            "role": entry.role,
            "role_label": entry.role_label,
            "action": entry.action,
            "action_label": entry.get_action_display(),
            "purpose": entry.purpose_label,
            "what": str(entry.detail.get("what") or entry.detail.get("read") or ""),
        }
        for entry in access_log_of(participant).select_related("actor")
    ]


def record_export(*, actor: Actor, participant: Participant, output: str) -> None:
    """Log that the participant's data left Samvirke (the participant sees it in their log)."""
    record_event(
        action=AuditAction.EXPORT,
        actor=actor,
        obj=participant,
        programme=participant.programme,
        detail={"read": "all data", "output": output[:10]},
    )


# --- Erasure ----------------------------------------------------------------------------------


@transaction.atomic
def request_erasure(*, actor: Actor, participant: Participant) -> ErasureRequest:
    """The participant asks to have their data erased; a manager decides."""
    if participant.erasure_requests.filter(status=ErasureStatus.REQUESTED).exists():
        raise ErasureError(_("You have already asked. A coordinator will handle it."))
    erasure = ErasureRequest.objects.create(
        programme_id=participant.programme_id,
        participant=participant,
        requested_by=actor.user,
    )
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        obj=participant,
        programme=participant.programme,
        detail={"erasure": str(erasure.public_id), "status": erasure.status},
    )
    return erasure


def _decide(erasure: ErasureRequest, *, actor: User | None, status: str, reason: str = "") -> None:
    if erasure.status != ErasureStatus.REQUESTED:
        raise ErasureError(_("This request has already been decided."))
    erasure.status = status
    erasure.decided_at = timezone.now()
    erasure.decided_by = actor
    erasure.reason = reason
    erasure.save(update_fields=["status", "decided_at", "decided_by", "reason", "updated_at"])


@transaction.atomic
def refuse_erasure(*, actor: Actor, erasure: ErasureRequest, reason: str) -> ErasureRequest:
    """Refuse with a reason the participant can read (e.g. data the law requires us to keep)."""
    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    _decide(erasure, actor=actor.user, status=ErasureStatus.REFUSED, reason=reason.strip())
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=erasure.participant,
        programme=erasure.participant.programme,
        detail={"erasure": str(erasure.public_id), "status": erasure.status},
    )
    return erasure


@transaction.atomic
def erase_participant(*, actor: Actor, erasure: ErasureRequest) -> ErasureRequest:
    """Carry out a confirmed erasure request, all or nothing (see personal_data.HOLDINGS).

    Identity, free text and the sign-in account go. Coded, pseudonymous mapping data stays only
    when the participant had an active research consent; otherwise the mappings are deleted.
    Consents are withdrawn, not deleted, and the audit trail stays.
    """

    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    participant = Participant.objects.select_for_update().get(pk=erasure.participant_id)
    keep_research = participant.consents.filter(
        purpose=ConsentPurpose.RESEARCH, withdrawn_at__isnull=True
    ).exists()
    now = timezone.now()

    for _label, rows in _sign_in_rows(participant):
        rows.delete()
    ParticipantIdentity.objects.filter(participant=participant).delete()
    SignInConfirmation.objects.filter(participant=participant).delete()
    ImportedMember.objects.filter(participant=participant).delete()
    mappings = Mapping.objects.filter(participant=participant)
    if keep_research:
        mappings.update(
            other_skills="", languages="", goals_in_own_words="", support_in_own_words=""
        )
        WorkExperience.objects.filter(mapping__participant=participant).update(title="")
        Education.objects.filter(mapping__participant=participant).update(field="", courses="")
    else:
        mappings.delete()
    EnrolmentNote.objects.filter(enrolment__participant=participant).delete()
    Referral.objects.filter(participant=participant).delete()

    TeamMember.objects.filter(participant=participant).delete()
    Proposal.objects.filter(participant=participant).delete()
    if keep_research:
        EnrolmentStatusChange.objects.filter(enrolment__participant=participant).update(reason="")
        Enrolment.objects.filter(participant=participant).update(guide=None)
    else:
        Enrolment.objects.filter(participant=participant).delete()
    responses = QuestionnaireResponse.objects.filter(participant=participant)
    if keep_research:
        AnswerCorrection.objects.filter(answer__response__participant=participant).update(
            reason="", changed_by=None
        )
        responses.update(entered_by=None)
    else:
        responses.delete()
    participant.consents.filter(withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=actor.user, updated_at=now
    )
    aggregate_versions.bump(participant.programme_id)  # an update sends no signals
    participant.erasure_requests.exclude(reason="").update(reason="")

    account = participant.account
    participant.account = None
    participant.languages = ""
    participant.erased_at = now
    participant.guides.clear()
    if not keep_research:
        participant.birth_year = None
        participant.gender = ""
        participant.municipality = None
        participant.subprojects.clear()
        participant.organisations.clear()
    participant.save(
        update_fields=[
            "account",
            "languages",
            "erased_at",
            "birth_year",
            "gender",
            "municipality",
            "updated_at",
        ]
    )
    if account is not None:
        _close_account(actor=actor, account=account)

    _decide(erasure, actor=actor.user, status=ErasureStatus.CONFIRMED)
    erasure.research_data_kept = keep_research
    erasure.save(update_fields=["research_data_kept", "updated_at"])
    record_event(
        action=AuditAction.DELETE,
        actor=actor,
        obj=participant,
        programme=participant.programme,
        detail={"erasure": str(erasure.public_id), "research_data_kept": keep_research},
    )
    return erasure


def _close_account(*, actor: Actor, account: User) -> None:
    """Deactivate and anonymise the sign-in account; its registrations stay on the placeholder."""
    import uuid

    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    placeholder = f"erased-{uuid.uuid4().hex}@erased.invalid"
    account.email = placeholder
    account.full_name = ""
    account.phone = ""
    account.is_active = False
    account.set_unusable_password()
    account.save(
        update_fields=["email", "full_name", "phone", "is_active", "password", "updated_at"]
    )
    account.memberships.all().delete()
    _end_sessions(account)
    TOTPDevice.objects.filter(user=account).delete()
    StaticDevice.objects.filter(user=account).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(account), object_id=str(account.pk)
    ).update(object_repr=placeholder, change_message="")
    upcoming = Registration.objects.filter(
        user=account, activity__ends_at__gt=timezone.now()
    ).exclude(status=RegistrationStatus.CANCELLED)
    for registration in upcoming.select_related("activity__programme"):
        cancel_registration(actor=actor, registration=registration)
