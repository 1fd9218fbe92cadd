"""The permission engine. Deny by default.

It knows roles, programmes and the decorators, and holds the registry from each permission to
its one rule; the rules themselves live with the objects they are about, in each app's
``permissions.py``, registered from its ``AppConfig.ready`` (``samvirke permissions`` lists
them). The engine imports no domain app's models.

Views are wrapped by one of three decorators: ``public_view`` (login pages, the token calendar
feed), ``signed_in_view`` (pages about the user themself) and ``programme_view`` (everything in a
programme). ``programme_view`` answers 404 to anyone without a role in the programme, so that the
existence of a programme is not revealed, and 403 (logged) to members whose role lacks the right.
"""

from __future__ import annotations

import abc
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, wraps
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from samvirke.accounts.models import STAFF_ROLES, Membership, Role
from samvirke.audit.actor import Actor

if TYPE_CHECKING:
    from samvirke.accounts.models import User
    from samvirke.activities.models import Activity
    from samvirke.programmes.models import Programme, Subproject

P = ParamSpec("P")
M = TypeVar("M", bound=Model)


class Perm(enum.StrEnum):
    PROGRAMME_VIEW = "programme.view"
    PROGRAMME_OVERVIEW = "programme.overview"  # the staff dashboard, partners, subprojects
    PROGRAMME_EDIT = "programme.edit"
    PARTNERS_MANAGE = "partners.manage"
    MEMBERS_MANAGE = "members.manage"
    SUBPROJECT_CREATE = "subproject.create"
    SUBPROJECT_EDIT = "subproject.edit"
    PROJECT_GROUP_MANAGE = "project_group.manage"
    GOALS_MANAGE = "goals.manage"
    ACTIVITY_VIEW = "activity.view"
    ACTIVITY_CREATE = "activity.create"
    ACTIVITY_EDIT = "activity.edit"
    ACTIVITY_REGISTER_SELF = "activity.register_self"
    ACTIVITY_ATTENDANCE = "activity.attendance"
    ACTIONS_VIEW = "actions.view"
    ACTION_EDIT = "action.edit"
    AUDIT_VIEW = "audit.view"
    SEARCH = "search"
    CALENDAR_MANAGE = "calendar.manage"
    PARTICIPANTS_VIEW = "participants.view"
    PARTICIPANT_CREATE = "participant.create"
    PARTICIPANT_VIEW = "participant.view"
    PARTICIPANT_IDENTITY = "participant.identity"
    PARTICIPANT_EDIT = "participant.edit"
    CONSENT_RECORD = "consent.record"
    PARTICIPANT_EXPORT = "participant.export"  # all of a person's data, on their request
    ERASURE_MANAGE = "erasure.manage"  # decide participants' erasure requests
    MAPPING_VIEW = "mapping.view"
    MAPPING_RECORD = "mapping.record"
    RESOURCE_MAP_VIEW = "resource_map.view"
    PARTICIPANTS_IMPORT = "participants.import"  # a member survey into a subproject
    RESEARCH_EXPORT = "research.export"  # pseudonymised data of those who consented to research
    QUESTIONNAIRE_ENTER = "questionnaire.enter"  # answers on a followed participant's behalf
    QUESTIONNAIRES_IMPORT = "questionnaires.import"  # paper answers from a spreadsheet
    INSTRUMENTS_MANAGE = "instruments.manage"  # compose the programme's own instruments
    EVALUATION_VIEW = "evaluation.view"  # analysis results (user representatives: suppressed)
    EVALUATION_RUN = "evaluation.run"  # start an analysis: researchers and managers
    SELF_SERVICE = "self_service"
    SERVICE_MAP_VIEW = "service_map.view"  # every member, participants too
    SERVICE_MAP_MANAGE = "service_map.manage"  # managers only (granted in can())
    MEASURES_VIEW = "measures.view"  # the catalogue: the workspace
    MEASURE_MANAGE = "measure.manage"  # create and edit: contact persons of its subproject
    MEASURES_IMPORT = "measures.import"  # the catalogue from a spreadsheet: managers only
    MEASURE_PEOPLE = "measure.people"  # enrol, see enrolments, take attendance
    ENROLMENT_NOTES = "enrolment.notes"  # read and write guides' notes (never researchers)
    REFERRAL_MAKE = "referral.make"  # refer a participant to another subproject's measure
    REFERRALS_RECEIVE = "referrals.receive"  # a measure's incoming referrals: its staff
    REFERRAL_DECIDE = "referral.decide"  # accept or decline one: the receiving measure's staff
    VENTURES_VIEW = "ventures.view"  # the list and board (not user representatives)
    VENTURE_VIEW = "venture.view"  # one venture: see samvirke/ventures/permissions.py
    VENTURE_MANAGE = "venture.manage"  # contact persons of its subproject (and managers)
    VENTURE_WORK = "venture.work"  # checklist, tasks and documents: those working with the team
    VENTURE_CHECKLISTS = "ventures.checklists"  # the stage checklists' templates: managers only
    VENTURE_PIPELINE = "ventures.pipeline"  # aggregates: the whole workspace


