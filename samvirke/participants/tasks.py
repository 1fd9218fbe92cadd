"""Background work for participants: thin, idempotent, enqueued on commit."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from samvirke.participants.services import cipher


@task()
def send_sign_in_address_notice(address_token: str, at: str, language: str) -> bool:
    """Tell an earlier sign-in address that sign-in moved to another one.

    The address travels encrypted (the task table is no place for it). The message names no
    person, programme or service: whoever reads that mailbox learns only that an account moved.
    """

    address = cipher().decrypt(address_token) if address_token else ""
    if not address:
        return False
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        subject = _("Your Samvirke sign-in address was changed")
        body = render_to_string(
            "participants/email/sign_in_address_changed.txt",
            {"when": dt.datetime.fromisoformat(at)},
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return True
