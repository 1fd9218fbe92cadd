"""Helpers for the first authenticator: the code mailed to the account comes first."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse

SETUP = reverse("accounts:two_factor_setup")
Capture = Callable[..., AbstractContextManager[Any]]


def mailed_code(email: str) -> str:
    message = [m for m in mail.outbox if m.to == [email]][-1]
    match = re.search(r"^(\d{8})$", str(message.body), re.MULTILINE)
    assert match, message.body
    return match.group(1)


def prove_mailbox(client: Client, email: str, capture: Capture) -> None:
    """Ask for the e-mailed code and type it, as a new staff member does before the QR code."""
    with capture(execute=True):
        client.post(SETUP, {"send": "1"})
    response = client.post(SETUP, {"email_code": mailed_code(email)})
    assert response.status_code == 302, response.status_code
