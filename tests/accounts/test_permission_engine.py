"""The permission engine itself (accounts/permissions.py), without any app's pages.

Written after mutation testing (`make mutation`): each test pins one behaviour that the page
tests exercised but did not assert, so that a changed role scope, a refusal logged wrongly or a
second-factor redirect to the wrong place fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from samvirke.accounts.models import Role
from samvirke.accounts.permissions import (
    REGISTERED_BY,
    RULES,
    Perm,
    RoleRule,
    _second_factor_redirect,
    access_for,
    programmes_managed_by,
    programmes_visible_to,
    public_view,
    register,
    require,
    scope_of,
    signed_in_view,
)
from samvirke.audit.models import AuditEntry
from tests.conftest import Cast, sign_in
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
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
    # given
    def page(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    # when
    public = public_view(page)
    # then
    assert public is page
    assert public.samvirke_permission == "public"  # type: ignore[attr-defined]
    assert _signed_in_page.samvirke_permission == "signed_in"  # type: ignore[attr-defined]


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
