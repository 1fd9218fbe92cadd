from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samvirke.accounts.http import base_url_for
from samvirke.accounts.models import Membership
from samvirke.accounts.permissions import Access, Perm, programme_view, require
from samvirke.activities.models import OPEN_ACTION_STATUSES, ActivityType
from samvirke.activities.services import calendar_token_for, renew_calendar_token
from samvirke.audit.actor import Actor
from samvirke.programmes import selectors, services
from samvirke.programmes.forms import (
    GoalForm,
    IndicatorForm,
    MembershipForm,
    MilestoneForm,
    OrganisationForm,
    PartnershipForm,
    ProgrammeForm,
    ProjectGroupMemberForm,
    SearchForm,
    SubprojectForm,
)
from samvirke.programmes.models import (
    Goal,
    Indicator,
    Milestone,
    Organisation,
    Partnership,
    ProjectGroupMember,
    Subproject,
)
from samvirke.programmes.search import search_entries
from samvirke.web.forms import change_from, parse_id
from samvirke.web.pages import render_form


def _url(name: str, access: Access, *args: object) -> str:
    return reverse(name, args=[access.programme.slug, *args])


@programme_view(Perm.PROGRAMME_VIEW)
def dashboard(request: HttpRequest, access: Access) -> HttpResponse:
    if not access.can(Perm.PROGRAMME_OVERVIEW):
        from samvirke.activities.models import Registration, RegistrationStatus
        from samvirke.activities.selectors import upcoming_activities

        mine = (
            Registration.objects.filter(user=access.user, activity__programme=access.programme)
            .exclude(status=RegistrationStatus.CANCELLED)
            .select_related("activity")
            .order_by("-activity__starts_at")[:20]
        )
        return render(
            request,
            "programmes/participant_home.html",
            {"upcoming": upcoming_activities(access, limit=10), "mine": mine},
        )
    return render(request, "programmes/dashboard.html", {"dash": selectors.dashboard_for(access)})


@programme_view(Perm.PROGRAMME_EDIT)
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, access: Access) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, instance=access.programme)
    if request.method == "POST" and form.is_valid():
        services.update_programme(actor=Actor.of(request), change=change_from(form))
        messages.success(request, _("The programme is saved."))
        return redirect(_url("programmes:dashboard", access))
    return render_form(
        request,
        form,
        title=_("Edit the programme"),
        cancel_url=_url("programmes:dashboard", access),
    )


@programme_view(Perm.PROGRAMME_OVERVIEW)
def partners(request: HttpRequest, access: Access) -> HttpResponse:
    return render(
        request, "programmes/partners.html", {"partnerships": selectors.partnerships(access)}
    )


