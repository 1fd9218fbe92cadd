"""A consent to share one's follow-up with a named partner organisation lets that organisation's
contact persons see the record (and, logged, who it is) — and nothing else, and only while the
consent stands."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from samvirke.accounts.models import Role, User
from samvirke.audit.actor import Actor
from samvirke.participants.models import Participant
from samvirke.participants.services import give_consent, withdraw_consent
from samvirke.programmes.models import Organisation
from tests.conftest import Cast, sign_in
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    PartnershipFactory,
    UserFactory,
)


def partner_of(cast: Cast) -> Organisation:
    """The organisation that owns the contact person's subproject (RSMH Östersund)."""
    return cast.subproject.owners.get()


def contact_for(cast: Cast, organisation: Organisation) -> User:
    """A contact person whose membership is narrowed to the organisation, not a subproject."""
    user = UserFactory()
    MembershipFactory(
        user=user, programme=cast.programme, role=Role.CONTACT_PERSON, organisation=organisation
    )
    return user


def elsewhere(cast: Cast) -> Participant:
    """Someone in a subproject the contact persons under test do not follow."""
    return ParticipantFactory(programme=cast.programme, subprojects=[cast.other_subproject])


def share(cast: Cast, record: Participant, organisation: Organisation) -> None:
    give_consent(
        actor=Actor.of_user(cast.coordinator),
        participant=record,
        purpose="share_partner",
        method="paper",
        partner=organisation,
    )


def listed(client: Client, cast: Cast) -> set[str]:
    response = client.get(reverse("participants:list", args=[cast.programme.slug]))
    return {p.pseudonym for p in response.context["page"].object_list}


def record_status(client: Client, cast: Cast, record: Participant) -> int:
    url = reverse("participants:detail", args=[cast.programme.slug, record.public_id])
    return int(client.get(url).status_code)


@pytest.mark.django_db
def test_a_contact_person_of_the_named_organisation_sees_a_participant_who_shared_with_it(
    cast: Cast,
) -> None:
    # given
    organisation = partner_of(cast)
    record = elsewhere(cast)
    share(cast, record, organisation)
    client = sign_in(Client(), contact_for(cast, organisation))
    # when
    seen = listed(client, cast)
    status = record_status(client, cast, record)
    # then
    assert record.pseudonym in seen
    assert status == 200


@pytest.mark.django_db
def test_a_contact_person_whose_subproject_the_organisation_owns_sees_the_participant_too(
    cast: Cast,
) -> None:
    # given
    record = elsewhere(cast)
    share(cast, record, partner_of(cast))
    client = sign_in(Client(), cast.contact)
    # when
    seen = listed(client, cast)
    status = record_status(client, cast, record)
    # then
    assert record.pseudonym in seen
    assert status == 200


@pytest.mark.django_db
def test_without_the_consent_the_participant_stays_out_of_sight(cast: Cast) -> None:
    # given
    organisation = partner_of(cast)
    record = elsewhere(cast)
    give_consent(
        actor=Actor.of_user(cast.coordinator),
        participant=record,
        purpose="research",
        method="paper",
    )
    client = sign_in(Client(), contact_for(cast, organisation))
    # when
    seen = listed(client, cast)
    status = record_status(client, cast, record)
    # then
    assert record.pseudonym not in seen
    assert status == 404


@pytest.mark.django_db
def test_withdrawing_the_consent_hides_the_participant_at_once(cast: Cast) -> None:
    # given
    organisation = partner_of(cast)
    record = elsewhere(cast)
    share(cast, record, organisation)
    client = sign_in(Client(), contact_for(cast, organisation))
    assert record_status(client, cast, record) == 200
    # when
    withdraw_consent(actor=Actor.of_user(cast.coordinator), consent=record.consents.get())
    # then
    assert record.pseudonym not in listed(client, cast)
    assert record_status(client, cast, record) == 404


@pytest.mark.django_db
def test_a_contact_person_of_another_organisation_does_not_see_the_participant(
    cast: Cast,
) -> None:
    # given
    other = OrganisationFactory(name="Fontenehuset")
    PartnershipFactory(programme=cast.programme, organisation=other)
    record = elsewhere(cast)
    share(cast, record, partner_of(cast))
    client = sign_in(Client(), contact_for(cast, other))
    # when
    seen = listed(client, cast)
    status = record_status(client, cast, record)
    # then
    assert record.pseudonym not in seen
    assert status == 404


@pytest.mark.django_db
def test_a_guide_narrowed_to_the_organisation_gains_nothing_from_the_consent(cast: Cast) -> None:
    # given
    organisation = partner_of(cast)
    guide = UserFactory()
    MembershipFactory(
        user=guide, programme=cast.programme, role=Role.GUIDE, organisation=organisation
    )
    record = elsewhere(cast)
    share(cast, record, organisation)
    client = sign_in(Client(), guide)
    # when
    status = record_status(client, cast, record)
    # then
    assert status == 404


@pytest.mark.django_db
def test_the_partner_may_see_who_it_is_with_a_logged_reason_but_not_edit_or_read_the_mapping(
    cast: Cast,
) -> None:
    # given
    organisation = partner_of(cast)
    record = elsewhere(cast)
    share(cast, record, organisation)
    client = sign_in(Client(), contact_for(cast, organisation))
    slug, public_id = cast.programme.slug, record.public_id
    # when
    identity = client.post(
        reverse("participants:identity", args=[slug, public_id]), {"purpose": "Oppfølging"}
    )
    edit = client.get(reverse("participants:edit", args=[slug, public_id]))
    mapping = client.get(reverse("mapping:participant", args=[slug, public_id]))
    consent = client.post(
        reverse("participants:consent_record", args=[slug, public_id]),
        {"purpose": "research", "given_on": "2025-01-01"},
    )
    # then
    assert identity.status_code == 200
    assert "Testa Testesen" in identity.content.decode()
    assert [edit.status_code, mapping.status_code, consent.status_code] == [403, 403, 403]
