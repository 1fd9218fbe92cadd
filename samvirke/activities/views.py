from __future__ import annotations

import datetime as dt
import secrets

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samvirke.accounts.permissions import (
    Access,
    Perm,
    access_for,
    activities_visible_to,
    can,
    programme_view,
    public_view,
    require,
)
from samvirke.activities import selectors, services
from samvirke.activities.calendar import activities_as_ical
from samvirke.activities.forms import (
    ACTION_STATUS_FILTERS,
    ActionForm,
    ActivityForm,
    DecisionForm,
    RegisterPersonForm,
)
from samvirke.activities.models import (
    Action,
    Activity,
    ActivityType,
    CalendarSubscription,
    Registration,
    RegistrationStatus,
)
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.participants.selectors import participants_visible_to
from samvirke.participants.services import reveal_names
from samvirke.programmes.models import Subproject
from samvirke.web.forms import change_from, parse_id
from samvirke.web.pages import render_form
from samvirke.web.reveal import reveal_asked


def _activity(access: Access, public_id: str) -> Activity:
    activity = (
        activities_visible_to(access)
        .filter(public_id=public_id)
        .select_related("programme", "organiser", "created_by")
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def _list_url(access: Access) -> str:
    return reverse("activities:list", args=[access.programme.slug])


@programme_view(Perm.PROGRAMME_VIEW)
@require_GET
def activity_list(request: HttpRequest, access: Access) -> HttpResponse:
    when = request.GET.get("when", "")
    if when not in {"upcoming", "past", "all"}:
        when = selectors.default_when(access.programme)
    activity_type = request.GET.get("type", "")
    if activity_type not in ActivityType.values:
        activity_type = ""
    subproject = parse_id(request.GET.get("subproject", ""))
    filters = selectors.ActivityFilter(
        type=activity_type,
        subproject=subproject,
        when=when,
        q=request.GET.get("q", "").replace("\x00", "")[:100],
    )
    page = Paginator(selectors.activity_list(access, filters), 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "types": ActivityType.choices,
        "subprojects": Subproject.objects.filter(programme=access.programme).only("id", "name")
        if access.is_workspace_member
        else [],
        "may_create": access.can(Perm.ACTIVITY_CREATE),
    }
    template = "activities/_activity_rows.html" if request.htmx else "activities/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@programme_view(Perm.ACTIVITY_CREATE)
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest, access: Access) -> HttpResponse:
    initial = {"time_zone": access.user.time_zone}
    form = ActivityForm(request.POST or None, programme=access.programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        activity = services.save_activity(actor=Actor.of(request), change=change_from(form))
        messages.success(request, _("The activity is created."))
        return redirect(activity.get_absolute_url())
    return render_form(request, form, title=_("New activity"), cancel_url=_list_url(access))


@programme_view(Perm.PROGRAMME_VIEW)
@require_http_methods(["GET", "POST"])
def activity_detail(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    """Who registered is shown through the explicit reveal (a POST), which is logged."""
    activity = _activity(access, public_id)
    require(access, Perm.ACTIVITY_VIEW, activity)
    may_see_people = access.can(Perm.ACTIVITY_ATTENDANCE, activity)
    show_people = may_see_people and reveal_asked(request, "people")
    registrations = list(selectors.registrations_for(activity)) if show_people else []
    if registrations:
        record_event(
            action=AuditAction.VIEW,
            actor=Actor.of(request),
            obj=activity,
            programme=access.programme,
            detail={"read": "registrations", "count": len(registrations)},
        )
    registered = sum(
        1 for r in activity.registrations.all() if r.status == RegistrationStatus.REGISTERED
    )
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "registrations": registrations,
            "registered_count": registered,
            "own": selectors.own_registration(activity, access),
            "may_edit": access.can(Perm.ACTIVITY_EDIT, activity),
            "may_see_people": may_see_people,
            "show_people": show_people,
            "may_register": access.can(Perm.ACTIVITY_REGISTER_SELF, activity),
            "workspace": access.is_workspace_member,
            "decisions": activity.decisions.all(),
            "actions": activity.actions.select_related("owner").prefetch_related(
                "owner__memberships"
            ),
            "decision_form": DecisionForm(),
            "register_form": RegisterPersonForm(programme=access.programme)
            if may_see_people
            else None,
            "subprojects": activity.subprojects.all(),
        },
    )


