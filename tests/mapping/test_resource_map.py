"""Resource maps: counts of what people bring, with small cells hidden."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samvirke.audit.actor import Actor
from samvirke.mapping.models import FilledBy
from samvirke.mapping.resource_maps import Scope, resource_map
from samvirke.mapping.services import MappingAnswers, WorkEntry, record_mapping
from samvirke.participants.models import Participant
from samvirke.participants.services import give_consent, withdraw_consent
from samvirke.programmes.models import Subproject
from tests.conftest import Cast, sign_in
from tests.factories import ParticipantFactory
from tests.mapping.factories import OccupationFactory


def mapped(
    cast: Cast,
    answers: MappingAnswers,
    *,
    subproject: Subproject | None = None,
    count: int = 1,
) -> list[Participant]:
    people = []
    for _ in range(count):
        record = ParticipantFactory(
            programme=cast.programme, subprojects=[subproject or cast.subproject]
        )
        give_consent(
            actor=Actor.of_user(cast.guide), participant=record, purpose="follow_up", method="paper"
        )
        record_mapping(
            actor=Actor.of_user(cast.guide),
            participant=record,
            filled_by=FilledBy.WITH_GUIDE,
            filled_on=timezone.localdate(),
            answers=answers,
        )
        people.append(record)
    return people


def kitchen_people() -> MappingAnswers:
    return MappingAnswers(
        skill_codes=["cooking"],
        items={"interest": ["cooking"], "goal": ["enterprise"]},
        work=[WorkEntry(title="kokk", occupation_code="5120")],
    )


def cells(map_: object, key: str) -> dict[str, int | None]:
    table = next(t for t in map_.tables if t.key == key)  # type: ignore[attr-defined]
    return {cell.key: cell.count for cell in table.cells}


@pytest.mark.django_db
def test_shared_interest_and_experience_is_an_enterprise_opportunity(cast: Cast) -> None:
    # given eleven people who cooked for a living and want to work with food, five who do not
    OccupationFactory(code="5", level=1, label_en="Service and sales workers")
    OccupationFactory(code="5120", label_en="Cooks")
    mapped(cast, kitchen_people(), count=11)
    mapped(cast, MappingAnswers(items={"goal": ["work"]}), count=5)
    # when
    result = resource_map(Scope(programme=cast.programme))
    # then
    assert result.people == 16
    assert [(o.count, o.skill) for o in result.opportunities] == [(11, "Matlaging")]
    assert cells(result, "occupations") == {"5": 11}
    assert cells(result, "goal")["enterprise"] == 11


@pytest.mark.django_db
def test_counts_under_five_are_hidden(cast: Cast) -> None:
    # given six people, three of whom garden
    mapped(cast, MappingAnswers(items={"interest": ["gardening"]}), count=3)
    mapped(cast, MappingAnswers(items={"interest": ["music"]}), count=3)
    # when
    result = resource_map(Scope(programme=cast.programme))
    # then
    assert cells(result, "interest")["gardening"] is None
    assert cells(result, "interest")["music"] is None


@pytest.mark.django_db
def test_a_pair_shared_by_fewer_than_five_is_not_an_opportunity(cast: Cast) -> None:
    mapped(cast, kitchen_people(), count=4)
    mapped(cast, MappingAnswers(), count=2)
    assert resource_map(Scope(programme=cast.programme)).opportunities == []


@pytest.mark.django_db
def test_fewer_than_five_people_show_nothing(cast: Cast) -> None:
    mapped(cast, kitchen_people(), count=4)
    result = resource_map(Scope(programme=cast.programme))
    assert result.too_few and result.tables == []


@pytest.mark.django_db
def test_only_the_chosen_subproject_is_counted(cast: Cast) -> None:
    mapped(cast, kitchen_people(), count=5)
    mapped(cast, kitchen_people(), subproject=cast.other_subproject, count=6)
    result = resource_map(Scope(programme=cast.programme, subproject=cast.other_subproject))
    assert result.people == 6


@pytest.mark.django_db
def test_withdrawn_follow_up_consent_takes_a_person_out_of_the_map(cast: Cast) -> None:
    # given
    people = mapped(cast, kitchen_people(), count=6)
    # when
    withdraw_consent(actor=Actor.of_user(cast.guide), consent=people[0].consents.get())
    # then
    assert resource_map(Scope(programme=cast.programme)).people == 5


@pytest.mark.django_db
def test_only_the_current_version_of_each_person_counts(cast: Cast) -> None:
    # given five people who first wanted work, then an enterprise
    people = mapped(cast, MappingAnswers(items={"goal": ["work"]}), count=5)
    for person in people:
        record_mapping(
            actor=Actor.of_user(cast.guide),
            participant=person,
            filled_by=FilledBy.SELF,
            filled_on=timezone.localdate(),
            answers=MappingAnswers(items={"goal": ["enterprise"]}),
        )
    mapped(cast, MappingAnswers(items={"goal": ["social"]}), count=5)
    # when
    result = resource_map(Scope(programme=cast.programme))
    # then
    assert result.people == 10
    assert cells(result, "goal") == {"enterprise": 5, "social": 5}


@pytest.mark.django_db
def test_the_contact_person_sees_the_map_with_small_cells_hidden(cast: Cast) -> None:
    # given
    mapped(cast, kitchen_people(), count=5)
    mapped(cast, MappingAnswers(items={"interest": ["animals"]}), count=2)
    client = sign_in(Client(), cast.contact)
    client.cookies["django_language"] = "en"
    # when
    response = client.get(reverse("mapping:resource_map", args=[cast.programme.slug]))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "Based on about 5 people." in html
    assert 'aria-label="hidden">·' in html
    assert "<svg" in html and "<table>" in html


@pytest.mark.django_db
def test_the_resource_map_needs_the_same_number_of_queries_for_more_people(cast: Cast) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            resource_map(Scope(programme=cast.programme))
        return len(captured)

    mapped(cast, kitchen_people(), count=5)
    few = queries()
    mapped(cast, MappingAnswers(items={"interest": ["music"]}), count=10)
    assert queries() == few


def consent_to_teams(people: list[Participant], cast: Cast) -> None:
    for person in people:
        give_consent(
            actor=Actor.of_user(cast.guide),
            participant=person,
            purpose="team_matching",
            method="paper",
        )


def candidates_page(cast: Cast, role: str = "coordinator") -> str:
    client = sign_in(Client(), cast.user(role))
    client.cookies["django_language"] = "en"
    url = reverse("mapping:team_candidates", args=[cast.programme.slug])
    return client.get(url, {"interest": "cooking", "skill": "cooking"}).content.decode()


@pytest.mark.django_db
def test_team_candidates_are_those_who_said_yes_to_being_considered(cast: Cast) -> None:
    # given six kitchen people, two of whom said yes to enterprise teams
    people = mapped(cast, kitchen_people(), count=6)
    consent_to_teams(people[:2], cast)
    # when
    html = candidates_page(cast)
    # then
    assert people[0].pseudonym in html and people[1].pseudonym in html
    assert people[2].pseudonym not in html


@pytest.mark.django_db
def test_withdrawn_team_consent_takes_a_person_off_the_candidates_at_once(cast: Cast) -> None:
    # given
    people = mapped(cast, kitchen_people(), count=5)
    consent_to_teams(people[:1], cast)
    # when
    consent = people[0].consents.get(purpose="team_matching")
    withdraw_consent(actor=Actor.of_user(cast.guide), consent=consent)
    # then
    assert people[0].pseudonym not in candidates_page(cast)


@pytest.mark.django_db
def test_a_guide_sees_only_the_candidates_they_follow(cast: Cast) -> None:
    # given two consenting kitchen people; the guide follows one
    people = mapped(cast, kitchen_people(), count=2)
    consent_to_teams(people, cast)
    people[0].guides.add(cast.guide)
    # when
    html = candidates_page(cast, "guide")
    # then
    assert people[0].pseudonym in html
    assert people[1].pseudonym not in html


@pytest.mark.django_db
def test_an_unknown_pair_is_not_found(cast: Cast) -> None:
    client = sign_in(Client(), cast.coordinator)
    url = reverse("mapping:team_candidates", args=[cast.programme.slug])
    assert client.get(url, {"interest": "cooking", "skill": "x'; --"}).status_code == 404


@pytest.mark.django_db
def test_a_partner_contact_person_does_not_see_a_shared_record_among_team_candidates(
    cast: Cast,
) -> None:
    # given: a kitchen person in Kirkens hus who said yes to teams and shared their record with
    # the organisation that owns the contact person's subproject
    (person,) = mapped(cast, kitchen_people(), subproject=cast.other_subproject)
    consent_to_teams([person], cast)
    give_consent(
        actor=Actor.of_user(cast.coordinator),
        participant=person,
        purpose="share_partner",
        method="paper",
        partner=cast.subproject.owners.get(),
    )
    # when
    html = candidates_page(cast, "contact")
    # then: the record is open to them, their mapping is not
    assert person.pseudonym not in html
