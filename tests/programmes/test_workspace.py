from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samvirke.accounts.models import Membership, User
from samvirke.programmes.models import Organisation, Partnership, Subproject
from tests.conftest import Cast, sign_in
from tests.factories import (
    ActionFactory,
    ActivityFactory,
    GoalFactory,
    IndicatorFactory,
    MunicipalityFactory,
    OrganisationFactory,
    SubprojectFactory,
)


def organisation_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Brønnøysundregistrene",
        "type": "public_agency",
        "country": "NO",
        "org_number": "974 760 673",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_norwegian_organisation_number_is_checked_and_normalised(cast: Cast) -> None:
    client = sign_in(Client(), cast.coordinator)
    client.post(
        reverse("programmes:organisation_new", args=[cast.programme.slug]), organisation_form()
    )
    assert Organisation.objects.get(name="Brønnøysundregistrene").org_number == "974760673"


@pytest.mark.django_db
def test_a_wrong_norwegian_organisation_number_is_refused_and_nothing_saved(cast: Cast) -> None:
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.coordinator)
    response = client.post(
        reverse("programmes:organisation_new", args=[cast.programme.slug]),
        organisation_form(org_number="974760674"),
    )
    assert response.status_code == 400
    assert "not a valid Norwegian organisation number" in response.content.decode()
    assert not Organisation.objects.filter(name="Brønnøysundregistrene").exists()


@pytest.mark.django_db
def test_a_swedish_organisation_number_is_checked_with_luhn(cast: Cast) -> None:
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.coordinator)
    url = reverse("programmes:organisation_new", args=[cast.programme.slug])
    bad = client.post(url, organisation_form(name="Kommun", country="SE", org_number="2120002628"))
    good = client.post(url, organisation_form(name="Kommun", country="SE", org_number="2120002627"))
    assert bad.status_code == 400
    assert good.status_code == 302
    assert Organisation.objects.get(name="Kommun").org_number == "212000-2627"


