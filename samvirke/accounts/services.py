"""Signing in and out, and the second factor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import login, logout
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from samvirke.accounts.middleware import start_session_clock
from samvirke.accounts.models import STAFF_ROLES, User
from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event

if TYPE_CHECKING:
    from django.http import HttpRequest

RECOVERY_CODE_COUNT = 10


def sign_in(*, request: HttpRequest, user: User) -> None:
    # login() rotates the session key, so a session fixed before sign-in is worthless.
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    start_session_clock(request)
    record_event(action=AuditAction.LOGIN, actor=user, request=request, obj=user)


def record_failed_sign_in(*, request: HttpRequest, email: str) -> None:
    record_event(
        action=AuditAction.LOGIN_FAILED,
        actor=None,
        request=request,
        object_type="accounts.user",
        object_label=email[:300],
    )


def sign_out(*, request: HttpRequest) -> None:
    user = request.user
    if user.is_authenticated:
        record_event(action=AuditAction.LOGOUT, actor=user, request=request, obj=user)
    # logout() flushes the session row server-side; the old cookie is useless afterwards.
    logout(request)


def holds_staff_role(user: User) -> bool:
    return user.memberships.filter(role__in=[str(r) for r in STAFF_ROLES]).exists()


def pending_totp_device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def confirm_totp_device(
    *, request: HttpRequest, user: User, device: TOTPDevice, token: str
) -> list[str] | None:
    """Confirm the authenticator; returns fresh recovery codes, or None if the code was wrong."""
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    otp_login(request, device)
    codes = new_recovery_codes(user=user)
    record_event(
        action=AuditAction.UPDATE,
        actor=user,
        request=request,
        obj=user,
        detail={"two_factor": "enabled"},
    )
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


def verify_second_factor(*, request: HttpRequest, user: User, token: str) -> bool:
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            otp_login(request, device)
            return True
    for static in StaticDevice.objects.filter(user=user, confirmed=True):
        if static.verify_token(token):
            otp_login(request, static)
            record_event(
                action=AuditAction.LOGIN,
                actor=user,
                request=request,
                obj=user,
                detail={"recovery_code_used": True},
            )
            return True
    return False


def has_confirmed_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
