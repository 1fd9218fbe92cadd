from __future__ import annotations

import base64

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from samvirke.accounts.permissions import Access, Perm, programme_view
from samvirke.evaluation import files, selectors, services
from samvirke.evaluation.forms import CodebookForm, ResearchExportForm

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
    form = ResearchExportForm(request.POST)
    if not form.is_valid():
        return _research_page(request, access, form, status=400)
    planned = files.plan(access, form.choice(), day=timezone.localdate())
    try:
        exported = services.export_research_data(
            actor=access.user,
            request=request,
            programme=access.programme,
            choice=form.choice(),
            people=planned.people,
            render=planned.render,
        )
    except services.ExportRefused as refusal:
        form.add_error(None, refusal.message)
        return _research_page(request, access, form, status=400)
    response = FileResponse(
        exported.content,
        as_attachment=True,
        filename=planned.name,
        content_type=planned.content_type,
    )
    checksum = base64.b64encode(bytes.fromhex(exported.export.sha256)).decode("ascii")
    response["Repr-Digest"] = f"sha-256=:{checksum}:"
    response["X-Samvirke-SHA256"] = exported.export.sha256
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
