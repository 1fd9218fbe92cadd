"""Reads about ventures, scoped by ``ventures.permissions``. Participants appear by pseudonym."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from samvirke.accounts.models import Role, User
from samvirke.accounts.permissions import Access
from samvirke.lib.suppression import suppress_counts
from samvirke.mapping.models import Mapping, Skill, WorkExperience
from samvirke.mapping.profiles import ITEM_TOKENS, OPPORTUNITY, SKILL
from samvirke.mapping.resource_maps import open_to_team_matching
from samvirke.measures.models import ProviderKind, Service
from samvirke.participants.models import Participant
from samvirke.participants.selectors import participants_followed_by
from samvirke.programmes.models import Programme
from samvirke.ventures import engine
from samvirke.ventures.models import (
    STAGE_ORDER,
    ChecklistItem,
    ChecklistTemplateItem,
    Document,
    FormationRun,
    MemberKind,
    Need,
    Proposal,
    ProposalStatus,
    Stage,
    StageChange,
    Task,
    TaskKind,
    TeamMember,
    Venture,
)
from samvirke.ventures.permissions import VENTURE_MANAGE, VENTURE_VIEW

ENTERPRISE_GOAL = f"{ITEM_TOKENS['goal']}:enterprise"


def ventures_visible_to(access: Access) -> QuerySet[Venture]:
    return (
        VENTURE_VIEW.scope(access)
        .select_related("programme", "subproject", "municipality")
        .order_by("name", "pk")
    )


def ventures_managed_by(access: Access) -> QuerySet[Venture]:
    return VENTURE_MANAGE.scope(access).select_related("programme")


def venture_for(access: Access, public_id: str) -> Venture:
    """One venture the user may open; the same 404 for one that is missing or out of reach."""
    venture = ventures_visible_to(access).filter(public_id=public_id).first()
    if venture is None:
        raise Http404
    return venture


@dataclass(frozen=True)
class Column:
    stage: str
    label: str
    ventures: list[Venture]
    next_stage: str
    previous_stage: str

    @property
    def next_label(self) -> str:
        return str(Stage(self.next_stage).label) if self.next_stage else ""

    @property
    def previous_label(self) -> str:
        return str(Stage(self.previous_stage).label) if self.previous_stage else ""


def board_of(access: Access) -> list[Column]:
    """The ventures in columns by stage, in pipeline order."""
    by_stage: dict[str, list[Venture]] = {stage: [] for stage in STAGE_ORDER}
    for venture in ventures_visible_to(access):
        by_stage[venture.stage].append(venture)
    columns = []
    for i, stage in enumerate(STAGE_ORDER):
        columns.append(
            Column(
                stage=stage,
                label=str(Stage(stage).label),
                ventures=by_stage[stage],
                next_stage=STAGE_ORDER[i + 1] if i + 1 < len(STAGE_ORDER) else "",
                previous_stage=STAGE_ORDER[i - 1] if i > 0 else "",
            )
        )
    return columns


def history_of(venture: Venture) -> QuerySet[StageChange]:
    return venture.stage_changes.select_related("moved_by").order_by("-moved_at", "-pk")


def members_of(venture: Venture, *, on: dt.date | None = None) -> list[TeamMember]:
    day = on or timezone.localdate()
    members = (
        venture.members.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("participant", "user")
        .prefetch_related("skills")
        .order_by("kind", "pk")
    )
    return list(members)


def needs_of(venture: Venture) -> QuerySet[Need]:
    return venture.needs.select_related("skill", "occupation").order_by("-importance", "pk")


# --- What participants bring (from their current mapping) ------------------------------------


@dataclass
class Profile:
    participant: Participant
    skills: set[str] = field(default_factory=set)  # skill codes and isco:<prefix> keys
    interests: set[str] = field(default_factory=set)
    wants_enterprise: bool = False


def profiles_of(participants: QuerySet[Participant]) -> dict[int, Profile]:
    """Skills, interests and the wish to start an enterprise, from each current mapping.

    Skills are those ticked and those their work experience gives (the ``p:`` tokens), and
    ``isco:<code>`` for every prefix of an occupation they have worked in. Two queries.
    """
    found: dict[int, Profile] = {}
    mappings = Mapping.objects.filter(
        participant__in=participants.values("pk"), is_current=True
    ).select_related("participant", "participant__municipality")
    for mapping in mappings:
        profile = Profile(participant=mapping.participant)
        for token in mapping.profile.split():
            kind, _sep, code = token.partition(":")
            if kind == SKILL:
                profile.skills.add(code)
            elif kind == OPPORTUNITY:
                profile.skills.add(code.partition("+")[2])
            elif kind == ITEM_TOKENS["interest"]:
                profile.interests.add(code)
            if token == ENTERPRISE_GOAL:
                profile.wants_enterprise = True
        found[mapping.participant_id] = profile
    work = WorkExperience.objects.filter(
        mapping__in=mappings.values("pk"), occupation__isnull=False
    ).values_list("mapping__participant_id", "occupation__code")
    for participant_id, code in work:
        if participant_id in found:
            found[participant_id].skills.update(f"isco:{code[:n]}" for n in range(1, len(code) + 1))
    return found


def candidates_for(access: Access) -> QuerySet[Participant]:
    """Who the engine may consider for this person's run: participants they follow who have
    said yes to being considered for enterprise teams (the mapping's one rule)."""
    return open_to_team_matching(participants_followed_by(access)).select_related("municipality")


def member_skill_keys(member: TeamMember, profiles: dict[int, Profile]) -> set[str]:
    if member.participant_id is not None:
        profile = profiles.get(member.participant_id)
        return set(profile.skills) if profile else set()
    return {skill.code for skill in member.skills.all()}


# --- Coverage of needs -------------------------------------------------------------------------


@dataclass
class NeedCoverage:
    need: Need
    covered_by: list[str]
    partners: list[Service] = field(default_factory=list)

    @property
    def gap(self) -> bool:
        return not self.covered_by


def coverage_of(venture: Venture, members: list[TeamMember]) -> list[NeedCoverage]:
    """Each need with the team members who cover it, and support partners for the gaps."""
    participant_ids = [m.participant_id for m in members if m.participant_id is not None]
    profiles = profiles_of(Participant.objects.filter(pk__in=participant_ids))
    skills = {m.pk: member_skill_keys(m, profiles) for m in members}
    rows = []
    for need in needs_of(venture):
        key = need.key
        covered = [m.label for m in members if key and key in skills[m.pk]]
        rows.append(NeedCoverage(need=need, covered_by=covered))
    gaps = [row for row in rows if row.gap]
    if gaps:
        partners = support_partners(venture)
        for row in gaps:
            row.partners = _partners_for(row.need, partners)
    return rows


# Business support first: they advise on starting an enterprise, whatever the gap.
PARTNER_KINDS = (
    ProviderKind.BUSINESS_SUPPORT,
    ProviderKind.VOLUNTARY_ORGANISATION,
    ProviderKind.USER_ORGANISATION,
    ProviderKind.NAV,
    ProviderKind.ARBETSFORMEDLINGEN,
)


def support_partners(venture: Venture) -> list[Service]:
    """Services of the programme's service map in the venture's country and municipality (or
    covering the whole country) whose provider can support an enterprise."""
    services = Service.objects.filter(
        programme=venture.programme, country=venture.country, provider_kind__in=PARTNER_KINDS
    ).filter(Q(municipality__isnull=True) | Q(municipality=venture.municipality_id))
    order: dict[str, int] = {str(kind): i for i, kind in enumerate(PARTNER_KINDS)}
    return sorted(
        services.select_related("municipality"),
        key=lambda s: (s.municipality_id is None, order[s.provider_kind], s.name, s.pk),
    )


def _partners_for(need: Need, partners: list[Service], limit: int = 2) -> list[Service]:
    """Those whose description mentions the need come first."""
    words = [w for w in need.label.casefold().split() if len(w) > 3]

    def mentions(service: Service) -> bool:
        text = f"{service.name} {service.offers}".casefold()
        return any(word in text for word in words)

    ranked = sorted(partners, key=lambda s: not mentions(s))
    return ranked[:limit]


# --- Team formation --------------------------------------------------------------------------


def engine_input(
    access: Access, ventures: list[Venture]
) -> tuple[list[engine.Candidate], list[engine.VentureSpec], dict[str, Participant]]:
    """The engine's plain values: candidates who consented and want to take part in an
    enterprise, and the ventures with their needs and current teams."""
    candidates = candidates_for(access)
    profiles = profiles_of(candidates)
    people: dict[str, Participant] = {}
    plain: list[engine.Candidate] = []
    for profile in profiles.values():
        if not profile.wants_enterprise:
            continue
        participant = profile.participant
        key = str(participant.public_id)
        people[key] = participant
        plain.append(
            engine.Candidate(
                key=key,
                skills=frozenset(profile.skills),
                interests=frozenset(profile.interests),
                municipality=participant.municipality.code if participant.municipality else "",
            )
        )
    today = timezone.localdate()
    venture_ids = [v.pk for v in ventures]
    members = (
        TeamMember.objects.filter(venture__in=venture_ids)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("participant")
        .prefetch_related("skills")
    )
    member_profiles = profiles_of(
        Participant.objects.filter(venture_memberships__in=members).distinct()
    )
    by_venture: dict[int, list[TeamMember]] = {}
    for member in members:
        by_venture.setdefault(member.venture_id, []).append(member)
    needs: dict[int, list[Need]] = {}
    for need in Need.objects.filter(venture__in=venture_ids).select_related("skill", "occupation"):
        needs.setdefault(need.venture_id, []).append(need)
    specs = []
    for venture in ventures:
        kept: list[str] = []
        covered: set[str] = set()
        team = by_venture.get(venture.pk, [])
        for member in team:
            if member.participant is not None and str(member.participant.public_id) in people:
                kept.append(str(member.participant.public_id))
            else:
                covered |= member_skill_keys(member, member_profiles)
        others = len(team) - len(kept)  # guides, mentors, members not open to matching
        specs.append(
            engine.VentureSpec(
                key=str(venture.public_id),
                needs=tuple(
                    engine.Need(n.key, n.importance) for n in needs.get(venture.pk, []) if n.key
                ),
                interests=venture.interest_codes,
                min_size=max(0, venture.min_team_size - others),
                max_size=max(0, venture.max_team_size - others),
                municipality=venture.municipality.code if venture.municipality else "",
                remote_friendly=venture.remote_friendly,
                members=tuple(kept),
                covered=frozenset(covered),
            )
        )
    return plain, specs, people


def latest_run(access: Access) -> FormationRun | None:
    return (
        FormationRun.objects.filter(programme=access.programme, started_by=access.user)
        .order_by("-created_at", "-pk")
        .first()
    )


def run_for(access: Access, public_id: str) -> FormationRun:
    runs = FormationRun.objects.filter(programme=access.programme, public_id=public_id)
    if not access.is_manager:
        runs = runs.filter(started_by=access.user)
    run = runs.first()
    if run is None:
        raise Http404
    return run


def proposals_of(run: FormationRun, access: Access) -> QuerySet[Proposal]:
    """The run's proposals for ventures the viewer manages and people they follow."""
    return (
        run.proposals.filter(venture__in=ventures_managed_by(access))
        .filter(participant__in=participants_followed_by(access))
        .select_related("venture", "participant", "decided_by")
        .order_by("venture__name", "participant__pseudonym", "pk")
    )


def proposal_for(access: Access, public_id: str) -> Proposal:
    proposal = (
        Proposal.objects.filter(public_id=public_id, run__programme=access.programme)
        .filter(venture__in=ventures_managed_by(access))
        .filter(participant__in=participants_followed_by(access))
        .select_related("venture", "participant", "run")
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def proposals_about(participant: Participant) -> QuerySet[Proposal]:
    """What the engine proposed about a person, for their own page (rejected ones are not
    news to them: staff decided against it)."""
    return (
        participant.team_proposals.exclude(status=ProposalStatus.REJECTED)
        .select_related("venture")
        .order_by("-created_at", "pk")
    )


def skill_labels() -> dict[str, str]:
    return {skill.code: skill.label for skill in Skill.objects.all()}


# --- The pipeline overview (aggregates) --------------------------------------------------------


@dataclass(frozen=True)
class StageRow:
    stage: str
    label: str
    now: int
    by_year: list[int]
    mean_days: int | None


@dataclass
class Pipeline:
    years: list[int]
    rows: list[StageRow]
    working: int | None  # participants working in established ventures (None: hidden)
    working_shown: str

    @property
    def chart(self) -> list[dict[str, object]]:
        top = max([1, *(row.now for row in self.rows)])
        return [
            {"row": row, "y": 30 * i, "width": round(300 * row.now / top)}
            for i, row in enumerate(self.rows)
        ]

    @property
    def chart_height(self) -> int:
        return 30 * len(self.rows)


def pipeline_of(access: Access) -> Pipeline:
    """Ventures per stage now and at the end of each year, the mean time spent in each stage,
    and people working in ventures in operation — a count of people, so small ones are hidden
    for everyone but managers and researchers."""
    ventures = list(
        Venture.objects.filter(programme=access.programme).prefetch_related(
            Prefetch("stage_changes", queryset=StageChange.objects.order_by("moved_at", "pk"))
        )
    )
    now = timezone.now()
    current = Counter(v.stage for v in ventures)
    first_year = min([v.created_at.year for v in ventures] or [now.year])
    years = list(range(first_year, now.year + 1))
    at_year_end: dict[int, Counter[str]] = {year: Counter() for year in years}
    durations: dict[str, list[float]] = {stage: [] for stage in STAGE_ORDER}
    for venture in ventures:
        changes = list(venture.stage_changes.all())
        for year in years:
            end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
            stage = ""
            for change in changes:
                if change.moved_at < end:
                    stage = change.to_stage
            if stage:
                at_year_end[year][stage] += 1
        for change, following in zip(changes, [*changes[1:], None], strict=True):
            until = following.moved_at if following is not None else now
            durations[change.to_stage].append((until - change.moved_at).total_seconds() / 86400)
    rows = [
        StageRow(
            stage=stage,
            label=str(Stage(stage).label),
            now=current.get(stage, 0),
            by_year=[at_year_end[year].get(stage, 0) for year in years],
            mean_days=round(sum(durations[stage]) / len(durations[stage]))
            if durations[stage]
            else None,
        )
        for stage in STAGE_ORDER
    ]
    working_ids = (
        TeamMember.objects.filter(
            venture__programme=access.programme,
            venture__stage=Stage.OPERATION,
            kind=MemberKind.PARTICIPANT,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate()))
        .values_list("participant_id", flat=True)
        .distinct()
    )
    working = len(set(working_ids))
    if access.is_manager or Role.RESEARCHER in access.roles:
        shown: int | None = working
    else:
        shown = suppress_counts([working])[0]
    return Pipeline(
        years=years,
        rows=rows,
        working=shown,
        working_shown="<5" if shown is None else str(shown),
    )


# --- Checklists, milestones and tasks, documents ----------------------------------------------


@dataclass
class StageChecklist:
    stage: str
    label: str
    items: list[ChecklistItem]
    current: bool

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.is_done)


