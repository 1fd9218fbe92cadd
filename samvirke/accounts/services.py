"""Signing in and out, and the second factor."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from samvirke.accounts.models import HIDDEN_ADDRESS_DOMAIN, STAFF_ROLES, User
from samvirke.accounts.tasks import (
    INVITATION,
    RESET,
    mail_to_user,
    send_set_password_link,
    send_sign_in_link,
    send_two_factor_notice,
)
from samvirke.accounts.throttle import forget_failures
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction, AuditEntry
from samvirke.audit.services import record_event
from samvirke.lib.identitycrypto import IdentityCipher
from samvirke.participants.models import Participant

if TYPE_CHECKING:
    from django.contrib.auth.forms import SetPasswordForm
    from django_otp.models import Device

    from samvirke.programmes.models import Programme

RECOVERY_CODE_COUNT = 10

# What the audit log says when a link (or an enrolment code) is mailed, and when one is held back.
_LINK_SENT = (
    Q(detail__password="link_sent")  # noqa: S106
    | Q(detail__sign_in_link="sent")
    | Q(detail__two_factor="code_sent")
)
LINK_WINDOW = dt.timedelta(hours=1)


def _hidden_addresses(email: str) -> list[str]:
    """The keyed hashes of an address under every hash key, newest first."""
    box = IdentityCipher(settings.IDENTITY_KEYS, settings.IDENTITY_HASH_KEYS)
    digests = box.keyed_hashes("sign-in:" + email.strip().lower())
    return [f"{digest[:48]}@{HIDDEN_ADDRESS_DOMAIN}" for digest in digests]


def hidden_address(email: str) -> str:
    """What a participant's account stores instead of their e-mail address: a keyed hash
    under the newest hash key."""
    return _hidden_addresses(email)[0]


def _stored_addresses(email: str) -> list[str]:
    # While a hash key is being rotated, an account may still be stored under an older key.
    address = email.strip().lower()
    return [address, *_hidden_addresses(address)] if address else []


def stored_addresses(email: str) -> list[str]:
    """Every form an account may store this address in: as typed (staff), or hashed."""
    return _stored_addresses(email)


def account_for_address(email: str, *, active_only: bool = True) -> User | None:
    """The account an address typed on a sign-in page belongs to: a staff account by its
    address, a participant's by the keyed hash of it."""
    accounts = User.objects.filter(email__in=_stored_addresses(email))
    if active_only:
        accounts = accounts.filter(is_active=True)
    return accounts.first()


def login_name_for(email: str) -> str:
    """The username to authenticate with for an address typed on the password form."""
    account = account_for_address(email, active_only=False)
    return account.email if account is not None else email.strip().lower()


def delivery_address(user: User) -> str:
    """Where e-mail for the account goes; a participant's address is decrypted from their
    identity, the only place it is kept."""
    if not user.has_hidden_address:
        return user.email
    from samvirke.participants.services import account_address

    return account_address(user)


def _may_mail_link(*, actor: Actor, user: User, what: str) -> bool:
    """At most ``LINKS_PER_HOUR`` links a person an hour, password and sign-in links together.

    Anyone can type an address, so without a limit anyone could fill a person's inbox. The
    answer on the page stays the same either way; the audit log says a link was held back.
    """
    sent = AuditEntry.objects.filter(
        _LINK_SENT,
        object_type=user._meta.label_lower,
        object_id=str(getattr(user, "public_id", None) or user.pk),
        at__gte=timezone.now() - LINK_WINDOW,
    ).count()
    if sent < settings.LINKS_PER_HOUR:
        return True
    record_event(action=AuditAction.UPDATE, actor=actor, obj=user, detail={what: "held_back"})
    return False


def record_sign_in(*, actor: Actor) -> None:
    """The audit half of signing in (``accounts.http.sign_in`` starts the session)."""
    user = actor.signed_in_user()
    record_event(action=AuditAction.LOGIN, actor=actor, obj=user)


def record_failed_sign_in(*, actor: Actor, email: str, locked_out: bool = False) -> None:
    """Log a refused password against the account the address belongs to, so that its
    programmes see the attempt; the address typed is never kept (it may be a participant's).
    The actor is the visitor at an address, as no account (``Actor.with_user(None)``)."""
    account = account_for_address(email, active_only=False)
    if account is not None:
        record_event(
            action=AuditAction.LOGIN_FAILED,
            actor=actor,
            obj=account,
            detail={"locked_out": True} if locked_out else None,
        )
        return
    record_event(
        action=AuditAction.LOGIN_FAILED,
        actor=actor,
        object_type="accounts.user",
        detail={"locked_out": True} if locked_out else None,
    )


