"""Page layouts that every app's views share (the web app's design system, not its views)."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


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
