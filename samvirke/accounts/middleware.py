"""Session lifetime and the user's own time zone."""

from __future__ import annotations

import time
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

SESSION_STARTED = "samvirke_started"
SESSION_SEEN = "samvirke_seen"


class SessionLifetimeMiddleware:
    """End sessions after 30 idle minutes or 12 hours, whichever comes first.

    A signed-in session without a clock was not started by ``accounts.services.sign_in`` (for
    example by a login page other than ours): it cannot be held to the limits, so it ends.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        now = int(time.time())
        started = session.get(SESSION_STARTED)
        seen = session.get(SESSION_SEEN)
        if started is None or seen is None:
            if SESSION_KEY in session:
                session.flush()
        else:
            idle = now - int(seen)
            age = now - int(started)
            if idle > settings.SESSION_IDLE_SECONDS or age > settings.SESSION_ABSOLUTE_SECONDS:
                session.flush()
            elif idle > 60:
                session[SESSION_SEEN] = now
        return self.get_response(request)


def start_session_clock(request: HttpRequest) -> None:
    now = int(time.time())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now


class UserTimezoneMiddleware:
    """Show times in Europe/Oslo or Europe/Stockholm, as the user chose."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tz_name = getattr(request.user, "time_zone", None) or settings.TIME_ZONE
        try:
            timezone.activate(zoneinfo.ZoneInfo(tz_name))
        except zoneinfo.ZoneInfoNotFoundError:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
