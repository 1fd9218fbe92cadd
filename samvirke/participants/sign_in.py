"""Opening self-service for a participant, and moving their sign-in address. Atomic, audited.

A sign-in link signs whoever opens it in as the participant, so the address it goes to must be
the participant's own, not one a staff member typed in. Staff edit the *contact* address freely
(``ParticipantIdentity.email``); links go only to the *sign-in* address
(``ParticipantIdentity.sign_in_email``), and an address becomes that only when it is confirmed:

- **a code sent to the earlier sign-in address** when the participant already signs in: the
  participant reads it out to the staff member (in person or on the phone), who types it in;
- **a second staff member's approval** when there is no earlier address (the first invitation),
  or when the participant can no longer open the earlier one: someone else who may edit the
  record, who neither asked for the invitation nor changed the identity since the last
  confirmed address, checks with the participant and approves.

The earlier address is told when the sign-in address changes. An address that belongs to any
other account is refused with one neutral message, the acting staff member's own sign-in
address with a message of its own, and an existing account is never linked to a second record.
"""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from samvirke.accounts.models import Membership, Role
from samvirke.accounts.models import User as Account
from samvirke.accounts.services import (
    account_for_address,
    hidden_address,
    stored_addresses,
)
from samvirke.accounts.tasks import send_sign_in_link
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction, AuditEntry
from samvirke.audit.services import record_event
from samvirke.participants.models import (
    PSEUDONYM_ALPHABET,
    ConfirmationRoute,
    Participant,
    ParticipantIdentity,
    SignInConfirmation,
)
from samvirke.participants.services import cipher, reveal_identity
from samvirke.participants.tasks import send_sign_in_address_notice

if TYPE_CHECKING:
    from samvirke.accounts.models import User

CODE_LENGTH = 8  # two groups of four from the pseudonym alphabet: about 40 bits
CODE_MINUTES = 60
CODE_TRIES = 5
APPROVAL_DAYS = 14


class SignInAccessError(Exception):
    """Self-service cannot be opened or moved (the message says why, translated)."""


class Outcome(enum.StrEnum):
    LINK_SENT = "link_sent"  # the address was already confirmed
    CODE_SENT = "code_sent"  # a code went to the earlier sign-in address
    AWAITING_COLLEAGUE = "awaiting_colleague"  # a second staff member must approve


def new_code() -> str:
    body = "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{body[:4]}-{body[4:]}"


def _normalised(code: str) -> str:
    """What was typed, the way it was read out: any case, with or without spaces and dash."""
    return "".join(c for c in code.upper() if c.isalnum())[:32]


def _digest(participant: Participant, code: str) -> str:
    return salted_hmac(
        "samvirke.participants.sign-in-code", f"{participant.pk}:{_normalised(code)}"
    ).hexdigest()


def _identity_row(participant: Participant) -> ParticipantIdentity | None:
    return ParticipantIdentity.objects.filter(participant=participant).first()


def confirmed_address(participant: Participant) -> str:
    """The address sign-in links go to; empty when none is confirmed. For mail to the person
    themselves, so not a staff read and not logged."""
    row = _identity_row(participant)
    return cipher().decrypt(row.sign_in_email) if row is not None and row.sign_in_email else ""


def sign_in_is_confirmed(participant: Participant) -> bool:
    """Whether the record's account signs in at an address the participant confirmed.

    An account that holds a plain address (a staff-invited one, which chose its password from a
    link mailed there) counts as confirmed; a participant's hashed one only when it is the hash
    of the confirmed sign-in address.
    """

    account = participant.account
    if account is None:
        return False
    if not account.has_hidden_address:
        return True
    address = confirmed_address(participant)
    return bool(address) and account.email in stored_addresses(address)


def _refuse_address(*, actor: User, participant: Participant, address: str) -> None:

    if actor.email in stored_addresses(address):
        raise SignInAccessError(
            _(
                "That is your own sign-in address. Self-service must go to an address that only "
                "the participant uses."
            )
        )
    other = account_for_address(address, active_only=False)
    if other is not None and other.pk != participant.account_id:
        # One message whoever holds it, staff or participant: staff learn no more than that
        # the address cannot be used.
        raise SignInAccessError(
            _(
                "This e-mail address cannot be used for the participant's sign-in. Ask the "
                "participant for an address that only they use."
            )
        )


def bind_confirmed_address(*, participant: Participant, address: str) -> User:
    """Make ``address`` the record's sign-in address, creating its account if need be.

    Only for callers that have the confirmation: the services below, the participant changing
    their own address while signed in, and demo data built as if confirmed.
    """

    address = address.strip().lower()
    account = participant.account
    if account is None:
        account = Account.objects.create_user(
            email=hidden_address(address), password=None, full_name=participant.pseudonym
        )
        participant.account = account
        participant.save(update_fields=["account", "updated_at"])
    else:
        account.email = hidden_address(address)
        account.full_name = participant.pseudonym
        account.phone = ""
        account.save(update_fields=["email", "full_name", "phone", "updated_at"])
    row = _identity_row(participant) or ParticipantIdentity(
        participant=participant, full_name=cipher().encrypt("")
    )
    row.sign_in_email = cipher().encrypt(address)
    row.save()
    Membership.objects.get_or_create(
        user=account, programme=participant.programme, role=Role.PARTICIPANT
    )
    return account


