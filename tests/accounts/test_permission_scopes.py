"""Who each app's rules over objects let in (samvirke/<app>/permissions.py), checked one object
at a time against people whose roles say what the answer must be.

The property test (test_permission_rules.py) proves a rule's scope and its check agree; it
cannot see a rule that is wrong in both. These tests pin the rules themselves, written after
mutation testing (`make mutation`) found the changes nothing caught. People holding two roles
at once are here on purpose: a rule must add what each role gives, not keep only the last.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Model

from samvirke.accounts.models import Role, User
from samvirke.accounts.permissions import Perm, access_for, can
from samvirke.audit.actor import Actor
from samvirke.participants.services import give_consent, withdraw_consent
from samvirke.programmes.models import Organisation, Programme, Subproject
from tests.conftest import Cast
from tests.factories import (
    ActionFactory,
    ActivityFactory,
    EnrolmentFactory,
    MeasureFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
    VentureFactory,
)


def person(programme: Programme, *roles: tuple[str, Subproject | None]) -> User:
    """Someone with one membership for each (role, subproject) given."""
    user = UserFactory()
    for role, subproject in roles:
        MembershipFactory(user=user, programme=programme, role=role, subproject=subproject)
    return user


def allowed(user: User, perm: Perm, obj: Model, programme: Programme) -> bool:
    return can(access_for(user, programme), perm, obj)


def shared_with(cast: Cast, partner: Organisation) -> Any:
    """A participant of the subproject the contact person does not act for, who consented to
    share their follow-up with ``partner``."""
    participant = ParticipantFactory(programme=cast.programme, subprojects=[cast.other_subproject])
    give_consent(
        actor=Actor.of_user(cast.coordinator),
        participant=participant,
        purpose="share_partner",
        method="paper",
        partner=partner,
    )
    return participant


# --- Participants: who follows them (participants/permissions.py) -------------------------


@pytest.mark.django_db
def test_a_contact_person_follows_the_participants_of_their_subproject_only(cast: Cast) -> None:
    # given
    theirs = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
    others = ParticipantFactory(programme=cast.programme, subprojects=[cast.other_subproject])
    # when
    answers = [
        allowed(cast.contact, Perm.PARTICIPANT_EDIT, p, cast.programme) for p in (theirs, others)
    ]
    # then
    assert answers == [True, False]


@pytest.mark.django_db
def test_a_guide_follows_the_people_they_guide_and_no_one_else(cast: Cast) -> None:
    # given
    guided = ParticipantFactory(programme=cast.programme)
    guided.guides.set([cast.guide])
    not_guided = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
    # when
    answers = [
        allowed(cast.guide, Perm.PARTICIPANT_EDIT, p, cast.programme) for p in (guided, not_guided)
    ]
    # then
    assert answers == [True, False]


@pytest.mark.django_db
def test_a_contact_person_who_also_guides_follows_both_kinds_of_participant(cast: Cast) -> None:
    # given
    user = person(cast.programme, (Role.CONTACT_PERSON, cast.subproject), (Role.GUIDE, None))
    of_subproject = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
    guided = ParticipantFactory(programme=cast.programme, subprojects=[cast.other_subproject])
    guided.guides.set([user])
    # when
    answers = [
        allowed(user, Perm.PARTICIPANT_EDIT, p, cast.programme) for p in (of_subproject, guided)
    ]
    # then
    assert answers == [True, True]


@pytest.mark.django_db
def test_a_partners_contact_person_sees_a_participant_who_shared_with_that_partner(
    cast: Cast,
) -> None:
    # given: the contact person's subproject is owned by the partner
    partner = cast.subproject.owners.get()
    participant = shared_with(cast, partner)
    # when
    sees = allowed(cast.contact, Perm.PARTICIPANT_VIEW, participant, cast.programme)
    edits = allowed(cast.contact, Perm.PARTICIPANT_EDIT, participant, cast.programme)
    # then: seeing is shared, following is not
    assert (sees, edits) == (True, False)


@pytest.mark.django_db
def test_sharing_with_a_partner_keeps_the_contact_persons_own_participants_in_sight(
    cast: Cast,
) -> None:
    # given
    shared_with(cast, cast.subproject.owners.get())
    own = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
    # when
    sees = allowed(cast.contact, Perm.PARTICIPANT_VIEW, own, cast.programme)
    # then
    assert sees is True


@pytest.mark.django_db
def test_a_participant_shared_with_another_partner_stays_out_of_sight(cast: Cast) -> None:
    # given
    participant = shared_with(cast, OrganisationFactory())
    # when
    sees = allowed(cast.contact, Perm.PARTICIPANT_VIEW, participant, cast.programme)
    # then
    assert sees is False


@pytest.mark.django_db
def test_withdrawing_the_consent_to_share_ends_the_partners_sight_at_once(cast: Cast) -> None:
    # given
    participant = shared_with(cast, cast.subproject.owners.get())
    # when
    withdraw_consent(actor=Actor.of_user(cast.coordinator), consent=participant.consents.get())
    # then
    assert not allowed(cast.contact, Perm.PARTICIPANT_VIEW, participant, cast.programme)


# --- Activities and actions (activities/permissions.py) -----------------------------------


@pytest.mark.django_db
def test_a_guide_runs_the_activities_they_created_and_not_others(cast: Cast) -> None:
    # given
    own = ActivityFactory(programme=cast.programme, created_by=cast.guide)
    other = ActivityFactory(programme=cast.programme, created_by=cast.coordinator)
    # when
    answers = [allowed(cast.guide, Perm.ACTIVITY_EDIT, a, cast.programme) for a in (own, other)]
    # then
    assert answers == [True, False]


@pytest.mark.django_db
def test_a_contact_person_runs_activities_of_their_subproject_and_their_own(cast: Cast) -> None:
    # given
    involving = ActivityFactory(
        programme=cast.programme, created_by=cast.coordinator, subprojects=[cast.subproject]
    )
    own = ActivityFactory(programme=cast.programme, created_by=cast.contact)
    elsewhere = ActivityFactory(
        programme=cast.programme, created_by=cast.coordinator, subprojects=[cast.other_subproject]
    )
    # when
    answers = [
        allowed(cast.contact, Perm.ACTIVITY_EDIT, a, cast.programme)
        for a in (involving, own, elsewhere)
    ]
    # then
    assert answers == [True, True, False]


@pytest.mark.django_db
def test_a_contact_person_edits_actions_of_their_subproject_and_those_they_own(
    cast: Cast,
) -> None:
    # given
    of_subproject = ActionFactory(
        programme=cast.programme, owner=cast.coordinator, subproject=cast.subproject
    )
    owned = ActionFactory(programme=cast.programme, owner=cast.contact, subproject=None)
    elsewhere = ActionFactory(
        programme=cast.programme, owner=cast.coordinator, subproject=cast.other_subproject
    )
    # when
    answers = [
        allowed(cast.contact, Perm.ACTION_EDIT, a, cast.programme)
        for a in (of_subproject, owned, elsewhere)
    ]
    # then
    assert answers == [True, True, False]


@pytest.mark.django_db
def test_a_guide_edits_the_actions_they_own_only(cast: Cast) -> None:
    # given
    owned = ActionFactory(programme=cast.programme, owner=cast.guide, subproject=cast.subproject)
    other = ActionFactory(
        programme=cast.programme, owner=cast.coordinator, subproject=cast.subproject
    )
    # when
    answers = [allowed(cast.guide, Perm.ACTION_EDIT, a, cast.programme) for a in (owned, other)]
    # then
    assert answers == [True, False]


# --- Measures: their people, notes and referrals (measures/permissions.py) ----------------


@pytest.mark.django_db
def test_a_measures_people_are_for_the_staff_of_its_subproject(cast: Cast) -> None:
    # given
    here = MeasureFactory(programme=cast.programme, subproject=cast.subproject)
    there = MeasureFactory(programme=cast.programme, subproject=cast.other_subproject)
    # when
    answers = {
        who: [
            allowed(cast.user(who), Perm.MEASURE_PEOPLE, m, cast.programme) for m in (here, there)
        ]
        for who in ("contact", "guide")
    }
    # then
    assert answers == {"contact": [True, False], "guide": [True, False]}


@pytest.mark.django_db
def test_a_guide_works_with_the_people_of_a_measure_where_they_guide_an_enrolment(
    cast: Cast,
) -> None:
    # given: a measure of another subproject, with an enrolment the guide guides
    measure = MeasureFactory(programme=cast.programme, subproject=cast.other_subproject)
    EnrolmentFactory(measure=measure, guide=cast.guide)
    unrelated = MeasureFactory(programme=cast.programme, subproject=cast.other_subproject)
    EnrolmentFactory(measure=unrelated, guide=cast.coordinator)
    # when
    answers = [
        allowed(cast.guide, Perm.MEASURE_PEOPLE, m, cast.programme) for m in (measure, unrelated)
    ]
    # then
    assert answers == [True, False]


@pytest.mark.django_db
def test_a_contact_person_who_guides_elsewhere_works_with_both_measures(cast: Cast) -> None:
    # given
    user = person(
        cast.programme, (Role.CONTACT_PERSON, cast.subproject), (Role.GUIDE, cast.other_subproject)
    )
    here = MeasureFactory(programme=cast.programme, subproject=cast.subproject)
    there = MeasureFactory(programme=cast.programme, subproject=cast.other_subproject)
    # when
    people = [allowed(user, Perm.MEASURE_PEOPLE, m, cast.programme) for m in (here, there)]
    referrals = [allowed(user, Perm.REFERRALS_RECEIVE, m, cast.programme) for m in (here, there)]
    # then
    assert people == [True, True]
    assert referrals == [True, True]


@pytest.mark.django_db
def test_referrals_to_a_measure_are_received_by_the_staff_of_its_subproject_only(
    cast: Cast,
) -> None:
    # given
    here = MeasureFactory(programme=cast.programme, subproject=cast.subproject)
    there = MeasureFactory(programme=cast.programme, subproject=cast.other_subproject)
    EnrolmentFactory(measure=there, guide=cast.guide)  # guiding someone there is not enough
    # when
    answers = {
        who: [
            allowed(cast.user(who), Perm.REFERRALS_RECEIVE, m, cast.programme)
            for m in (here, there)
        ]
        for who in ("contact", "guide")
    }
    # then
    assert answers == {"contact": [True, False], "guide": [True, False]}


@pytest.mark.django_db
def test_the_guide_of_an_enrolment_reads_its_notes_without_following_the_participant(
    cast: Cast,
) -> None:
    # given: a measure of another subproject, a participant the guide does not guide
    measure = MeasureFactory(programme=cast.programme, subproject=cast.other_subproject)
    theirs = EnrolmentFactory(measure=measure, guide=cast.guide)
    others = EnrolmentFactory(measure=measure, guide=cast.coordinator)
    # when
    answers = [
        allowed(cast.guide, Perm.ENROLMENT_NOTES, e, cast.programme) for e in (theirs, others)
    ]
    # then
    assert answers == [True, False]


@pytest.mark.django_db
def test_whoever_guides_the_participant_reads_the_notes_of_their_enrolments(cast: Cast) -> None:
    # given: an enrolment guided by someone else, of a participant the guide guides
    enrolment = EnrolmentFactory(
        measure=MeasureFactory(programme=cast.programme, subproject=cast.other_subproject),
        guide=cast.coordinator,
    )
    enrolment.participant.guides.set([cast.guide])
    # when
    reads = allowed(cast.guide, Perm.ENROLMENT_NOTES, enrolment, cast.programme)
    # then
    assert reads is True


@pytest.mark.django_db
def test_a_measures_contact_person_reads_the_notes_of_its_enrolments(cast: Cast) -> None:
    # given: participants of another subproject, enrolled in the contact person's measure
    mine = MeasureFactory(programme=cast.programme, subproject=cast.subproject)
    theirs = MeasureFactory(programme=cast.programme, subproject=cast.other_subproject)
    in_mine, in_theirs = EnrolmentFactory(measure=mine), EnrolmentFactory(measure=theirs)
    # when
    answers = [
        allowed(cast.contact, Perm.ENROLMENT_NOTES, e, cast.programme) for e in (in_mine, in_theirs)
    ]
    # then
    assert answers == [True, False]


@pytest.mark.django_db
def test_a_contact_person_who_guides_an_enrolment_elsewhere_reads_its_notes(cast: Cast) -> None:
    # given
    user = person(cast.programme, (Role.CONTACT_PERSON, cast.subproject), (Role.GUIDE, None))
    enrolment = EnrolmentFactory(
        measure=MeasureFactory(programme=cast.programme, subproject=cast.other_subproject),
        guide=user,
    )
    # when
    reads = allowed(user, Perm.ENROLMENT_NOTES, enrolment, cast.programme)
    # then
    assert reads is True


# --- Ventures (ventures/permissions.py) -----------------------------------------------------


def _team(venture: Any, **member: Any) -> None:
    venture.members.create(**member)


@pytest.mark.django_db
def test_a_contact_person_works_on_the_ventures_of_their_subproject_only(cast: Cast) -> None:
    # given
    here = VentureFactory(programme=cast.programme, subproject=cast.subproject)
    there = VentureFactory(programme=cast.programme, subproject=cast.other_subproject)
    # when
    answers = [allowed(cast.contact, Perm.VENTURE_WORK, v, cast.programme) for v in (here, there)]
    # then
    assert answers == [True, False]


@pytest.mark.django_db
def test_a_guide_works_on_a_venture_with_someone_they_guide_on_its_team(cast: Cast) -> None:
    # given
    guided = ParticipantFactory(programme=cast.programme)
    guided.guides.set([cast.guide])
    with_guided = VentureFactory(programme=cast.programme, subproject=cast.other_subproject)
    _team(with_guided, kind="participant", participant=guided)
    without = VentureFactory(programme=cast.programme, subproject=cast.other_subproject)
    _team(without, kind="participant", participant=ParticipantFactory(programme=cast.programme))
    # when
    answers = [
        allowed(cast.guide, Perm.VENTURE_WORK, v, cast.programme) for v in (with_guided, without)
    ]
    # then
    assert answers == [True, False]


@pytest.mark.django_db
def test_a_guide_works_on_a_venture_whose_team_they_are_on_as_its_guide(cast: Cast) -> None:
    # given
    as_guide = VentureFactory(programme=cast.programme, subproject=cast.other_subproject)
    _team(as_guide, kind="guide", user=cast.guide)
    as_mentor = VentureFactory(programme=cast.programme, subproject=cast.other_subproject)
    _team(as_mentor, kind="mentor", user=cast.guide)
    others = VentureFactory(programme=cast.programme, subproject=cast.other_subproject)
    _team(others, kind="guide", user=cast.coordinator)
    # when
    answers = [
        allowed(cast.guide, Perm.VENTURE_WORK, v, cast.programme)
        for v in (as_guide, as_mentor, others)
    ]
    # then
    assert answers == [True, False, False]


@pytest.mark.django_db
def test_a_contact_person_who_also_guides_works_on_both_kinds_of_venture(cast: Cast) -> None:
    # given
    user = person(cast.programme, (Role.CONTACT_PERSON, cast.subproject), (Role.GUIDE, None))
    of_subproject = VentureFactory(programme=cast.programme, subproject=cast.subproject)
    guided = ParticipantFactory(programme=cast.programme)
    guided.guides.set([user])
    with_guided = VentureFactory(programme=cast.programme, subproject=cast.other_subproject)
    _team(with_guided, kind="participant", participant=guided)
    # when
    answers = [
        allowed(user, Perm.VENTURE_WORK, v, cast.programme) for v in (of_subproject, with_guided)
    ]
    # then
    assert answers == [True, True]


@pytest.mark.django_db
def test_a_researcher_sees_every_venture_but_works_on_none(cast: Cast) -> None:
    # given
    venture = VentureFactory(programme=cast.programme, subproject=cast.other_subproject)
    # when
    sees = allowed(cast.researcher, Perm.VENTURE_VIEW, venture, cast.programme)
    works = allowed(cast.researcher, Perm.VENTURE_WORK, venture, cast.programme)
    # then
    assert (sees, works) == (True, False)


@pytest.mark.django_db
def test_a_contact_person_sees_the_ventures_of_their_subproject_only(cast: Cast) -> None:
    # given
    here = VentureFactory(programme=cast.programme, subproject=cast.subproject)
    there = VentureFactory(programme=cast.programme, subproject=cast.other_subproject)
    # when
    answers = [allowed(cast.contact, Perm.VENTURE_VIEW, v, cast.programme) for v in (here, there)]
    # then
    assert answers == [True, False]