MANAGER_ROLES = frozenset({Role.PROGRAMME_LEADER, Role.COORDINATOR})
WORKSPACE_ROLES = frozenset(
    {
        Role.PROGRAMME_LEADER,
        Role.COORDINATOR,
        Role.CONTACT_PERSON,
        Role.GUIDE,
        Role.USER_REPRESENTATIVE,
        Role.RESEARCHER,
    }
)
EVERY_ROLE = frozenset(Role)
FOLLOWER_ROLES = frozenset({Role.CONTACT_PERSON, Role.GUIDE})  # those who follow participants
MANAGERS_ONLY: frozenset[str] = frozenset()
ROLE_PRECEDENCE = [
    Role.PROGRAMME_LEADER,
    Role.COORDINATOR,
    Role.CONTACT_PERSON,
    Role.GUIDE,
    Role.USER_REPRESENTATIVE,
    Role.RESEARCHER,
    Role.PARTICIPANT,
]


@dataclass
class Access:
    """What one user may do in one programme, worked out once per request."""

    user: User
    programme: Programme
    roles: frozenset[str]
    subproject_ids: frozenset[int] = field(default_factory=frozenset)  # as contact person
    guide_subproject_ids: frozenset[int] = field(default_factory=frozenset)  # as guide
    organisation_ids: frozenset[int] = field(default_factory=frozenset)
    # The request being served, so that refusals are logged with where they came from.
    request: HttpRequest | None = field(default=None, repr=False, compare=False)
    # Answers of the rules over objects, kept while they stand (``answers_stand``): a page
    # asks the same question of one object several times (may edit, may see people, ...).
    answers: dict[tuple[int, type, object], bool] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def answers_stand(self) -> bool:
        """A GET writes nothing (tests/web/test_get_writes_nothing.py), so nothing a rule reads
        changes while one is served: its answers can be kept. A POST may change what a rule
        reads (a measure moved to another subproject), so every check asks the database."""
        return self.request is not None and self.request.method in ("GET", "HEAD")

    @property
    def primary_role(self) -> str:
        for role in ROLE_PRECEDENCE:
            if role in self.roles:
                return str(role)
        return ""

    @property
    def is_manager(self) -> bool:
        return bool(self.roles & MANAGER_ROLES)

    @property
    def is_workspace_member(self) -> bool:
        return bool(self.roles & WORKSPACE_ROLES)

    @property
    def follows_participants(self) -> bool:
        """May open the participant register (for the navigation)."""
        return can(self, Perm.PARTICIPANTS_VIEW)

    @property
    def sees_ventures(self) -> bool:
        """May open the list of ventures (for the navigation)."""
        return can(self, Perm.VENTURES_VIEW)

    @property
    def exports_research_data(self) -> bool:
        """May download the pseudonymised research data (for the navigation)."""
        return can(self, Perm.RESEARCH_EXPORT)

    @property
    def sees_evaluation(self) -> bool:
        """May open the evaluation page (for the navigation)."""
        return can(self, Perm.EVALUATION_VIEW)

    @cached_property
    def partner_organisation_ids(self) -> frozenset[int]:
        """The organisations a contact person acts for: the one a contact-person membership is
        narrowed to, and the owners of their subprojects. A participant may share their
        follow-up with one of them by name (``ConsentPurpose.SHARE_PARTNER``)."""
        if Role.CONTACT_PERSON not in self.roles:
            return frozenset()
        organisations = apps.get_model("programmes", "Organisation")._default_manager
        contact = Membership.objects.filter(
            user=self.user, programme=self.programme, role=Role.CONTACT_PERSON
        )
        return frozenset(
            organisations.filter(
                Q(pk__in=contact.values("organisation"))
                | Q(subprojects__in=contact.values("subproject"))
            ).values_list("pk", flat=True)
        )

    @property
    def is_participant(self) -> bool:
        return Role.PARTICIPANT in self.roles

    @property
    def needs_second_factor(self) -> bool:
        return bool(self.roles & STAFF_ROLES) and settings.REQUIRE_2FA

    def can(self, perm: Perm, obj: Model | None = None) -> bool:
        return can(self, perm, obj)


