"""Writes about participants: registration, identity, consent, own details. Atomic, audited.

The export and erasure of a person's data live in :mod:`samvirke.participants.data_rights`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samvirke.accounts.models import User as Account
from samvirke.accounts.services import hidden_address
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import Change, record_change, record_event, record_events
from samvirke.lib.identitycrypto import IdentityCipher
from samvirke.lib.idnumbers import normalise_national_id, valid_national_id
from samvirke.participants.models import (
    Consent,
    ConsentMethod,
    ConsentPurpose,
    ConsentText,
    Participant,
    ParticipantIdentity,
    RevealReason,
    new_pseudonym,
)

if TYPE_CHECKING:
    from samvirke.accounts.models import User
    from samvirke.programmes.models import Organisation, Programme


class ConsentError(Exception):
    """A consent that cannot be recorded; the message is translated for the user."""


@cache
def cipher() -> IdentityCipher:
    return IdentityCipher(settings.IDENTITY_KEYS, settings.IDENTITY_HASH_KEYS)


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


def find_duplicate(
    *, programme: Programme, national_id: str, country: str, exclude: Participant | None = None
) -> bool:
    """Whether the programme already has someone with this number.

    Only this programme: whether a person is registered in another programme is itself health
    information that staff here have no right to learn.
    """
    if not national_id or not valid_national_id(national_id, country):
        return False
    matches = ParticipantIdentity.objects.filter(
        participant__programme=programme,
        national_id_hash__in=cipher().keyed_hashes(normalise_national_id(national_id, country)),
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
    # The account is left alone: the address it signs in at changes only once the participant
    # has confirmed a new one (participants.sign_in), never because staff typed one here.


def account_address(account: User) -> str:
    """The address e-mail to a participant's account goes to: their confirmed sign-in address,
    never the contact address staff may have typed (a message to the person themselves is no
    staff read, so nothing is logged)."""
    from samvirke.participants.sign_in import confirmed_address

    participant = Participant.objects.filter(account=account).first()
    return confirmed_address(participant) if participant is not None else ""


def _unique_pseudonym(country: str) -> str:
    for _attempt in range(20):
        pseudonym = new_pseudonym(country)
        if not Participant.objects.filter(pseudonym=pseudonym).exists():
            return pseudonym
    raise IntegrityError("Could not find a free pseudonym.")  # pragma: no cover


@transaction.atomic
def register_participant(
    *, actor: Actor, change: Change[Participant], identity: Identity
) -> Participant:
    change.obj.pseudonym = _unique_pseudonym(change.obj.country)
    participant = record_change(
        actor=actor, change=change, programme=change.obj.programme, detail={}
    )
    _store_identity(participant, identity)
    return participant


@transaction.atomic
def update_participant(
    *, actor: Actor, change: Change[Participant], identity: Identity | None = None
) -> Participant:
    fields = sorted(change.fields)
    if identity is not None:
        fields.append("identity")
    participant = record_change(
        actor=actor, change=change, programme=change.obj.programme, detail={"fields": fields}
    )
    if identity is not None:
        _store_identity(participant, identity)
    return participant


def reveal_identity(
    *,
    actor: Actor,
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
        obj=participant,
        programme=participant.programme,
        detail={"read": "identity", "reason": str(reason), "purpose": purpose[:200]},
    )
    return _decrypted_identity(participant)


def reveal_names(
    *,
    actor: Actor,
    programme: Programme,
    participants: Sequence[Participant],
    purpose: str,
) -> dict[int, str]:
    """The names of several participants at once (an attendance list), by participant id.

    The caller has checked that the actor may see each identity; every name read is logged
    on the participant's record, like any other read of their identity.
    """
    stored = {
        row.participant_id: row.full_name
        for row in ParticipantIdentity.objects.filter(participant__in=participants)
    }
    box = cipher()
    # One insert for every name read, however many (an attendance sheet of thirty).
    record_events(
        action=AuditAction.VIEW,
        actor=actor,
        objects=list(participants),
        programme=programme,
        detail={"read": "name", "reason": str(RevealReason.FOLLOW_UP), "purpose": purpose},
    )
    return {
        participant.pk: box.decrypt(stored[participant.pk]) if participant.pk in stored else ""
        for participant in participants
    }


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
        raise ConsentError(
            _("No consent text is set up for this purpose yet; ask the coordinator.")
        )
    return text


def _signed_in_as_themself(actor: User | None, participant: Participant) -> bool:
    """A "self" consent comes from the record's own account, and that account signs in at an
    address the participant confirmed: not through a link to an address staff chose."""
    from samvirke.participants.sign_in import sign_in_is_confirmed

    return (
        actor is not None
        and participant.account_id == actor.pk
        and sign_in_is_confirmed(participant)
    )


@transaction.atomic
def give_consent(
    *,
    actor: Actor,
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
    if method == ConsentMethod.SELF and not _signed_in_as_themself(actor.user, participant):
        raise ConsentError(
            _(
                "Only the participant can give this consent themself, signed in at an address "
                "they have confirmed. Until then, record a consent signed on paper."
            )
        )
    consent = Consent.objects.create(
        participant=participant,
        purpose=purpose,
        partner=partner,
        text=current_text(purpose, youth=participant.needs_age_appropriate_consent),
        method=method,
        given_at=given_at or timezone.now(),
        given_by=actor.user,
    )
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        obj=participant,
        programme=participant.programme,
        detail={"consent": purpose, "method": method, "partner": partner.pk if partner else None},
    )
    return consent


@transaction.atomic
def withdraw_consent(*, actor: Actor, consent: Consent) -> Consent:
    """Withdrawal takes effect at once: every selector filters on active consents."""
    if consent.withdrawn_at is not None:
        return consent
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor.user
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "updated_at"])
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=consent.participant,
        programme=consent.participant.programme,
        detail={"consent": consent.purpose, "withdrawn": True},
    )
    return consent


@transaction.atomic
def rotate_identity_keys() -> int:
    """Re-encrypt every identity with the newest key and rehash its national number with the
    newest hash key; returns how many rows were rewritten."""
    box = cipher()
    rows = list(ParticipantIdentity.objects.select_for_update())
    fields: list[str] = ["full_name", "email", "phone", "national_id", "sign_in_email"]
    for row in rows:
        for name in fields:
            setattr(row, name, box.rotate(getattr(row, name)))
        row.national_id_hash = box.keyed_hash(box.decrypt(row.national_id))
    ParticipantIdentity.objects.bulk_update(rows, [*fields, "national_id_hash"], batch_size=500)
    _rehash_sign_in_addresses(box)
    return len(rows)


def _rehash_sign_in_addresses(box: IdentityCipher) -> None:
    """A participant's account is found by the keyed hash of their address: store it under
    the newest hash key too, or they could not sign in once the old key is gone."""

    accounts = Participant.objects.filter(account__isnull=False).select_related(
        "account", "identity"
    )
    changed = []
    for participant in accounts:
        account = participant.account
        stored = participant.identity.sign_in_email
        address = box.decrypt(stored) if stored else ""
        if account is None or not address or not account.has_hidden_address:
            continue
        account.email = hidden_address(address)
        changed.append(account)
    Account.objects.bulk_update(changed, ["email"], batch_size=500)


def identity_from(data: dict[str, Any]) -> Identity:
    return Identity(
        full_name=data.get("full_name", ""),
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        national_id=data.get("national_id", ""),
    )


@transaction.atomic
def update_own_details(
    *,
    actor: Actor,
    participant: Participant,
    full_name: str,
    email: str,
    phone: str,
    languages: str,
) -> Participant:
    """A participant correcting their own name, contact details and languages.

    The national identity number is kept as it was: only staff record it. A new address moves
    their sign-in with it, and the earlier address is told (``sign_in.SignInAccessError`` if
    another account holds it; nothing is changed then).
    """
    from samvirke.participants.sign_in import move_own_sign_in_address

    move_own_sign_in_address(participant=participant, address=email)
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
        obj=participant,
        programme=participant.programme,
        detail={"fields": ["identity", "languages"], "by": "self"},
    )
    return participant


def own_identity(participant: Participant) -> Identity:
    """A participant reading their own identity: no staff read, so nothing for the access log."""
    return _decrypted_identity(participant)
