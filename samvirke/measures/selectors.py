"""Reads of the service map, scoped to one programme (members) or a published map (public), and
of measures, scoped by the permission module."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404
from django.utils import timezone

from samvirke.accounts.permissions import Access, Perm, scope_of
from samvirke.measures.models import (
    Attendance,
    Enrolment,
    EnrolmentStatus,
    EnrolmentStatusChange,
    Measure,
    MeasureSession,
    MeasureStatus,
    Pathway,
    PathwayStep,
    Referral,
    ReferralStatus,
    Service,
    ServiceMapSettings,
    enrolled_on,
)
from samvirke.participants.models import Participant

if TYPE_CHECKING:
    from samvirke.accounts.models import User
from samvirke.accounts.models import Role, User
from samvirke.activities.models import Registration
from samvirke.mapping.models import Mapping
from samvirke.participants.selectors import participants_visible_to
from samvirke.programmes.models import Country, Municipality, Programme
from samvirke.programmes.search import matches_words

# The text fields a search looks in, in every language.
SEARCHED_FIELDS = [
    f"{name}_{lang}"
    for name in ("name", "offers", "eligibility", "access", "opening_hours")
    for lang in ("nb", "sv", "en")
] + ["address", "languages", "municipality__name"]


@dataclass(frozen=True)
class ServiceFilters:
    q: str = ""
    country: str = ""
    municipality: int | None = None
    kind: str = ""


def service_map_is_published(programme: Programme) -> bool:
    return ServiceMapSettings.objects.filter(programme=programme, published=True).exists()


def published_programme(slug: str) -> Programme:
    """The programme whose service map is public, or 404 (unpublished looks like absent)."""
    programme = Programme.objects.filter(slug=slug, service_map_settings__published=True).first()
    if programme is None:
        raise Http404
    return programme


def search_condition(query: str) -> Q:
    """Every word must occur in some field, in any language, ignoring case and diacritics, a
    word of the domain also by its synonym in the other language (``matches_words``)."""
    return matches_words(SEARCHED_FIELDS, query)


def services_of(programme: Programme, filters: ServiceFilters | None = None) -> QuerySet[Service]:
    services = Service.objects.filter(programme=programme).select_related("municipality")
    if filters is None:
        return services
    if filters.country:
        services = services.filter(country=filters.country)
    if filters.municipality is not None:
        services = services.filter(municipality_id=filters.municipality)
    if filters.kind:
        services = services.filter(provider_kind=filters.kind)
    if filters.q.strip():
        services = services.filter(search_condition(filters.q))
    return services


def service_of(programme: Programme, pk: int) -> Service:
    service = services_of(programme).filter(pk=pk).first()
    if service is None:
        raise Http404
    return service


def municipalities_on_map(programme: Programme) -> QuerySet[Municipality]:
    return Municipality.objects.filter(services__programme=programme).distinct()


def pathways_through(service: Service) -> QuerySet[Pathway]:
    return Pathway.objects.filter(steps__service=service).distinct()


def pathways_of(programme: Programme) -> QuerySet[Pathway]:
    return Pathway.objects.filter(programme=programme)


def pathway_of(programme: Programme, pk: int) -> Pathway:
    steps = PathwayStep.objects.select_related("service")
    pathway = (
        pathways_of(programme).filter(pk=pk).prefetch_related(Prefetch("steps", steps)).first()
    )
    if pathway is None:
        raise Http404
    return pathway


def step_of(programme: Programme, pk: int) -> PathwayStep:
    step = (
        PathwayStep.objects.filter(pk=pk, pathway__programme=programme)
        .select_related("pathway")
        .first()
    )
    if step is None:
        raise Http404
    return step


@dataclass
class Situation:
    """One situation with its pathway in each country (either may be missing)."""

    key: str
    norway: Pathway | None = None
    sweden: Pathway | None = None
    pathways: list[Pathway] = field(default_factory=list)

    @property
    def title(self) -> str:
        return (self.norway or self.sweden or self.pathways[0]).title

    @property
    def has_pair(self) -> bool:
        return self.norway is not None and self.sweden is not None


def _situations(pathways: list[Pathway]) -> list[Situation]:
    by_key: dict[str, Situation] = {}
    for pathway in pathways:
        situation = by_key.setdefault(pathway.situation, Situation(key=pathway.situation))
        situation.pathways.append(pathway)
        if pathway.country == Country.NORWAY:
            situation.norway = pathway
        elif pathway.country == Country.SWEDEN:
            situation.sweden = pathway
    return list(by_key.values())


def situations_of(programme: Programme) -> list[Situation]:
    return _situations(list(pathways_of(programme)))


def situation_of(programme: Programme, key: str) -> Situation:
    """Both countries' pathways for one situation, steps in order, or 404."""
    steps = PathwayStep.objects.select_related("service")
    pathways = list(
        pathways_of(programme).filter(situation=key).prefetch_related(Prefetch("steps", steps))
    )
    if not pathways:
        raise Http404
    return _situations(pathways)[0]


