from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from samvirke.accounts.models import User
from samvirke.accounts.permissions import programmes_visible_to, public_view, signed_in_view


def render_form(
    request: HttpRequest,
    form: BaseForm,
    *,
    title: str,
    cancel_url: str,
    submit_label: str = "",
    intro: str = "",
    status: int | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """One page layout for every form: bad input comes back with its errors and status 400."""
    if status is None:
        status = 400 if form.is_bound and form.errors else 200
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel_url,
        "submit_label": submit_label or _("Save"),
        "intro": intro,
        **(extra or {}),
    }
    return render(request, "web/form_page.html", context, status=status)


def object_or_404(queryset: Any, **lookup: Any) -> Model:
    from django.shortcuts import get_object_or_404

    obj: Model = get_object_or_404(queryset, **lookup)
    return obj


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
