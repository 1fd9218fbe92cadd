"""Staff pages for questionnaires: entering someone's answers on their behalf."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samvirke.accounts.permissions import Access, Perm, programme_view
from samvirke.audit.actor import Actor
from samvirke.evaluation import (
    paper_import,
    redcap_import,
    response_services,
    safety_services,
    selectors_collection,
)
from samvirke.evaluation.models import InstrumentVersion
from samvirke.evaluation.questionnaire_forms import (
    EventsForm,
    PaperImportForm,
    StaffEntryForm,
    importable_versions,
)
from samvirke.evaluation.questionnaire_views import MESSAGES
from samvirke.imports import steps
from samvirke.imports.forms import ColumnsForm
from samvirke.imports.limits import MAX_ERRORS_SHOWN
from samvirke.imports.reading import ImportFileError, Table, read_table
from samvirke.mapping.models import content_language
from samvirke.measures.exports import Sheet, download
from samvirke.participants.selectors import participants_followed_by
from samvirke.web.reveal import reveal_asked


@programme_view(Perm.PARTICIPANTS_VIEW)
@require_http_methods(["GET", "POST"])
def questionnaire_enter(request: HttpRequest, access: Access, public_id: uuid.UUID) -> HttpResponse:
    """A guide enters the answers a participant gave on the phone or on paper, and sends them."""
    actor = Actor.of(request)
    response = selectors_collection.response_to_enter(access, public_id)
    if response is None:
        raise Http404
    due = reverse("evaluation:questionnaires_due", args=[access.programme.slug])
    if response.status not in selectors_collection.OPEN:
        return redirect(due)
    language = content_language()
    items = list(response.version.items.prefetch_related("options").order_by("position"))
    saved: dict[str, object] = {
        **response_services.answers_of(response),
        **response_services.texts_of(response),
    }
    # The answers saved so far are health data: shown only through the explicit reveal (a
    # POST), and who opened them is in the log.
    reveal = reveal_asked(request, "answers")
    initial: dict[str, object] = {"answered_on": timezone.localdate()}
    for item in items:
        if reveal and item.key in saved:
            initial[StaffEntryForm.field_name(item)] = saved[item.key]
    bound = request.POST if request.method == "POST" and not reveal else None
    form = StaffEntryForm(bound, items=items, language=language, initial=initial)
    status = 200
    if bound is not None:
        if form.is_valid():
            try:
                response_services.enter_response(
                    actor=actor,
                    response=response,
                    answers=form.answers(),
                    mode=form.cleaned_data["mode"],
                    answered_on=form.cleaned_data["answered_on"],
                    texts=form.texts(),
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
    elif reveal:
        response_services.log_answers_read(
            actor=actor, response=response, what="questionnaire entry"
        )
    return render(
        request,
        "evaluation/questionnaire_enter.html",
        {
            "response": response,
            "title": response.version.title(language),
            "instructions": response.version.definition.get("instructions", {}).get(language, ""),
            "form": form,
            "hidden_answers": bool(saved) and not reveal and bound is None,
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
    safety_services.mark_followed_up(actor=Actor.of(request), alert=alert)
    messages.success(request, _("Marked as followed up."))
    return redirect("evaluation:questionnaires_due", slug=access.programme.slug)


def _import_scope(access: Access) -> str:
    return f"questionnaires:{access.programme.pk}"


def _pack_upload(access: Access, form: PaperImportForm) -> str:
    """The upload (questionnaire, kind, file and dictionary), signed to travel to the next step:
    nothing of it is stored, and the token is refused after the kit's 24 hours."""
    bundle = {
        "i": form.cleaned_data["instrument"].instrument.key,
        "s": form.cleaned_data["source"],
        **{
            name[0]: base64.b64encode(content).decode("ascii")
            for name, content in form.contents.items()
        },
    }
    content = json.dumps(bundle).encode("utf-8")
    return steps.pack(content, scope=_import_scope(access), user_id=access.user.pk)


@dataclass
class _Upload:
    version: InstrumentVersion
    source: str
    table: Table
    dictionary: Table | None


