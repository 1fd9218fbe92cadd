"""The evaluation page of a programme: start an analysis, follow it, read it, download it."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from samvirke.accounts.permissions import Access, Perm, can, programme_view
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.evaluation import analysis_selectors as selectors
from samvirke.evaluation import analysis_services as services
from samvirke.evaluation.analysis import raster
from samvirke.evaluation.analysis_forms import AnalysisForm
from samvirke.evaluation.analysis_pages import run_context
from samvirke.evaluation.codebook import write_pdf
from samvirke.evaluation.models import AnalysisRun, AnalysisStatus

REPORT_CSS = Path(__file__).parent / "static" / "evaluation" / "analysis-report.css"


def _page(
    request: HttpRequest, access: Access, form: AnalysisForm, *, status: int = 200
) -> HttpResponse:
    full = selectors.sees_everything(access)
    finished = selectors.latest_finished(access)
    pending = (
        selectors.runs_of(access)
        .filter(status__in=[AnalysisStatus.QUEUED, AnalysisStatus.RUNNING])
        .first()
    )
    failed = selectors.runs_of(access).first()
    if failed is not None and failed.status == AnalysisStatus.FAILED:
        failed.error = (
            _(
                "No questionnaire was answered at baseline by enough people with a consent to "
                "research."
            )
            if failed.error == services.NO_DATA
            else failed.error
        )
    context = {
        "form": form,
        "may_run": can(access, Perm.EVALUATION_RUN),
        "finished": finished,
        "pending": pending,
        "failed": failed
        if full and failed is not None and failed.status == AnalysisStatus.FAILED
        else None,
        "full": full,
        "results": run_context(finished.result, full=full) if finished else None,
    }
    return render(request, "evaluation/analysis/page.html", context, status=status)


@programme_view(Perm.EVALUATION_VIEW)
@require_GET
def evaluation(request: HttpRequest, access: Access) -> HttpResponse:
    return _page(request, access, AnalysisForm())


@programme_view(Perm.EVALUATION_RUN)
@require_POST
def evaluation_start(request: HttpRequest, access: Access) -> HttpResponse:
    form = AnalysisForm(request.POST)
    if not form.is_valid():
        return _page(request, access, form, status=400)
    services.request_analysis(
        actor=Actor.of(request),
        access=access,
        grouping=form.cleaned_data["grouping"],
        adjust=form.cleaned_data["adjust"],
        seed=form.cleaned_data["seed"],
    )
    return redirect("evaluation:evaluation", access.programme.slug)


@programme_view(Perm.EVALUATION_VIEW)
@require_GET
def evaluation_progress(request: HttpRequest, access: Access) -> HttpResponse:
    pending = (
        selectors.runs_of(access)
        .filter(status__in=[AnalysisStatus.QUEUED, AnalysisStatus.RUNNING])
        .first()
    )
    if pending is None and request.htmx:  # type: ignore[attr-defined]
        return HttpResponse(headers={"HX-Refresh": "true"})
    return render(request, "evaluation/analysis/_progress.html", {"pending": pending})


def _report_run(access: Access, public_id: uuid.UUID) -> AnalysisRun:
    run = selectors.run_for(access, public_id)
    if run is None or run.status != AnalysisStatus.DONE:
        raise Http404
    return run


def _report_html(access: Access, run: AnalysisRun) -> str:
    full = selectors.sees_everything(access)
    return render_to_string(
        "evaluation/analysis/report.html",
        {
            "programme": access.programme,
            "run": run,
            "language": get_language() or "en",
            "results": run_context(run.result, full=full),
        },
    )


def _record_download(request: HttpRequest, access: Access, run: AnalysisRun, **detail: str) -> None:
    """A download of a run's results, in the audit log: which run, format and chart, no names."""
    record_event(
        action=AuditAction.EXPORT,
        actor=Actor.of(request),
        obj=run,
        programme=access.programme,
        detail=detail,
    )


# A report or chart of a run is a download that writes its export entry: a POST, from the
# evaluation page's buttons; a GET answers 405.
@programme_view(Perm.EVALUATION_VIEW)
@require_POST
def evaluation_report(request: HttpRequest, access: Access, public_id: uuid.UUID) -> HttpResponse:
    run = _report_run(access, public_id)
    html = _report_html(access, run)
    _record_download(request, access, run, format="html")
    return HttpResponse(html)


CHARTS = {"flow": "flow_chart", "trajectories": "trajectories", "forest": "forest"}


@programme_view(Perm.EVALUATION_VIEW)
@require_POST
def evaluation_chart(
    request: HttpRequest,
    access: Access,
    public_id: uuid.UUID,
    code: str,
    chart: str,
    fmt: str = "svg",
) -> HttpResponse:
    """One chart of a run as an SVG or PNG file, as the reader's role sees it on the page (the
    PNG is the same SVG rasterised; not found where libcairo is missing)."""
    run = _report_run(access, public_id)
    if chart not in CHARTS or (fmt == "png" and not raster.available()):
        raise Http404
    results = run_context(run.result, full=selectors.sees_everything(access))
    instrument = next((i for i in results["instruments"] if i["code"] == code), None)
    figure = instrument.get(CHARTS[chart]) if instrument is not None else None
    if figure is None:
        raise Http404
    _record_download(request, access, run, format=fmt, chart=chart, instrument=code)
    response: HttpResponse
    if fmt == "png":
        response = HttpResponse(raster.svg_to_png(str(figure["svg"])), content_type="image/png")
    else:
        body = '<?xml version="1.0" encoding="UTF-8"?>\n' + str(figure["svg"])
        response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
    stamp = f"{run.finished_at:%Y%m%d-%H%M}"
    name = f"evaluation-{access.programme.slug}-{code}-{chart}-{stamp}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@programme_view(Perm.EVALUATION_VIEW)
@require_POST
def evaluation_report_pdf(
    request: HttpRequest, access: Access, public_id: uuid.UUID
) -> HttpResponse:

    run = _report_run(access, public_id)
    pdf = write_pdf(_report_html(access, run), REPORT_CSS)
    _record_download(request, access, run, format="pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"evaluation-{access.programme.slug}-{run.finished_at:%Y%m%d-%H%M}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
