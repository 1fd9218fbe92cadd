"""Export and import of the catalogue, enrolments and attendance (CSV/XLSX)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samvirke.accounts.permissions import (
    Access,
    Perm,
    programme_view,
    require,
)
from samvirke.imports.columns import Columns
from samvirke.imports.template import template_file
from samvirke.measures import catalogue_import, exports, imports, selectors
from samvirke.measures.forms import (
    MeasureFilterForm,
)
from samvirke.measures.views.measures import _catalogue_url

# --- Export and import ---------------------------------------------------------------------------


@programme_view(Perm.MEASURES_VIEW)
@require_GET
def measures_export(request: HttpRequest, access: Access) -> HttpResponse:
    """The catalogue as filtered on the page, as CSV or XLSX."""
    form = MeasureFilterForm(request.GET, programme=access.programme)
    sheet = exports.catalogue_sheet(access, selectors.measures_of(access, form.filters()))
    return exports.download(sheet, exports.chosen_format(request.GET.get("format")))


def _people_export(request: HttpRequest, access: Access, pk: int, what: str) -> HttpResponse:
    measure = selectors.measure_of(access, pk)
    require(access, Perm.MEASURE_PEOPLE, measure)
    if what == "enrolments":
        sheet = exports.enrolments_sheet(measure)
    else:
        sheet = exports.attendance_sheet(measure)
    exports.log_people_export(
        access=access, request=request, measure=measure, what=what, sheet=sheet
    )
    return exports.download(sheet, exports.chosen_format(request.GET.get("format")))


@programme_view(Perm.MEASURES_VIEW)
@require_GET
def enrolments_export(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    return _people_export(request, access, pk, "enrolments")


@programme_view(Perm.MEASURES_VIEW)
@require_GET
def attendance_export(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    return _people_export(request, access, pk, "attendance")


@dataclass(frozen=True)
class _ImportSteps:
    """What differs between the imports that share the upload, columns and check steps."""

    template: str
    scope: str
    context: dict[str, Any]
    done_url: str
    declared: Columns = imports.ENROLMENT_COLUMNS
    check: Callable[[imports.Table, list[str]], imports.Report] | None = None
    run: Callable[[imports.Table, list[str]], imports.Report] | None = None


def _import_steps(request: HttpRequest, access: Access, steps: _ImportSteps) -> HttpResponse:
    """Upload, then say what each column holds, check and import: one page, three steps."""
    assert steps.check is not None and steps.run is not None  # noqa: S101
    context = dict(steps.context)
    template, user_id = steps.template, access.user.pk
    upload = imports.UploadForm(request.POST if request.FILES else None, request.FILES or None)
    token = request.POST.get("upload", "") if request.method == "POST" else ""
    if request.method == "POST" and request.FILES:
        if not upload.is_valid():
            context["upload_form"] = upload
            return render(request, template, context, status=400)
        token = imports.pack(upload.content, scope=steps.scope, user_id=user_id)
    if not token:
        context["upload_form"] = upload
        status = 400 if request.method == "POST" else 200
        return render(request, template, context, status=status)
    try:
        table = imports.read_table(imports.unpack(token, scope=steps.scope, user_id=user_id))
    except imports.ImportFileError as exc:
        context["upload_form"] = imports.UploadForm()
        context["problem"] = str(exc)
        return render(request, template, context, status=400)
    status = 200
    plan: imports.Report | None = None
    problem = ""
    if request.method == "POST" and not request.FILES:
        form = imports.ColumnsForm(request.POST, headers=table.headers, declared=steps.declared)
        if form.is_valid():
            try:
                if request.POST.get("action") == "import":
                    plan = steps.run(table, form.columns())
                else:
                    plan = steps.check(table, form.columns())
            except imports.ImportWriteError as exc:
                problem = str(exc)
            except IntegrityError:
                problem = _("Someone changed this measure at the same time. Try again.")
            if plan is not None and plan.ok and request.POST.get("action") == "import":
                for line in plan.summary():
                    messages.success(request, line)
                return redirect(steps.done_url)
        if problem or not form.is_valid() or (plan is not None and not plan.ok):
            status = 400
    else:
        form = imports.ColumnsForm(headers=table.headers, declared=steps.declared)
    context.update(
        {
            "form": form,
            "token": token,
            "columns": form.preview(table),
            "row_count": len(table.rows),
            "plan": plan,
            "errors": plan.errors[: imports.MAX_ERRORS_SHOWN] if plan else [],
            "problem": problem,
        }
    )
    return render(request, template, context, status=status)


@programme_view(Perm.MEASURES_VIEW)
@require_http_methods(["GET", "POST"])
def measure_import(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    """Enrolments and attendance of one measure, from the spreadsheet kept for it."""
    measure = selectors.measure_of(access, pk)
    require(access, Perm.MEASURE_PEOPLE, measure)

    def check(table: imports.Table, columns: list[str]) -> imports.Report:
        return imports.check(access, measure, table, columns)

    def run(table: imports.Table, columns: list[str]) -> imports.Report:
        return imports.run(
            access=access, request=request, measure=measure, table=table, columns=columns
        )

    steps = _ImportSteps(
        template="measures/import.html",
        scope=imports.measure_scope(measure),
        context={
            "measure": measure,
            "again_url": reverse("measures:measure_import", args=[access.programme.slug, pk]),
            "template_url": reverse(
                "measures:measure_import_template", args=[access.programme.slug, pk]
            ),
            "columns_help": _(
                "Samvirke has guessed from the column names. The pseudonym is required. Statuses, "
                "referral sources and reasons can be given as codes or as their names in "
                "Norwegian, Swedish or English; a session date must be the date of one of the "
                "measure's sessions."
            ),
        },
        done_url=measure.get_absolute_url(),
        check=check,
        run=run,
    )
    return _import_steps(request, access, steps)


@programme_view(Perm.MEASURES_IMPORT)
@require_http_methods(["GET", "POST"])
def measures_import(request: HttpRequest, access: Access) -> HttpResponse:
    """The catalogue itself, one measure a row: managers only."""

    def check(table: imports.Table, columns: list[str]) -> imports.Report:
        return catalogue_import.check_catalogue(access, table, columns)

    def run(table: imports.Table, columns: list[str]) -> imports.Report:
        return catalogue_import.run_catalogue(
            access=access, request=request, table=table, columns=columns
        )

    steps = _ImportSteps(
        template="measures/measures_import.html",
        scope=imports.catalogue_scope(access.programme),
        context={
            "again_url": reverse("measures:measures_import", args=[access.programme.slug]),
            "template_url": reverse(
                "measures:measures_import_template", args=[access.programme.slug]
            ),
            "columns_help": _(
                "Samvirke has guessed from the column names. A name and the subproject are "
                "required. Kinds, statuses and countries can be given as codes or as their names "
                "in Norwegian, Swedish or English; a municipality by its official number. An "
                "empty cell leaves what is recorded as it is."
            ),
        },
        done_url=_catalogue_url(access),
        declared=catalogue_import.CATALOGUE_COLUMNS,
        check=check,
        run=run,
    )
    return _import_steps(request, access, steps)


def _template(
    request: HttpRequest, name: str, declared: Columns, example: dict[str, str]
) -> HttpResponse:
    return template_file(
        name=name,
        header=[declared.label(target) for target in declared.targets],
        example=[example.get(target, "") for target in declared.targets],
        fmt=exports.chosen_format(request.GET.get("format")),
    )


@programme_view(Perm.MEASURES_VIEW)
@require_GET
def measure_import_template(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    """A file with the columns the measure's import recognises and one example row."""
    measure = selectors.measure_of(access, pk)
    require(access, Perm.MEASURE_PEOPLE, measure)
    name = str(_("enrolments-template"))
    return _template(request, name, imports.ENROLMENT_COLUMNS, imports.template_row(measure))


@programme_view(Perm.MEASURES_IMPORT)
@require_GET
def measures_import_template(request: HttpRequest, access: Access) -> HttpResponse:
    """A file with the columns the catalogue import recognises and one example row."""
    example = catalogue_import.catalogue_template_row(access)
    name = str(_("measures-template"))
    return _template(request, name, catalogue_import.CATALOGUE_COLUMNS, example)
