"""The resource map's costly part is cached, and every change to what it counts is seen at once."""

from __future__ import annotations

import pytest

from samvirke.audit.actor import Actor
from samvirke.mapping import resource_maps
from samvirke.mapping.resource_maps import Scope, resource_map
from samvirke.mapping.services import MappingAnswers
from samvirke.participants.data_rights import erase_participant, request_erasure
from samvirke.participants.services import give_consent, withdraw_consent
from tests.conftest import Cast
from tests.factories import OrganisationFactory, PartnershipFactory
from tests.mapping.test_member_import import KARIN, OLLE, run, survey
from tests.mapping.test_member_import import classifications as classifications  # a fixture
from tests.mapping.test_resource_map import kitchen_people, mapped

pytestmark = pytest.mark.django_db


def people_in(cast: Cast, **scope: object) -> int:
    return resource_map(Scope(programme=cast.programme, **scope)).people  # type: ignore[arg-type]


def test_an_unchanged_programme_is_worked_out_once(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a map that has been shown once
    mapped(cast, kitchen_people(), count=6)
    people_in(cast)
    calls: list[object] = []
    original = resource_maps.programme_atoms
    monkeypatch.setattr(resource_maps, "programme_atoms", lambda p: calls.append(p) or original(p))
    # when it is shown again, for the programme and for a subproject
    people_in(cast)
    people_in(cast, subproject=cast.subproject)
    # then
    assert calls == []


def test_a_new_mapping_is_counted_on_the_next_request(cast: Cast) -> None:
    # given
    mapped(cast, kitchen_people(), count=6)
    before = people_in(cast)
    # when
    mapped(cast, kitchen_people())
    # then
    assert (before, people_in(cast)) == (6, 7)


def test_a_withdrawn_consent_leaves_the_map_on_the_next_request(cast: Cast) -> None:
    # given
    people = mapped(cast, kitchen_people(), count=6)
    people_in(cast)
    # when
    withdraw_consent(actor=Actor.of_user(cast.guide), consent=people[0].consents.get())
    # then
    assert people_in(cast) == 5


def test_leaving_a_subproject_is_seen_in_its_map_at_once(cast: Cast) -> None:
    # given
    people = mapped(cast, kitchen_people(), count=6)
    mapped(cast, kitchen_people(), subproject=cast.other_subproject, count=6)
    people_in(cast, subproject=cast.subproject)
    # when one moves to the other subproject, seen from the subproject's side
    cast.subproject.participants.remove(people[0])
    people[0].subprojects.add(cast.other_subproject)
    # then
    assert people_in(cast, subproject=cast.subproject) == 5
    assert people_in(cast, subproject=cast.other_subproject) == 7


def test_joining_an_organisation_is_seen_in_its_map_at_once(cast: Cast) -> None:
    # given an organisation of the programme with five mapped members, and six more people
    organisation = OrganisationFactory()
    PartnershipFactory(programme=cast.programme, organisation=organisation)
    members = mapped(cast, kitchen_people(), count=5)
    others = mapped(cast, kitchen_people(), count=6)
    organisation.participants.add(*members)
    people_in(cast, organisation=organisation)
    # when the organisation takes in one more
    organisation.participants.add(others[0])
    # then
    assert people_in(cast, organisation=organisation) == 6


def test_imported_members_are_counted_on_the_next_request(
    cast: Cast, classifications: None
) -> None:
    # given
    mapped(cast, kitchen_people(), count=6)
    people_in(cast)
    # when the member import writes two mapped members in bulk
    outcome = run(cast, survey(KARIN, OLLE))
    # then
    assert outcome.imported
    assert people_in(cast) == 8


def test_an_erased_participant_leaves_the_map_on_the_next_request(cast: Cast) -> None:
    # given a participant whose coded mapping stays for research after erasure
    people = mapped(cast, MappingAnswers(items={"goal": ["work"]}), count=6)
    give_consent(
        actor=Actor.of_user(cast.guide), participant=people[0], purpose="research", method="paper"
    )
    people_in(cast)
    # when
    erasure = request_erasure(actor=Actor.of_user(cast.coordinator), participant=people[0])
    erase_participant(actor=Actor.of_user(cast.coordinator), erasure=erasure)
    # then
    assert people_in(cast) == 5