def pathways_matching(programme: Programme, query: str) -> QuerySet[Pathway]:
    """Pathways whose title, summary or steps mention every word, in any language."""
    condition = matches_words(
        [
            f"{name}_{lang}"
            for name in ("title", "summary", "steps__title", "steps__text")
            for lang in ("nb", "sv", "en")
        ],
        query,
    )
    if not condition:
        return pathways_of(programme).none()
    return pathways_of(programme).filter(condition).distinct()


# --- Measures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureFilters:
    municipality: int | None = None
    kind: str = ""
    status: str = ""
    subproject: int | None = None
    language: str = ""
    q: str = ""


# The text fields the catalogue search looks in, in every language.
MEASURE_SEARCHED_FIELDS = [
    f"{name}_{lang}" for name in ("name", "description") for lang in ("nb", "sv", "en")
] + ["method", "intended_effect", "target_group", "place", "municipality__name"]


def measures_of(access: Access, filters: MeasureFilters | None = None) -> QuerySet[Measure]:
    """The catalogue: every measure of the programme, for the workspace."""
    if not access.can(Perm.MEASURES_VIEW):
        return Measure.objects.none()
    # Ordered by the measure's own columns: ``Meta.ordering`` starts with the programme, which
    # would join the programmes only to sort one programme's measures by it
    # (index measure_catalogue_order).
    measures = (
        Measure.objects.filter(programme=access.programme)
        .select_related("programme", "subproject", "municipality")
        .order_by("name_nb", "id")
    )
    filters = filters or MeasureFilters()
    if filters.municipality:
        measures = measures.filter(municipality=filters.municipality)
    if filters.subproject:
        measures = measures.filter(subproject=filters.subproject)
    for name in ("kind", "status", "language"):
        if value := getattr(filters, name):
            measures = measures.filter(**{name: value})
    if filters.q.strip():
        measures = measures.filter(matches_words(MEASURE_SEARCHED_FIELDS, filters.q))
    return measures


# what a catalogue card shows (measures.views.Card): the catalogue's rows read these only
CATALOGUE_FIELDS = (
    *(f"{field}_{code}" for field in ("name", "description") for code in ("nb", "sv", "en")),
    "kind",
    "status",
    "country",
    "programme_id",
    "subproject__name",
    "municipality__name",
)


def catalogue_of(access: Access, filters: MeasureFilters | None = None) -> QuerySet[Measure]:
    """``measures_of`` as the catalogue lists it: the columns a card shows, the subproject and
    municipality joined, not the programme (it is the catalogue's own)."""
    measures = measures_of(access, filters).select_related(None)
    return measures.select_related("subproject", "municipality").only(*CATALOGUE_FIELDS)


def measure_of(access: Access, pk: int) -> Measure:
    measure = measures_of(access).filter(pk=pk).first()
    if measure is None:
        raise Http404
    return measure


def municipalities_with_measures(programme: Programme) -> list[tuple[int, str]]:
    """(id, name) of the municipalities the programme's measures are in, by name."""
    in_use = Measure.objects.filter(programme=programme).order_by().values("municipality_id")
    return list(
        Municipality.objects.filter(pk__in=in_use).order_by("name", "pk").values_list("pk", "name")
    )


@dataclass(frozen=True)
class Rate:
    present: int
    recorded: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.present / self.recorded) if self.recorded else None


