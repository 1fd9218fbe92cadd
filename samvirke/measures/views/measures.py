"""Measures: the catalogue, a measure's page, enrolment, attendance, notes and journeys."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import truncatewords
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samvirke.accounts.permissions import (
    Access,
    Perm,
    programme_view,
    require,
    subprojects_editable_by,
)
from samvirke.audit.actor import Actor
from samvirke.lib.urls import address
from samvirke.measures import selectors, services
from samvirke.measures.forms import (
    EnrolForm,
    EnrolmentStatusForm,
    MeasureFilterForm,
    MeasureForm,
    NoteForm,
    parse_attendance,
)
from samvirke.measures.models import (
    AbsentReason,
    Enrolment,
    EnrolmentStatus,
    Measure,
    ReferralStatus,
)
from samvirke.participants import services as participant_services
from samvirke.participants.models import Participant
from samvirke.participants.selectors import (
    follow_up_withdrawn_q,
    own_participant,
    participant_for,
    participants_visible_to,
)
from samvirke.web.forms import change_from
from samvirke.web.pages import render_form
from samvirke.web.reveal import reveal_asked

PAGE_SIZE = 25

# --- Measures (tiltak / insatser) ----------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """A measure as the catalogue shows it, its line of facts put together once: the card's
    template then looks up four values instead of twenty lookups through the model."""

    url: str
    name: str
    facts: str
    description: str

    @classmethod
    def of(cls, measure: Measure, slug: str) -> Card:
        """``measure`` as ``selectors.catalogue_of`` reads it (the columns it names)."""
        place = f"{measure.municipality.name}, " if measure.municipality else ""
        facts = (
            f"{capfirst(measure.kind_label)} · {measure.status_label} · "
            f"{place}{measure.country_label} · {measure.subproject.name}"
        )
        description = measure.description
        return cls(
            url=address("measures:measure", slug, measure.pk),
            name=measure.name,
            facts=facts,
            description=truncatewords(description, 30) if description else "",
        )


def _catalogue_url(access: Access) -> str:
    return reverse("measures:measures", args=[access.programme.slug])


@programme_view(Perm.MEASURES_VIEW)
@require_GET
def measure_list(request: HttpRequest, access: Access) -> HttpResponse:
    form = MeasureFilterForm(request.GET, programme=access.programme)
    measures = selectors.catalogue_of(access, form.filters())
    page = Paginator(measures, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "measures": page,
        "cards": [Card.of(measure, access.programme.slug) for measure in page.object_list],
        "may_create": access.can(Perm.MEASURE_MANAGE),
        "may_import": access.can(Perm.MEASURES_IMPORT),
    }
    template = "measures/_measure_rows.html" if request.htmx else "measures/measures.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@programme_view(Perm.MEASURE_MANAGE)
@require_http_methods(["GET", "POST"])
def measure_new(request: HttpRequest, access: Access) -> HttpResponse:
    actor = Actor.of(request)
    form = MeasureForm(
        request.POST or None,
        programme=access.programme,
        subprojects=subprojects_editable_by(access),
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            measure = services.save_measure(actor=actor, change=change_from(form))
            services.plan_sessions(actor=actor, measure=measure)
        messages.success(request, _("The measure is saved."))
        return redirect(measure.get_absolute_url())
    return render_form(request, form, title=_("New measure"), cancel_url=_catalogue_url(access))


def _say_removed(request: HttpRequest, plan: services.SessionPlan) -> None:
    if plan.removed:
        messages.success(
            request,
            ngettext(
                "%(count)s coming session no longer in the schedule was removed.",
                "%(count)s coming sessions no longer in the schedule were removed.",
                plan.removed,
            )
            % {"count": plan.removed},
        )


@programme_view(Perm.MEASURES_VIEW)
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    actor = Actor.of(request)
    measure = selectors.measure_of(access, pk)
    require(access, Perm.MEASURE_MANAGE, measure)
    form = MeasureForm(
        request.POST or None,
        programme=access.programme,
        subprojects=subprojects_editable_by(access),
        instance=measure,
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            services.save_measure(actor=actor, change=change_from(form))
            plan = services.plan_sessions(actor=actor, measure=measure)
        messages.success(request, _("The measure is saved."))
        _say_removed(request, plan)
        return redirect(measure.get_absolute_url())
    return render_form(
        request, form, title=_("Edit the measure"), cancel_url=measure.get_absolute_url()
    )


@programme_view(Perm.MEASURES_VIEW)
@require_http_methods(["GET", "POST"])
def measure_detail(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    """The people in the measure are listed through the explicit reveal (a POST), which is
    logged; opening the page shows the measure, its sessions and its flow."""
    measure = selectors.measure_of(access, pk)
    may_see_people = access.can(Perm.MEASURE_PEOPLE, measure)
    may_receive = access.can(Perm.REFERRALS_RECEIVE, measure)
    show_people = may_see_people and reveal_asked(request, "people")
    people = selectors.enrolments_in(measure) if show_people else Enrolment.objects.none()
    # A busy measure has hundreds of people: they are shown a page at a time.
    page = Paginator(people.exclude(status=EnrolmentStatus.WAITING), ENROLMENTS_SHOWN).get_page(
        request.GET.get("page")
    )
    waiting = list(people.filter(status=EnrolmentStatus.WAITING))
    if show_people:
        services.log_people_read(
            actor=Actor.of(request),
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
            "show_people": show_people,
            "may_receive": may_receive,
            "waiting_referrals": measure.referrals.filter(status=ReferralStatus.PENDING).count()
            if may_receive
            else 0,
            "enrolments": page.object_list,
            "page": page,
            "waiting": waiting,
            "flow": selectors.flow_of(measure) if may_see_people else None,
            "rate": selectors.measure_attendance_rate(measure) if may_see_people else None,
            "past_sessions": list(sessions.filter(starts_at__lt=now).reverse()[:SESSIONS_SHOWN]),
            # coming sessions have no attendance yet: no counts to work out
            "next_sessions": list(selectors.next_sessions(measure, limit=SESSIONS_SHOWN)),
            "partners": measure.partners.all(),
            # one programme's goals: by position, without joining the programme to sort
            "goals": measure.goals.order_by("position", "id"),
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
    plan = services.plan_sessions(actor=Actor.of(request), measure=measure)
    messages.success(
        request,
        ngettext("%(count)s new session planned.", "%(count)s new sessions planned.", plan.added)
        % {"count": plan.added},
    )
    _say_removed(request, plan)
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
                actor=Actor.of(request),
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


def _reveal_sheet_names(
    request: HttpRequest, access: Access, rows: list[selectors.SheetRow]
) -> dict[int, str]:
    """Names only of those whose record (and so identity) this user may open, in one scoped
    query, not a permission check per row; nor of those who withdrew follow-up. Every name read
    is logged, in one insert."""
    allowed = participants_visible_to(access).filter(
        pk__in=[row.enrolment.participant_id for row in rows]
    )
    withheld = allowed.filter(follow_up_withdrawn_q())
    if withheld.exists():
        messages.info(
            request,
            _(
                "Names of people who have withdrawn their consent to follow-up are not "
                "shown; they keep their pseudonym."
            ),
        )
    return participant_services.reveal_names(
        actor=Actor.of(request),
        programme=access.programme,
        participants=list(allowed.exclude(pk__in=withheld.values("pk"))),
        purpose="taking attendance",  # see audit.models.SYSTEM_PURPOSES
    )


@programme_view(Perm.MEASURES_VIEW)
@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    actor = Actor.of(request)
    session = selectors.session_of(access, pk)
    measure = session.measure
    require(access, Perm.MEASURE_PEOPLE, measure)
    # The sheet (who is in the measure) is read through a POST: the explicit reveal
    # ("reveal=people"), the names on it ("reveal=names") or saving the marks.
    if request.method != "POST":
        return render(request, "measures/attendance.html", {"session": session, "measure": measure})
    rows = selectors.attendance_sheet(session)
    services.log_people_read(actor=actor, measure=measure, read="attendance", count=len(rows))
    errors: list[int] = []
    # Names are revealed by an explicit POST ("show names"), never by opening the page.
    show_names = reveal_asked(request, "names")
    if not show_names and not reveal_asked(request, "people"):
        marks, errors = parse_attendance(request.POST, rows)
        if not errors:
            try:
                changed = services.record_attendance(actor=actor, session=session, marks=marks)
            except services.EnrolmentError as exc:
                messages.error(request, str(exc))
                errors = [-1]  # not one row's fault; the page is shown again, with status 400
            else:
                messages.success(
                    request, _("Attendance is saved (%(count)s changed).") % {"count": changed}
                )
                return redirect(measure.get_absolute_url())
    names: dict[int, str] = {}
    if show_names:
        names = _reveal_sheet_names(request, access, rows)
    return render(
        request,
        "measures/attendance.html",
        {
            "session": session,
            "measure": measure,
            "rows": [(row, names.get(row.enrolment.participant_id, "")) for row in rows],
            "reasons": AbsentReason.choices,
            "errors": set(errors),
            "shown": True,
            "show_names": show_names,
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
    reveal: bool = False,
) -> HttpResponse:
    may_change = access.can(Perm.MEASURE_PEOPLE, enrolment.measure)
    may_read_notes = access.can(Perm.ENROLMENT_NOTES, enrolment)
    history = list(selectors.history_of(enrolment))
    # The comments on status changes are read like notes: only through the explicit reveal.
    comments = sum(1 for change in history if change.reason)
    show_comments = may_read_notes and reveal
    if show_comments:
        services.log_status_comments_read(
            actor=Actor.of(request),
            enrolment=enrolment,
            count=comments,
        )
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
            "history": history,
            "rate": selectors.attendance_rate(enrolment.attendances.all()),
            "attendances": enrolment.attendances.select_related("session").order_by(
                "-session__starts_at"
            )[:SESSIONS_SHOWN],
            "status_form": form if may_change else None,
            "may_read_notes": may_read_notes,
            "show_comments": show_comments,
            "hidden_comments": comments if may_read_notes and not show_comments else 0,
            "may_see_record": access.can(Perm.PARTICIPANT_VIEW, enrolment.participant),
            "may_refer": access.can(Perm.REFERRAL_MAKE, enrolment.participant),
        },
        status=400 if status_form is not None else 200,
    )


@programme_view(Perm.MEASURES_VIEW)
@require_http_methods(["GET", "POST"])
def enrolment_detail(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    enrolment = _enrolment(access, public_id)
    return _enrolment_page(request, access, enrolment, reveal=reveal_asked(request, "comments"))


@programme_view(Perm.MEASURES_VIEW)
@require_POST
def enrolment_status(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    enrolment = _enrolment(access, public_id)
    require(access, Perm.MEASURE_PEOPLE, enrolment.measure)
    form = EnrolmentStatusForm(request.POST)
    if not form.is_valid():
        return _enrolment_page(request, access, enrolment, status_form=form)
    try:
        services.change_enrolment_status(
            actor=Actor.of(request),
            enrolment=enrolment,
            status=form.cleaned_data["status"],
            on=form.cleaned_data["changed_on"],
            reason_code=form.cleaned_data["reason_code"],
            reason=form.cleaned_data["reason"],
        )
    except services.EnrolmentError as exc:
        form.add_error(None, str(exc))
        return _enrolment_page(request, access, enrolment, status_form=form)
    messages.success(request, _("The status is changed."))
    return redirect(enrolment.get_absolute_url())


@programme_view(Perm.MEASURES_VIEW)
@require_http_methods(["GET", "POST"])
def enrolment_notes(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    actor = Actor.of(request)
    enrolment = _enrolment(access, public_id)
    require(access, Perm.ENROLMENT_NOTES, enrolment)
    reveal = reveal_asked(request, "notes")
    form = NoteForm(request.POST if request.method == "POST" and not reveal else None)
    if form.is_bound and form.is_valid():
        try:
            note = services.add_note(
                actor=actor,
                enrolment=enrolment,
                text=form.cleaned_data["text"],
                corrects=form.cleaned_data["corrects"],
            )
        except services.EnrolmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("The correction is saved; the earlier version is kept.")
                if note.corrects_id
                else _("The note is saved."),
            )
            return redirect(
                reverse("measures:notes", args=[access.programme.slug, enrolment.public_id])
            )
    # The notes are read only through the explicit reveal (or a note's POST shown again).
    shown = request.method == "POST"
    notes = services.read_notes(actor=actor, enrolment=enrolment) if shown else []
    return render(
        request,
        "measures/notes.html",
        {
            "enrolment": enrolment,
            "participant": enrolment.participant,
            "notes": services.with_history(notes),
            "shown": shown,
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


def _journey_page(
    request: HttpRequest, access: Access, participant: Participant, *, own: bool, shown: bool = True
) -> HttpResponse:
    return render(
        request,
        "measures/journey.html",
        {
            "participant": participant,
            "own": own,
            "shown": shown,
            "events": selectors.journey_of(participant) if shown else [],
            "may_refer": not own and access.can(Perm.REFERRAL_MAKE, participant),
            "enrolments": selectors.enrolments_of_participant(participant) if shown else [],
        },
    )


@programme_view(Perm.PROGRAMME_VIEW)
@require_http_methods(["GET", "POST"])
def participant_journey(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    """Staff see the journey through the explicit reveal (a POST), which is logged."""
    participant = participant_for(access, public_id)
    if participant is None:
        raise Http404
    require(access, Perm.PARTICIPANT_VIEW, participant)
    if not reveal_asked(request, "journey"):
        return _journey_page(request, access, participant, own=False, shown=False)
    try:
        services.log_journey_read(actor=Actor.of(request), participant=participant)
    except services.EnrolmentError as exc:
        return render(
            request,
            "measures/journey.html",
            {"participant": participant, "own": False, "refused": str(exc)},
            status=403,
        )
    return _journey_page(request, access, participant, own=False)


@programme_view(Perm.SELF_SERVICE)
@require_GET
def my_journey(request: HttpRequest, access: Access) -> HttpResponse:
    participant = own_participant(access)
    if participant is None:
        raise Http404
    return _journey_page(request, access, participant, own=True)
