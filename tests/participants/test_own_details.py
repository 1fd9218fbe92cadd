"""A participant corrects their own name, contact details and languages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from samvirke.participants.models import Participant
from samvirke.participants.services import Identity, own_identity
from tests.conftest import Cast, sign_in
from tests.factories import ParticipantFactory

# A synthetic Norwegian test number (Tenor, month + 80), never a real person.
TEST_FNR = "15838540063"


def own_record(cast: Cast) -> Participant:
    return ParticipantFactory(
        programme=cast.programme,
        account=cast.participant,
        identity=Identity(full_name="Kari Prøve", email="kari@example.test", national_id=TEST_FNR),
    )


def post(cast: Cast, data: dict[str, str], language: str = "nb") -> object:
    client = sign_in(Client(), cast.participant, second_factor=False)
    client.cookies["django_language"] = language
    return client.post(reverse("participants:my_details", args=[cast.programme.slug]), data)


@pytest.mark.django_db
def test_a_participant_corrects_their_phone_and_languages(cast: Cast) -> None:
    # given
    record = own_record(cast)
    # when
    post(
        cast,
        {
            "full_name": "Kari Prøve",
            "email": "kari@example.test",
            "phone": "+47 400 00 001",
            "languages": "norsk, engelsk",
        },
    )
    # then
    record.refresh_from_db()
    identity = own_identity(record)
    assert (identity.phone, record.languages) == ("+47 400 00 001", "norsk, engelsk")


@pytest.mark.django_db
def test_the_national_number_stays_when_a_participant_edits_their_details(cast: Cast) -> None:
    record = own_record(cast)
    post(cast, {"full_name": "Kari P.", "email": "", "phone": "", "languages": ""})
    assert own_identity(record).national_id == TEST_FNR


@pytest.mark.django_db
def test_a_bad_email_address_is_refused_in_swedish_and_nothing_changes(cast: Cast) -> None:
    # given
    record = own_record(cast)
    # when
    response = post(
        cast, {"full_name": "", "email": "inte-en-adress", "phone": "", "languages": ""}, "sv"
    )
    # then
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Fyll i en giltig e-postadress." in response.content.decode()  # type: ignore[attr-defined]
    assert own_identity(record).full_name == "Kari Prøve"


@pytest.mark.django_db
def test_the_form_shows_the_participants_own_details(cast: Cast) -> None:
    own_record(cast)
    client = sign_in(Client(), cast.participant, second_factor=False)
    html = client.get(reverse("participants:my_details", args=[cast.programme.slug])).content
    assert 'value="kari@example.test"' in html.decode()
