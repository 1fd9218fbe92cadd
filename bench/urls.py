"""Samvirke's pages plus the floor: a signed-in view that does nothing.

It passes through every middleware (sessions, authentication, the second factor, the session
clock, language, security headers) and the ``signed_in_view`` decorator, and renders nothing,
so a page's time divided by the floor's tells how much of it is the page's own work.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from samvirke.accounts.permissions import signed_in_view
from samvirke.urls import urlpatterns as samvirke_urlpatterns

FLOOR_URL = "/bench-floor/"


@signed_in_view
def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path(FLOOR_URL.strip("/") + "/", floor), *samvirke_urlpatterns]
