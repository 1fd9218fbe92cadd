from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from samvirke.accounts.permissions import Access, Perm, programme_view
from samvirke.audit.actor import Actor
from samvirke.audit.models import READ_KINDS, AuditAction, AuditEntry
from samvirke.audit.selectors import audit_entries_for_programme, object_url
from samvirke.audit.services import record_event
from samvirke.measures.exports import Sheet, download
from samvirke.web.forms import DateInput

# The most rows one CSV export of the log holds; narrow the filters for more.
MAX_EXPORT_ROWS = 50_000


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What"), choices=[("", _("all"))] + list(AuditAction.choices), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind of read"), choices=[("", _("all")), *READ_KINDS.items()], required=False
    )
    actor = forms.CharField(label=_("Who (e-mail)"), max_length=100, required=False)
    participant = forms.CharField(label=_("Participant (pseudonym)"), max_length=12, required=False)
    object_id = forms.CharField(label=_("Object id"), max_length=64, required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())


def _filtered(request: HttpRequest, access: Access) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    form = AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries_for_programme(
        access.programme,
        action=filters.get("action", ""),
        actor=filters.get("actor", ""),
        participant=filters.get("participant", ""),
        object_id=filters.get("object_id", "").strip(),
        kind=filters.get("kind", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    return form, entries


@programme_view(Perm.AUDIT_VIEW)
@require_GET
def audit_log(request: HttpRequest, access: Access) -> HttpResponse:
    form, entries = _filtered(request, access)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = [(entry, object_url(entry, access.programme.slug)) for entry in page.object_list]
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "rows": rows},
        status=200 if form.is_bound is False or form.is_valid() else 400,
    )


@programme_view(Perm.AUDIT_VIEW)
@require_POST
def audit_export(request: HttpRequest, access: Access) -> HttpResponse:
    """The filtered log as CSV: who saw what, when, why. Formula-safe (``exports.safe``).

    A POST (the export is logged), filtered by the log page's query string in its address."""
    _form, entries = _filtered(request, access)
    rows = list(entries[:MAX_EXPORT_ROWS])
    sheet = Sheet(
        name=f"audit-{access.programme.slug}-{timezone.localdate():%Y-%m-%d}",
        header=[
            gettext_now("When (UTC)"),
            gettext_now("Who"),
            gettext_now("Acting as"),
            gettext_now("What"),
            gettext_now("Kind of read"),
            gettext_now("Why"),
            gettext_now("Reason given"),
            gettext_now("Object type"),
            gettext_now("Object id"),
            gettext_now("Object"),
            gettext_now("From where"),
        ],
        rows=[
            [
                entry.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
                entry.actor_label,
                entry.role_label,
                entry.get_action_display(),
                entry.kind_label,
                entry.reason_label,
                entry.purpose_label,
                entry.object_type,
                entry.object_id,
                entry.display_label,
                entry.ip_address or "",
            ]
            for entry in rows
        ],
    )
    record_event(
        action=AuditAction.EXPORT,
        actor=Actor.of(request),
        programme=access.programme,
        object_type="audit.auditentry",
        object_label="audit log",
        detail={"read": "audit log", "rows": len(rows)},
    )
    return download(sheet, "csv")
