from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from samvirke.accounts.permissions import Access, Perm, programme_view
from samvirke.audit.models import AuditAction
from samvirke.audit.selectors import audit_entries_for_programme
from samvirke.web.forms import DateInput


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What"), choices=[("", _("all"))] + list(AuditAction.choices), required=False
    )
    actor = forms.CharField(label=_("Who (e-mail)"), max_length=100, required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())


@programme_view(Perm.AUDIT_VIEW)
@require_GET
def audit_log(request: HttpRequest, access: Access) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries_for_programme(
        access.programme,
        action=filters.get("action", ""),
        actor=filters.get("actor", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page},
        status=200 if form.is_bound is False or form.is_valid() else 400,
    )
