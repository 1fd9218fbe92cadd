"""Staff pages for questionnaires: entering someone's answers on their behalf."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samvirke.accounts.permissions import Access, Perm, programme_view
from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.evaluation import (
    paper_import,
    redcap_import,
    response_services,
    safety_services,
    selectors_collection,
)
from samvirke.evaluation.questionnaire_forms import (
    PaperImportForm,
    StaffEntryForm,
    importable_versions,
)
from samvirke.evaluation.questionnaire_views import MESSAGES
from samvirke.mapping.models import content_language
from samvirke.participants.selectors import participants_followed_by


@programme_view(Perm.PARTICIPANTS_VIEW)
@require_http_methods(["GET", "POST"])
def questionnaire_enter(request: HttpRequest, access: Access, public_id: uuid.UUID) -> HttpResponse:
    """A guide enters the answers a participant gave on the phone or on paper, and sends them."""
    response = selectors_collection.response_to_enter(access, public_id)
    if response is None:
        raise Http404
    due = reverse("evaluation:questionnaires_due", args=[access.programme.slug])
    if response.status not in selectors_collection.OPEN:
        return redirect(due)
    language = content_language()
    items = list(response.version.items.prefetch_related("options").order_by("position"))
    saved = response_services.answers_of(response)
    initial: dict[str, object] = {"answered_on": timezone.localdate()}
    for item in items:
        if item.key in saved:
            initial[StaffEntryForm.field_name(item)] = saved[item.key]
    form = StaffEntryForm(request.POST or None, items=items, language=language, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                response_services.enter_response(
                    actor=access.user,
                    request=request,
                    response=response,
                    answers=form.answers(),
                    mode=form.cleaned_data["mode"],
                    answered_on=form.cleaned_data["answered_on"],
                )
            except response_services.ResponseError as error:
                form.add_error(None, str(MESSAGES.get(error.code, MESSAGES["unknown_item"])))
            else:
                messages.success(
                    request,
                    _("The answers of %(pseudonym)s have been sent in.")
                    % {"pseudonym": response.participant.pseudonym},
                )
                return redirect(due)
        status = 400
    else:
        # Someone's answers are health data: who opened them is in the log.
        record_event(
            action=AuditAction.VIEW,
            actor=access.user,
            request=request,
            programme=access.programme,
            object_type=response_services.RESPONSE_TYPE,
            object_id=str(response.public_id),
            object_label=response.participant.pseudonym,
            detail={"what": "questionnaire entry"},
        )
    return render(
        request,
        "evaluation/questionnaire_enter.html",
        {
            "response": response,
            "title": response.version.title(language),
            "instructions": response.version.definition.get("instructions", {}).get(language, ""),
            "form": form,
            "heading": _("Enter answers for %(pseudonym)s")
            % {"pseudonym": response.participant.pseudonym},
        },
        status=status,
    )


@programme_view(Perm.PARTICIPANTS_VIEW)
@require_POST
def safety_alert_followed_up(
    request: HttpRequest, access: Access, public_id: uuid.UUID
) -> HttpResponse:
    """A guide says they have been in touch after an answer that needed follow-up."""
    alert = (
        safety_services.open_alerts(participants_followed_by(access))
        .filter(public_id=public_id)
        .first()
    )
    if alert is None:
        raise Http404
    safety_services.mark_followed_up(actor=access.user, request=request, alert=alert)
    messages.success(request, _("Marked as followed up."))
    return redirect("evaluation:questionnaires_due", slug=access.programme.slug)


@programme_view(Perm.QUESTIONNAIRES_IMPORT)
@require_http_methods(["GET", "POST"])
def questionnaire_import(request: HttpRequest, access: Access) -> HttpResponse:
    """Paper questionnaires typed into a spreadsheet: checked in full, imported all or nothing."""
    versions = importable_versions(access.programme.pk)
    form = PaperImportForm(request.POST or None, request.FILES or None, versions=versions)
    report = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and form.table is not None:
            version = form.cleaned_data["instrument"]
            if form.cleaned_data["source"] == PaperImportForm.REDCAP:
                converted = redcap_import.convert(version, form.table, form.dictionary_table)
                report = redcap_import.check(access, version, converted)
            else:
                report = paper_import.check(access, version, form.table)
            if report.ok:
                try:
                    paper_import.run(access=access, request=request, version=version, report=report)
                except response_services.ResponseError as error:
                    form.add_error(None, str(MESSAGES.get(error.code, MESSAGES["unknown_item"])))
                else:
                    messages.success(
                        request,
                        _(
                            "%(imported)s questionnaires imported; %(unchanged)s were imported "
                            "before and left as they were."
                        )
                        % {"imported": report.imported, "unchanged": report.unchanged},
                    )
                    return redirect("evaluation:questionnaire_import", slug=access.programme.slug)
    return render(
        request,
        "evaluation/questionnaire_import.html",
        {
            "form": form,
            "report": report,
            "versions": versions,
            "columns": (paper_import.PSEUDONYM, paper_import.ANSWERED_ON, paper_import.TIME_POINT),
        },
        status=status,
    )


@programme_view(Perm.QUESTIONNAIRES_IMPORT)
@require_GET
def questionnaire_import_template(
    request: HttpRequest, access: Access, instrument: str
) -> HttpResponse:
    """The empty file of one questionnaire (``?format=xlsx`` for an Excel workbook,
    ``?format=redcap`` for a REDCap data dictionary of it)."""
    from samvirke.measures.exports import Sheet, download

    version = next(
        (v for v in importable_versions(access.programme.pk) if v.instrument.key == instrument),
        None,
    )
    if version is None:
        raise Http404
    if request.GET.get("format") == "redcap":
        response = HttpResponse(
            ("\ufeff" + redcap_import.template_dictionary(version)).encode("utf-8"),
            content_type="text/csv; charset=utf-8",
        )
        name = f"{version.instrument.key}-redcap-data-dictionary.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    sheet = Sheet(
        name=f"{version.instrument.key}-paper",
        header=paper_import.template_header(version),
        rows=[],
    )
    return download(sheet, fmt)