@pytest.mark.django_db
def test_a_municipality_must_lie_in_the_organisations_country(cast: Cast) -> None:
    trondheim = MunicipalityFactory(country="NO", code="5001", name="Trondheim")
    client = sign_in(Client(), cast.coordinator)
    response = client.post(
        reverse("programmes:organisation_new", args=[cast.programme.slug]),
        organisation_form(country="SE", org_number="", municipality=trondheim.pk),
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_adding_a_partner_links_the_organisation_to_the_programme(cast: Cast) -> None:
    # given
    organisation = OrganisationFactory(name="Mittuniversitetet", country="SE")
    client = sign_in(Client(), cast.coordinator)
    # when
    client.post(
        reverse("programmes:partner_add", args=[cast.programme.slug]),
        {"organisation": organisation.pk, "role": "lead_partner"},
    )
    # then
    partnership = Partnership.objects.get(organisation=organisation)
    assert (partnership.programme, partnership.role) == (cast.programme, "lead_partner")


@pytest.mark.django_db
def test_a_contact_person_updates_their_own_subproject(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.contact)
    url = reverse("programmes:subproject_edit", args=[cast.programme.slug, cast.subproject.pk])
    # when
    response = client.post(
        url,
        {
            "name": cast.subproject.name,
            "description": "Kartlegging av 60 medlemmer",
            "status": "active",
        },
    )
    # then
    assert response.status_code == 302
    cast.subproject.refresh_from_db()
    assert cast.subproject.description == "Kartlegging av 60 medlemmer"


@pytest.mark.django_db
def test_two_subprojects_cannot_share_a_name(cast: Cast) -> None:
    client = sign_in(Client(), cast.coordinator)
    response = client.post(
        reverse("programmes:subproject_new", args=[cast.programme.slug]),
        {"name": "rsmh KARTLEGGING", "status": "active"},
    )
    assert response.status_code == 400
    assert Subproject.objects.filter(programme=cast.programme).count() == 2


@pytest.mark.django_db
def test_granting_a_role_to_a_new_person_creates_their_account(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.coordinator)
    # when
    client.post(
        reverse("programmes:member_add", args=[cast.programme.slug]),
        {"email": "ny.veileder@example.test", "full_name": "Ny Veileder", "role": "guide"},
    )
    # then
    user = User.objects.get(email="ny.veileder@example.test")
    assert Membership.objects.filter(user=user, programme=cast.programme, role="guide").exists()
    assert not user.has_usable_password()


@pytest.mark.django_db
def test_a_coordinator_cannot_remove_their_own_management_role(cast: Cast) -> None:
    client = sign_in(Client(), cast.coordinator)
    own = cast.coordinator.memberships.get()
    client.post(reverse("programmes:member_remove", args=[cast.programme.slug, own.pk]))
    assert Membership.objects.filter(pk=own.pk).exists()


@pytest.mark.django_db
def test_the_project_group_refuses_the_same_person_twice(cast: Cast) -> None:
    client = sign_in(Client(), cast.coordinator)
    url = reverse("programmes:project_group_add", args=[cast.programme.slug])
    first = client.post(url, {"user": cast.user_rep.pk, "is_user_representative": "on"})
    second = client.post(url, {"user": cast.user_rep.pk})
    assert (first.status_code, second.status_code) == (302, 400)


@pytest.mark.django_db
def test_indicator_progress_is_measured_from_baseline_to_target() -> None:
    indicator = IndicatorFactory(baseline=10, target=30, current=25)
    assert indicator.progress_percent == 75


@pytest.mark.django_db
def test_indicator_progress_stays_between_zero_and_a_hundred() -> None:
    assert IndicatorFactory(baseline=0, target=10, current=15).progress_percent == 100
    assert IndicatorFactory(baseline=5, target=10, current=0).progress_percent == 0


@pytest.mark.django_db
def test_the_dashboard_shows_each_subprojects_last_activity_and_open_actions(cast: Cast) -> None:
    # given
    past = timezone.now() - dt.timedelta(days=10)
    ActivityFactory(
        programme=cast.programme, starts_at=past, ends_at=past, subprojects=[cast.subproject]
    )
    ActionFactory(programme=cast.programme, subproject=cast.subproject)
    ActionFactory(programme=cast.programme, subproject=cast.subproject, status="done")
    client = sign_in(Client(), cast.coordinator)
    # when
    response = client.get(reverse("programmes:dashboard", args=[cast.programme.slug]))
    # then
    row = next(s for s in response.context["dash"].subprojects if s.pk == cast.subproject.pk)
    assert row.open_action_count == 1
    assert row.last_activity_at == past


@pytest.mark.django_db
def test_the_dashboard_needs_the_same_number_of_queries_for_more_data(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.coordinator)
    url = reverse("programmes:dashboard", args=[cast.programme.slug])
    goal = GoalFactory(programme=cast.programme)
    IndicatorFactory(goal=goal, subproject=cast.subproject)
    ActionFactory(programme=cast.programme, due_on=timezone.localdate() - dt.timedelta(days=1))
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    # when
    for i in range(8):
        subproject = SubprojectFactory(programme=cast.programme, name=f"Ekstra {i}")
        subproject.owners.set([OrganisationFactory()])
        IndicatorFactory(goal=goal, subproject=subproject)
        ActivityFactory(programme=cast.programme, subprojects=[subproject])
        ActionFactory(
            programme=cast.programme,
            subproject=subproject,
            due_on=timezone.localdate() - dt.timedelta(days=1),
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    # then
    assert len(few) == len(many)


@pytest.mark.django_db
def test_the_subproject_page_shows_its_people_and_activities(cast: Cast) -> None:
    ActivityFactory(
        programme=cast.programme, title="Kartleggingsdag", subprojects=[cast.subproject]
    )
    client = sign_in(Client(), cast.guide)
    response = client.get(
        reverse("programmes:subproject", args=[cast.programme.slug, cast.subproject.pk])
    )
    body = response.content.decode()
    assert "Kartleggingsdag" in body
    assert cast.contact.full_name in body


@pytest.mark.django_db
def test_a_subproject_of_another_programme_is_not_found(cast: Cast) -> None:
    foreign = SubprojectFactory(programme=cast.other_programme)
    client = sign_in(Client(), cast.coordinator)
    response = client.get(reverse("programmes:subproject", args=[cast.programme.slug, foreign.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_404_page_is_translated(cast: Cast) -> None:
    response = sign_in(Client(), cast.coordinator).get("/sv-not-here/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_a_negative_indicator_target_is_refused_with_a_clear_error(cast: Cast) -> None:
    # given
    goal = GoalFactory(programme=cast.programme)
    client = sign_in(Client(), cast.coordinator)
    client.cookies["django_language"] = "en"
    form = {"goal": goal.pk, "name_nb": "Nye foretak", "baseline": 0, "target": -5, "current": 0}
    # when
    response = client.post(reverse("programmes:indicator_new", args=[cast.programme.slug]), form)
    # then
    assert response.context["form"].errors == {"target": ["A target cannot be negative."]}
    assert not goal.indicators.exists()


@pytest.mark.django_db
def test_a_negative_programme_budget_is_refused_and_the_old_one_kept(cast: Cast) -> None:
    # given
    programme = cast.programme
    form = {
        "name_nb": programme.name_nb,
        "starts_on": programme.starts_on.isoformat(),
        "ends_on": programme.ends_on.isoformat(),
        "budget": "-100000",
        "status": programme.status,
    }
    client = sign_in(Client(), cast.coordinator)
    client.cookies["django_language"] = "en"
    # when
    response = client.post(reverse("programmes:edit", args=[programme.slug]), form)
    # then
    assert response.context["form"].errors == {"budget": ["A budget cannot be negative."]}
    programme.refresh_from_db()
    assert programme.budget != -100000
