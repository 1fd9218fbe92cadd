from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samvirke.accounts.models import User
from samvirke.accounts.permissions import programmes_visible_to, public_view, signed_in_view


@signed_in_view
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    programmes = list(programmes_visible_to(user).order_by("-starts_on"))
    return render(request, "web/home.html", {"programmes": programmes})


@public_view
def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
