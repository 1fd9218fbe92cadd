"""Every permission decision in Samvirke is made here. Deny by default.

Views are wrapped by one of three decorators: ``public_view`` (login pages, the token calendar
feed), ``signed_in_view`` (pages about the user themself) and ``programme_view`` (everything in a
programme). ``programme_view`` answers 404 to anyone without a role in the programme, so that the
existence of a programme is not revealed, and 403 (logged) to members whose role lacks the right.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, wraps
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from samvirke.accounts.models import STAFF_ROLES, Membership, Role

if TYPE_CHECKING:
    from samvirke.accounts.models import User
    from samvirke.activities.models import Action, Activity
    from samvirke.programmes.models import Programme, Subproject

P = ParamSpec("P")


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
    SELF_SERVICE = "self_service"
    SERVICE_MAP_VIEW = "service_map.view"  # every member, participants too
    SERVICE_MAP_MANAGE = "service_map.manage"  # managers only (granted in can())
    MEASURES_VIEW = "measures.view"  # the catalogue: the workspace
    MEASURE_MANAGE = "measure.manage"  # create and edit: contact persons of its subproject
    MEASURES_IMPORT = "measures.import"  # the catalogue from a spreadsheet: managers only
    MEASURE_PEOPLE = "measure.people"  # enrol, see enrolments, take attendance
    ENROLMENT_NOTES = "enrolment.notes"  # read and write guides' notes (never researchers)
    VENTURES_VIEW = "ventures.view"  # the list and board (not user representatives)
    VENTURE_VIEW = "venture.view"  # one venture: see samvirke/ventures/permissions.py
    VENTURE_MANAGE = "venture.manage"  # contact persons of its subproject (and managers)
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

    @cached_property
    def partner_organisation_ids(self) -> frozenset[int]:
        """The organisations a contact person acts for: the one a contact-person membership is
        narrowed to, and the owners of their subprojects. A participant may share their
        follow-up with one of them by name (``ConsentPurpose.SHARE_PARTNER``)."""
        if Role.CONTACT_PERSON not in self.roles:
            return frozenset()
        from samvirke.programmes.models import Organisation

        contact = Membership.objects.filter(
            user=self.user, programme=self.programme, role=Role.CONTACT_PERSON
        )
        return frozenset(
            Organisation.objects.filter(
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
    roles: set[str] = set()
    scopes: dict[str, set[int]] = {Role.CONTACT_PERSON: set(), Role.GUIDE: set()}
    owners: dict[str, set[int]] = {Role.CONTACT_PERSON: set(), Role.GUIDE: set()}
    organisations: set[int] = set()
    if user.is_authenticated and user.is_active:
        memberships = Membership.objects.filter(user=user, programme=programme).values_list(
            "role", "subproject_id", "organisation_id"
        )
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
            from samvirke.programmes.models import Subproject

            owned = Subproject.objects.filter(
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


def _activity_is_theirs(access: Access, activity: Activity) -> bool:
    if activity.created_by_id == access.user.pk:
        return True
    if Role.CONTACT_PERSON in access.roles and access.subproject_ids:
        involved = {s.pk for s in activity.subprojects.all()}
        return bool(involved & access.subproject_ids)
    return False


def can(access: Access, perm: Perm, obj: Model | None = None) -> bool:  # noqa: C901
    """The one function that says yes or no. Anything not granted here is denied."""
    roles = access.roles
    if not roles or not access.user.is_active:
        return False
    if access.is_manager:
        return _belongs_to_programme(access, obj)
    if obj is not None and not _belongs_to_programme(access, obj):
        return False
    member = access.is_workspace_member
    match perm:
        case Perm.PROGRAMME_VIEW | Perm.SERVICE_MAP_VIEW:
            return True
        case Perm.PROGRAMME_OVERVIEW | Perm.ACTIONS_VIEW | Perm.SEARCH | Perm.RESOURCE_MAP_VIEW:
            # Resource maps are aggregates with small cells suppressed: safe for the workspace.
            return member
        case Perm.ACTIVITY_VIEW:
            if member:
                return True
            return obj is not None and _participant_may_see(access, obj)
        case Perm.ACTIVITY_REGISTER_SELF:
            if obj is None:
                return False
            if member:
                return True
            return bool(getattr(obj, "open_to_participants", False))
        case Perm.ACTIVITY_CREATE:
            return bool(roles & {Role.CONTACT_PERSON, Role.GUIDE})
        case Perm.ACTIVITY_EDIT | Perm.ACTIVITY_ATTENDANCE:
            if obj is None or not (roles & {Role.CONTACT_PERSON, Role.GUIDE}):
                return False
            return _activity_is_theirs(access, obj)  # type: ignore[arg-type]
        case Perm.SUBPROJECT_EDIT:
            return (
                Role.CONTACT_PERSON in roles and obj is not None and obj.pk in access.subproject_ids
            )
        case Perm.PARTICIPANTS_VIEW | Perm.PARTICIPANT_CREATE:
            return bool(roles & {Role.CONTACT_PERSON, Role.GUIDE})
        case Perm.PARTICIPANT_VIEW | Perm.PARTICIPANT_IDENTITY:
            # Whoever may see the record may, with a logged reason, see who it is: a consent to
            # share with a named partner lets that partner's contact persons do both, no more.
            return obj is not None and (
                _follows_participant(access, obj) or _shared_with_their_organisation(access, obj)
            )
        case Perm.PARTICIPANT_EDIT | Perm.CONSENT_RECORD | Perm.MAPPING_VIEW | Perm.MAPPING_RECORD:
            return obj is not None and _follows_participant(access, obj)
        case Perm.SELF_SERVICE:
            return Role.PARTICIPANT in roles
        case Perm.PARTICIPANT_EXPORT | Perm.ERASURE_MANAGE | Perm.MEASURES_IMPORT:
            return False  # managers only (granted above)
        case Perm.RESEARCH_EXPORT:
            return Role.RESEARCHER in roles  # and managers (granted above)
        case Perm.PARTICIPANTS_IMPORT:
            # Contact persons import into their own subprojects (the subproject is the object).
            if Role.CONTACT_PERSON not in roles:
                return False
            return (
                obj.pk in access.subproject_ids if obj is not None else bool(access.subproject_ids)
            )
        case Perm.MEASURES_VIEW:
            return member
        case Perm.MEASURE_MANAGE:
            if Role.CONTACT_PERSON not in roles:
                return False
            if obj is None:
                return bool(access.subproject_ids)
            return getattr(obj, "subproject_id", None) in access.subproject_ids
        case Perm.MEASURE_PEOPLE:
            return obj is not None and _works_in_measure(access, obj)
        case Perm.ENROLMENT_NOTES:
            return obj is not None and _may_read_notes(access, obj)
        case Perm.VENTURES_VIEW | Perm.VENTURE_VIEW | Perm.VENTURE_MANAGE | Perm.VENTURE_PIPELINE:
            from samvirke.ventures.permissions import may

            return may(access, perm, obj)
        case Perm.ACTION_EDIT:
            if obj is None or not member:
                return False
            action: Action = obj  # type: ignore[assignment]
            if action.owner_id == access.user.pk:
                return True
            return (
                Role.CONTACT_PERSON in roles
                and action.subproject_id is not None
                and action.subproject_id in access.subproject_ids
            )
        case _:
            return False


def _follows_participant(access: Access, participant: Model) -> bool:
    """Contact persons follow their subprojects' participants; guides those they guide."""
    if Role.GUIDE in access.roles and participant.guides.filter(pk=access.user.pk).exists():  # type: ignore[attr-defined]
        return True
    if Role.CONTACT_PERSON in access.roles and access.subproject_ids:
        return participant.subprojects.filter(pk__in=access.subproject_ids).exists()  # type: ignore[attr-defined]
    return False


