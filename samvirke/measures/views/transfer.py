"""Export and import of the catalogue, enrolments and attendance (CSV/XLSX)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samvirke.accounts.permissions import (
    Access,
    Perm,
    programme_view,
    require,
)
from samvirke.audit.actor import Actor
from samvirke.imports.columns import Columns
from samvirke.imports.steps import Steps, import_page
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
    exports.log_people_export(actor=Actor.of(request), measure=measure, what=what, sheet=sheet)
    return exports.download(sheet, exports.chosen_format(request.POST.get("format")))


# A download of people writes its export entry: a POST, the format from the button pressed.
@programme_view(Perm.MEASURES_VIEW)
@require_POST
def enrolments_export(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    return _people_export(request, access, pk, "enrolments")


@programme_view(Perm.MEASURES_VIEW)
@require_POST
def attendance_export(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    return _people_export(request, access, pk, "attendance")


@programme_view(Perm.MEASURES_VIEW)
@require_http_methods(["GET", "POST"])
def measure_import(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    """Enrolments and attendance of one measure, from the spreadsheet kept for it."""
    measure = selectors.measure_of(access, pk)
    require(access, Perm.MEASURE_PEOPLE, measure)

    def check(table: imports.Table, columns: list[str]) -> imports.Report:
        return imports.check(access, measure, table, columns)

    def write(table: imports.Table, columns: list[str]) -> imports.Report:
        return imports.run(
            access=access, actor=Actor.of(request), measure=measure, table=table, columns=columns
        )

    steps = Steps(
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
        declared=imports.ENROLMENT_COLUMNS,
        check=check,
        write=write,
        conflict=_("Someone changed this measure at the same time. Try again."),
    )
    return import_page(request, access.user.pk, steps)


@programme_view(Perm.MEASURES_IMPORT)
@require_http_methods(["GET", "POST"])
def measures_import(request: HttpRequest, access: Access) -> HttpResponse:
    """The catalogue itself, one measure a row: managers only."""

    def check(table: imports.Table, columns: list[str]) -> imports.Report:
        return catalogue_import.check_catalogue(access, table, columns)

    def write(table: imports.Table, columns: list[str]) -> imports.Report:
        return catalogue_import.run_catalogue(
            access=access, actor=Actor.of(request), table=table, columns=columns
        )

    steps = Steps(
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
        write=write,
        conflict=_("Someone changed this measure at the same time. Try again."),
    )
    return import_page(request, access.user.pk, steps)


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