def access_for(user: User, programme: Programme) -> Access:
    """Roles, and the subprojects each role is narrowed to: a scope never passes between roles.

    ``subproject_ids`` are the subprojects a contact person acts for, ``guide_subproject_ids``
    those a guide works in; a membership narrowed to an organisation covers the subprojects it
    owns. A membership in another role (a user representative or a researcher tied to an
    organisation, say) widens neither.
    """
    memberships: list[tuple[str, int | None, int | None]] = []
    if user.is_authenticated and user.is_active:
        memberships = list(
            Membership.objects.filter(user=user, programme=programme)
            .order_by()  # Meta.ordering would join the programme and the user to sort
            .values_list("role", "subproject_id", "organisation_id")
        )
    return _access_from(user, programme, memberships)


def access_by_slug(user: User, slug: str) -> Access | None:
    """``access_for`` the programme named ``slug``, found with the user's memberships in one
    query; None where the user has no role in it (or there is no such programme): the same
    answer for both, so a page never tells which programmes exist."""
    if not (user.is_authenticated and user.is_active):
        return None
    found = list(
        Membership.objects.filter(user=user, programme__slug=slug)
        .select_related("programme")
        .order_by()
        .only("role", "subproject_id", "organisation_id", "programme")
    )
    if not found:
        return None
    rows = [(m.role, m.subproject_id, m.organisation_id) for m in found]
    return _access_from(user, found[0].programme, rows)


def _access_from(
    user: User, programme: Programme, memberships: list[tuple[str, int | None, int | None]]
) -> Access:
    roles: set[str] = set()
    scopes: dict[str, set[int]] = {Role.CONTACT_PERSON: set(), Role.GUIDE: set()}
    owners: dict[str, set[int]] = {Role.CONTACT_PERSON: set(), Role.GUIDE: set()}
    organisations: set[int] = set()
    for role, subproject_id, organisation_id in memberships:
        roles.add(role)
        if organisation_id:
            organisations.add(organisation_id)
        if role not in scopes:
            continue
        if subproject_id:
            scopes[role].add(subproject_id)
        if organisation_id:
            owners[role].add(organisation_id)
    if owners[Role.CONTACT_PERSON] or owners[Role.GUIDE]:
        subprojects = apps.get_model("programmes", "Subproject")._default_manager
        owned = subprojects.filter(
            programme=programme,
            owners__in=owners[Role.CONTACT_PERSON] | owners[Role.GUIDE],
        ).values_list("id", "owners")
        for subproject_id, owner_id in owned:
            for role, ids in owners.items():
                if owner_id in ids:
                    scopes[role].add(subproject_id)
    return Access(
        user=user,
        programme=programme,
        roles=frozenset(roles),
        subproject_ids=frozenset(scopes[Role.CONTACT_PERSON]),
        guide_subproject_ids=frozenset(scopes[Role.GUIDE]),
        organisation_ids=frozenset(organisations),
    )