def _works_in_measure(access: Access, measure: Model) -> bool:
    """Contact persons and guides of the measure's subproject, and guides of its enrolments."""
    roles = access.roles & {Role.CONTACT_PERSON, Role.GUIDE}
    if not roles:
        return False
    subproject_id = getattr(measure, "subproject_id", None)
    if Role.CONTACT_PERSON in roles and subproject_id in access.subproject_ids:
        return True
    if Role.GUIDE in roles and subproject_id in access.guide_subproject_ids:
        return True
    return Role.GUIDE in roles and measure.enrolments.filter(guide=access.user).exists()  # type: ignore[attr-defined]


def _may_read_notes(access: Access, enrolment: Model) -> bool:
    """The enrolment's guide, whoever follows the participant, the measure's contact persons."""
    if not access.roles & {Role.CONTACT_PERSON, Role.GUIDE}:
        return False
    if Role.GUIDE in access.roles and enrolment.guide_id == access.user.pk:  # type: ignore[attr-defined]
        return True
    measure = enrolment.measure  # type: ignore[attr-defined]
    if Role.CONTACT_PERSON in access.roles and measure.subproject_id in access.subproject_ids:
        return True
    return _follows_participant(access, enrolment.participant)  # type: ignore[attr-defined]


def shared_with_organisations(organisation_ids: frozenset[int]) -> Q:
    """Participants with an active consent to share their follow-up with one of these
    organisations; withdrawing the consent ends the sharing at once."""
    from samvirke.participants.models import ConsentPurpose, active_consent_q

    return active_consent_q(ConsentPurpose.SHARE_PARTNER) & Q(
        consents__partner__in=organisation_ids
    )