def attendance_rate(attendances: QuerySet[Attendance]) -> Rate:
    # counted by "present" (never null), not by id: both in the attendance indexes, PostgreSQL
    # counts from the index alone
    counts = attendances.aggregate(
        n_present=Count("present", filter=Q(present=True)), n_recorded=Count("present")
    )
    return Rate(present=counts["n_present"], recorded=counts["n_recorded"])


def measure_attendance_rate(measure: Measure) -> Rate:
    return attendance_rate(Attendance.objects.filter(session__measure=measure))


@dataclass(frozen=True)
class Flow:
    """How many enrolments are at each step: referred → active → completed / dropped out."""

    counts: dict[str, int]

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def steps(self) -> list[tuple[str, str, int]]:
        return [(s.value, str(s.label), self.counts.get(s.value, 0)) for s in EnrolmentStatus]


def flow_of(measure: Measure) -> Flow:
    rows = measure.enrolments.values("status").annotate(n=Count("pk")).order_by()
    return Flow(counts={row["status"]: row["n"] for row in rows})


def _attendance_count(of: str, **conditions: object) -> Subquery:
    """The number of attendance rows of the enrolment or session ``of``, as a subquery (0 when
    there are none).

    A correlated count reads the attendance index once per row; a join with GROUP BY would
    first gather and sort every joined column of every attendance row.
    """
    rows = Attendance.objects.filter(**{of: OuterRef("pk")}, **conditions).order_by()
    # COUNT(present), never null: from the index on (session|enrolment, present) alone
    return Subquery(
        rows.values(n=Func(F("present"), function="COUNT")), output_field=IntegerField()
    )