# --- Rules, and the registry the apps fill -------------------------------------------------


class Rule(abc.ABC):
    """Who may do one thing. Every permission has exactly one rule, registered by the app whose
    objects it is about (``<app>/permissions.py``, from its ``AppConfig.ready``)."""

    roles: frozenset[str]
    about: str

    @abc.abstractmethod
    def allows(self, access: Access, obj: Model | None) -> bool: ...

    def describe(self) -> str:
        return self.about


@dataclass(frozen=True)
class RoleRule(Rule):
    """A right that the role alone gives (managers always have it)."""

    roles: frozenset[str]
    about: str

    def allows(self, access: Access, obj: Model | None) -> bool:
        return bool(access.roles & self.roles)


@dataclass(frozen=True)
class ScopeRule(Rule, Generic[M]):
    """A right over objects, written once as a ``Q``: the scope a list shows and the check for
    one object both come from it, so they cannot disagree.

    ``base`` gives the programme's objects that the right can be about at all (managers get all
    of them, erased participants are in nobody's); ``q`` narrows them for the other ``roles``;
    ``anywhere`` answers when there is no object yet ("may they create one at all?").
    """

    base: Callable[[Access], QuerySet[M]]
    q: Callable[[Access], Q]
    roles: frozenset[str]
    about: str
    anywhere: Callable[[Access], bool] = field(default=lambda access: False)

    def scope(self, access: Access) -> QuerySet[M]:
        objects = self.base(access)
        if not access.user.is_active or not access.roles:
            return objects.none()
        if access.is_manager:
            return objects
        if not access.roles & self.roles:
            return objects.none()
        return objects.filter(self.q(access)).distinct()

    def allows(self, access: Access, obj: Model | None) -> bool:
        if obj is None:
            return bool(access.roles & self.roles) and self.anywhere(access)
        model = self.base(access).model
        if not isinstance(obj, model) or obj.pk is None:
            return False
        if not access.answers_stand:
            return self.scope(access).filter(pk=obj.pk).exists()
        # a manager's scope is the base itself: rules sharing a base share the answer
        key = (id(self.base) if access.is_manager else id(self), model, obj.pk)
        if key not in access.answers:
            access.answers[key] = self.scope(access).filter(pk=obj.pk).exists()
        return access.answers[key]


RULES: dict[Perm, Rule] = {}
REGISTERED_BY: dict[Perm, str] = {}  # the app whose permissions.py holds the rule


def register(rules: dict[Perm, Rule], *, app: str) -> None:
    """Called by each app's ``ready()``. A permission gets one rule, once."""
    for perm, rule in rules.items():
        if perm in RULES and RULES[perm] is not rule:
            raise ImproperlyConfigured(f"{perm} has a rule already: {RULES[perm].describe()}")
        RULES[perm] = rule
        REGISTERED_BY[perm] = app


def rule_for(perm: Perm) -> Rule | None:
    return RULES.get(perm)


def scope_of(perm: Perm, access: Access) -> QuerySet[Any]:
    """The objects ``perm`` lets ``access`` act on: the same rule as ``can`` for one object."""
    rule = RULES.get(perm)
    if not isinstance(rule, ScopeRule):
        raise ImproperlyConfigured(f"{perm} is not a rule over objects")
    return rule.scope(access)


def can(access: Access, perm: Perm, obj: Model | None = None) -> bool:
    """The one function that says yes or no. Anything without a rule is denied."""
    if not access.roles or not access.user.is_active:
        return False
    if obj is not None and not _belongs_to_programme(access, obj):
        return False
    rule = RULES.get(perm)
    if rule is None:
        return False
    if access.is_manager and (obj is None or isinstance(rule, RoleRule)):
        return True
    return rule.allows(access, obj)


