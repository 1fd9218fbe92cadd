"""The registry of rules: one rule a permission, and a rule's scope and check never disagree.

For random programmes (people in every role, narrowed to random subprojects and partners;
participants followed, guided, shared and erased at random; activities, actions, measures and
enrolments tied at random), every user and every rule over objects: the objects the check
allows are exactly the objects in the scope. Objects of another programme are in the draw too.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from samvirke.accounts.models import Role, User
from samvirke.accounts.permissions import (
    RULES,
    Perm,
    RoleRule,
    ScopeRule,
    access_for,
    can,
    register,
)
from samvirke.audit.actor import Actor
from samvirke.participants.services import give_consent
from tests.conftest import Cast, sign_in
from tests.factories import (
    ActionFactory,
    ActivityFactory,
    EnrolmentFactory,
    MeasureFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgrammeFactory,
    ReferralFactory,
    RegistrationFactory,
    SubprojectFactory,
    UserFactory,
)


def test_every_permission_has_a_rule() -> None:
    assert sorted(set(Perm) - set(RULES)) == []


def test_a_second_rule_for_a_permission_is_refused() -> None:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        register({Perm.AUDIT_VIEW: RoleRule(frozenset({Role.GUIDE}), "guides")}, app="audit")
    assert not RULES[Perm.AUDIT_VIEW].roles  # managers only, as before


def test_the_registry_is_printed_with_each_rule_and_its_roles(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("permissions")
    out = capsys.readouterr().out
    assert "participant.view" in out
    assert "samvirke.participants.permissions" in out
    assert "contact_person, guide" in out
    assert "managers only" in out


def world(seed: int) -> tuple[Any, list[User], list[Model]]:
    rng = random.Random(seed)
    programme, elsewhere = ProgrammeFactory(), ProgrammeFactory()
    subprojects = SubprojectFactory.create_batch(3, programme=programme)
    partners = OrganisationFactory.create_batch(2)
    for subproject in subprojects:
        subproject.owners.set(rng.sample(partners, rng.randint(0, 2)))
    users = []
    for _ in range(9):
        user = UserFactory()
        for role in rng.sample(list(Role), rng.randint(1, 2)):
            MembershipFactory(
                user=user,
                programme=programme,
                role=role,
                subproject=rng.choice([None, *subprojects]),
                organisation=rng.choice([None, None, *partners]),
            )
        users.append(user)
    objects: list[Model] = []
    manager = UserFactory()
    MembershipFactory(user=manager, programme=programme, role=Role.COORDINATOR)
    elsewhere_subproject = SubprojectFactory(programme=elsewhere)
    for where in [programme] * 6 + [elsewhere] * 2:
        participant = ParticipantFactory(
            programme=where,
            subprojects=rng.sample(subprojects, rng.randint(0, 2)) if where == programme else [],
        )
        participant.guides.set(rng.sample(users, rng.randint(0, 2)))
        if rng.random() < 0.4:
            give_consent(
                actor=Actor.of_user(manager),
                participant=participant,
                purpose="share_partner",
                method="paper",
                partner=rng.choice(partners),
            )
        if rng.random() < 0.2:
            participant.erased_at = participant.created_at
            participant.save(update_fields=["erased_at"])
        objects.append(participant)
        activity = ActivityFactory(
            programme=where,
            created_by=rng.choice(users),
            open_to_participants=rng.random() < 0.5,
            subprojects=rng.sample(subprojects, rng.randint(0, 2)) if where == programme else [],
        )
        if rng.random() < 0.5:
            RegistrationFactory(activity=activity, user=rng.choice(users))
        objects.append(activity)
        objects.append(
            ActionFactory(
                programme=where,
                owner=rng.choice(users),
                subproject=rng.choice([None, *subprojects]) if where == programme else None,
            )
        )
        measure = MeasureFactory(
            programme=where,
            subproject=rng.choice(subprojects) if where == programme else elsewhere_subproject,
        )
        objects.append(measure)
        objects.append(
            EnrolmentFactory(measure=measure, participant=participant, guide=rng.choice(users))
        )
        objects.append(ReferralFactory(measure=measure, participant=participant))
    objects.extend(subprojects)
    return programme, [*users, manager], objects


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(6))
def test_each_rule_allows_exactly_the_objects_in_its_scope(seed: int) -> None:
    # given
    programme, users, objects = world(seed)
    rules = {perm: rule for perm, rule in RULES.items() if isinstance(rule, ScopeRule)}
    assert len(rules) >= 10
    for user in users:
        access = access_for(user, programme)
        for perm, rule in rules.items():
            model = rule.base(access).model
            candidates = [obj for obj in objects if isinstance(obj, model)]
            # when
            allowed = {obj.pk for obj in candidates if can(access, perm, obj)}
            scoped = set(rule.scope(access).values_list("pk", flat=True))
            # then
            assert allowed == scoped, (perm, sorted(access.roles))


@pytest.mark.django_db
def test_an_erased_participant_is_in_nobodys_scope_and_no_page_links_to_them(
    cast: Cast,
) -> None:
    # given
    participant = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
    participant.erased_at = participant.created_at
    participant.save(update_fields=["erased_at"])
    # then
    for user in (cast.coordinator, cast.contact):
        access = access_for(user, cast.programme)
        assert not can(access, Perm.PARTICIPANT_VIEW, participant)
        assert participant not in RULES[Perm.PARTICIPANT_VIEW].scope(access)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_the_coordinator_is_not_sent_to_the_record_of_an_erased_participant(cast: Cast) -> None:
    # given: erased, but kept for research, with an enrolment
    enrolment = EnrolmentFactory(measure=MeasureFactory(programme=cast.programme))
    participant = enrolment.participant
    participant.erased_at = participant.created_at
    participant.save(update_fields=["erased_at"])
    client = sign_in(Client(), cast.coordinator)
    # when
    page = client.get(
        reverse("measures:enrolment", args=[cast.programme.slug, enrolment.public_id])
    )
    # then: every link on the page answers
    assert participant.get_absolute_url() not in page.content.decode()
    assert client.get(participant.get_absolute_url()).status_code == 404
