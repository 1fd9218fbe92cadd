"""The request-bound half of signing in: what needs the session, or the address a request
came to. Views call these; each hands the data part to ``accounts.services`` with an Actor,
so no service sees a request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import login, logout
from django.utils import timezone
from django_otp import login as otp_login

from samvirke.accounts import services
from samvirke.accounts.middleware import start_session_clock
from samvirke.audit.actor import Actor

if TYPE_CHECKING:
    from django.contrib.auth.forms import SetPasswordForm
    from django.http import HttpRequest
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from samvirke.accounts.models import User

_ENROLMENT_CODE = "samvirke_enrolment_code"
_ENROLMENT_PROVEN = "samvirke_enrolment_proven"


def base_url_for(request: HttpRequest | None) -> str:
    """Where links in e-mails point: SAMVIRKE_BASE_URL, else the address this request came to."""
    if settings.BASE_URL or request is None:
        return services.default_base_url()
    return request.build_absolute_uri("/").rstrip("/")


def visitor(request: HttpRequest) -> Actor:
    """Whoever asks on a sign-in page, as no account (a refused password, a link asked for):
    logged by address only, even from a browser that is signed in already."""
    return Actor.of(request).with_user(None)


def sign_in(request: HttpRequest, user: User) -> None:
    # login() rotates the session key, so a session fixed before sign-in is worthless.
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    start_session_clock(request)
    services.record_sign_in(actor=Actor.of(request))


def sign_out(request: HttpRequest) -> None:
    if request.user.is_authenticated:
        services.record_sign_out(actor=Actor.of(request))
    # logout() flushes the session row server-side; the old cookie is useless afterwards.
    logout(request)


def set_password(request: HttpRequest, form: SetPasswordForm[User]) -> User:
    """Save a password chosen through a set-password link, as the link's account."""
    user = services.set_password(actor=Actor.of(request).with_user(form.user), form=form)
    # The link came to the account's mailbox: an invitation is the mailed proof that the first
    # authenticator asks for, so this browser need not wait for a second e-mail.
    request.session[_ENROLMENT_PROVEN] = user.pk
    return user


def may_enrol_authenticator(request: HttpRequest, user: User) -> bool:
    """Whether this session may set up an authenticator now.

    The password alone is not enough for the first one: whoever has it must also show a code
    mailed to the account's address. Replacing one needs the current one (see the view).
    """
    return services.has_confirmed_totp(user) or request.session.get(_ENROLMENT_PROVEN) == user.pk


def confirm_totp_device(request: HttpRequest, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator and mark the session verified; fresh recovery codes, or None
    if the code was wrong."""
    codes = services.confirm_totp_device(actor=Actor.of(request), device=device, token=token)
    if codes is not None:
        otp_login(request, device)
        request.session.pop(_ENROLMENT_PROVEN, None)
    return codes


def send_enrolment_code(request: HttpRequest) -> bool:
    """Mail a one-time code to the account's address, its digest kept in this session; False
    when one too many was asked for."""
    actor = Actor.of(request)
    code = services.send_enrolment_code(actor=actor)
    if code is None:
        return False
    user = actor.signed_in_user()
    request.session[_ENROLMENT_CODE] = {
        "u": user.pk,
        "h": services.code_digest(user, code),
        "until": int(timezone.now().timestamp()) + services.ENROLMENT_CODE_MINUTES * 60,
        "tries": 0,
    }
    return True


def check_enrolment_code(request: HttpRequest, user: User, code: str) -> bool:
    """Whether ``code`` is the one mailed to this account for this session (a few tries)."""
    held = request.session.get(_ENROLMENT_CODE)
    if not isinstance(held, dict) or held.get("u") != user.pk:
        return False
    held["tries"] = int(held.get("tries", 0)) + 1
    request.session[_ENROLMENT_CODE] = held
    if not services.enrolment_code_matches(actor=Actor.of(request), held=held, code=code):
        return False
    del request.session[_ENROLMENT_CODE]
    request.session[_ENROLMENT_PROVEN] = user.pk
    return True


def verify_second_factor(request: HttpRequest, token: str) -> bool:
    device = services.verify_second_factor(actor=Actor.of(request), token=token)
    if device is None:
        return False
    otp_login(request, device)
    return True
