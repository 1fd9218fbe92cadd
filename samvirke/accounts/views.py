from __future__ import annotations

import datetime as dt
import io
import math
from typing import cast

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samvirke.accounts import http, services, throttle
from samvirke.accounts.forms import (
    ChoosePasswordForm,
    EnrolmentCodeForm,
    LoginForm,
    PasswordResetRequestForm,
    ProfileForm,
    TokenForm,
)
from samvirke.accounts.models import User
from samvirke.accounts.permissions import public_view, signed_in_view


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _with_language(response: HttpResponse, language: str) -> HttpResponse:
    if check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def locked_out(request: HttpRequest, *, wait: dt.timedelta) -> HttpResponse:
    services.record_failed_sign_in(
        actor=http.visitor(request), email=request.POST.get("username", ""), locked_out=True
    )
    form = LoginForm(request.POST or None)
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "locked": True,
            "minutes": max(1, math.ceil(wait.total_seconds() / 60)),
            "next": _safe_next(request, ""),
        },
        status=429,
    )


@public_view
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request, "/"))
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["username"].lower()
        # The throttle counts by the name the account signs in with (what axes records).
        login_name = services.login_name_for(email)
        wait = throttle.wait_before_sign_in(request=request, email=login_name)
        if wait is not None:
            return locked_out(request, wait=wait)
        user = authenticate(request, username=login_name, password=form.cleaned_data["password"])
        if isinstance(user, User) and user.is_active:
            http.sign_in(request, user)
            response: HttpResponse = redirect(_safe_next(request, "/"))
            if services.holds_staff_role(user) and settings.REQUIRE_2FA:
                target = (
                    "accounts:two_factor_verify"
                    if services.has_confirmed_totp(user)
                    else "accounts:two_factor_setup"
                )
                from django.urls import reverse

                response = redirect(
                    f"{reverse(target)}?{urlencode({'next': _safe_next(request, '/')})}"
                )
            return _with_language(response, user.language)
        services.record_failed_sign_in(actor=http.visitor(request), email=email)
        error = _("The e-mail address or the password is wrong.")
    return render(
        request,
        "accounts/login.html",
        {"form": form, "error": error, "next": _safe_next(request, "")},
    )


@public_view
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    http.sign_out(request)
    response = redirect("accounts:login")
    messages.info(request, _("You have signed out."))
    return response


@public_view
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_password_reset(
            actor=http.visitor(request),
            email=form.cleaned_data["email"],
            base_url=http.base_url_for(request),
        )
        # The same answer whether or not the address has an account.
        return redirect("accounts:password_reset_sent")
    return render(
        request, "accounts/password_reset.html", {"form": form}, status=400 if form.errors else 200
    )


@public_view
@require_http_methods(["GET"])
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_sent.html")


class SetPasswordView(PasswordResetConfirmView):
    """Django's one-time link check; the password is saved (and audited) by our service."""

    form_class = ChoosePasswordForm
    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:password_set_done")

    def form_valid(self, form: ChoosePasswordForm) -> HttpResponse:
        user = http.set_password(self.request, form)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        response = HttpResponseRedirect(self.get_success_url())
        # The link came by e-mail: whoever used it may sign in past the throttle.
        throttle.give_pass(response, email=user.email)
        return response


_set_password_view = SetPasswordView.as_view()


