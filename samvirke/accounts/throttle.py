"""How long a sign-in attempt must wait: per account with a growing delay, and per address.

django-axes records each refused password (``AccessAttempt``: the address typed, the client
address from ``audit.services.client_ip``, a count and the time of the latest). The decision is
taken here, before the password is checked:

* an account (the address typed, whether or not it has an account, so the answer tells nothing)
  gets ``SIGN_IN_FREE_FAILURES`` free tries, then waits 1, 2, 4 … minutes after each further
  failure, at most ``SIGN_IN_MAX_DELAY_MINUTES``: guessing from many addresses stays slow, and a
  stranger can delay a person but not shut them out for long;
* a client address that failed ``SIGN_IN_IP_FAILURE_LIMIT`` times in a day waits an hour, so one
  machine cannot walk through many accounts;
* a browser that has set the account's password through an e-mailed link carries a signed
  pass for that account and is not held back: the rightful owner gets in at once.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from axes.models import AccessAttempt
from django.conf import settings
from django.core import signing
from django.db.models import Max, Sum
from django.utils import timezone

from samvirke.audit.services import client_ip

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

ADMIT_COOKIE = "samvirke_sign_in_pass"
ADMIT_SALT = "samvirke.accounts.sign-in-pass"
PASS_MAX_AGE = 30 * 24 * 60 * 60
IP_WAIT = dt.timedelta(hours=1)


def normalised(email: str) -> str:
    return email.strip().lower()


def axes_username(request: HttpRequest, credentials: dict[str, str] | None) -> str:
    """What axes records as the account: the address as it is compared (AXES_USERNAME_CALLABLE)."""
    source = credentials or getattr(request, "POST", {})
    return normalised(str(source.get(settings.AXES_USERNAME_FORM_FIELD, "") or ""))


def account_delay(failures: int) -> dt.timedelta:
    """The wait after the latest of ``failures`` refused passwords for one account."""
    over = failures - settings.SIGN_IN_FREE_FAILURES
    if over < 0:
        return dt.timedelta(0)
    return dt.timedelta(minutes=min(2**over, settings.SIGN_IN_MAX_DELAY_MINUTES))


def _failures(**match: str) -> tuple[int, dt.datetime | None]:
    row = AccessAttempt.objects.filter(**match).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time")
    )
    return int(row["failures"] or 0), row["last"]


def has_pass(request: HttpRequest, email: str) -> bool:
    token = request.COOKIES.get(ADMIT_COOKIE, "")
    if not token:
        return False
    try:
        payload = signing.loads(token[:1000], salt=ADMIT_SALT, max_age=PASS_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return False
    return isinstance(payload, dict) and payload.get("e") == normalised(email)


def give_pass(response: HttpResponse, *, email: str) -> None:
    """Let this browser past the throttle for the account (after an e-mailed link was used)."""
    response.set_cookie(
        ADMIT_COOKIE,
        signing.dumps({"e": normalised(email)}, salt=ADMIT_SALT),
        max_age=PASS_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def forget_failures(*, email: str) -> None:
    AccessAttempt.objects.filter(username=normalised(email)).delete()


def wait_before_sign_in(*, request: HttpRequest, email: str) -> dt.timedelta | None:
    """How long this attempt must wait, or None when it may go ahead."""
    if has_pass(request, email):
        return None
    now = timezone.now()
    waits: list[dt.timedelta] = []
    failures, last = _failures(username=normalised(email))
    if last is not None and failures >= settings.SIGN_IN_FREE_FAILURES:
        waits.append(last + account_delay(failures) - now)
    address = client_ip(request)
    if address:
        from_address, last_from_address = _failures(ip_address=address)
        if last_from_address is not None and from_address >= settings.SIGN_IN_IP_FAILURE_LIMIT:
            waits.append(last_from_address + IP_WAIT - now)
    longest = max(waits, default=dt.timedelta(0))
    return longest if longest > dt.timedelta(0) else None
