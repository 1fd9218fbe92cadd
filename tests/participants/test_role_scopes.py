"""A scope belongs to its role: a second membership in another role never widens the first."""

from __future__ import annotations

import pytest
from django.test import Client

from samvirke.accounts.models import Role
from samvirke.participants.models import Participant
from tests.conftest import Cast, sign_in
from tests.factories import (
    EnrolmentFactory,
    MeasureFactory,
    MembershipFactory,
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db


def member_of_subproject_a(cast: Cast) -> Participant:
    participant: Participant = ParticipantFactory(
        programme=cast.programme, subprojects=[cast.subproject]
    )
    return participant


def test_a_contact_person_elsewhere_who_is_also_a_user_representative_sees_no_record(
    cast: Cast,
) -> None:
    # given: contact person for Kirkens hus, and user representative for the organisation that
    # owns subproject A
    user = cast.user_rep
    MembershipFactory(
        user=user,
        programme=cast.programme,
        role=Role.CONTACT_PERSON,
        subproject=cast.other_subproject,
    )
    user.memberships.filter(role=Role.USER_REPRESENTATIVE).update(
        organisation=cast.subproject.owners.get()
    )
    record = member_of_subproject_a(cast)
    # when
    response = sign_in(Client(), user).get(record.get_absolute_url())
    # then
    assert response.status_code == 404


def test_a_guide_who_is_also_a_researcher_of_the_owner_gets_no_enrolment_export(
    cast: Cast,
) -> None:
    # given: a guide of no subproject, and researcher tied to subproject A's owner
    user = cast.researcher
    user.memberships.update(organisation=cast.subproject.owners.get())
    MembershipFactory(user=user, programme=cast.programme, role=Role.GUIDE)
    measure = MeasureFactory(programme=cast.programme, subproject=cast.subproject)
    EnrolmentFactory(measure=measure, participant=member_of_subproject_a(cast))
    address = f"/p/{cast.programme.slug}/measures/{measure.pk}/export/enrolments/"
    # when
    response = sign_in(Client(), user).post(address)
    # then
    assert response.status_code == 403


def test_a_contact_person_narrowed_to_the_owner_still_sees_its_subprojects_records(
    cast: Cast,
) -> None:
    # given
    user = cast.contact
    user.memberships.update(subproject=None, organisation=cast.subproject.owners.get())
    record = member_of_subproject_a(cast)
    # when
    response = sign_in(Client(), user).get(record.get_absolute_url())
    # then
    assert response.status_code == 200