@public_view
def password_set(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    return cast(HttpResponse, _set_password_view(request, uidb64=uidb64, token=token))


@public_view
@require_http_methods(["GET"])
def password_set_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_set_done.html")


@public_view
@require_http_methods(["GET", "POST"])
def sign_in_link_request(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_sign_in_link(
            actor=http.visitor(request),
            email=form.cleaned_data["email"],
            base_url=http.base_url_for(request),
        )
        # The same answer whether or not the address has an account.
        return redirect("accounts:sign_in_link_sent")
    return render(
        request,
        "accounts/sign_in_link_request.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@public_view
@require_http_methods(["GET"])
def sign_in_link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/sign_in_link_sent.html")


@public_view
@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the link asks first: mail scanners that follow links must not spend it."""
    user = services.user_for_sign_in_link(token[:1000])
    if user is not None and request.method == "POST":
        http.sign_in(request, user)
        return _with_language(redirect("/"), user.language)
    return render(
        request,
        "accounts/sign_in_link.html",
        {"link_user": user},
        status=200 if user is not None else 404,
    )


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8")


@signed_in_view
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if services.has_confirmed_totp(user) and not getattr(user, "is_verified", lambda: False)():
        # Someone who already has an authenticator must prove it before replacing it.
        return redirect("accounts:two_factor_verify")
    if not http.may_enrol_authenticator(request, user):
        return _prove_mailbox(request, user)
    device = services.pending_totp_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = http.confirm_totp_device(request, device, form.cleaned_data["token"])
        if codes is not None:
            return _recovery_codes_page(request, codes, _safe_next(request, "/"))
        form.add_error("token", _("That code is not right. Check the time on your phone."))
    secret = device.bin_key.hex()
    import base64

    b32 = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            # The SVG is generated here from our own data, never from user input.
            "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308
            "secret": " ".join(b32[i : i + 4] for i in range(0, len(b32), 4)),
            "secret_hex_length": len(secret),
            "next": _safe_next(request, ""),
        },
    )


def _prove_mailbox(request: HttpRequest, user: User) -> HttpResponse:
    """Before the first authenticator: a code mailed to the account shows it is its owner."""
    form = EnrolmentCodeForm(request.POST if "email_code" in request.POST else None)
    sent = False
    status = 200
    if request.method == "POST" and "send" in request.POST:
        sent = http.send_enrolment_code(request)
        if not sent:
            form.add_error(None, _("Several codes were sent within the hour. Try again later."))
            status = 429
    elif request.method == "POST" and form.is_valid():
        if http.check_enrolment_code(request, user, form.cleaned_data["email_code"]):
            return redirect(f"{request.path}?{urlencode({'next': _safe_next(request, '')})}")
        form.add_error("email_code", _("That code is not right, or it has expired."))
    if form.errors:
        status = 400 if status == 200 else status
    return render(
        request,
        "accounts/two_factor_email.html",
        {"form": form, "sent": sent, "next": _safe_next(request, "")},
        status=status,
    )


@signed_in_view
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not services.has_confirmed_totp(user):
        return redirect("accounts:two_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if http.verify_second_factor(request, form.cleaned_data["token"]):
            return redirect(_safe_next(request, "/"))
        form.add_error("token", _("That code is not right. Check the time on your phone."))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request, "")}
    )


@signed_in_view
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not getattr(user, "is_verified", lambda: False)():
        return redirect("accounts:two_factor_verify")
    codes = services.new_recovery_codes(user=user)
    return _recovery_codes_page(request, codes, "/")


def _recovery_codes_page(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    """The codes are shown this once: no browser or proxy may keep the page."""
    response = render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})
    add_never_cache_headers(response)
    return response


@signed_in_view
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ProfileForm(request.POST or None, instance=user, own_details=not user.has_hidden_address)
    password_form = PasswordChangeForm(user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your settings are saved."))
        return _with_language(redirect("accounts:profile"), user.language)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "password_form": password_form,
            "has_totp": services.has_confirmed_totp(user),
        },
        status=400 if form.errors else 200,
    )


@signed_in_view
@require_POST
def change_password(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    password_form = PasswordChangeForm(user, request.POST)
    if password_form.is_valid():
        password_form.save()
        update_session_auth_hash(request, password_form.user)
        messages.success(request, _("Your password is changed."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": ProfileForm(instance=user),
            "password_form": password_form,
            "has_totp": services.has_confirmed_totp(user),
        },
        status=400,
    )


@public_view
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch language; signed-in users keep the choice on their account."""
    language = request.POST.get("language", "")
    target = _safe_next(request, "/")
    response: HttpResponse = HttpResponseRedirect(target)
    if not check_for_language(language) or language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        user: User = request.user
        user.language = language
        user.save(update_fields=["language", "updated_at"])
    return _with_language(response, language)
