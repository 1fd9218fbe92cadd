"""Venture pages: list, board, a venture with its team and needs, team formation, pipeline."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samvirke.accounts.permissions import (
    Access,
    Perm,
    programme_view,
    require,
    subprojects_editable_by,
)
from samvirke.audit.actor import Actor
from samvirke.mapping.models import Interest
from samvirke.participants.models import Participant
from samvirke.participants.selectors import own_participant, participants_followed_by
from samvirke.ventures import selectors, services
from samvirke.ventures.forms import (
    CanvasForm,
    DecisionForm,
    FormationForm,
    MemberForm,
    MoveForm,
    NeedForm,
    OutcomeForm,
    VentureForm,
    guides_of,
)
from samvirke.ventures.models import Proposal, Venture
from samvirke.ventures.work_views import work_context
from samvirke.web.forms import change_from
from samvirke.web.pages import render_form
from samvirke.web.reveal import reveal_asked


def _list_url(access: Access) -> str:
    return reverse("ventures:list", args=[access.programme.slug])


@programme_view(Perm.VENTURES_VIEW)
@require_GET
def venture_list(request: HttpRequest, access: Access) -> HttpResponse:
    ventures = selectors.ventures_visible_to(access)
    return render(
        request,
        "ventures/list.html",
        {"ventures": ventures, "may_create": access.can(Perm.VENTURE_MANAGE)},
    )


@programme_view(Perm.VENTURES_VIEW)
@require_GET
def venture_board(request: HttpRequest, access: Access) -> HttpResponse:
    columns = selectors.board_of(access)
    managed = set(selectors.ventures_managed_by(access).values_list("pk", flat=True))
    return render(
        request,
        "ventures/board.html",
        {"columns": columns, "managed": managed, "may_create": access.can(Perm.VENTURE_MANAGE)},
    )


@programme_view(Perm.VENTURE_MANAGE)
@require_http_methods(["GET", "POST"])
def venture_new(request: HttpRequest, access: Access) -> HttpResponse:
    form = VentureForm(
        request.POST or None,
        programme=access.programme,
        subprojects=subprojects_editable_by(access),
    )
    if request.method == "POST" and form.is_valid():
        venture = services.save_venture(actor=Actor.of(request), change=change_from(form))
        messages.success(request, _("The venture is saved."))
        return redirect(venture.get_absolute_url())
    return render_form(request, form, title=_("New venture"), cancel_url=_list_url(access))


def _managed_venture(request: HttpRequest, access: Access, public_id: str) -> Venture:
    venture = selectors.venture_for(access, public_id)
    require(access, Perm.VENTURE_MANAGE, venture, request=request)
    return venture


@programme_view(Perm.VENTURES_VIEW)
@require_http_methods(["GET", "POST"])
def venture_edit(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    venture = _managed_venture(request, access, public_id)
    form = VentureForm(
        request.POST or None,
        programme=access.programme,
        subprojects=subprojects_editable_by(access),
        instance=venture,
    )
    if request.method == "POST" and form.is_valid():
        services.save_venture(actor=Actor.of(request), change=change_from(form))
        messages.success(request, _("The venture is saved."))
        return redirect(venture.get_absolute_url())
    return render_form(
        request, form, title=_("Edit the venture"), cancel_url=venture.get_absolute_url()
    )


@programme_view(Perm.VENTURES_VIEW)
@require_http_methods(["GET", "POST"])
def venture_detail(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    """The team and who covers the needs are shown through the explicit reveal (a POST), which
    is in each member's access log; opening the page shows the venture."""
    venture = selectors.venture_for(access, public_id)
    show_team = reveal_asked(request, "team")
    members = selectors.members_of(venture) if show_team else []
    coverage = selectors.coverage_of(venture, members) if show_team else []
    if show_team:
        shown = [m.participant for m in members if m.participant is not None]
        services.log_profile_reads(actor=Actor.of(request), participants=shown, read="venture_team")
    may_manage = access.can(Perm.VENTURE_MANAGE, venture)
    return render(
        request,
        "ventures/detail.html",
        {
            "venture": venture,
            "show_team": show_team,
            "members": members,
            "coverage": coverage,
            "gaps": sum(1 for row in coverage if row.gap),
            "history": selectors.history_of(venture),
            "interests": [
                Interest(code).label
                for code in sorted(venture.interest_codes)
                if code in Interest.values
            ],
            "may_manage": may_manage,
            "outcome": getattr(venture, "outcome", None),
            "move_form": MoveForm(venture=venture) if may_manage else None,
            **work_context(access, venture),
        },
    )


