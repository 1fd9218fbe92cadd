"""Writes about participants: registration, identity, consent, export, erasure. Atomic, audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.forms import ModelForm
from django.utils import timezone
from django.utils.translation import gettext as _

from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.lib.identitycrypto import IdentityCipher
from samvirke.lib.idnumbers import normalise_national_id, valid_national_id
from samvirke.participants.models import (
    Consent,
    ConsentMethod,
    ConsentPurpose,
    ConsentText,
    ErasureRequest,
    ErasureStatus,
    Participant,
    ParticipantIdentity,
    RevealReason,
    new_pseudonym,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from samvirke.accounts.models import User
    from samvirke.programmes.models import Organisation


class ConsentError(Exception):
    """A consent that cannot be recorded; the message is translated for the user."""


class ErasureError(Exception):
    """An erasure request that cannot be made or decided; the message is translated."""


@cache
def cipher() -> IdentityCipher:
    return IdentityCipher(settings.IDENTITY_KEYS, settings.IDENTITY_HASH_KEY)


@dataclass(frozen=True)
class Identity:
    full_name: str
    email: str = ""
    phone: str = ""
    national_id: str = ""


def national_id_hash(national_id: str, country: str) -> str:
    if not national_id:
        return ""
    return cipher().keyed_hash(normalise_national_id(national_id, country))


def find_duplicate(*, national_id: str, country: str, exclude: Participant | None = None) -> bool:
    if not national_id or not valid_national_id(national_id, country):
        return False
    matches = ParticipantIdentity.objects.filter(
        national_id_hash=national_id_hash(national_id, country)
    )
    if exclude is not None:
        matches = matches.exclude(participant=exclude)
    return matches.exists()


def _store_identity(participant: Participant, identity: Identity) -> None:
    box = cipher()
    national = (
        normalise_national_id(identity.national_id, participant.country)
        if identity.national_id
        else ""
    )
    ParticipantIdentity.objects.update_or_create(
        participant=participant,
        defaults={
            "full_name": box.encrypt(identity.full_name.strip()),
            "email": box.encrypt(identity.email.strip().lower()),
            "phone": box.encrypt(identity.phone.strip()),
            "national_id": box.encrypt(national),
            "national_id_hash": box.keyed_hash(national) if national else "",
        },
    )


def _unique_pseudonym(country: str) -> str:
    for _attempt in range(20):
        pseudonym = new_pseudonym(country)
        if not Participant.objects.filter(pseudonym=pseudonym).exists():
            return pseudonym
    raise IntegrityError("Could not find a free pseudonym.")  # pragma: no cover


@transaction.atomic
def register_participant(
    *,
    actor: User,
    request: HttpRequest | None,
    form: ModelForm[Participant],
    identity: Identity,
) -> Participant:
    form.instance.pseudonym = _unique_pseudonym(form.instance.country)
    participant = form.save()
    _store_identity(participant, identity)
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        request=request,
        obj=participant,
        programme=participant.programme,
    )
    return participant


@transaction.atomic
def update_participant(
    *,
    actor: User,
    request: HttpRequest | None,
    form: ModelForm[Participant],
    identity: Identity | None = None,
) -> Participant:
    participant = form.save()
    fields = sorted(form.changed_data)
    if identity is not None:
        _store_identity(participant, identity)
        fields.append("identity")
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        request=request,
        obj=participant,
        programme=participant.programme,
        detail={"fields": fields},
    )
    return participant


def reveal_identity(
    *,
    actor: User,
    request: HttpRequest | None,
    participant: Participant,
    purpose: str,
    reason: str = RevealReason.OTHER,
) -> Identity:
    """Decrypt the identity for someone allowed to see it; the read is logged with its purpose.

    Contact details are not opened to ask someone about a follow-up questionnaire unless they
    have agreed to be contacted for that (raises :class:`ConsentError`).
    """
    if (
        reason == RevealReason.QUESTIONNAIRE
        and not participant.consents.filter(
            purpose=ConsentPurpose.QUESTIONNAIRE_CONTACT, withdrawn_at__isnull=True
        ).exists()
    ):
        raise ConsentError(
            _("The participant has not agreed to be contacted about follow-up questionnaires.")
        )
    record_event(
        action=AuditAction.VIEW,
        actor=actor,
        request=request,
        obj=participant,
        programme=participant.programme,
        detail={"read": "identity", "reason": str(reason), "purpose": purpose[:200]},
    )
    return _decrypted_identity(participant)


def _decrypted_identity(participant: Participant) -> Identity:
    """Only for the functions here that log the read themselves."""
    stored = ParticipantIdentity.objects.filter(participant=participant).first()
    if stored is None:
        return Identity(full_name="")
    box = cipher()
    return Identity(
        full_name=box.decrypt(stored.full_name),
        email=box.decrypt(stored.email),
        phone=box.decrypt(stored.phone),
        national_id=box.decrypt(stored.national_id),
    )


def current_text(purpose: str, *, youth: bool) -> ConsentText:
    text = ConsentText.objects.filter(purpose=purpose, for_youth=youth).order_by("-version").first()
    if text is None:
        text = ConsentText.objects.filter(purpose=purpose).order_by("-version").first()
    if text is None:
        raise ConsentError(f"No consent text for {purpose}")
    return text


@transaction.atomic
def give_consent(
    *,
    actor: User,
    request: HttpRequest | None,
    participant: Participant,
    purpose: str,
    method: str,
    partner: Organisation | None = None,
    given_at: dt.datetime | None = None,
) -> Consent:
    if purpose == "share_partner" and partner is None:
        raise ConsentError(_("Choose the partner organisation the consent is for."))
    if purpose != "share_partner":
        partner = None
    already = participant.consents.filter(
        purpose=purpose, partner=partner, withdrawn_at__isnull=True
    )
    if already.exists():
        raise ConsentError(_("This consent is already given."))
    if method == ConsentMethod.SELF and participant.age is not None and participant.age < 16:
        raise ConsentError(_("Under 16, a parent or guardian gives consent on paper."))
    consent = Consent.objects.create(
        participant=participant,
        purpose=purpose,
        partner=partner,
        text=current_text(purpose, youth=participant.needs_age_appropriate_consent),
        method=method,
        given_at=given_at or timezone.now(),
        given_by=actor,
    )
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        request=request,
        obj=participant,
        programme=participant.programme,
        detail={"consent": purpose, "method": method, "partner": partner.pk if partner else None},
    )
    return consent


@transaction.atomic
def withdraw_consent(*, actor: User, request: HttpRequest | None, consent: Consent) -> Consent:
    """Withdrawal takes effect at once: every selector filters on active consents."""
    if consent.withdrawn_at is not None:
        return consent
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "updated_at"])
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        request=request,
        obj=consent.participant,
        programme=consent.participant.programme,
        detail={"consent": consent.purpose, "withdrawn": True},
    )
    return consent


@transaction.atomic
def rotate_identity_keys() -> int:
    """Re-encrypt every identity with the newest key; returns how many rows were rewritten."""
    box = cipher()
    rows = list(ParticipantIdentity.objects.select_for_update())
    fields: list[str] = ["full_name", "email", "phone", "national_id"]
    for row in rows:
        for name in fields:
            setattr(row, name, box.rotate(getattr(row, name)))
    ParticipantIdentity.objects.bulk_update(rows, fields, batch_size=500)
    return len(rows)


def identity_from(data: dict[str, Any]) -> Identity:
    return Identity(
        full_name=data.get("full_name", ""),
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        national_id=data.get("national_id", ""),
    )


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
        "access_log": _export_access_log(participant),
    }


def _export_imports(participant: Participant) -> list[dict[str, Any]]:
    from samvirke.mapping.models import ImportedMember

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
    return {
        "full_name": identity.full_name,
        "email": identity.email,
        "phone": identity.phone,
        "national_id": identity.national_id,
    }


def _export_account(account: User | None) -> dict[str, Any] | None:
    if account is None:
        return None
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return {
        "email": account.email,
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
    from samvirke.mapping.models import Mapping

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
    from samvirke.activities.models import Registration

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


def _export_enrolments(participant: Participant) -> list[dict[str, Any]]:
    from samvirke.measures.models import Enrolment

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
    from samvirke.participants.selectors import access_log_of

    return [
        {
            "at": entry.at,
            "who": _name(entry.actor) if entry.actor_id else entry.actor_label,
            "role": entry.role,
            "role_label": entry.role_label,
            "action": entry.action,
            "action_label": entry.get_action_display(),
            "purpose": str(entry.detail.get("purpose", "")),
            "what": str(entry.detail.get("what") or entry.detail.get("read") or ""),
        }
        for entry in access_log_of(participant).select_related("actor")
    ]


def record_export(
    *, actor: User, request: HttpRequest | None, participant: Participant, output: str
) -> None:
    """Log that the participant's data left Samvirke (the participant sees it in their log)."""
    record_event(
        action=AuditAction.EXPORT,
        actor=actor,
        request=request,
        obj=participant,
        programme=participant.programme,
        detail={"read": "all data", "output": output[:10]},
    )


