"""Writes for ventures: each keyword-only, atomic, and writing the audit log itself."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from samvirke.accounts.models import User
from samvirke.accounts.permissions import Access, access_for
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import Change, record_change, record_event
from samvirke.mapping.models import Occupation, Skill
from samvirke.participants.models import Participant
from samvirke.participants.services import cipher
from samvirke.ventures import checklists, engine, selectors
from samvirke.ventures.models import (
    STAGE_ORDER,
    Canvas,
    FormationRun,
    MemberKind,
    Need,
    Outcome,
    Proposal,
    ProposalStatus,
    RunStatus,
    Stage,
    StageChange,
    TeamMember,
    Venture,
)
from samvirke.ventures.tasks import run_team_formation

logger = logging.getLogger(__name__)


class VentureError(ValueError):
    """A change the rules do not allow; the message is shown to the user."""


@transaction.atomic
def save_venture(*, actor: Actor, change: Change[Venture]) -> Venture:
    """Create or update a venture; a new one starts its stage history."""
    creating = change.creating
    venture = change.obj
    if creating:
        venture.created_by = actor.user
        venture.stage_since = timezone.now()
    record_change(actor=actor, change=change, programme=venture.programme)
    if creating:
        StageChange.objects.create(
            venture=venture,
            from_stage="",
            to_stage=venture.stage,
            moved_by=actor.user,
            moved_at=venture.stage_since,
        )
        checklists.open_stage(venture=venture)
    elif "country" in change.fields:
        checklists.change_country(venture=venture)
    return venture


@transaction.atomic
def move_venture(*, actor: Actor, venture: Venture, to_stage: str, reason: str) -> StageChange:
    """Move a venture to another stage with a dated note of who and why."""
    if to_stage not in STAGE_ORDER:
        raise VentureError("unknown stage")
    venture = Venture.objects.select_for_update().get(pk=venture.pk)
    if venture.stage == to_stage:
        raise VentureError("already in this stage")
    now = timezone.now()
    change = StageChange.objects.create(
        venture=venture,
        from_stage=venture.stage,
        to_stage=to_stage,
        reason=reason.strip(),
        moved_by=actor.user,
        moved_at=now,
    )
    venture.stage = to_stage
    venture.stage_since = now
    venture.save(update_fields=["stage", "stage_since", "updated_at"])
    checklists.open_stage(venture=venture)
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=venture,
        programme=venture.programme,
        detail={"stage": [change.from_stage, to_stage]},
    )
    return change


@transaction.atomic
def add_member(
    *,
    actor: Actor,
    venture: Venture,
    kind: str,
    participant: Participant | None = None,
    user: User | None = None,
    name: str = "",
    role: str = "",
    hours_per_week: Decimal | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    skills: list[Skill] | None = None,
) -> TeamMember:
    if kind == MemberKind.PARTICIPANT and participant is None:
        raise VentureError("a participant member needs a participant")
    if participant is not None and participant.programme_id != venture.programme_id:
        raise VentureError("participant of another programme")
    member = TeamMember.objects.create(
        venture=venture,
        kind=kind,
        participant=participant if kind == MemberKind.PARTICIPANT else None,
        user=user if kind == MemberKind.GUIDE else None,
        name="" if kind in (MemberKind.PARTICIPANT, MemberKind.GUIDE) else name.strip(),
        role=role.strip(),
        hours_per_week=hours_per_week,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
    )
    if skills and kind != MemberKind.PARTICIPANT:
        member.skills.set(skills)
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        obj=member,
        programme=venture.programme,
        object_label=f"{venture}: {member.label}",
        detail={"venture": str(venture.public_id), "kind": kind},
    )
    return member


@transaction.atomic
def add_need(
    *,
    actor: Actor,
    venture: Venture,
    importance: int,
    skill: Skill | None = None,
    occupation: Occupation | None = None,
    description: str = "",
) -> Need:
    if skill is None and occupation is None and not description.strip():
        raise VentureError("a need says what is needed")
    need = Need.objects.create(
        venture=venture,
        skill=skill,
        occupation=occupation,
        description=description.strip(),
        importance=importance,
    )
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        obj=need,
        programme=venture.programme,
        object_label=f"{venture}: {need.label}"[:300],
    )
    return need


def log_profile_reads(*, actor: Actor, participants: list[Participant], read: str) -> None:
    """One ``view`` row per participant whose mapped skills a page shows: they see it in
    their own access log."""
    for participant in participants:
        record_event(
            action=AuditAction.VIEW,
            actor=actor,
            obj=participant,
            programme=participant.programme,
            detail={"read": read},
        )


# --- Team formation --------------------------------------------------------------------------


@transaction.atomic
def start_formation(
    *,
    actor: Actor,
    access: Access,
    seed: int,
    max_ventures_per_person: int,
    time_limit: int,
) -> FormationRun:
    """Queue a run of the engine over the ventures the actor manages; it runs in the
    background (``tasks.run_team_formation``) and the page polls its progress."""
    run = FormationRun.objects.create(
        programme=access.programme,
        started_by=actor.user,
        seed=seed,
        max_ventures_per_person=max_ventures_per_person,
        time_limit=time_limit,
    )
    if not access.is_manager:
        run.subprojects.set(sorted(access.subproject_ids))
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        obj=run,
        programme=access.programme,
        detail={"seed": seed, "max_ventures_per_person": max_ventures_per_person},
    )

    transaction.on_commit(lambda: run_team_formation.enqueue(run.pk))
    return run


def execute_formation(*, run: FormationRun) -> FormationRun:
    """Run the engine for a queued run and store its proposals (called by the task)."""

    if run.status != RunStatus.QUEUED or run.started_by is None:
        return run
    run.status = RunStatus.RUNNING
    run.save(update_fields=["status"])
    access = access_for(run.started_by, run.programme)
    ventures = list(
        selectors.ventures_managed_by(access)
        .filter(stage__in=[Stage.IDEA, Stage.CLARIFICATION, Stage.TEAM])
        .select_related("municipality")
        .order_by("pk")
    )
    candidates, specs, people = selectors.engine_input(access, ventures)

    def progress(share: float, _message: str) -> None:
        FormationRun.objects.filter(pk=run.pk).update(progress=min(99, round(100 * share)))

    try:
        solution = engine.propose_teams(
            candidates,
            specs,
            engine.Settings(
                max_ventures_per_person=run.max_ventures_per_person,
                time_limit=float(run.time_limit),
                seed=run.seed,
            ),
            progress,
        )
    except Exception:
        logger.exception("team formation run %s failed", run.pk)
        run.status = RunStatus.FAILED
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
        return run
    by_key = {str(v.public_id): v for v in ventures}
    with transaction.atomic():
        Proposal.objects.bulk_create(
            [
                Proposal(
                    run=run,
                    venture=by_key[e.venture],
                    participant=people[e.candidate],
                    explanation={
                        "covers": list(e.covers),
                        "only_one": list(e.only_one),
                        "interests": list(e.interests),
                        "alternative": e.alternative,
                        "alternative_gain": e.alternative_gain,
                        "gain": e.gain,
                    },
                )
                for e in solution.explanations
            ]
        )
        run.status = RunStatus.DONE
        run.progress = 100
        run.method = solution.method
        run.candidates = len(candidates)
        run.objective = solution.objective
        run.bound = solution.bound
        run.seconds = round(solution.seconds, 3)
        run.finished_at = timezone.now()
        run.save(
            update_fields=[
                "status",
                "progress",
                "method",
                "candidates",
                "objective",
                "bound",
                "seconds",
                "finished_at",
            ]
        )
    return run


@transaction.atomic
def decide_proposal(*, actor: Actor, proposal: Proposal, accept: bool) -> Proposal:
    """Staff accept (the person joins the team) or reject a proposal that is still open."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not proposal.is_open:
        raise VentureError("already decided")
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.REJECTED
    proposal.decided_by = actor.user
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    if accept:
        add_member(
            actor=actor,
            venture=proposal.venture,
            kind=MemberKind.PARTICIPANT,
            participant=proposal.participant,
            role="",
        )
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=proposal,
        programme=proposal.venture.programme,
        object_label=f"{proposal.participant.pseudonym} → {proposal.venture}",
        detail={"status": proposal.status},
    )
    return proposal