@programme_view(Perm.PARTNERS_MANAGE)
@require_http_methods(["GET", "POST"])
def partner_add(request: HttpRequest, access: Access) -> HttpResponse:
    initial = {}
    organisation = parse_id(request.GET.get("organisation", ""))
    if organisation is not None:
        initial["organisation"] = organisation
    form = PartnershipForm(request.POST or None, programme=access.programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_partnership(actor=Actor.of(request), change=change_from(form))
        messages.success(request, _("The partner is added."))
        return redirect(_url("programmes:partners", access))
    return render_form(
        request,
        form,
        title=_("Add a partner"),
        cancel_url=_url("programmes:partners", access),
        intro=_("Is the organisation not in the list? Register it first."),
        extra={"intro_link": _url("programmes:organisation_new", access)},
    )


@programme_view(Perm.PARTNERS_MANAGE)
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    partnership = get_object_or_404(Partnership, pk=pk, programme=access.programme)
    form = PartnershipForm(request.POST or None, programme=access.programme, instance=partnership)
    if request.method == "POST" and form.is_valid():
        services.save_partnership(actor=Actor.of(request), change=change_from(form))
        messages.success(request, _("The partnership is saved."))
        return redirect(_url("programmes:partners", access))
    return render_form(
        request,
        form,
        title=_("Edit the partnership"),
        cancel_url=_url("programmes:partners", access),
    )


@programme_view(Perm.PARTNERS_MANAGE)
@require_POST
def partner_remove(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    partnership = get_object_or_404(Partnership, pk=pk, programme=access.programme)
    if partnership.organisation.subprojects.filter(programme=access.programme).exists():
        messages.error(request, _("The organisation owns subprojects here; change those first."))
    else:
        services.end_partnership(actor=Actor.of(request), partnership=partnership)
        messages.success(request, _("The partner is removed from the programme."))
    return redirect(_url("programmes:partners", access))


@programme_view(Perm.PARTNERS_MANAGE)
@require_http_methods(["GET", "POST"])
def organisation_new(request: HttpRequest, access: Access) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.save_organisation(
            actor=Actor.of(request), programme=access.programme, change=change_from(form)
        )
        messages.success(request, _("The organisation is registered."))
        return redirect(f"{_url('programmes:partner_add', access)}?organisation={organisation.pk}")
    return render_form(
        request,
        form,
        title=_("Register an organisation"),
        cancel_url=_url("programmes:partners", access),
    )


@programme_view(Perm.PARTNERS_MANAGE)
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk, partnerships__programme=access.programme)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.save_organisation(
            actor=Actor.of(request), programme=access.programme, change=change_from(form)
        )
        messages.success(request, _("The organisation is saved."))
        return redirect(_url("programmes:partners", access))
    return render_form(
        request,
        form,
        title=_("Edit the organisation"),
        cancel_url=_url("programmes:partners", access),
    )


@programme_view(Perm.PROGRAMME_OVERVIEW)
def subprojects(request: HttpRequest, access: Access) -> HttpResponse:
    return render(
        request,
        "programmes/subprojects.html",
        {"subprojects": selectors.subprojects_at_a_glance(access)},
    )


@programme_view(Perm.SUBPROJECT_CREATE)
@require_http_methods(["GET", "POST"])
def subproject_new(request: HttpRequest, access: Access) -> HttpResponse:
    form = SubprojectForm(request.POST or None, programme=access.programme)
    if request.method == "POST" and form.is_valid():
        subproject = services.save_subproject(actor=Actor.of(request), change=change_from(form))
        messages.success(request, _("The subproject is created."))
        return redirect(subproject.get_absolute_url())
    return render_form(
        request,
        form,
        title=_("New subproject"),
        cancel_url=_url("programmes:subprojects", access),
    )


@programme_view(Perm.PROGRAMME_OVERVIEW)
def subproject_detail(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    subproject = get_object_or_404(
        Subproject.objects.select_related("contact_person").prefetch_related(
            "owners", "indicators"
        ),
        pk=pk,
        programme=access.programme,
    )

    activities = subproject.activities.select_related("organiser").order_by("-starts_at")[:20]
    actions = (
        subproject.actions.filter(status__in=OPEN_ACTION_STATUSES)
        .select_related("owner")
        .prefetch_related("owner__memberships")
    )
    return render(
        request,
        "programmes/subproject_detail.html",
        {
            "subproject": subproject,
            "people": selectors.subproject_people(subproject),
            "group_members": subproject.project_group_members.select_related("user"),
            "activities": activities,
            "actions": actions,
            "may_edit": access.can(Perm.SUBPROJECT_EDIT, subproject),
        },
    )


@programme_view(Perm.PROGRAMME_VIEW)
@require_http_methods(["GET", "POST"])
def subproject_edit(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    subproject = get_object_or_404(Subproject, pk=pk, programme=access.programme)
    require(access, Perm.SUBPROJECT_EDIT, subproject)
    form = SubprojectForm(request.POST or None, programme=access.programme, instance=subproject)
    if request.method == "POST" and form.is_valid():
        services.save_subproject(actor=Actor.of(request), change=change_from(form))
        messages.success(request, _("The subproject is saved."))
        return redirect(subproject.get_absolute_url())
    return render_form(
        request, form, title=_("Edit the subproject"), cancel_url=subproject.get_absolute_url()
    )


@programme_view(Perm.PROGRAMME_OVERVIEW)
def project_group(request: HttpRequest, access: Access) -> HttpResponse:

    meetings = access.programme.activities.filter(type=ActivityType.PROJECT_GROUP_MEETING).order_by(
        "-starts_at"
    )[:10]
    return render(
        request,
        "programmes/project_group.html",
        {"members": selectors.project_group(access), "meetings": meetings},
    )


@programme_view(Perm.PROJECT_GROUP_MANAGE)
@require_http_methods(["GET", "POST"])
def project_group_add(request: HttpRequest, access: Access) -> HttpResponse:
    form = ProjectGroupMemberForm(request.POST or None, programme=access.programme)
    if request.method == "POST" and form.is_valid():
        services.add_project_group_member(actor=Actor.of(request), change=change_from(form))
        messages.success(request, _("The person is added to the project group."))
        return redirect(_url("programmes:project_group", access))
    return render_form(
        request,
        form,
        title=_("Add to the project group"),
        cancel_url=_url("programmes:project_group", access),
    )


@programme_view(Perm.PROJECT_GROUP_MANAGE)
@require_POST
def project_group_remove(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    member = get_object_or_404(ProjectGroupMember, pk=pk, programme=access.programme)
    services.remove_project_group_member(actor=Actor.of(request), member=member)
    messages.success(request, _("The person is removed from the project group."))
    return redirect(_url("programmes:project_group", access))


@programme_view(Perm.PROGRAMME_OVERVIEW)
def goals(request: HttpRequest, access: Access) -> HttpResponse:
    return render(
        request,
        "programmes/goals.html",
        {
            "goals": selectors.goals_with_indicators(access),
            "milestones": selectors.milestones(access),
        },
    )


def _goal_part_form(
    request: HttpRequest,
    access: Access,
    form_class: type[GoalForm] | type[IndicatorForm] | type[MilestoneForm],
    title: str,
    instance: object = None,
) -> HttpResponse:
    form = form_class(request.POST or None, programme=access.programme, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.save_goal_part(
            actor=Actor.of(request), programme=access.programme, change=change_from(form)
        )
        messages.success(request, _("Saved."))
        return redirect(_url("programmes:goals", access))
    return render_form(request, form, title=title, cancel_url=_url("programmes:goals", access))


@programme_view(Perm.GOALS_MANAGE)
@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest, access: Access) -> HttpResponse:
    return _goal_part_form(request, access, GoalForm, _("New goal"))


@programme_view(Perm.GOALS_MANAGE)
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal, pk=pk, programme=access.programme)
    return _goal_part_form(request, access, GoalForm, _("Edit the goal"), goal)


@programme_view(Perm.GOALS_MANAGE)
@require_http_methods(["GET", "POST"])
def indicator_new(request: HttpRequest, access: Access) -> HttpResponse:
    return _goal_part_form(request, access, IndicatorForm, _("New indicator"))


@programme_view(Perm.GOALS_MANAGE)
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator, pk=pk, goal__programme=access.programme)
    return _goal_part_form(request, access, IndicatorForm, _("Edit the indicator"), indicator)


@programme_view(Perm.GOALS_MANAGE)
@require_http_methods(["GET", "POST"])
def milestone_new(request: HttpRequest, access: Access) -> HttpResponse:
    return _goal_part_form(request, access, MilestoneForm, _("New milestone"))


@programme_view(Perm.GOALS_MANAGE)
@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone, pk=pk, programme=access.programme)
    return _goal_part_form(request, access, MilestoneForm, _("Edit the milestone"), milestone)


@programme_view(Perm.MEMBERS_MANAGE)
def members(request: HttpRequest, access: Access) -> HttpResponse:
    return render(request, "programmes/members.html", {"members": selectors.memberships(access)})


@programme_view(Perm.MEMBERS_MANAGE)
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, access: Access) -> HttpResponse:
    form = MembershipForm(request.POST or None, programme=access.programme)
    if request.method == "POST" and form.is_valid():
        services.grant_membership(
            actor=Actor.of(request), change=change_from(form), base_url=base_url_for(request)
        )
        messages.success(request, _("The role is granted."))
        return redirect(_url("programmes:members", access))
    return render_form(
        request,
        form,
        title=_("Grant a role"),
        cancel_url=_url("programmes:members", access),
    )