# --- Erasure ----------------------------------------------------------------------------------


@transaction.atomic
def request_erasure(
    *, actor: User, request: HttpRequest | None, participant: Participant
) -> ErasureRequest:
    """The participant asks to have their data erased; a manager decides."""
    if participant.erasure_requests.filter(status=ErasureStatus.REQUESTED).exists():
        raise ErasureError(_("You have already asked. A coordinator will handle it."))
    erasure = ErasureRequest.objects.create(
        programme_id=participant.programme_id,
        participant=participant,
        requested_by=actor,
    )
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        request=request,
        obj=participant,
        programme=participant.programme,
        detail={"erasure": str(erasure.public_id), "status": erasure.status},
    )
    return erasure


def _decide(erasure: ErasureRequest, *, actor: User, status: str, reason: str = "") -> None:
    if erasure.status != ErasureStatus.REQUESTED:
        raise ErasureError(_("This request has already been decided."))
    erasure.status = status
    erasure.decided_at = timezone.now()
    erasure.decided_by = actor
    erasure.reason = reason
    erasure.save(update_fields=["status", "decided_at", "decided_by", "reason", "updated_at"])


@transaction.atomic
def refuse_erasure(
    *, actor: User, request: HttpRequest | None, erasure: ErasureRequest, reason: str
) -> ErasureRequest:
    """Refuse with a reason the participant can read (e.g. data the law requires us to keep)."""
    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    _decide(erasure, actor=actor, status=ErasureStatus.REFUSED, reason=reason.strip())
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        request=request,
        obj=erasure.participant,
        programme=erasure.participant.programme,
        detail={"erasure": str(erasure.public_id), "status": erasure.status},
    )
    return erasure