def checklists_of(venture: Venture) -> list[StageChecklist]:
    """The venture's checklist for each stage it has items for, the current stage first, then
    earlier stages latest first. One query."""
    items = (
        ChecklistItem.objects.filter(venture=venture)
        .select_related("template_item", "done_by")
        .prefetch_related("done_by__memberships")
        .order_by("template_item__position", "pk")
    )
    by_stage: dict[str, list[ChecklistItem]] = {}
    for item in items:
        by_stage.setdefault(item.template_item.stage, []).append(item)
    visited = [change.to_stage for change in history_of(venture)]
    order = list(dict.fromkeys([venture.stage, *visited, *by_stage]))
    return [
        StageChecklist(
            stage=stage,
            label=str(Stage(stage).label),
            items=by_stage.get(stage, []),
            current=stage == venture.stage,
        )
        for stage in order
        if stage == venture.stage or by_stage.get(stage)
    ]


def checklist_item_for(venture: Venture, pk: int) -> ChecklistItem:
    item = (
        ChecklistItem.objects.filter(venture=venture, pk=pk).select_related("template_item").first()
    )
    if item is None:
        raise Http404
    return item


def templates_of(
    access: Access, country: str
) -> list[tuple[str, str, list[ChecklistTemplateItem]]]:
    """The programme's checklist templates of one country, stage by stage."""
    items = ChecklistTemplateItem.objects.filter(
        programme=access.programme, country=country
    ).order_by("position", "pk")
    by_stage: dict[str, list[ChecklistTemplateItem]] = {stage: [] for stage in STAGE_ORDER}
    for item in items:
        by_stage[item.stage].append(item)
    return [(stage, str(Stage(stage).label), by_stage[stage]) for stage in STAGE_ORDER]


