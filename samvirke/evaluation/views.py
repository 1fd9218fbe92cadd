from __future__ import annotations

import base64
import uuid

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samvirke.accounts.permissions import Access, Perm, programme_view
from samvirke.audit.actor import Actor
from samvirke.evaluation import export_jobs, files, selectors, services
from samvirke.evaluation.forms import CodebookForm, ResearchExportForm
from samvirke.evaluation.models import EXPORT_FILE_LIFETIME, ExportStatus, ResearchExport

RECENT_EXPORTS = 10


def _research_page(
    request: HttpRequest,
    access: Access,
    form: ResearchExportForm,
    *,
    codebook_form: CodebookForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "evaluation/research_data.html",
        {
            "form": form,
            "codebook_form": codebook_form or CodebookForm(prefix="codebook"),
            "consented": selectors.research_participants(access).count(),
            "mapped": selectors.research_mappings(access).count(),
            "exports": selectors.exports_of(access)[:RECENT_EXPORTS],
        },
        status=status,
    )


@programme_view(Perm.RESEARCH_EXPORT)
@require_GET
def research_data(request: HttpRequest, access: Access) -> HttpResponse:
    return _research_page(request, access, ResearchExportForm())


@programme_view(Perm.RESEARCH_EXPORT)
@require_POST
def research_data_file(request: HttpRequest, access: Access) -> HttpResponse:
    """Queue the file: the researcher follows it on its own page while a task writes it."""
    form = ResearchExportForm(request.POST)
    if not form.is_valid():
        return _research_page(request, access, form, status=400)
    try:
        export = export_jobs.request_export(
            actor=Actor.of(request),
            access=access,
            choice=form.choice(),
            day=timezone.localdate(),
        )
    except services.ExportRefused as refusal:
        form.add_error(None, refusal.message)
        return _research_page(request, access, form, status=400)
    return redirect("evaluation:research_export", access.programme.slug, export.public_id)


def _export_of(access: Access, public_id: uuid.UUID) -> ResearchExport:
    """Only the researcher who asked for the file sees it: anyone else, and a file that was
    never made, get the same 404."""
    export = export_jobs.export_for(access, public_id)
    if export is None:
        raise Http404
    return export


def _failure(export: ResearchExport) -> str:
    code, _sep, people = export.error.partition(":")
    if code == export_jobs.TOO_FEW:
        refused = services.refusal(int(people or 0))
        return refused.message if refused is not None else ""
    if code == export_jobs.NO_ACCESS:
        return _("You may no longer make research exports in this programme; nothing was made.")
    return _(
        "Something went wrong while the file was written; nothing was kept. Try again, and ask "
        "the programme's administrator if it fails again."
    )


def _export_context(export: ResearchExport) -> dict[str, object]:
    return {
        "export": export,
        "failure": _failure(export) if export.status == ExportStatus.FAILED else "",
        "lifetime_hours": int(EXPORT_FILE_LIFETIME.total_seconds() // 3600),
    }


@programme_view(Perm.RESEARCH_EXPORT)
@require_GET
def research_export(request: HttpRequest, access: Access, public_id: uuid.UUID) -> HttpResponse:
    export = _export_of(access, public_id)
    return render(request, "evaluation/research_export.html", _export_context(export))


@programme_view(Perm.RESEARCH_EXPORT)
@require_GET
def research_export_progress(
    request: HttpRequest, access: Access, public_id: uuid.UUID
) -> HttpResponse:
    """The progress fragment the page polls; once the file is done (or failed) the whole page
    is shown again, with the checksum and the download button."""
    export = _export_of(access, public_id)
    if not export.is_pending and request.htmx:  # type: ignore[attr-defined]
        return HttpResponse(headers={"HX-Refresh": "true"})
    return render(request, "evaluation/_research_export_progress.html", _export_context(export))


@programme_view(Perm.RESEARCH_EXPORT)
@require_POST
def research_export_download(
    request: HttpRequest, access: Access, public_id: uuid.UUID
) -> HttpResponse:
    """The finished file, once, as an attachment; it is deleted when it has been read through.
    A POST (the page's button): handing it out is logged and deletes it, so no GET may."""
    export = _export_of(access, public_id)
    handed = export_jobs.open_download(actor=Actor.of(request), export=export)
    if handed is None:
        raise Http404
    response = FileResponse(
        handed,
        as_attachment=True,
        filename=export.download_name,
        content_type=export.content_type,
    )
    response.block_size = 1 << 16  # a 140 MB .sav in 64 KiB reads, not 4 KiB
    response["Content-Length"] = str(export.size)
    checksum = base64.b64encode(bytes.fromhex(export.sha256)).decode("ascii")
    response["Repr-Digest"] = f"sha-256=:{checksum}:"
    response["X-Samvirke-SHA256"] = export.sha256
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response  # type: ignore[return-value]


@programme_view(Perm.RESEARCH_EXPORT)
@require_GET
def research_codebook(request: HttpRequest, access: Access) -> HttpResponse:
    form = CodebookForm(request.GET, prefix="codebook")
    if not form.is_valid():
        return _research_page(request, access, ResearchExportForm(), codebook_form=form, status=400)
    document = files.codebook_document(access, form.choice(), form.kind, day=timezone.localdate())
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.name}"'
    return response