def _tell_earlier_address(*, earlier: str, now_at: str, language: str) -> None:
    """Tell the earlier address, through the task table with the address encrypted."""

    token = cipher().encrypt(earlier)
    transaction.on_commit(lambda: send_sign_in_address_notice.enqueue(token, now_at, language))


def move_own_sign_in_address(*, participant: Participant, address: str) -> None:
    """The participant, signed in, gives a new address: sign-in moves with it and the earlier
    address is told. Refused (nothing changed) if another account holds the address."""

    address = address.strip().lower()
    earlier = confirmed_address(participant)
    if not address or address == earlier or participant.account is None:
        return
    other = account_for_address(address, active_only=False)
    if other is not None and other.pk != participant.account_id:
        raise SignInAccessError(
            _("This e-mail address cannot be used for signing in. Use an address only you use.")
        )
    account = bind_confirmed_address(participant=participant, address=address)
    if earlier:
        _tell_earlier_address(
            earlier=earlier, now_at=timezone.now().isoformat(), language=account.language
        )


@transaction.atomic
def give_sign_in_access(*, actor: Actor, participant: Participant, base_url: str) -> Outcome:
    """A staff member asks to open self-service at the participant's contact address.

    Sends a link at once only when that address is already the confirmed sign-in address;
    otherwise starts a confirmation (a code to the earlier sign-in address, or a colleague's
    approval) and sends nothing to the new address.
    """

    identity = reveal_identity(actor=actor, participant=participant, purpose="sign-in invitation")
    address = identity.email.strip().lower()
    if not address:
        raise SignInAccessError(_("Add the participant's e-mail address first."))
    _refuse_address(actor=actor.signed_in_user(), participant=participant, address=address)
    account = participant.account
    earlier = confirmed_address(participant)
    if account is not None and earlier == address and account.email in stored_addresses(address):
        user_id = account.pk
        transaction.on_commit(lambda: send_sign_in_link.enqueue(user_id, base_url))
        _audit(actor, participant, "link_sent")
        return Outcome.LINK_SENT

    SignInConfirmation.objects.filter(participant=participant).delete()
    now = timezone.now()
    confirmation = SignInConfirmation(
        participant=participant,
        address=cipher().encrypt(address),
        requested_by=actor.user,
        expires_at=now + dt.timedelta(days=APPROVAL_DAYS),
    )
    if account is not None and earlier:
        if _codes_sent_lately(participant) >= settings.LINKS_PER_HOUR:
            # Anyone who may edit the record could otherwise fill the participant's inbox.
            raise SignInAccessError(
                _("Several codes were sent in the last hour. Wait a while before asking again.")
            )
        code = new_code()
        confirmation.route = ConfirmationRoute.PREVIOUS_ADDRESS
        confirmation.code_digest = _digest(participant, code)
        confirmation.save()
        language = account.language
        # Straight to the mail server: the code must not wait in the task table.
        transaction.on_commit(lambda: _mail_code(address=earlier, code=code, language=language))
        _audit(actor, participant, "code_sent")
        return Outcome.CODE_SENT
    confirmation.route = ConfirmationRoute.COLLEAGUE
    confirmation.save()
    _audit(actor, participant, "awaiting_approval")
    return Outcome.AWAITING_COLLEAGUE


def _codes_sent_lately(participant: Participant) -> int:
    return AuditEntry.objects.filter(
        object_type=Participant._meta.label_lower,
        object_id=str(participant.public_id),
        detail__sign_in_access="code_sent",
        at__gte=timezone.now() - dt.timedelta(hours=1),
    ).count()


def _mail_code(*, address: str, code: str, language: str) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(language):
        subject = _("Your code to move your Samvirke sign-in")
        body = render_to_string(
            "participants/email/sign_in_code.txt", {"code": code, "minutes": CODE_MINUTES}
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])


def _audit(actor: Actor, participant: Participant, what: str) -> None:
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=participant,
        programme=participant.programme,
        detail={"sign_in_access": what},
    )


def pending_confirmation(participant: Participant) -> SignInConfirmation | None:
    confirmation = (
        SignInConfirmation.objects.filter(participant=participant)
        .select_related("requested_by")
        .first()
    )
    return confirmation if confirmation is not None and confirmation.is_fresh else None


def code_is_fresh(confirmation: SignInConfirmation) -> bool:
    return (
        confirmation.route == ConfirmationRoute.PREVIOUS_ADDRESS
        and confirmation.created_at + dt.timedelta(minutes=CODE_MINUTES) > timezone.now()
        and confirmation.tries < CODE_TRIES
    )


