"""Service map pages: members browse and search, managers edit, the public reads when published."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samvirke.accounts.permissions import (
    Access,
    Perm,
    programme_view,
    public_view,
    require,
    subprojects_editable_by,
)
from samvirke.measures import exports, imports, selectors, services
from samvirke.measures.forms import (
    EnrolForm,
    EnrolmentStatusForm,
    MeasureFilterForm,
    MeasureForm,
    NoteForm,
    PathwayForm,
    PathwayStepForm,
    PublicationForm,
    ServiceFilterForm,
    ServiceForm,
    parse_attendance,
)
from samvirke.measures.models import AbsentReason, Enrolment, EnrolmentStatus, ServiceMapSettings
from samvirke.participants.models import Participant
from samvirke.participants.selectors import (
    own_participant,
    participant_for,
    participants_visible_to,
)
from samvirke.programmes.models import Programme
from samvirke.web.views import render_form

PAGE_SIZE = 25
PUBLIC_CACHE = "public, max-age=300"

# Which URL names the shared templates link to, inside the programme and on the public site.
MEMBER_URLS = {
    "services_url": "measures:services",
    "service_url": "measures:service",
    "pathways_url": "measures:pathways",
    "pathway_url": "measures:pathway",
    "compare_url": "measures:pathway_compare",
}
PUBLIC_URLS = {
    "services_url": "measures:public_services",
    "service_url": "measures:public_service",
    "pathways_url": "measures:public_pathways",
    "pathway_url": "measures:public_pathway",
    "compare_url": "measures:public_pathway_compare",
}


def _url(name: str, access: Access, *args: object) -> str:
    return reverse(name, args=[access.programme.slug, *args])


def _context(programme: Programme, access: Access | None, **extra: Any) -> dict[str, Any]:
    public = access is None
    return {
        "programme": programme,
        "public": public,
        "may_manage": not public and access is not None and access.can(Perm.SERVICE_MAP_MANAGE),
        **(PUBLIC_URLS if public else MEMBER_URLS),
        **extra,
    }


def _service_list(
    request: HttpRequest, programme: Programme, access: Access | None
) -> HttpResponse:
    form = ServiceFilterForm(request.GET, programme=programme)
    filters = form.filters()
    page = Paginator(selectors.services_of(programme, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    pathways = selectors.pathways_matching(programme, filters.q) if filters.q.strip() else None
    context = _context(
        programme,
        access,
        form=form,
        filters=filters,
        services=page,
        matching_pathways=pathways,
        published=access is not None and selectors.service_map_is_published(programme),
    )
    template = "measures/service_map/_service_rows.html" if request.htmx else None  # type: ignore[attr-defined]
    return render(request, template or "measures/service_map/services.html", context)


def _service_detail(programme: Programme, access: Access | None, pk: int) -> dict[str, Any]:
    service = selectors.service_of(programme, pk)
    return _context(
        programme, access, service=service, pathways=selectors.pathways_through(service)
    )


def _pathway_list(programme: Programme, access: Access | None) -> dict[str, Any]:
    return _context(programme, access, situations=selectors.situations_of(programme))


def _compare(programme: Programme, access: Access | None, situation: str) -> dict[str, Any]:
    return _context(programme, access, situation=selectors.situation_of(programme, situation))


# --- Members of the programme -----------------------------------------------------------------


@programme_view(Perm.SERVICE_MAP_VIEW)
@require_GET
def service_list(request: HttpRequest, access: Access) -> HttpResponse:
    return _service_list(request, access.programme, access)


@programme_view(Perm.SERVICE_MAP_VIEW)
@require_GET
def service_detail(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    context = _service_detail(access.programme, access, pk)
    return render(request, "measures/service_map/service_detail.html", context)


@programme_view(Perm.SERVICE_MAP_VIEW)
@require_GET
def pathway_list(request: HttpRequest, access: Access) -> HttpResponse:
    context = _pathway_list(access.programme, access)
    return render(request, "measures/service_map/pathways.html", context)


@programme_view(Perm.SERVICE_MAP_VIEW)
@require_GET
def pathway_detail(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    pathway = selectors.pathway_of(access.programme, pk)
    context = _context(access.programme, access, pathway=pathway)
    return render(request, "measures/service_map/pathway_detail.html", context)


@programme_view(Perm.SERVICE_MAP_VIEW)
@require_GET
def pathway_compare(request: HttpRequest, access: Access, situation: str) -> HttpResponse:
    context = _compare(access.programme, access, situation)
    return render(request, "measures/service_map/pathway_compare.html", context)


@programme_view(Perm.SERVICE_MAP_MANAGE)
@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest, access: Access) -> HttpResponse:
    form = ServiceForm(request.POST or None, programme=access.programme)
    if request.method == "POST" and form.is_valid():
        service = services.save_service(actor=access.user, request=request, form=form)
        messages.success(request, _("The service is saved."))
        return redirect(service.get_absolute_url())
    return render_form(
        request, form, title=_("New service"), cancel_url=_url("measures:services", access)
    )


@programme_view(Perm.SERVICE_MAP_MANAGE)
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    service = selectors.service_of(access.programme, pk)
    form = ServiceForm(request.POST or None, programme=access.programme, instance=service)
    if request.method == "POST" and form.is_valid():
        services.save_service(actor=access.user, request=request, form=form)
        messages.success(request, _("The service is saved."))
        return redirect(service.get_absolute_url())
    return render_form(
        request, form, title=_("Edit the service"), cancel_url=service.get_absolute_url()
    )


@programme_view(Perm.SERVICE_MAP_MANAGE)
@require_http_methods(["GET", "POST"])
def pathway_new(request: HttpRequest, access: Access) -> HttpResponse:
    form = PathwayForm(request.POST or None, programme=access.programme)
    if request.method == "POST" and form.is_valid():
        pathway = services.save_pathway(actor=access.user, request=request, form=form)
        messages.success(request, _("The pathway is saved. Add its steps."))
        return redirect(pathway.get_absolute_url())
    return render_form(
        request, form, title=_("New pathway"), cancel_url=_url("measures:pathways", access)
    )


@programme_view(Perm.SERVICE_MAP_MANAGE)
@require_http_methods(["GET", "POST"])
def pathway_edit(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    pathway = selectors.pathway_of(access.programme, pk)
    form = PathwayForm(request.POST or None, programme=access.programme, instance=pathway)
    if request.method == "POST" and form.is_valid():
        services.save_pathway(actor=access.user, request=request, form=form)
        messages.success(request, _("The pathway is saved."))
        return redirect(pathway.get_absolute_url())
    return render_form(
        request, form, title=_("Edit the pathway"), cancel_url=pathway.get_absolute_url()
    )


@programme_view(Perm.SERVICE_MAP_MANAGE)
@require_http_methods(["GET", "POST"])
def pathway_step_new(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    pathway = selectors.pathway_of(access.programme, pk)
    initial = {"position": len(pathway.steps.all()) + 1}
    form = PathwayStepForm(request.POST or None, pathway=pathway, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_pathway_step(actor=access.user, request=request, form=form)
        messages.success(request, _("The step is saved."))
        return redirect(pathway.get_absolute_url())
    return render_form(request, form, title=_("New step"), cancel_url=pathway.get_absolute_url())


@programme_view(Perm.SERVICE_MAP_MANAGE)
@require_http_methods(["GET", "POST"])
def pathway_step_edit(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    step = selectors.step_of(access.programme, pk)
    form = PathwayStepForm(request.POST or None, pathway=step.pathway, instance=step)
    if request.method == "POST" and form.is_valid():
        services.save_pathway_step(actor=access.user, request=request, form=form)
        messages.success(request, _("The step is saved."))
        return redirect(step.pathway.get_absolute_url())
    return render_form(
        request, form, title=_("Edit the step"), cancel_url=step.pathway.get_absolute_url()
    )


@programme_view(Perm.SERVICE_MAP_MANAGE)
@require_POST
def pathway_step_remove(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    step = selectors.step_of(access.programme, pk)
    services.remove_pathway_step(actor=access.user, request=request, step=step)
    messages.success(request, _("The step is removed."))
    return redirect(step.pathway.get_absolute_url())


@programme_view(Perm.SERVICE_MAP_MANAGE)
@require_http_methods(["GET", "POST"])
def service_map_publication(request: HttpRequest, access: Access) -> HttpResponse:
    current = ServiceMapSettings(
        programme=access.programme,
        published=selectors.service_map_is_published(access.programme),
    )
    # An unticked box sends nothing: an empty POST still means "not published".
    data = request.POST if request.method == "POST" else None
    form = PublicationForm(data, instance=current)
    if request.method == "POST" and form.is_valid():
        published = bool(form.cleaned_data["published"])
        services.publish_service_map(
            actor=access.user, request=request, programme=access.programme, published=published
        )
        if published:
            messages.success(request, _("The service map is now public."))
        else:
            messages.success(request, _("The service map is no longer public."))
        return redirect(_url("measures:services", access))
    public_url = request.build_absolute_uri(
        reverse("measures:public_services", args=[access.programme.slug])
    )
    return render_form(
        request,
        form,
        title=_("Publish the service map"),
        cancel_url=_url("measures:services", access),
        intro=_(
            "When published, anyone can read the services and pathways at %(url)s without "
            "signing in. Nothing about people is shown there."
        )
        % {"url": public_url},
    )


# --- The public, when the programme has published its service map ----------------------------


def _public(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = PUBLIC_CACHE
    return response


@public_view
@require_GET
def public_service_list(request: HttpRequest, slug: str) -> HttpResponse:
    return _public(_service_list(request, selectors.published_programme(slug), None))


@public_view
@require_GET
def public_service_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    context = _service_detail(selectors.published_programme(slug), None, pk)
    return _public(render(request, "measures/service_map/service_detail.html", context))


@public_view
@require_GET
def public_pathway_list(request: HttpRequest, slug: str) -> HttpResponse:
    context = _pathway_list(selectors.published_programme(slug), None)
    return _public(render(request, "measures/service_map/pathways.html", context))


@public_view
@require_GET
def public_pathway_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = selectors.published_programme(slug)
    context = _context(programme, None, pathway=selectors.pathway_of(programme, pk))
    return _public(render(request, "measures/service_map/pathway_detail.html", context))


@public_view
@require_GET
def public_pathway_compare(request: HttpRequest, slug: str, situation: str) -> HttpResponse:
    context = _compare(selectors.published_programme(slug), None, situation)
    return _public(render(request, "measures/service_map/pathway_compare.html", context))


# --- Measures (tiltak / åtgärder) ----------------------------------------------------------------


def _catalogue_url(access: Access) -> str:
    return _url("measures:measures", access)


@programme_view(Perm.MEASURES_VIEW)
@require_GET
def measure_list(request: HttpRequest, access: Access) -> HttpResponse:
    form = MeasureFilterForm(request.GET, programme=access.programme)
    measures = selectors.measures_of(access, form.filters())
    page = Paginator(measures, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "measures": page,
        "may_create": access.can(Perm.MEASURE_MANAGE),
        "may_import": access.can(Perm.MEASURES_IMPORT),
    }
    template = "measures/_measure_rows.html" if request.htmx else "measures/measures.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@programme_view(Perm.MEASURE_MANAGE)
@require_http_methods(["GET", "POST"])
def measure_new(request: HttpRequest, access: Access) -> HttpResponse:
    form = MeasureForm(
        request.POST or None,
        programme=access.programme,
        subprojects=subprojects_editable_by(access),
    )
    if request.method == "POST" and form.is_valid():
        measure = services.save_measure(actor=access.user, request=request, form=form)
        services.plan_sessions(actor=access.user, request=request, measure=measure)
        messages.success(request, _("The measure is saved."))
        return redirect(measure.get_absolute_url())
    return render_form(request, form, title=_("New measure"), cancel_url=_catalogue_url(access))


@programme_view(Perm.MEASURES_VIEW)
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    measure = selectors.measure_of(access, pk)
    require(access, Perm.MEASURE_MANAGE, measure)
    form = MeasureForm(
        request.POST or None,
        programme=access.programme,
        subprojects=subprojects_editable_by(access),
        instance=measure,
    )
    if request.method == "POST" and form.is_valid():
        services.save_measure(actor=access.user, request=request, form=form)
        services.plan_sessions(actor=access.user, request=request, measure=measure)
        messages.success(request, _("The measure is saved."))
        return redirect(measure.get_absolute_url())
    return render_form(
        request, form, title=_("Edit the measure"), cancel_url=measure.get_absolute_url()
    )


@programme_view(Perm.MEASURES_VIEW)
@require_GET
def measure_detail(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    measure = selectors.measure_of(access, pk)
    may_see_people = access.can(Perm.MEASURE_PEOPLE, measure)
    people = selectors.enrolments_in(measure) if may_see_people else Enrolment.objects.none()
    # A busy measure has hundreds of people: they are shown a page at a time.
    page = Paginator(people.exclude(status=EnrolmentStatus.WAITING), ENROLMENTS_SHOWN).get_page(
        request.GET.get("page")
    )
    waiting = list(people.filter(status=EnrolmentStatus.WAITING))
    services.log_people_read(
        actor=access.user,
        request=request,
        measure=measure,
        read="enrolments",
        count=len(page.object_list) + len(waiting),
    )
    now = timezone.now()
    sessions = selectors.sessions_of(measure)
    return render(
        request,
        "measures/measure.html",
        {
            "measure": measure,
            "may_edit": access.can(Perm.MEASURE_MANAGE, measure),
            "may_see_people": may_see_people,
            "enrolments": page.object_list,
            "page": page,
            "waiting": waiting,
            "flow": selectors.flow_of(measure) if may_see_people else None,
            "rate": selectors.measure_attendance_rate(measure) if may_see_people else None,
            "past_sessions": list(sessions.filter(starts_at__lt=now).reverse()[:SESSIONS_SHOWN]),
            "next_sessions": list(sessions.filter(starts_at__gte=now)[:SESSIONS_SHOWN]),
            "partners": measure.partners.all(),
            "goals": measure.goals.all(),
            "indicators": measure.indicators.all(),
        },
    )


SESSIONS_SHOWN = 10
ENROLMENTS_SHOWN = 50


@programme_view(Perm.MEASURES_VIEW)
@require_POST
def measure_plan_sessions(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    measure = selectors.measure_of(access, pk)
    require(access, Perm.MEASURE_MANAGE, measure)
    count = services.plan_sessions(actor=access.user, request=request, measure=measure)
    messages.success(
        request,
        ngettext("%(count)s new session planned.", "%(count)s new sessions planned.", count)
        % {"count": count},
    )
    return redirect(measure.get_absolute_url())


@programme_view(Perm.MEASURES_VIEW)
@require_http_methods(["GET", "POST"])
def measure_enrol(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    measure = selectors.measure_of(access, pk)
    require(access, Perm.MEASURE_PEOPLE, measure)
    form = EnrolForm(
        request.POST or None,
        participants=participants_visible_to(access),
        guides=selectors.guides_of(access.programme),
        initial={"referred_on": timezone.localdate(), "guide": access.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrol_participant(
                actor=access.user,
                request=request,
                measure=measure,
                participant=form.cleaned_data["participant"],
                referral_source=form.cleaned_data["referral_source"],
                referred_on=form.cleaned_data["referred_on"],
                guide=form.cleaned_data["guide"],
                start_now=form.cleaned_data["start_now"],
            )
        except services.EnrolmentError as exc:
            form.add_error("participant", str(exc))
        else:
            if enrolment.status == EnrolmentStatus.WAITING:
                messages.info(
                    request,
                    _("Every place is taken: the participant is number %(n)s on the waiting list.")
                    % {"n": enrolment.position},
                )
            else:
                messages.success(request, _("The participant is enrolled."))
            return redirect(measure.get_absolute_url())
    return render_form(
        request,
        form,
        title=_("Enrol a participant in %(measure)s") % {"measure": measure.name},
        cancel_url=measure.get_absolute_url(),
        submit_label=_("Enrol"),
    )


@programme_view(Perm.MEASURES_VIEW)
@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    session = selectors.session_of(access, pk)
    measure = session.measure
    require(access, Perm.MEASURE_PEOPLE, measure)
    rows = selectors.attendance_sheet(session)
    services.log_people_read(
        actor=access.user, request=request, measure=measure, read="attendance", count=len(rows)
    )
    errors: list[int] = []
    if request.method == "POST":
        marks, errors = parse_attendance(request.POST, rows)
        if not errors:
            changed = services.record_attendance(
                actor=access.user, request=request, session=session, marks=marks
            )
            messages.success(
                request, _("Attendance is saved (%(count)s changed).") % {"count": changed}
            )
            return redirect(measure.get_absolute_url())
    return render(
        request,
        "measures/attendance.html",
        {
            "session": session,
            "measure": measure,
            "rows": rows,
            "reasons": AbsentReason.choices,
            "errors": set(errors),
        },
        status=400 if errors else 200,
    )


def _enrolment(access: Access, public_id: str) -> Enrolment:
    enrolment = selectors.enrolment_for(access, public_id)
    if enrolment is None:
        raise Http404
    return enrolment


def _enrolment_page(
    request: HttpRequest,
    access: Access,
    enrolment: Enrolment,
    status_form: EnrolmentStatusForm | None = None,
) -> HttpResponse:
    may_change = access.can(Perm.MEASURE_PEOPLE, enrolment.measure)
    form = status_form or EnrolmentStatusForm(
        initial={"status": enrolment.status, "changed_on": timezone.localdate()}
    )
    return render(
        request,
        "measures/enrolment.html",
        {
            "enrolment": enrolment,
            "measure": enrolment.measure,
            "participant": enrolment.participant,
            "history": selectors.history_of(enrolment),
            "rate": selectors.attendance_rate(enrolment.attendances.all()),
            "attendances": enrolment.attendances.select_related("session").order_by(
                "-session__starts_at"
            )[:SESSIONS_SHOWN],
            "status_form": form if may_change else None,
            "may_read_notes": access.can(Perm.ENROLMENT_NOTES, enrolment),
            "may_see_record": access.can(Perm.PARTICIPANT_VIEW, enrolment.participant),
        },
        status=400 if status_form is not None else 200,
    )


@programme_view(Perm.MEASURES_VIEW)
@require_GET
def enrolment_detail(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    return _enrolment_page(request, access, _enrolment(access, public_id))


@programme_view(Perm.MEASURES_VIEW)
@require_POST
def enrolment_status(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    enrolment = _enrolment(access, public_id)
    require(access, Perm.MEASURE_PEOPLE, enrolment.measure)
    form = EnrolmentStatusForm(request.POST)
    if not form.is_valid():
        return _enrolment_page(request, access, enrolment, status_form=form)
    services.change_enrolment_status(
        actor=access.user,
        request=request,
        enrolment=enrolment,
        status=form.cleaned_data["status"],
        on=form.cleaned_data["changed_on"],
        reason_code=form.cleaned_data["reason_code"],
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, _("The status is changed."))
    return redirect(enrolment.get_absolute_url())


@programme_view(Perm.MEASURES_VIEW)
@require_http_methods(["GET", "POST"])
def enrolment_notes(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    enrolment = _enrolment(access, public_id)
    require(access, Perm.ENROLMENT_NOTES, enrolment)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_note(
            actor=access.user, request=request, enrolment=enrolment, text=form.cleaned_data["text"]
        )
        messages.success(request, _("The note is saved."))
        return redirect(
            reverse("measures:notes", args=[access.programme.slug, enrolment.public_id])
        )
    notes = services.read_notes(actor=access.user, request=request, enrolment=enrolment)
    return render(
        request,
        "measures/notes.html",
        {
            "enrolment": enrolment,
            "participant": enrolment.participant,
            "notes": notes,
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


def _journey_page(
    request: HttpRequest, access: Access, participant: Participant, *, own: bool
) -> HttpResponse:
    return render(
        request,
        "measures/journey.html",
        {
            "participant": participant,
            "own": own,
            "events": selectors.journey_of(participant),
            "enrolments": selectors.enrolments_of_participant(participant),
        },
    )


@programme_view(Perm.PROGRAMME_VIEW)
@require_GET
def participant_journey(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    participant = participant_for(access, public_id)
    if participant is None:
        raise Http404
    require(access, Perm.PARTICIPANT_VIEW, participant)
    services.log_journey_read(actor=access.user, request=request, participant=participant)
    return _journey_page(request, access, participant, own=False)


@programme_view(Perm.SELF_SERVICE)
@require_GET
def my_journey(request: HttpRequest, access: Access) -> HttpResponse:
    participant = own_participant(access)
    if participant is None:
        raise Http404
    return _journey_page(request, access, participant, own=True)


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
    columns: type[models.TextChoices] = imports.Column
    names: dict[str, str] | None = None
    problems: Callable[[Sequence[str]], list[str]] = imports.column_problems
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
        form = imports.ColumnsForm(
            request.POST, headers=table.headers, choices=steps.columns, problems=steps.problems
        )
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
        guessed = imports.guess_columns(table.headers, steps.columns, steps.names)
        form = imports.ColumnsForm(
            headers=table.headers,
            choices=steps.columns,
            problems=steps.problems,
            initial={imports.column_field_name(i): t for i, t in enumerate(guessed)},
        )
    example = table.rows[0][1] if table.rows else []
    context.update(
        {
            "form": form,
            "token": token,
            "columns": [
                (form[imports.column_field_name(i)], example[i][:60])
                for i in range(len(table.headers))
            ],
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
        return imports.check_catalogue(access, table, columns)

    def run(table: imports.Table, columns: list[str]) -> imports.Report:
        return imports.run_catalogue(access=access, request=request, table=table, columns=columns)

    steps = _ImportSteps(
        template="measures/measures_import.html",
        scope=imports.catalogue_scope(access.programme),
        context={
            "again_url": reverse("measures:measures_import", args=[access.programme.slug]),
        },
        done_url=_catalogue_url(access),
        columns=imports.CatalogueColumn,
        names=imports.CATALOGUE_HEADER_NAMES,
        problems=imports.catalogue_column_problems,
        check=check,
        run=run,
    )
    return _import_steps(request, access, steps)