def _shared_with_their_organisation(access: Access, participant: Model) -> bool:
    if not access.partner_organisation_ids:
        return False
    from samvirke.participants.models import Participant

    shared = Participant.objects.filter(shared_with_organisations(access.partner_organisation_ids))
    return shared.filter(pk=participant.pk).exists()


def _participant_may_see(access: Access, activity: Model) -> bool:
    if getattr(activity, "open_to_participants", False):
        return True
    from samvirke.activities.models import Registration

    return Registration.objects.filter(activity_id=activity.pk, user=access.user).exists()


def _belongs_to_programme(access: Access, obj: Model | None) -> bool:
    if obj is None:
        return True
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
        from samvirke.audit.services import record_event

        record_event(
            action="permission_denied",
            actor=access.user,
            request=request or access.request,
            programme=access.programme,
            role=access.primary_role,
            obj=obj,
            detail={"permission": str(perm)},
        )
        raise PermissionDenied


# --- Scoped reads used by views, the admin and the API alike ------------------------------


def programmes_visible_to(user: User) -> QuerySet[Programme]:
    from samvirke.programmes.models import Programme

    if not user.is_authenticated or not user.is_active:
        return Programme.objects.none()
    return Programme.objects.filter(memberships__user=user).distinct()


def programmes_managed_by(user: User) -> QuerySet[Programme]:
    from samvirke.programmes.models import Programme

    if not user.is_authenticated or not user.is_active:
        return Programme.objects.none()
    return Programme.objects.filter(
        memberships__user=user, memberships__role__in=list(MANAGER_ROLES)
    ).distinct()


def activities_visible_to(access: Access) -> QuerySet[Activity]:
    from samvirke.activities.models import Activity

    activities = Activity.objects.filter(programme=access.programme)
    if not access.roles:
        return activities.none()
    if access.is_workspace_member:
        return activities
    return activities.filter(
        Q(open_to_participants=True) | Q(registrations__user=access.user)
    ).distinct()


def subprojects_editable_by(access: Access) -> QuerySet[Subproject]:
    from samvirke.programmes.models import Subproject

    subprojects = Subproject.objects.filter(programme=access.programme)
    if access.is_manager:
        return subprojects
    if Role.CONTACT_PERSON in access.roles:
        return subprojects.filter(pk__in=access.subproject_ids)
    return subprojects.none()


# --- View decorators ------------------------------------------------------------------------

ProgrammeView = Callable[Concatenate[HttpRequest, Access, P], HttpResponse]


def _second_factor_redirect(request: HttpRequest) -> HttpResponse | None:
    user = request.user
    if getattr(user, "is_verified", lambda: False)():
        return None
    from django_otp import devices_for_user

    has_device = any(True for _ in devices_for_user(user, confirmed=True))
    target = "accounts:two_factor_verify" if has_device else "accounts:two_factor_setup"
    return redirect_to_login(request.get_full_path(), target, "next")


def programme_view(
    perm: Perm = Perm.PROGRAMME_VIEW,
) -> Callable[[ProgrammeView[P]], Callable[..., HttpResponse]]:
    """Load the programme named by ``slug``, work out access, and check ``perm``."""

    def decorator(view: ProgrammeView[P]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            from samvirke.programmes.models import Programme

            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            programme = Programme.objects.filter(slug=slug).first()
            if programme is None:
                raise Http404
            access = access_for(request.user, programme)
            access.request = request
            if not access.roles:
                raise Http404
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


def home_for(user: User) -> HttpResponse:
    """Where a signed-in user lands: their one programme, or the list of them."""
    programmes = list(programmes_visible_to(user)[:2])
    if len(programmes) == 1:
        return redirect(programmes[0].get_absolute_url())
    return redirect("home")