@programme_view(Perm.PROGRAMME_VIEW)
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    activity = _activity(access, public_id)
    require(access, Perm.ACTIVITY_EDIT, activity)
    form = ActivityForm(request.POST or None, programme=access.programme, instance=activity)
    if request.method == "POST" and form.is_valid():
        services.save_activity(actor=Actor.of(request), change=change_from(form))
        messages.success(request, _("The activity is saved."))
        return redirect(activity.get_absolute_url())
    return render_form(
        request, form, title=_("Edit the activity"), cancel_url=activity.get_absolute_url()
    )


@programme_view(Perm.PROGRAMME_VIEW)
@require_POST
def register_self(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    activity = _activity(access, public_id)
    require(access, Perm.ACTIVITY_REGISTER_SELF, activity)
    try:
        registration = services.register_for_activity(
            actor=Actor.of(request), activity=activity, person=access.user
        )
    except services.RegistrationError as exc:
        messages.error(request, str(exc))
    else:
        if registration.status == RegistrationStatus.WAITING:
            messages.info(request, _("The activity is full: you are on the waiting list."))
        else:
            messages.success(request, _("You are registered."))
    return redirect(activity.get_absolute_url())


@programme_view(Perm.PROGRAMME_VIEW)
@require_POST
def cancel_self(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    activity = _activity(access, public_id)
    registration = get_object_or_404(Registration, activity=activity, user=access.user)
    services.cancel_registration(actor=Actor.of(request), registration=registration)
    messages.success(request, _("Your registration is cancelled."))
    return redirect(activity.get_absolute_url())


@programme_view(Perm.PROGRAMME_VIEW)
@require_POST
def register_person(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    activity = _activity(access, public_id)
    require(access, Perm.ACTIVITY_ATTENDANCE, activity)
    form = RegisterPersonForm(request.POST, programme=access.programme)
    if form.is_valid():
        try:
            registration = services.register_for_activity(
                actor=Actor.of(request),
                activity=activity,
                person=form.cleaned_data["person"],
            )
        except services.RegistrationError as exc:
            messages.error(request, str(exc))
        else:
            if registration.status == RegistrationStatus.WAITING:
                messages.info(
                    request, _("The activity is full: the person is on the waiting list.")
                )
            else:
                messages.success(request, _("The person is registered."))
    else:
        messages.error(request, _("Choose a person from the list."))
    return redirect(activity.get_absolute_url())


@programme_view(Perm.PROGRAMME_VIEW)
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    actor = Actor.of(request)
    activity = _activity(access, public_id)
    require(access, Perm.ACTIVITY_ATTENDANCE, activity)
    # The sheet is read through a POST: the explicit reveal ("reveal=people"), the names on it
    # ("reveal=names") or saving the marks; opening it writes nothing.
    if request.method != "POST":
        return render(request, "activities/attendance.html", {"activity": activity})
    registrations = list(
        selectors.registrations_for(activity).filter(status=RegistrationStatus.REGISTERED)
    )
    record_event(
        action=AuditAction.VIEW,
        actor=actor,
        obj=activity,
        programme=access.programme,
        detail={"read": "attendance", "count": len(registrations)},
    )
    errors = []
    reveal = reveal_asked(request, "names")
    if not reveal and not reveal_asked(request, "people"):
        marks: dict[int, bool | None] = {}
        for registration in registrations:
            value = request.POST.get(f"attended-{registration.pk}", "")
            if value not in {"", "yes", "no"}:
                errors.append(registration)
                continue
            marks[registration.pk] = {"yes": True, "no": False}.get(value)
        if not errors:
            changed = services.record_attendance(actor=actor, activity=activity, attended=marks)
            messages.success(
                request, _("Attendance is saved (%(count)s changed).") % {"count": changed}
            )
            return redirect(activity.get_absolute_url())
    names = _revealed_names(access, request, registrations) if reveal else {}
    return render(
        request,
        "activities/attendance.html",
        {
            "activity": activity,
            "rows": [(r, names.get(r.user_id, "")) for r in registrations],
            "shown": True,
            "show_names": reveal,
            "errors": bool(errors),
        },
        status=400 if errors else 200,
    )


def _revealed_names(
    access: Access, request: HttpRequest, registrations: list[Registration]
) -> dict[int, str]:
    """Names by account, asked for with a POST: only of those whose record this user may open,
    each read written in the participant's access log."""

    allowed = list(
        participants_visible_to(access).filter(account_id__in=[r.user_id for r in registrations])
    )
    names = reveal_names(
        actor=Actor.of(request),
        programme=access.programme,
        participants=allowed,
        purpose="taking attendance",  # see audit.models.SYSTEM_PURPOSES
    )
    return {p.account_id: names[p.pk] for p in allowed if p.account_id is not None}


@programme_view(Perm.PROGRAMME_VIEW)
@require_POST
def decision_new(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    activity = _activity(access, public_id)
    require(access, Perm.ACTIVITY_EDIT, activity)
    form = DecisionForm(request.POST)
    if form.is_valid():
        services.add_decision(actor=Actor.of(request), activity=activity, change=change_from(form))
        messages.success(request, _("The decision is recorded."))
        return redirect(activity.get_absolute_url())
    return render_form(
        request, form, title=_("Record a decision"), cancel_url=activity.get_absolute_url()
    )


@programme_view(Perm.PROGRAMME_VIEW)
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    activity = _activity(access, public_id)
    require(access, Perm.ACTIVITY_EDIT, activity)
    form = ActionForm(
        request.POST or None,
        programme=access.programme,
        activity=activity,
        initial={"due_on": timezone.localdate() + dt.timedelta(days=14)},
    )
    if request.method == "POST" and form.is_valid() and _saved_action(access, request, form):
        messages.success(request, _("The action is recorded."))
        return redirect(activity.get_absolute_url())
    return render_form(
        request, form, title=_("New follow-up action"), cancel_url=activity.get_absolute_url()
    )


def _saved_action(access: Access, request: HttpRequest, form: ActionForm) -> bool:
    try:
        services.save_action(actor=Actor.of(request), change=change_from(form))
    except services.ActionOwnerError as exc:
        form.add_error("owner", str(exc))
        return False
    return True


@programme_view(Perm.ACTIONS_VIEW)
@require_GET
def action_list(request: HttpRequest, access: Access) -> HttpResponse:
    status = request.GET.get("status", selectors.SHOW_OPEN)
    if status not in {value for value, _label in ACTION_STATUS_FILTERS}:
        status = selectors.SHOW_OPEN
    mine = request.GET.get("mine") == "1"
    page = Paginator(selectors.actions_for(access, status=status, owner_only=mine), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "activities/actions.html",
        {"page": page, "status": status, "mine": mine, "filters": ACTION_STATUS_FILTERS},
    )


@programme_view(Perm.ACTIONS_VIEW)
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    action = get_object_or_404(Action, pk=pk, programme=access.programme)
    require(access, Perm.ACTION_EDIT, action)
    form = ActionForm(request.POST or None, programme=access.programme, instance=action)
    if request.method == "POST" and form.is_valid() and _saved_action(access, request, form):
        messages.success(request, _("The action is saved."))
        return redirect(reverse("activities:actions", args=[access.programme.slug]))
    return render_form(
        request,
        form,
        title=_("Edit the action"),
        cancel_url=reverse("activities:actions", args=[access.programme.slug]),
    )


@public_view
@require_GET
def calendar_feed(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """A person's private iCalendar feed: it answers while they hold a role that sees activities."""
    subscription = (
        CalendarSubscription.objects.filter(programme__slug=slug, token=token[:64])
        .select_related("user", "programme")
        .first()
    )
    # Bytes: compare_digest refuses non-ASCII text, and anyone may type the address.
    if subscription is None or not secrets.compare_digest(
        subscription.token.encode(), token.encode()
    ):
        raise Http404
    programme = subscription.programme
    access = access_for(subscription.user, programme)
    if not can(access, Perm.ACTIVITY_VIEW):
        raise Http404
    since = timezone.now() - dt.timedelta(days=365)
    visible = activities_visible_to(access).values("pk")
    body = activities_as_ical(
        programme,
        selectors.calendar_activities(programme.pk, since=since).filter(pk__in=visible),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = f'inline; filename="{programme.slug}.ics"'
    return response
