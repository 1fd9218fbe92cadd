from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from samvirke.accounts.permissions import Access, Perm, programme_view
from samvirke.evaluation import exports, selectors, services
from samvirke.evaluation.forms import ResearchExportForm


def _research_page(
    request: HttpRequest, access: Access, form: ResearchExportForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "evaluation/research_data.html",
        {
            "form": form,
            "consented": selectors.research_participants(access).count(),
            "mapped": selectors.research_mappings(access).count(),
        },
        status=status,
    )


@programme_view(Perm.RESEARCH_EXPORT)
@require_GET
def research_data(request: HttpRequest, access: Access) -> HttpResponse:
    return _research_page(request, access, ResearchExportForm())


@programme_view(Perm.RESEARCH_EXPORT)
@require_GET
def research_data_file(request: HttpRequest, access: Access) -> HttpResponse:
    form = ResearchExportForm(request.GET)
    if not form.is_valid():
        return _research_page(request, access, form, status=400)
    mappings = selectors.research_mappings(access, all_versions=form.all_versions)
    services.record_research_export(
        actor=access.user,
        request=request,
        programme=access.programme,
        rows=mappings.count(),
        all_versions=form.all_versions,
    )
    response = StreamingHttpResponse(
        exports.research_csv(mappings), content_type="text/csv; charset=utf-8"
    )
    name = exports.file_name(access.programme, timezone.localdate(), ".csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # programme_view only sets headers, which a streamed response takes the same way.
    return cast(HttpResponse, response)


@programme_view(Perm.RESEARCH_EXPORT)
@require_GET
def research_codebook(request: HttpRequest, access: Access) -> HttpResponse:
    day = timezone.localdate()
    response = HttpResponse(
        exports.codebook(access.programme, day), content_type="text/markdown; charset=utf-8"
    )
    name = exports.file_name(access.programme, day, "-codebook.md")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