def _with_rates(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    return enrolments.annotate(
        present_count=_attendance_count("enrolment", present=True),
        recorded_count=_attendance_count("enrolment"),
    )


def enrolments_in(measure: Measure) -> QuerySet[Enrolment]:
    """Everyone enrolled in the measure, the waiting list in its order.

    Each enrolment's ``measure`` is ``measure`` itself (the related manager sets it), so it is
    not joined and built again for every row.
    """
    return _with_rates(measure.enrolments.select_related("participant", "guide")).order_by(
        "status", "position", "referred_on", "pk"
    )


def sessions_of(measure: Measure) -> QuerySet[MeasureSession]:
    return measure.sessions.annotate(
        present_count=_attendance_count("session", present=True),
        recorded_count=_attendance_count("session"),
    ).order_by("starts_at")


def next_sessions(measure: Measure, *, limit: int = 5) -> QuerySet[MeasureSession]:
    return measure.sessions.filter(starts_at__gte=timezone.now()).order_by("starts_at")[:limit]


def session_of(access: Access, pk: int) -> MeasureSession:
    session = (
        MeasureSession.objects.filter(pk=pk, measure__programme=access.programme)
        .select_related("measure", "measure__programme")
        .first()
    )
    if session is None or not access.can(Perm.MEASURES_VIEW):
        raise Http404
    return session


@dataclass
class SheetRow:
    enrolment: Enrolment
    attendance: Attendance | None


def attendance_sheet(session: MeasureSession) -> list[SheetRow]:
    """One row per person enrolled on the session's date, and anyone already recorded: two
    queries. Someone referred after the session, or whose enrolment had ended, is not there."""
    recorded = {a.enrolment_id: a for a in session.attendances.all()}
    enrolments = (
        session.measure.enrolments.filter(enrolled_on(session.day) | Q(pk__in=list(recorded)))
        .select_related("participant")
        .order_by("participant__pseudonym", "pk")
    )
    return [SheetRow(enrolment=e, attendance=recorded.get(e.pk)) for e in enrolments]


def enrolment_for(access: Access, public_id: str) -> Enrolment | None:
    """An enrolment for those who work in its measure or follow its participant, else None."""

    enrolment = (
        Enrolment.objects.filter(public_id=public_id, measure__programme=access.programme)
        .select_related("measure", "measure__programme", "participant", "guide")
        .first()
    )
    if enrolment is None:
        return None
    if access.can(Perm.MEASURE_PEOPLE, enrolment.measure):
        return enrolment
    if participants_visible_to(access).filter(pk=enrolment.participant_id).exists():
        return enrolment
    return None


def history_of(enrolment: Enrolment) -> QuerySet[EnrolmentStatusChange]:
    return enrolment.history.select_related("changed_by").order_by("changed_on", "pk")


def enrolments_of_participant(participant: Participant) -> QuerySet[Enrolment]:
    return _with_rates(
        Enrolment.objects.filter(participant=participant).select_related(
            "measure", "measure__programme", "guide"
        )
    ).order_by("-referred_on", "pk")


@dataclass(frozen=True)
class JourneyEvent:
    on: dt.date
    kind: str  # mapping, status, activity
    title: str
    status: str = ""
    status_label: str = ""
    reason_label: str = ""


def journey_of(participant: Participant) -> list[JourneyEvent]:
    """Everything the participant has taken part in, oldest first, in a few queries."""

    events = [
        JourneyEvent(on=m.filled_on, kind="mapping", title="")
        for m in Mapping.objects.filter(participant=participant).only("filled_on")
    ]
    changes = EnrolmentStatusChange.objects.filter(enrolment__participant=participant)
    for change in changes.select_related("enrolment__measure"):
        events.append(
            JourneyEvent(
                on=change.changed_on,
                kind="status",
                title=change.enrolment.measure.name,
                status=change.status,
                status_label=change.get_status_display(),
                reason_label=change.get_reason_code_display() if change.reason_code else "",
            )
        )
    if participant.account_id:
        attended = Registration.objects.filter(
            user_id=participant.account_id,
            attended=True,
            activity__programme_id=participant.programme_id,
        ).select_related("activity")
        for registration in attended:
            events.append(
                JourneyEvent(
                    on=timezone.localdate(registration.activity.starts_at),
                    kind="activity",
                    title=registration.activity.title,
                )
            )
    return sorted(events, key=lambda e: e.on)


def guides_of(programme: Programme) -> QuerySet[User]:
    """Who can be responsible for an enrolment: the staff of the programme who follow people."""

    roles: list[str] = [Role.GUIDE, Role.CONTACT_PERSON, Role.COORDINATOR, Role.PROGRAMME_LEADER]
    return (
        User.objects.filter(
            memberships__programme=programme, memberships__role__in=roles, is_active=True
        )
        .distinct()
        .order_by("full_name")
    )


# --- Referrals across subprojects ----------------------------------------------------------------


def referable_measures(participant: Participant) -> QuerySet[Measure]:
    """Measures of the participant's programme outside their own subprojects, not ended: the
    shared catalogue, for a referral."""
    return (
        Measure.objects.filter(programme_id=participant.programme_id)
        .exclude(status=MeasureStatus.ENDED)
        .exclude(subproject__in=participant.subprojects.values("pk"))
        .select_related("subproject")
        .order_by("subproject__name", "name_nb", "pk")
    )


def referrals_of_participant(participant: Participant) -> QuerySet[Referral]:
    """Every referral of the participant with its answer, newest first: for the referring side."""
    return Referral.objects.filter(participant=participant).select_related(
        "measure", "measure__subproject", "referred_by", "decided_by", "enrolment"
    )


INCOMING_SHOWN = 50


def incoming_referrals(access: Access, measure: Measure) -> QuerySet[Referral]:
    """The referrals to the measure that the user may answer, those waiting first. Each carries
    the participant's pseudonym only: nothing links to their record."""
    return (
        scope_of(Perm.REFERRAL_DECIDE, access)
        .filter(measure=measure)
        .select_related("participant", "referred_by", "decided_by", "enrolment")
        .annotate(waiting=ExpressionWrapper(Q(status=ReferralStatus.PENDING), BooleanField()))
        .order_by("-waiting", "-referred_at", "-pk")
    )


def referral_in(access: Access, public_id: str) -> Referral:
    """A referral of the programme, or 404; the view checks what the user may do with it."""
    referral = (
        Referral.objects.filter(public_id=public_id, measure__programme=access.programme)
        .select_related("measure", "measure__programme", "participant")
        .first()
    )
    if referral is None:
        raise Http404
    return referral