def _belongs_to_programme(access: Access, obj: Model) -> bool:
    programme_id = getattr(obj, "programme_id", None)
    if programme_id is None and obj._meta.label_lower == "programmes.programme":
        programme_id = obj.pk
    return programme_id == access.programme.pk


def require(
    access: Access, perm: Perm, obj: Model | None = None, *, request: HttpRequest | None = None
) -> None:
    """Raise 404 for objects of another programme, 403 when the role lacks the right."""
    if obj is not None and not _belongs_to_programme(access, obj):
        raise Http404
    if not can(access, perm, obj):
        from samvirke.audit.services import client_ip, record_event

        record_event(
            action="permission_denied",
            actor=Actor(user=access.user, ip=client_ip(request or access.request)),
            programme=access.programme,
            role=access.primary_role,
            obj=obj,
            detail={"permission": str(perm)},
        )
        raise PermissionDenied


# --- Scoped reads used by views, the admin and the API alike ------------------------------


def _programmes() -> QuerySet[Programme]:
    # The engine knows that programmes exist, not where they live.
    return apps.get_model("programmes", "Programme")._default_manager.all()


def programmes_visible_to(user: User) -> QuerySet[Programme]:
    if not user.is_authenticated or not user.is_active:
        return _programmes().none()
    return _programmes().filter(memberships__user=user).distinct()


def programmes_managed_by(user: User) -> QuerySet[Programme]:
    if not user.is_authenticated or not user.is_active:
        return _programmes().none()
    return (
        _programmes()
        .filter(memberships__user=user, memberships__role__in=list(MANAGER_ROLES))
        .distinct()
    )


def activities_visible_to(access: Access) -> QuerySet[Activity]:
    return scope_of(Perm.ACTIVITY_VIEW, access)


def subprojects_editable_by(access: Access) -> QuerySet[Subproject]:
    return scope_of(Perm.SUBPROJECT_EDIT, access)


# --- View decorators ------------------------------------------------------------------------

ProgrammeView = Callable[Concatenate[HttpRequest, Access, P], HttpResponse]


def _second_factor_redirect(request: HttpRequest) -> HttpResponse | None:
    user = request.user
    if getattr(user, "is_verified", lambda: False)():
        return None
    from django_otp import devices_for_user

    has_device = any(True for _ in devices_for_user(user, confirmed=True))
    target = "accounts:two_factor_verify" if has_device else "accounts:two_factor_setup"
    return redirect_to_login(request.get_full_path(), target)


def programme_view(
    perm: Perm = Perm.PROGRAMME_VIEW,
) -> Callable[[ProgrammeView[P]], Callable[..., HttpResponse]]:
    """Load the programme named by ``slug``, work out access, and check ``perm``."""

    def decorator(view: ProgrammeView[P]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = access_by_slug(request.user, slug)
            if access is None:
                raise Http404
            access.request = request
            if access.needs_second_factor:
                response = _second_factor_redirect(request)
                if response is not None:
                    return response
            request.samvirke_role = access.primary_role  # type: ignore[attr-defined]
            request.samvirke_access = access  # type: ignore[attr-defined]
            require(access, perm, request=request)
            response = view(request, access, *args, **kwargs)
            # Programme pages may show personal data: never keep them in a shared cache.
            response["Cache-Control"] = "no-store"
            return response

        wrapper.samvirke_permission = str(perm)  # type: ignore[attr-defined]
        return wrapper

    return decorator


def signed_in_view(view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        request = args[0]
        assert isinstance(request, HttpRequest)  # noqa: S101
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        response = view(*args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    wrapper.samvirke_permission = "signed_in"  # type: ignore[attr-defined]
    return wrapper


def public_view(view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """Marks a view that anyone may reach (login, the token calendar feed)."""
    view.samvirke_permission = "public"  # type: ignore[attr-defined]
    return view
