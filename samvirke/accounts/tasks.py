"""Background work for accounts: thin, idempotent, enqueued on commit."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from samvirke.accounts.models import User
from samvirke.programmes.models import Programme

INVITATION = "invitation"
RESET = "reset"


@task()
def send_set_password_link(
    user_id: int, kind: str, base_url: str, programme_id: int | None = None
) -> bool:
    """E-mail a one-time link to choose a password, in the person's own language.

    An invitation is not sent to someone who has chosen a password since it was enqueued.
    """
    from samvirke.accounts.services import delivery_address, set_password_url

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or kind not in (INVITATION, RESET):
        return False
    if kind == INVITATION and user.has_usable_password():
        return False
    programme = Programme.objects.filter(pk=programme_id).first() if programme_id else None
    with translation.override(user.language):
        if kind == INVITATION:
            subject = _("You are invited to Samvirke")
        else:
            subject = _("Choose a new password for Samvirke")
        body = render_to_string(
            "accounts/email/set_password.txt",
            {
                "user": user,
                "invitation": kind == INVITATION,
                "programme": programme,
                "link": set_password_url(user=user, base_url=base_url),
                "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            },
        )
    address = delivery_address(user)
    if not address:
        return False
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return True


@task()
def send_sign_in_link(user_id: int, base_url: str) -> bool:
    """E-mail a one-time sign-in link, in the person's own language."""
    from samvirke.accounts.services import (
        SIGN_IN_LINK_MINUTES,
        delivery_address,
        holds_staff_role,
        sign_in_link_url,
    )

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or holds_staff_role(user):
        return False
    with translation.override(user.language):
        subject = _("Your link to sign in to Samvirke")
        body = render_to_string(
            "accounts/email/sign_in_link.txt",
            {
                "user": user,
                "link": sign_in_link_url(user=user, base_url=base_url),
                "minutes": SIGN_IN_LINK_MINUTES,
            },
        )
    address = delivery_address(user)
    if not address:
        return False
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return True


def mail_to_user(
    *, user_id: int, subject: str | Promise, template: str, context: dict[str, object]
) -> bool:
    """One e-mail to an active account's own address, in the person's language."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    with translation.override(user.language):
        body = render_to_string(template, {"user": user, **context})
        title = str(subject)
    send_mail(title, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return True


@task()
def send_two_factor_notice(user_id: int, at: str) -> bool:
    """Tell the person that an authenticator was set up for their account."""
    import datetime as dt

    when = dt.datetime.fromisoformat(at)
    return mail_to_user(
        user_id=user_id,
        subject=gettext_lazy("Two-step sign-in was set up for your Samvirke account"),
        template="accounts/email/two_factor_enabled.txt",
        context={"when": when},
    )