def record_failed_second_factor(*, actor: Actor, stage: str) -> None:
    record_event(
        action=AuditAction.LOGIN_FAILED,
        actor=actor,
        obj=actor.signed_in_user(),
        detail={"second_factor": stage},
    )


def record_sign_out(*, actor: Actor) -> None:
    """The audit half of signing out (``accounts.http.sign_out`` ends the session)."""
    record_event(action=AuditAction.LOGOUT, actor=actor, obj=actor.signed_in_user())


def default_base_url() -> str:
    """Where links in e-mails point without a request to go by: SAMVIRKE_BASE_URL, else the
    development server (``accounts.http.base_url_for`` prefers the address a request came to)."""
    if settings.BASE_URL:
        return str(settings.BASE_URL)
    return "http://localhost:8000"


def set_password_url(*, user: User, base_url: str) -> str:
    """A one-time link; it stops working once the password changes or the person signs in."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("accounts:password_set", args=[uid, token])


def _send_set_password_link_on_commit(
    *, user: User, kind: str, base_url: str, programme: Programme | None = None
) -> None:

    user_id, programme_id = user.pk, (programme.pk if programme is not None else None)
    transaction.on_commit(
        lambda: send_set_password_link.enqueue(user_id, kind, base_url, programme_id)
    )


def _no_link(*, actor: Actor, what: str) -> None:
    """For an address without an (eligible) account: the same queries as for one, and a task
    that finds nobody to mail. Whether an address has an account must not show in the answer,
    nor in how long it takes.
    """

    if what == "password":
        transaction.on_commit(lambda: send_set_password_link.enqueue(0, RESET, ""))
    else:
        transaction.on_commit(lambda: send_sign_in_link.enqueue(0, ""))

    AuditEntry.objects.filter(
        _LINK_SENT,
        object_type=User._meta.label_lower,
        object_id="-",
        at__gte=timezone.now() - LINK_WINDOW,
    ).count()
    # record_event asks of a real account whether it is a participant's (tests/accounts/
    # test_account_enumeration.py keeps the two paths' statements the same).
    Participant.objects.filter(account_id=0).exists()
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type=User._meta.label_lower,
        detail={what: "no_account"},
    )


@transaction.atomic
def request_password_reset(*, actor: Actor, email: str, base_url: str) -> None:
    """Send a set-password link (to ``base_url``) if the address belongs to an active account;
    say nothing. The actor is the visitor at an address, as no account."""

    user = account_for_address(email)
    if user is None:
        _no_link(actor=actor, what="password")
        return
    if not _may_mail_link(actor=actor, user=user, what="password"):
        return
    _send_set_password_link_on_commit(user=user, kind=RESET, base_url=base_url)
    record_event(action=AuditAction.UPDATE, actor=actor, obj=user, detail={"password": "link_sent"})


@transaction.atomic
def invite_user(
    *,
    actor: Actor,
    user: User,
    programme: Programme | None,
    base_url: str,
) -> None:
    """E-mail a person without a password the link to choose one (to ``base_url``)."""

    _send_set_password_link_on_commit(
        user=user, kind=INVITATION, base_url=base_url, programme=programme
    )
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        obj=user,
        programme=programme,
        detail={"invitation": "sent"},
    )


@transaction.atomic
def set_password(*, actor: Actor, form: SetPasswordForm[User]) -> User:
    """Save a password chosen through a set-password link; the actor is the link's account
    (``accounts.http.set_password`` also counts the link as proof of the mailbox)."""

    user = form.save()
    forget_failures(email=user.email)
    record_event(action=AuditAction.UPDATE, actor=actor, obj=user, detail={"password": "set"})
    return user


def holds_staff_role(user: User) -> bool:
    return user.memberships.filter(role__in=[str(r) for r in STAFF_ROLES]).exists()


def pending_totp_device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def confirm_totp_device(*, actor: Actor, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the actor's authenticator; returns fresh recovery codes, or None if the code was
    wrong (``accounts.http.confirm_totp_device`` then marks the session verified)."""
    user = actor.signed_in_user()
    if not device.verify_token(token):
        record_failed_second_factor(actor=actor, stage="setup")
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = new_recovery_codes(user=user)
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=user,
        detail={"two_factor": "enabled"},
    )

    user_id, at = user.pk, timezone.now().isoformat()
    transaction.on_commit(lambda: send_two_factor_notice.enqueue(user_id, at))
    return codes