@transaction.atomic
def decline_proposal(*, actor: Actor, proposal: Proposal) -> Proposal:
    """The participant says no. An accepted proposal's membership ends today."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status not in (ProposalStatus.PROPOSED, ProposalStatus.ACCEPTED):
        raise VentureError("nothing to decline")
    if proposal.status == ProposalStatus.ACCEPTED:
        today = timezone.localdate()
        TeamMember.objects.filter(
            venture=proposal.venture, participant=proposal.participant, ends_on__isnull=True
        ).update(ends_on=today)
    proposal.status = ProposalStatus.DECLINED
    proposal.decided_by = actor.user
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=proposal,
        programme=proposal.venture.programme,
        object_label=f"{proposal.participant.pseudonym} → {proposal.venture}",
        detail={"status": proposal.status},
    )
    return proposal


OUTCOME_FIELDS = (
    "organisation_number",
    "registered_on",
    "participants_working",
    "hours_per_month",
    "revenue_band",
    "operating_6_months",
    "operating_12_months",
    "operating_24_months",
)


@transaction.atomic
def record_outcome(
    *,
    actor: Actor,
    venture: Venture,
    values: dict[str, object],
    owner_national_id: str = "",
) -> Outcome:
    """Save what came of the venture. An owner's personnummer is stored encrypted only; an
    empty one keeps what was recorded. The audit log names the fields, never the number."""

    outcome, _created = Outcome.objects.get_or_create(venture=venture)
    changed = [name for name in OUTCOME_FIELDS if getattr(outcome, name) != values.get(name)]
    for name in OUTCOME_FIELDS:
        setattr(outcome, name, values.get(name))
    if owner_national_id:
        outcome.owner_national_id = cipher().encrypt(owner_national_id)
        changed.append("owner_national_id")
    outcome.updated_by = actor.user
    outcome.save()
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=outcome,
        programme=venture.programme,
        detail={"fields": sorted(changed)},
    )
    return outcome


@transaction.atomic
def save_canvas(*, actor: Actor, venture: Venture, blocks: dict[str, str]) -> Canvas:
    """Write the next version of the venture's canvas and impact model."""
    latest = Canvas.objects.select_for_update().filter(venture=venture).order_by("-version").first()
    canvas = Canvas.objects.create(
        venture=venture,
        version=(latest.version + 1) if latest else 1,
        created_by=actor.user,
        **{name: value.strip() for name, value in blocks.items()},
    )
    record_event(
        action=AuditAction.CREATE,
        actor=actor,
        obj=canvas,
        programme=venture.programme,
        detail={"version": canvas.version},
    )
    return canvas
