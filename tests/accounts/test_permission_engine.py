"""The permission engine itself (accounts/permissions.py), without any app's pages.

Written after mutation testing (`make mutation`): each test pins one behaviour that the page
tests exercised but did not assert, so that a changed role scope, a refusal logged wrongly or a
second-factor redirect to the wrong place fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from samvirke.accounts.models import Role
from samvirke.accounts.permissions import (
    REGISTERED_BY,
    RULES,
    Access,
    Perm,
    RoleRule,
    ScopeRule,
    _second_factor_redirect,
    access_for,
    activities_visible_to,
    can,
    programme_view,
    programmes_managed_by,
    programmes_visible_to,
    public_view,
    register,
    require,
    scope_of,
    signed_in_view,
    subprojects_editable_by,
)
from samvirke.audit.models import AuditEntry
from samvirke.programmes.models import Organisation, Subproject
from tests.conftest import Cast, sign_in
from tests.factories import (
    ActivityFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgrammeFactory,
    RegistrationFactory,
    SubprojectFactory,
    UserFactory,
    confirmed_totp,
)


@pytest.mark.django_db
def test_a_contact_person_narrowed_to_a_subproject_acts_for_that_subproject_only() -> None:
    # given
    programme = ProgrammeFactory()
    mine, other = SubprojectFactory(programme=programme), SubprojectFactory(programme=programme)
    membership = MembershipFactory(programme=programme, role=Role.CONTACT_PERSON, subproject=mine)
    # when
    access = access_for(membership.user, programme)
    # then
    assert access.roles == {Role.CONTACT_PERSON}
    assert access.subproject_ids == {mine.pk} and other.pk not in access.subproject_ids
    assert access.guide_subproject_ids == frozenset()


@pytest.mark.django_db
def test_a_guide_tied_to_an_organisation_works_in_the_subprojects_it_owns() -> None:
    # given
    programme = ProgrammeFactory()
    organisation = OrganisationFactory()
    owned, _not_owned = (
        SubprojectFactory(programme=programme),
        SubprojectFactory(programme=programme),
    )
    owned.owners.set([organisation])
    membership = MembershipFactory(programme=programme, role=Role.GUIDE, organisation=organisation)
    # when
    access = access_for(membership.user, programme)
    # then
    assert access.guide_subproject_ids == {owned.pk}
    assert access.subproject_ids == frozenset()
    assert access.organisation_ids == {organisation.pk}


@pytest.mark.django_db
def test_a_researcher_tied_to_an_organisation_gains_no_subproject() -> None:
    # given
    programme = ProgrammeFactory()
    organisation = OrganisationFactory()
    SubprojectFactory(programme=programme).owners.set([organisation])
    membership = MembershipFactory(
        programme=programme, role=Role.RESEARCHER, organisation=organisation
    )
    # when
    access = access_for(membership.user, programme)
    # then
    assert access.roles == {Role.RESEARCHER}
    assert access.subproject_ids == access.guide_subproject_ids == frozenset()


@pytest.mark.django_db
def test_a_scope_of_one_role_does_not_pass_to_another_role_of_the_same_person() -> None:
    # given
    programme = ProgrammeFactory()
    contact_of, guide_in = (
        SubprojectFactory(programme=programme),
        SubprojectFactory(programme=programme),
    )
    user = UserFactory()
    MembershipFactory(
        user=user, programme=programme, role=Role.CONTACT_PERSON, subproject=contact_of
    )
    MembershipFactory(user=user, programme=programme, role=Role.GUIDE, subproject=guide_in)
    # when
    access = access_for(user, programme)
    # then
    assert access.subproject_ids == {contact_of.pk}
    assert access.guide_subproject_ids == {guide_in.pk}


@pytest.mark.django_db
def test_a_deactivated_account_has_no_role_left() -> None:
    # given
    membership = MembershipFactory(role=Role.COORDINATOR)
    membership.user.is_active = False
    membership.user.save()
    # when
    access = access_for(membership.user, membership.programme)
    # then
    assert access.roles == frozenset()
    assert not access.can(Perm.PROGRAMME_VIEW)


@pytest.mark.django_db
def test_an_object_of_another_programme_answers_404_and_logs_nothing(cast: Cast) -> None:
    # given
    access = access_for(cast.coordinator, cast.programme)
    elsewhere = SubprojectFactory(programme=cast.other_programme)
    # when
    with pytest.raises(Http404):
        require(access, Perm.SUBPROJECT_EDIT, elsewhere)
    # then
    assert not AuditEntry.objects.filter(action="permission_denied").exists()


@pytest.mark.django_db
def test_a_refusal_is_logged_with_the_permission_the_role_and_the_object(cast: Cast) -> None:
    # given
    access = access_for(cast.researcher, cast.programme)
    # when
    with pytest.raises(PermissionDenied):
        require(access, Perm.SUBPROJECT_EDIT, cast.subproject)
    # then
    entry = AuditEntry.objects.get(action="permission_denied")
    assert entry.actor == cast.researcher
    assert entry.role == Role.RESEARCHER
    assert entry.programme == cast.programme
    assert (entry.object_type, entry.object_id) == (
        "programmes.subproject",
        str(cast.subproject.pk),
    )
    assert entry.detail == {"permission": str(Perm.SUBPROJECT_EDIT)}


@pytest.mark.django_db
def test_an_allowed_check_passes_silently(cast: Cast) -> None:
    # given
    access = access_for(cast.contact, cast.programme)
    # when
    require(access, Perm.SUBPROJECT_EDIT, cast.subproject)
    # then
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_refusal_keeps_the_address_the_request_came_from(cast: Cast) -> None:
    # given
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    access = access_for(cast.researcher, cast.programme)
    # when
    with pytest.raises(PermissionDenied):
        require(access, Perm.PROGRAMME_EDIT, request=request)
    # then
    assert AuditEntry.objects.get(action="permission_denied").ip_address == "203.0.113.9"


def _request_of(user: Any, path: str = "/p/x/partners/?tab=1") -> HttpRequest:
    request = RequestFactory().get(path)
    request.user = user
    return request


@pytest.mark.django_db
def test_staff_with_an_authenticator_but_no_second_factor_are_sent_to_enter_a_code() -> None:
    # given
    user = UserFactory()
    confirmed_totp(user)
    user.is_verified = lambda: False  # type: ignore[attr-defined]
    # when
    response = _second_factor_redirect(_request_of(user))
    # then
    assert response is not None and response.status_code == 302
    assert response["Location"] == (
        reverse("accounts:two_factor_verify") + "?next=/p/x/partners/%3Ftab%3D1"
    )


@pytest.mark.django_db
def test_staff_without_an_authenticator_are_sent_to_set_one_up() -> None:
    # given
    user = UserFactory()
    user.is_verified = lambda: False  # type: ignore[attr-defined]
    # when
    response = _second_factor_redirect(_request_of(user))
    # then
    assert response is not None
    assert response["Location"].startswith(reverse("accounts:two_factor_setup") + "?next=")


@pytest.mark.django_db
def test_staff_who_never_confirmed_their_authenticator_are_sent_to_set_it_up() -> None:
    # given: the setup was begun (a device exists) but the first code was never entered
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = UserFactory()
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    user.is_verified = lambda: False  # type: ignore[attr-defined]
    # when
    response = _second_factor_redirect(_request_of(user))
    # then
    assert response is not None
    assert response["Location"].startswith(reverse("accounts:two_factor_setup") + "?next=")


@pytest.mark.django_db
def test_staff_who_passed_the_second_factor_are_let_through() -> None:
    # given
    user = UserFactory()
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    # when
    response = _second_factor_redirect(_request_of(user))
    # then
    assert response is None


@pytest.mark.django_db
def test_a_user_without_the_verification_hook_counts_as_not_verified() -> None:
    # given: no django-otp middleware has run on this request
    user = UserFactory()
    # when
    response = _second_factor_redirect(_request_of(user))
    # then
    assert response is not None and response.status_code == 302


def test_a_permission_cannot_get_a_second_rule() -> None:
    # given
    perm = Perm.PROGRAMME_VIEW
    other = RoleRule(roles=frozenset({Role.COORDINATOR}), about="another rule")
    # when, then
    with pytest.raises(ImproperlyConfigured, match=str(perm)):
        register({perm: other}, app="intruder")
    assert REGISTERED_BY[perm] != "intruder"


def test_registering_the_same_rule_again_changes_nothing() -> None:
    # given
    perm = Perm.PROGRAMME_VIEW
    rule, app = RULES[perm], REGISTERED_BY[perm]
    # when
    register({perm: rule}, app=app)
    # then
    assert RULES[perm] is rule and REGISTERED_BY[perm] == app


@signed_in_view
def _signed_in_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("inside")


@pytest.mark.django_db
def test_a_signed_in_page_sends_a_visitor_to_the_login_and_comes_back() -> None:
    # given
    request = _request_of(UserFactory(), "/me/?a=1")
    request.user = type("Anonymous", (), {"is_authenticated": False})()  # type: ignore[assignment]
    # when
    response = _signed_in_page(request)
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/me/%3Fa%3D1"


@pytest.mark.django_db
def test_a_signed_in_page_is_never_kept_in_a_shared_cache() -> None:
    # when
    response = _signed_in_page(_request_of(UserFactory()))
    # then
    assert response.content == b"inside"
    assert response["Cache-Control"] == "no-store"


def test_views_say_who_may_reach_them() -> None:
    # given: decorated here, not at import, so that `make mutation` sees the markers being set
    def page(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    def programme_page(request: HttpRequest, access: Access) -> HttpResponse:
        return HttpResponse()

    # when
    public = public_view(page)
    signed_in = signed_in_view(page)
    audit_log = programme_view(Perm.AUDIT_VIEW)(programme_page)
    # then
    assert public is page
    assert public.samvirke_permission == "public"  # type: ignore[attr-defined]
    assert signed_in.samvirke_permission == "signed_in"  # type: ignore[attr-defined]
    assert audit_log.samvirke_permission == "audit.view"  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_programme_page_is_not_cached_and_knows_the_acting_role(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.guide)
    # when
    response = client.get(reverse("programmes:partners", args=[cast.programme.slug]))
    # then
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.wsgi_request.samvirke_role == Role.GUIDE  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_an_unknown_programme_answers_404_to_a_signed_in_user(cast: Cast) -> None:
    # when
    response = sign_in(Client(), cast.coordinator).get("/p/no-such-programme/partners/")
    # then
    assert response.status_code == 404


@pytest.mark.django_db
def test_programmes_are_listed_by_membership_and_managed_only_by_managers(cast: Cast) -> None:
    # when
    visible = set(programmes_visible_to(cast.guide))
    managed_by_guide = set(programmes_managed_by(cast.guide))
    managed_by_coordinator = set(programmes_managed_by(cast.coordinator))
    # then
    assert visible == {cast.programme}
    assert managed_by_guide == set()
    assert managed_by_coordinator == {cast.programme}


@pytest.mark.django_db
def test_access_asks_the_rule_of_the_permission_it_is_given(cast: Cast) -> None:
    # given
    access = access_for(cast.contact, cast.programme)
    # when
    may_edit_own, may_edit_programme = (
        access.can(Perm.SUBPROJECT_EDIT, cast.subproject),
        access.can(Perm.PROGRAMME_EDIT),
    )
    # then
    assert (may_edit_own, may_edit_programme) == (True, False)


@pytest.mark.django_db
def test_someone_without_a_role_has_an_empty_scope_even_when_active(cast: Cast) -> None:
    # given
    access = access_for(cast.outsider, cast.programme)
    # when
    editable = scope_of(Perm.SUBPROJECT_EDIT, access)
    # then
    assert access.user.is_active
    assert list(editable) == []


@pytest.mark.django_db
def test_a_guide_tied_to_an_organisation_gains_none_of_its_subprojects_in_other_programmes() -> (
    None
):
    # given: the organisation owns a subproject here and one in another programme
    programme, elsewhere = ProgrammeFactory(), ProgrammeFactory()
    organisation = OrganisationFactory()
    here = SubprojectFactory(programme=programme)
    there = SubprojectFactory(programme=elsewhere)
    here.owners.set([organisation])
    there.owners.set([organisation])
    membership = MembershipFactory(programme=programme, role=Role.GUIDE, organisation=organisation)
    # when
    access = access_for(membership.user, programme)
    # then
    assert access.guide_subproject_ids == {here.pk}


@pytest.mark.django_db
def test_a_coordinator_who_also_guides_keeps_both_roles_and_the_guides_subproject() -> None:
    # given: memberships are read in role order, "coordinator" before "guide"
    programme = ProgrammeFactory()
    subproject = SubprojectFactory(programme=programme)
    user = UserFactory()
    MembershipFactory(user=user, programme=programme, role=Role.COORDINATOR)
    MembershipFactory(user=user, programme=programme, role=Role.GUIDE, subproject=subproject)
    # when
    access = access_for(user, programme)
    # then
    assert access.roles == {Role.COORDINATOR, Role.GUIDE}
    assert access.guide_subproject_ids == {subproject.pk}


@pytest.mark.django_db
def test_a_deactivated_account_gets_nothing_whatever_roles_its_access_lists(cast: Cast) -> None:
    # given: an access that still lists a manager's role, for an account since deactivated
    user = UserFactory(is_active=False)
    access = Access(user=user, programme=cast.programme, roles=frozenset({Role.COORDINATOR}))
    # when
    may_view, editable = can(access, Perm.PROGRAMME_VIEW), scope_of(Perm.SUBPROJECT_EDIT, access)
    # then
    assert may_view is False
    assert list(editable) == []


@pytest.mark.django_db
def test_a_manager_may_act_on_their_own_programme_and_not_on_another(cast: Cast) -> None:
    # given
    access = access_for(cast.coordinator, cast.programme)
    # when
    own = can(access, Perm.PROGRAMME_EDIT, cast.programme)
    other = can(access, Perm.PROGRAMME_EDIT, cast.other_programme)
    # then
    assert (own, other) == (True, False)


@pytest.mark.django_db
def test_an_object_that_names_no_programme_is_refused_even_when_its_id_is_the_programmes(
    cast: Cast,
) -> None:
    # given: an organisation belongs to no programme; give it the programme's own id
    access = access_for(cast.coordinator, cast.programme)
    organisation = Organisation(pk=cast.programme.pk, name="Same id")
    # when
    allowed = can(access, Perm.PARTNERS_MANAGE, organisation)
    # then
    assert allowed is False


@pytest.mark.django_db
def test_a_permission_without_a_rule_is_refused_even_to_a_manager(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    monkeypatch.delitem(RULES, Perm.AUDIT_VIEW)
    access = access_for(cast.leader, cast.programme)
    # when
    allowed = can(access, Perm.AUDIT_VIEW)
    # then
    assert allowed is False


@pytest.mark.django_db
def test_a_manager_may_create_measures_without_a_subproject_of_their_own(cast: Cast) -> None:
    # given
    access = access_for(cast.coordinator, cast.programme)
    # when
    allowed = can(access, Perm.MEASURE_MANAGE)
    # then
    assert access.subproject_ids == frozenset()
    assert allowed is True


@pytest.mark.django_db
def test_a_contact_person_may_create_measures_only_with_a_subproject_to_put_them_in(
    cast: Cast,
) -> None:
    # given
    unscoped = MembershipFactory(programme=cast.programme, role=Role.CONTACT_PERSON).user
    # when
    with_subproject = can(access_for(cast.contact, cast.programme), Perm.MEASURE_MANAGE)
    without = can(access_for(unscoped, cast.programme), Perm.MEASURE_MANAGE)
    # then
    assert (with_subproject, without) == (True, False)


@pytest.mark.django_db
def test_a_participant_gets_no_calendar_of_the_workspaces_activities(cast: Cast) -> None:
    # when: with no activity named, "may they see activities at all?"
    participant = can(access_for(cast.participant, cast.programme), Perm.ACTIVITY_VIEW)
    guide = can(access_for(cast.guide, cast.programme), Perm.ACTIVITY_VIEW)
    # then
    assert (participant, guide) == (False, True)


@pytest.mark.django_db
def test_a_rule_answers_there_is_somewhere_to_act_only_for_its_own_roles(cast: Cast) -> None:
    # given: a rule for researchers that says "anywhere" to everyone
    rule = ScopeRule[Subproject](
        base=lambda access: Subproject.objects.filter(programme=access.programme),
        q=lambda access: Q(),
        roles=frozenset({Role.RESEARCHER}),
        anywhere=lambda access: True,
        about="researchers",
    )
    # when
    guide = rule.allows(access_for(cast.guide, cast.programme), None)
    researcher = rule.allows(access_for(cast.researcher, cast.programme), None)
    # then
    assert (guide, researcher) == (False, True)


@pytest.mark.django_db
def test_an_object_of_another_kind_is_refused_even_when_its_id_is_an_allowed_ones(
    cast: Cast,
) -> None:
    # given: a participant the contact person follows, and a subproject carrying the same id
    participant = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
    access = access_for(cast.contact, cast.programme)
    impostor = Subproject(pk=participant.pk, programme=cast.programme, name="Same id")
    # when
    allowed = can(access, Perm.PARTICIPANT_VIEW, impostor)
    # then
    assert can(access, Perm.PARTICIPANT_VIEW, participant)
    assert allowed is False


@pytest.mark.django_db
def test_an_object_not_yet_saved_is_in_nobodys_scope(cast: Cast) -> None:
    # given
    unsaved = ParticipantFactory.build(programme=cast.programme)
    # when
    allowed = can(access_for(cast.coordinator, cast.programme), Perm.PARTICIPANT_EDIT, unsaved)
    # then
    assert allowed is False


@pytest.mark.django_db
def test_a_role_outside_a_rule_gets_nothing_from_it_even_where_it_would_match(
    cast: Cast,
) -> None:
    # given: an activity the researcher created (as a guide, before their role changed)
    activity = ActivityFactory(programme=cast.programme, created_by=cast.researcher)
    access = access_for(cast.researcher, cast.programme)
    # when
    may_edit = can(access, Perm.ACTIVITY_EDIT, activity)
    # then
    assert may_edit is False
    assert activity not in RULES[Perm.ACTIVITY_EDIT].scope(access)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_participant_sees_the_activities_open_to_them_and_those_they_joined(
    cast: Cast,
) -> None:
    # given
    opened = ActivityFactory(programme=cast.programme, open_to_participants=True)
    joined = ActivityFactory(programme=cast.programme, open_to_participants=False)
    ActivityFactory(programme=cast.programme, open_to_participants=False)
    ActivityFactory(programme=cast.other_programme, open_to_participants=True)
    RegistrationFactory(activity=joined, user=cast.participant)
    # when
    visible = activities_visible_to(access_for(cast.participant, cast.programme))
    # then
    assert set(visible) == {opened, joined}


@pytest.mark.django_db
def test_the_workspace_sees_every_activity_of_its_programme_only(cast: Cast) -> None:
    # given
    here = ActivityFactory(programme=cast.programme, open_to_participants=False)
    ActivityFactory(programme=cast.other_programme)
    # when
    visible = activities_visible_to(access_for(cast.researcher, cast.programme))
    # then
    assert list(visible) == [here]


@pytest.mark.django_db
def test_a_contact_person_may_put_things_only_in_their_own_subprojects(cast: Cast) -> None:
    # when
    contact = subprojects_editable_by(access_for(cast.contact, cast.programme))
    coordinator = subprojects_editable_by(access_for(cast.coordinator, cast.programme))
    guide = subprojects_editable_by(access_for(cast.guide, cast.programme))
    # then
    assert set(contact) == {cast.subproject}
    assert set(coordinator) == {cast.subproject, cast.other_subproject}
    assert list(guide) == []


def test_asking_for_the_scope_of_a_permission_about_no_objects_is_a_programming_error() -> None:
    # given
    access = Access(user=UserFactory.build(), programme=ProgrammeFactory.build(), roles=frozenset())
    # when, then
    with pytest.raises(ImproperlyConfigured, match="programme.edit is not a rule over objects"):
        scope_of(Perm.PROGRAMME_EDIT, access)


@pytest.mark.django_db
def test_a_deactivated_account_is_listed_no_programme_not_even_one_it_managed(cast: Cast) -> None:
    # given
    cast.coordinator.is_active = False
    cast.coordinator.save()
    # when
    visible = list(programmes_visible_to(cast.coordinator))
    managed = list(programmes_managed_by(cast.coordinator))
    # then
    assert (visible, managed) == ([], [])