@transaction.atomic
def new_recovery_codes(*, user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


# --- Proving the mailbox before the first authenticator -----------------------------------------

ENROLMENT_CODE_MINUTES = 15
ENROLMENT_CODE_TRIES = 5


def code_digest(user: User, code: str) -> str:
    return salted_hmac("samvirke.accounts.enrolment-code", f"{user.pk}:{code}").hexdigest()


@transaction.atomic
def send_enrolment_code(*, actor: Actor) -> str | None:
    """Mail a one-time code to the actor's address and return it, for the session to hold its
    digest (``accounts.http.send_enrolment_code``); None when one too many was asked for."""
    user = actor.signed_in_user()
    if not _may_mail_link(actor=actor, user=user, what="two_factor"):
        return None
    code = f"{secrets.randbelow(10**8):08d}"
    user_id = user.pk
    # The code goes straight to the mail server, not through the task table where it would wait.
    transaction.on_commit(lambda: mail_enrolment_code(user_id=user_id, code=code))
    record_event(
        action=AuditAction.UPDATE, actor=actor, obj=user, detail={"two_factor": "code_sent"}
    )
    return code


def mail_enrolment_code(*, user_id: int, code: str) -> None:

    mail_to_user(
        user_id=user_id,
        subject=gettext_lazy("Your code to set up two-step sign-in"),
        template="accounts/email/two_factor_code.txt",
        context={"code": code, "minutes": ENROLMENT_CODE_MINUTES},
    )


def enrolment_code_matches(*, actor: Actor, held: dict[str, Any], code: str) -> bool:
    """Whether ``code`` is the one whose digest the session holds (``held``, its tries already
    counted), still fresh and within the tries; a miss is logged as a failed second factor."""
    user = actor.signed_in_user()
    fresh = int(held.get("until", 0)) >= int(timezone.now().timestamp())
    right = constant_time_compare(str(held.get("h", "")), code_digest(user, code.strip()))
    if fresh and right and int(held.get("tries", 0)) <= ENROLMENT_CODE_TRIES:
        return True
    record_failed_second_factor(actor=actor, stage="enrolment_code")
    return False


def verify_second_factor(*, actor: Actor, token: str) -> Device | None:
    """The actor's device that accepts ``token`` (an authenticator, else a recovery code, which
    is spent and logged); None, logged, when none does. ``accounts.http`` marks the session."""
    user = actor.signed_in_user()
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    for static in StaticDevice.objects.filter(user=user, confirmed=True):
        if static.verify_token(token):
            record_event(
                action=AuditAction.LOGIN,
                actor=actor,
                obj=user,
                detail={"recovery_code_used": True},
            )
            return static
    record_failed_second_factor(actor=actor, stage="verify")
    return None


def has_confirmed_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# --- Signing in with a link by e-mail (participants) ------------------------------------------

SIGN_IN_LINK_SALT = "samvirke.accounts.sign-in-link"
SIGN_IN_LINK_MINUTES = 20


def _last_login_stamp(user: User) -> int:
    return int(user.last_login.timestamp()) if user.last_login else 0


def sign_in_link_url(*, user: User, base_url: str) -> str:
    """A link that signs the person in once, for a short while.

    It carries the time of the last sign-in, so signing in (with it or otherwise) spends it.
    """
    token = signing.dumps(
        {"u": user.pk, "l": _last_login_stamp(user)}, salt=SIGN_IN_LINK_SALT, compress=True
    )
    return base_url.rstrip("/") + reverse("accounts:sign_in_link", args=[token])


def user_for_sign_in_link(token: str) -> User | None:
    """The account a still valid, unspent sign-in link belongs to; None for anything else."""
    try:
        payload = signing.loads(token, salt=SIGN_IN_LINK_SALT, max_age=SIGN_IN_LINK_MINUTES * 60)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    user = User.objects.filter(pk=payload["u"], is_active=True).first()
    if user is None or holds_staff_role(user) or payload.get("l") != _last_login_stamp(user):
        return None
    return user


@transaction.atomic
def request_sign_in_link(*, actor: Actor, email: str, base_url: str) -> None:
    """E-mail a sign-in link (to ``base_url``) to a participant's account; say nothing either
    way. The actor is the visitor at an address, as no account.

    Staff sign in with their password and second factor, never by link.
    """

    user = account_for_address(email)
    staff = user is not None and holds_staff_role(user)
    if user is None or staff:
        if user is None:
            User.objects.filter(pk=0, memberships__isnull=False).exists()  # as holds_staff_role
        _no_link(actor=actor, what="sign_in_link")
        return
    if not _may_mail_link(actor=actor, user=user, what="sign_in_link"):
        return
    user_id = user.pk
    transaction.on_commit(lambda: send_sign_in_link.enqueue(user_id, base_url))
    record_event(action=AuditAction.UPDATE, actor=actor, obj=user, detail={"sign_in_link": "sent"})