def template_item_for(access: Access, pk: int) -> ChecklistTemplateItem:
    item = ChecklistTemplateItem.objects.filter(programme=access.programme, pk=pk).first()
    if item is None:
        raise Http404
    return item


@dataclass
class MilestoneRow:
    milestone: Task | None  # None: the tasks that belong to no milestone
    tasks: list[Task]


def tasks_of(venture: Venture) -> list[MilestoneRow]:
    """Milestones in order of their due dates, each with its tasks, then the other tasks."""
    tasks = list(
        Task.objects.filter(venture=venture)
        .select_related("owner_user", "owner_member__participant", "owner_member__user", "done_by")
        .prefetch_related("owner_user__memberships", "done_by__memberships")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    milestones = [task for task in tasks if task.kind == TaskKind.MILESTONE]
    rows = [
        MilestoneRow(milestone=m, tasks=[t for t in tasks if t.milestone_id == m.pk])
        for m in milestones
    ]
    known = {m.pk for m in milestones}
    loose = [t for t in tasks if t.kind == TaskKind.TASK and t.milestone_id not in known]
    if loose:
        rows.append(MilestoneRow(milestone=None, tasks=loose))
    return rows


def task_for(venture: Venture, pk: int) -> Task:
    task = Task.objects.filter(venture=venture, pk=pk).first()
    if task is None:
        raise Http404
    return task


def staff_of(programme: Programme) -> QuerySet[User]:
    """Who may own a task as staff: the programme's leaders, coordinators, contact persons and
    guides (by name, as staff are shown)."""
    return (
        User.objects.filter(
            memberships__programme=programme,
            memberships__role__in=[
                Role.PROGRAMME_LEADER,
                Role.COORDINATOR,
                Role.CONTACT_PERSON,
                Role.GUIDE,
            ],
            is_active=True,
        )
        .distinct()
        .prefetch_related("memberships")
        .order_by("full_name", "pk")
    )


def documents_of(venture: Venture) -> QuerySet[Document]:
    return (
        Document.objects.filter(venture=venture)
        .select_related("uploaded_by")
        .prefetch_related("uploaded_by__memberships")
        .order_by("-uploaded_at", "-pk")
    )


def document_for(venture: Venture, public_id: str) -> Document:
    """One of the venture's documents; the same 404 for one missing or another venture's."""
    document = (
        Document.objects.filter(venture=venture, public_id=public_id)
        .select_related("venture__programme")
        .first()
    )
    if document is None:
        raise Http404
    return document