@transaction.atomic
def erase_participant(
    *, actor: User, request: HttpRequest | None, erasure: ErasureRequest
) -> ErasureRequest:
    """Carry out a confirmed erasure request, all or nothing (see personal_data.HOLDINGS).

    Identity, free text and the sign-in account go. Coded, pseudonymous mapping data stays only
    when the participant had an active research consent; otherwise the mappings are deleted.
    Consents are withdrawn, not deleted, and the audit trail stays.
    """
    from samvirke.mapping.models import Education, ImportedMember, Mapping, WorkExperience
    from samvirke.measures.models import Enrolment, EnrolmentNote, EnrolmentStatusChange

    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    participant = Participant.objects.select_for_update().get(pk=erasure.participant_id)
    keep_research = participant.consents.filter(
        purpose=ConsentPurpose.RESEARCH, withdrawn_at__isnull=True
    ).exists()
    now = timezone.now()

    ParticipantIdentity.objects.filter(participant=participant).delete()
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
    if keep_research:
        EnrolmentStatusChange.objects.filter(enrolment__participant=participant).update(reason="")
        Enrolment.objects.filter(participant=participant).update(guide=None)
    else:
        Enrolment.objects.filter(participant=participant).delete()
    participant.consents.filter(withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=actor, updated_at=now
    )
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
        _close_account(actor=actor, request=request, account=account)

    _decide(erasure, actor=actor, status=ErasureStatus.CONFIRMED)
    erasure.research_data_kept = keep_research
    erasure.save(update_fields=["research_data_kept", "updated_at"])
    record_event(
        action=AuditAction.DELETE,
        actor=actor,
        request=request,
        obj=participant,
        programme=participant.programme,
        detail={"erasure": str(erasure.public_id), "research_data_kept": keep_research},
    )
    return erasure