@programme_view(Perm.MEMBERS_MANAGE)
@require_POST
def member_remove(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership, pk=pk, programme=access.programme)
    if membership.user_id == access.user.pk and membership.role in (
        "programme_leader",
        "coordinator",
    ):
        messages.error(request, _("You cannot take away your own management role."))
    else:
        services.revoke_membership(actor=Actor.of(request), membership=membership)
        messages.success(request, _("The role is taken away."))
    return redirect(_url("programmes:members", access))


@programme_view(Perm.SEARCH)
def search(request: HttpRequest, access: Access) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        visibilities = {"workspace"} if access.is_workspace_member else set()
        paginator = Paginator(
            search_entries(access.programme, form.cleaned_data["q"], visibilities=visibilities),
            25,
        )
        results = paginator.get_page(request.GET.get("page"))
    return render(request, "programmes/search.html", {"form": form, "results": results})


@programme_view(Perm.ACTIVITY_VIEW)
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest, access: Access) -> HttpResponse:
    """The person's own calendar address: it stops working when they lose their role."""

    if request.method == "POST":
        renew_calendar_token(actor=Actor.of(request), programme=access.programme)
        messages.success(request, _("A new calendar address is made; the old one stops working."))
        return redirect(_url("programmes:calendar_settings", access))
    token = calendar_token_for(user=access.user, programme=access.programme)
    feed_url = request.build_absolute_uri(
        reverse("activities:calendar_feed", args=[access.programme.slug, token])
    )
    return render(request, "programmes/calendar_settings.html", {"feed_url": feed_url})