def _unpack_upload(access: Access, token: str, versions: list[InstrumentVersion]) -> _Upload:
    content = steps.unpack(token, scope=_import_scope(access), user_id=access.user.pk)
    try:
        bundle = json.loads(content)
        version = next(v for v in versions if v.instrument.key == bundle["i"])
        source = str(bundle["s"])
        file = base64.b64decode(bundle["f"], validate=True)
        dictionary = base64.b64decode(bundle["d"], validate=True) if "d" in bundle else None
    except (ValueError, KeyError, TypeError, StopIteration) as exc:
        raise ImportFileError(_("The uploaded file is no longer kept. Upload it again.")) from exc
    return _Upload(
        version,
        source,
        paper_import.read_upload(file),
        read_table(dictionary) if dictionary is not None else None,
    )


@programme_view(Perm.QUESTIONNAIRES_IMPORT)
@require_http_methods(["GET", "POST"])
def questionnaire_import(request: HttpRequest, access: Access) -> HttpResponse:
    """Questionnaires from paper (typed into a spreadsheet), SPSS or REDCap, in the import kit's
    steps: upload; say what each column holds (paper) or what each event is (REDCap); check;
    import all or nothing."""
    versions = importable_versions(access.programme.pk)
    context: dict[str, Any] = {
        "versions": versions,
        "columns": (paper_import.PSEUDONYM, paper_import.ANSWERED_ON, paper_import.TIME_POINT),
        "again_url": reverse("evaluation:questionnaire_import", args=[access.programme.slug]),
    }
    template = "evaluation/questionnaire_import.html"
    token = request.POST.get("upload", "") if request.method == "POST" else ""
    first = False
    if request.method == "POST" and (request.FILES or not token):
        upload_form = PaperImportForm(request.POST, request.FILES, versions=versions)
        if not upload_form.is_valid():
            return render(request, template, {**context, "upload_form": upload_form}, status=400)
        token, first = _pack_upload(access, upload_form), True
    if not token:
        upload_form = PaperImportForm(versions=versions)
        return render(request, template, {**context, "upload_form": upload_form})
    try:
        upload = _unpack_upload(access, token, versions)
    except ImportFileError as exc:
        context.update(upload_form=PaperImportForm(versions=versions), problem=str(exc))
        return render(request, template, context, status=400)
    data = None if first else request.POST
    version = upload.version
    form: EventsForm | ColumnsForm
    if upload.source == PaperImportForm.REDCAP:
        found = redcap_import.convert(version, upload.table, upload.dictionary)
        form = EventsForm(
            data, events=found.events, occasions=redcap_import.occasions_of(access.programme)
        )

        def check() -> paper_import.Report:
            assert isinstance(form, EventsForm)  # noqa: S101 - narrows the type
            converted = redcap_import.convert(
                version, upload.table, upload.dictionary, events=form.mapping()
            )
            return redcap_import.check(access, version, converted)
    else:
        declared = paper_import.columns_of(version)
        headers = upload.table.headers
        form = (
            ColumnsForm(headers=headers, declared=declared)
            if data is None
            else ColumnsForm(data, headers=headers, declared=declared)
        )

        def check() -> paper_import.Report:
            assert isinstance(form, ColumnsForm)  # noqa: S101 - narrows the type
            return paper_import.check(access, version, upload.table, form.columns())

    report = None
    status = 200
    if data is None and upload.source == PaperImportForm.REDCAP and found.errors:
        # What is wrong with the export's columns is said at once, before any event is chosen.
        report, status = redcap_import.check(access, version, found), 400
    if data is not None:
        status = 400
        if form.is_valid():
            report = check()
            if report.ok and request.POST.get("action") == "import":
                try:
                    paper_import.run(
                        access=access, actor=Actor.of(request), version=version, report=report
                    )
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
            if report.ok and form.is_valid() and not form.non_field_errors():
                status = 200
    context.update(
        {
            "form": form,
            "token": token,
            "upload": upload,
            "version": version,
            "redcap": upload.source == PaperImportForm.REDCAP,
            "row_count": len(upload.table.rows),
            "report": report,
            "errors": report.errors[:MAX_ERRORS_SHOWN] if report else [],
        }
    )
    if isinstance(form, ColumnsForm):
        context["preview"] = form.preview(upload.table)
    return render(request, template, context, status=status)


@programme_view(Perm.QUESTIONNAIRES_IMPORT)
@require_GET
def questionnaire_import_template(
    request: HttpRequest, access: Access, instrument: str
) -> HttpResponse:
    """The empty file of one questionnaire (``?format=xlsx`` for an Excel workbook,
    ``?format=redcap`` for a REDCap data dictionary of it)."""

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