def _close_account(*, actor: User, request: HttpRequest | None, account: User) -> None:
    """Deactivate and anonymise the sign-in account; its registrations stay on the placeholder."""
    import uuid

    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from samvirke.activities.models import Registration, RegistrationStatus
    from samvirke.activities.services import cancel_registration

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
    TOTPDevice.objects.filter(user=account).delete()
    StaticDevice.objects.filter(user=account).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(account), object_id=str(account.pk)
    ).update(object_repr=placeholder, change_message="")
    upcoming = Registration.objects.filter(
        user=account, activity__ends_at__gt=timezone.now()
    ).exclude(status=RegistrationStatus.CANCELLED)
    for registration in upcoming.select_related("activity__programme"):
        cancel_registration(actor=actor, request=request, registration=registration)


class SignInAccessError(Exception):
    """Self-service cannot be opened for this participant (the message says why)."""


@transaction.atomic
def give_sign_in_access(
    *, actor: User, request: HttpRequest | None, participant: Participant
) -> User:
    """Open self-service for a participant: an account on their e-mail address, the participant
    role in the programme, and a sign-in link by e-mail. Asking again sends a new link.
    """
    from samvirke.accounts.models import Membership, Role
    from samvirke.accounts.models import User as UserModel
    from samvirke.accounts.services import base_url_for
    from samvirke.accounts.tasks import send_sign_in_link

    identity = reveal_identity(
        actor=actor, request=request, participant=participant, purpose=_("sign-in invitation")
    )
    email = identity.email.strip().lower()
    if not email:
        raise SignInAccessError(_("Add the participant's e-mail address first."))
    account = participant.account
    if account is None:
        account = UserModel.objects.filter(email=email).first()
        if account is not None and (
            account.memberships.exclude(role=Role.PARTICIPANT).exists()
            or hasattr(account, "participant_record")
        ):
            raise SignInAccessError(
                _("That e-mail address already belongs to another account in Samvirke.")
            )
        if account is None:
            account = UserModel.objects.create_user(
                email=email, password=None, full_name=identity.full_name
            )
        participant.account = account
        participant.save(update_fields=["account", "updated_at"])
    Membership.objects.get_or_create(
        user=account, programme=participant.programme, role=Role.PARTICIPANT
    )
    user_id, base_url = account.pk, base_url_for(request)
    transaction.on_commit(lambda: send_sign_in_link.enqueue(user_id, base_url))
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        request=request,
        obj=participant,
        programme=participant.programme,
        detail={"sign_in_access": "link_sent"},
    )
    return account


@transaction.atomic
def update_own_details(
    *,
    actor: User,
    request: HttpRequest | None,
    participant: Participant,
    full_name: str,
    email: str,
    phone: str,
    languages: str,
) -> Participant:
    """A participant correcting their own name, contact details and languages.

    The national identity number is kept as it was: only staff record it.
    """
    kept = _decrypted_identity(participant)
    _store_identity(
        participant,
        Identity(full_name=full_name, email=email, phone=phone, national_id=kept.national_id),
    )
    participant.languages = languages.strip()
    participant.save(update_fields=["languages", "updated_at"])
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        request=request,
        obj=participant,
        programme=participant.programme,
        detail={"fields": ["identity", "languages"], "by": "self"},
    )
    return participant


def own_identity(participant: Participant) -> Identity:
    """A participant reading their own identity: no staff read, so nothing for the access log."""
    return _decrypted_identity(participant)