@programme_view(Perm.VENTURES_VIEW)
@require_POST
def venture_move(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    venture = _managed_venture(request, access, public_id)
    form = MoveForm(request.POST, venture=venture)
    if not form.is_valid():
        return render_form(
            request,
            form,
            title=_("Move %(name)s to another stage") % {"name": venture.name},
            cancel_url=venture.get_absolute_url(),
            submit_label=_("Move"),
        )
    services.move_venture(
        actor=Actor.of(request),
        venture=venture,
        to_stage=form.cleaned_data["stage"],
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, _("The venture has moved."))
    target = request.POST.get("next", "")
    if target == "board":
        return redirect("ventures:board", access.programme.slug)
    return redirect(venture.get_absolute_url())


@programme_view(Perm.VENTURES_VIEW)
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    venture = _managed_venture(request, access, public_id)
    form = MemberForm(
        request.POST or None,
        participants=participants_followed_by(access),
        guides=guides_of(access.programme),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.add_member(
            actor=Actor.of(request),
            venture=venture,
            kind=data["kind"],
            participant=data.get("participant"),
            user=data.get("user"),
            name=data.get("name", ""),
            role=data.get("role", ""),
            hours_per_week=data.get("hours_per_week"),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            skills=list(data.get("skills") or []),
        )
        messages.success(request, _("The team member is added."))
        return redirect(venture.get_absolute_url())
    return render_form(
        request,
        form,
        title=_("Add a team member to %(name)s") % {"name": venture.name},
        cancel_url=venture.get_absolute_url(),
    )


@programme_view(Perm.VENTURES_VIEW)
@require_http_methods(["GET", "POST"])
def need_add(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    venture = _managed_venture(request, access, public_id)
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.add_need(
            actor=Actor.of(request),
            venture=venture,
            importance=data["importance"],
            skill=data.get("skill"),
            occupation=data.get("occupation"),
            description=data.get("description", ""),
        )
        messages.success(request, _("The need is added."))
        return redirect(venture.get_absolute_url())
    return render_form(
        request,
        form,
        title=_("Add a needed competence to %(name)s") % {"name": venture.name},
        cancel_url=venture.get_absolute_url(),
    )


@programme_view(Perm.VENTURES_VIEW)
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    venture = _managed_venture(request, access, public_id)
    current = getattr(venture, "outcome", None)
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {name: getattr(current, name) for name in services.OUTCOME_FIELDS}
        for name in ("operating_6_months", "operating_12_months", "operating_24_months"):
            value = initial[name]
            initial[name] = "" if value is None else ("true" if value else "false")
    form = OutcomeForm(request.POST or None, venture=venture, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.record_outcome(
            actor=Actor.of(request),
            venture=venture,
            values={name: data.get(name) for name in services.OUTCOME_FIELDS},
            owner_national_id=data.get("owner_national_id", ""),
        )
        messages.success(request, _("The outcome is saved."))
        return redirect(venture.get_absolute_url())
    return render_form(
        request,
        form,
        title=_("What came of %(name)s") % {"name": venture.name},
        cancel_url=venture.get_absolute_url(),
    )


@programme_view(Perm.VENTURES_VIEW)
@require_http_methods(["GET", "POST"])
def canvas(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    """The newest canvas (or ``?version=N``), printable; managers save the next version."""
    venture = selectors.venture_for(access, public_id)
    may_manage = access.can(Perm.VENTURE_MANAGE, venture)
    if request.method == "POST":
        require(access, Perm.VENTURE_MANAGE, venture, request=request)
    versions = list(venture.canvases.select_related("created_by").order_by("-version"))
    asked = request.GET.get("version", "")
    shown = versions[0] if versions else None
    if asked:
        shown = next((v for v in versions if str(v.version) == asked[:5]), None)
        if shown is None:
            raise Http404
    form = CanvasForm(request.POST or None, instance=None, initial=_canvas_initial(shown))
    if request.method == "POST" and form.is_valid():
        services.save_canvas(
            actor=Actor.of(request),
            venture=venture,
            blocks={name: str(form.cleaned_data.get(name, "")) for name in form.fields},
        )
        messages.success(request, _("A new version of the canvas is saved."))
        return redirect("ventures:canvas", access.programme.slug, venture.public_id)
    return render(
        request,
        "ventures/canvas.html",
        {
            "venture": venture,
            "canvas": shown,
            "versions": versions,
            "form": form if may_manage else None,
        },
        status=400 if form.is_bound else 200,
    )


def _canvas_initial(canvas: Any) -> dict[str, str]:
    if canvas is None:
        return {}
    return {name: getattr(canvas, name) for name in CanvasForm.Meta.fields}


# --- Team formation --------------------------------------------------------------------------


@programme_view(Perm.VENTURE_MANAGE)
@require_http_methods(["GET", "POST"])
def formation(request: HttpRequest, access: Access) -> HttpResponse:
    form = FormationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run = services.start_formation(
            actor=Actor.of(request),
            access=access,
            seed=form.cleaned_data["seed"],
            max_ventures_per_person=form.cleaned_data["max_ventures_per_person"],
            time_limit=form.cleaned_data["time_limit"],
        )
        return redirect("ventures:formation_run", access.programme.slug, run.public_id)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "ventures/formation.html",
        {
            "form": form,
            "run": selectors.latest_run(access),
            "candidates": selectors.candidates_for(access).count(),
            "ventures": selectors.ventures_managed_by(access).count(),
        },
        status=status,
    )


def _explained(proposals: list[Proposal], labels: dict[str, str]) -> list[dict[str, Any]]:
    names = {
        str(v.public_id): v.name
        for v in Venture.objects.filter(
            public_id__in=[
                p.explanation.get("alternative")
                for p in proposals
                if p.explanation.get("alternative")
            ]
        )
    }
    interest_labels = dict(Interest.choices)
    rows = []
    for proposal in proposals:
        why = proposal.explanation
        rows.append(
            {
                "proposal": proposal,
                "covers": [_need_label(code, labels) for code in why.get("covers", [])],
                "only_one": [_need_label(code, labels) for code in why.get("only_one", [])],
                "interests": [
                    str(interest_labels.get(code, code)) for code in why.get("interests", [])
                ],
                "alternative": names.get(why.get("alternative", ""), ""),
                "gain": why.get("gain", 0),
                "alternative_gain": why.get("alternative_gain", 0),
            }
        )
    return rows


def _need_label(code: str, labels: dict[str, str]) -> str:
    if code.startswith("isco:"):
        return _("work as ISCO-08 %(code)s") % {"code": code.removeprefix("isco:")}
    return labels.get(code, code)


@programme_view(Perm.VENTURE_MANAGE)
@require_http_methods(["GET", "POST"])
def formation_run(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    """The proposals (people's mapped skills) are shown through the explicit reveal (a POST),
    which is in each proposed person's access log; opening the page shows the run."""
    run = selectors.run_for(access, public_id)
    show = run.finished and reveal_asked(request, "proposals")
    proposals = list(selectors.proposals_of(run, access)) if show else []
    if show:
        services.log_profile_reads(
            actor=Actor.of(request),
            participants=[p.participant for p in proposals],
            read="team_proposal",
        )
    context = {
        "run": run,
        "shown": show,
        "rows": _explained(proposals, selectors.skill_labels()),
    }
    if request.htmx:  # type: ignore[attr-defined]
        if run.finished:  # the whole page, with the proposals
            return HttpResponse(headers={"HX-Refresh": "true"})
        return render(request, "ventures/_run_progress.html", context)
    return render(request, "ventures/formation_run.html", context)


@programme_view(Perm.VENTURE_MANAGE)
@require_POST
def proposal_decide(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    proposal = selectors.proposal_for(access, public_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose accept or reject."), status=400)
    if not proposal.is_open:
        messages.error(request, _("This proposal has already been decided."))
    else:
        accept = form.cleaned_data["decision"] == "accept"
        services.decide_proposal(actor=Actor.of(request), proposal=proposal, accept=accept)
        messages.success(
            request,
            _("Accepted: %(who)s joins the team.") % {"who": proposal.participant.pseudonym}
            if accept
            else _("Rejected."),
        )
    return redirect("ventures:formation_run", access.programme.slug, proposal.run.public_id)


# --- The participant's own proposals ---------------------------------------------------------


def _own_record(access: Access) -> Participant:
    record = own_participant(access)
    if record is None:
        raise Http404
    return record


@programme_view(Perm.SELF_SERVICE)
@require_GET
def my_proposals(request: HttpRequest, access: Access) -> HttpResponse:
    record = _own_record(access)
    proposals = list(selectors.proposals_about(record))
    return render(
        request,
        "ventures/my_proposals.html",
        {"rows": _explained(proposals, selectors.skill_labels())},
    )


@programme_view(Perm.SELF_SERVICE)
@require_POST
def my_proposal_decline(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    record = _own_record(access)
    proposal = selectors.proposals_about(record).filter(public_id=public_id).first()
    if proposal is None:
        raise Http404
    if proposal.status in ("proposed", "accepted"):
        services.decline_proposal(actor=Actor.of(request), proposal=proposal)
        messages.success(request, _("You have said no. Nobody will put you on this team."))
    return redirect("ventures:my_proposals", access.programme.slug)


# --- The pipeline ----------------------------------------------------------------------------


@programme_view(Perm.VENTURE_PIPELINE)
@require_GET
def pipeline(request: HttpRequest, access: Access) -> HttpResponse:
    return render(
        request,
        "ventures/pipeline.html",
        {"pipeline": selectors.pipeline_of(access), "may_create": access.can(Perm.VENTURE_MANAGE)},
    )