def confirm_with_code(*, actor: Actor, participant: Participant, code: str, base_url: str) -> User:
    """The participant's code, typed in by staff: the new address becomes the sign-in address.

    A wrong or stale code changes nothing but the count of tries (kept even though the error is
    raised); after the last try the code is spent and a new one must be asked for.
    """
    error = ""
    with transaction.atomic():
        confirmation = (
            SignInConfirmation.objects.select_for_update().filter(participant=participant).first()
        )
        if confirmation is None or confirmation.route != ConfirmationRoute.PREVIOUS_ADDRESS:
            raise SignInAccessError(
                _("No code is waiting for this participant. Give access again to send one.")
            )
        fresh = code_is_fresh(confirmation)
        confirmation.tries += 1
        right = constant_time_compare(confirmation.code_digest, _digest(participant, code))
        if fresh and right:
            return _complete(confirmation, actor=actor, how="code", base_url=base_url)
        if not fresh:
            error = _("The code is no longer valid. Give access again to send a new one.")
        elif confirmation.tries >= CODE_TRIES:
            error = _(
                "That code is wrong, and it was the last try. Give access again to send a new one."
            )
        else:
            error = _("That code is wrong. Check it with the participant and try again.")
        confirmation.save(update_fields=["tries"])
        _audit(actor, participant, "wrong_code" if fresh else "stale_code")
    raise SignInAccessError(error)


def _identity_editors_since_confirmed(participant: Participant) -> set[int]:
    """Staff who registered the person or changed their identity since the sign-in address was
    last confirmed: one of them may have typed the address, so none of them may approve it."""
    entries = AuditEntry.objects.filter(
        object_type=Participant._meta.label_lower,
        object_id=str(participant.public_id),
        action__in=[AuditAction.CREATE, AuditAction.UPDATE],
    ).order_by("-at", "-pk")[:500]
    editors: set[int] = set()
    for entry in entries:
        detail = entry.detail if isinstance(entry.detail, dict) else {}
        if detail.get("sign_in_access") == "confirmed":
            break
        # Registered by hand or by a member import (a consent is also a "create" on the record).
        set_identity = (entry.action == AuditAction.CREATE and "consent" not in detail) or (
            "identity" in (detail.get("fields") or []) and detail.get("by") != "self"
        )
        if set_identity and entry.actor_id is not None:
            editors.add(entry.actor_id)
    return editors


def may_approve(actor: User, confirmation: SignInConfirmation) -> bool:
    return confirmation.requested_by_id != actor.pk and actor.pk not in (
        _identity_editors_since_confirmed(confirmation.participant)
    )


@transaction.atomic
def approve_sign_in_access(*, actor: Actor, participant: Participant, base_url: str) -> User:
    """A second staff member approves the address waiting for confirmation."""
    confirmation = (
        SignInConfirmation.objects.select_for_update().filter(participant=participant).first()
    )
    if confirmation is None or not confirmation.is_fresh:
        raise SignInAccessError(_("Nothing is waiting for approval for this participant."))
    if confirmation.requested_by_id == actor.signed_in_user().pk:
        raise SignInAccessError(
            _("A colleague must approve: not the staff member who asked for the access.")
        )
    if actor.signed_in_user().pk in _identity_editors_since_confirmed(participant):
        raise SignInAccessError(
            _(
                "You have changed this participant's details yourself, so a colleague must "
                "approve the address."
            )
        )
    _refuse_address(
        actor=actor.signed_in_user(),
        participant=participant,
        address=cipher().decrypt(confirmation.address),
    )
    return _complete(confirmation, actor=actor, how="colleague", base_url=base_url)


def _complete(confirmation: SignInConfirmation, *, actor: Actor, how: str, base_url: str) -> User:
    """The address is confirmed: bind it, send the link there, tell the earlier address."""

    participant = confirmation.participant
    address = cipher().decrypt(confirmation.address)
    row = _identity_row(participant)
    contact = cipher().decrypt(row.email).strip().lower() if row is not None and row.email else ""
    other = account_for_address(address, active_only=False)
    if contact != address or (other is not None and other.pk != participant.account_id):
        confirmation.delete()
        raise SignInAccessError(
            _("The participant's e-mail address has changed since. Give access again.")
        )
    earlier = confirmed_address(participant)
    account = bind_confirmed_address(participant=participant, address=address)
    confirmation.delete()
    user_id = account.pk
    transaction.on_commit(lambda: send_sign_in_link.enqueue(user_id, base_url))
    if earlier and earlier != address:
        _tell_earlier_address(
            earlier=earlier, now_at=timezone.now().isoformat(), language=account.language
        )
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=participant,
        programme=participant.programme,
        detail={"sign_in_access": "confirmed", "by": how},
    )
    return account
