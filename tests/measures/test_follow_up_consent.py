"""Measures refuse, with a clear message, to record more about someone who withdrew follow-up."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from samvirke.measures.models import Enrolment, EnrolmentNote
from samvirke.measures.services import EnrolmentError
from samvirke.participants.models import Participant
from samvirke.participants.services import give_consent, withdraw_consent
from tests.conftest import Cast, sign_in
from tests.measures.people import enrol, followed, measure_in, url

pytestmark = pytest.mark.django_db


def withdrawn(cast: Cast, participant: Participant) -> None:
    consent = give_consent(
        actor=cast.guide,
        request=None,
        participant=participant,
        purpose="follow_up",
        method="paper",
    )
    withdraw_consent(actor=cast.guide, request=None, consent=consent)


def test_a_participant_who_withdrew_follow_up_cannot_be_enrolled(cast: Cast) -> None:
    # given
    nora = followed(cast)
    withdrawn(cast, nora)
    # when / then
    with (
        translation.override("nb"),
        pytest.raises(EnrolmentError, match="trukket tilbake samtykket til oppfølging"),
    ):
        enrol(cast, measure_in(cast), nora)
    assert not Enrolment.objects.exists()


def test_a_note_on_someone_who_withdrew_follow_up_is_refused_in_norwegian(cast: Cast) -> None:
    # given
    nora = followed(cast)
    enrolment = enrol(cast, measure_in(cast), nora)
    withdrawn(cast, nora)
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="nb"), cast.guide)
    # when
    response = client.post(url("notes", cast, enrolment.public_id), {"text": "Møtte opp."})
    # then
    assert "trukket tilbake samtykket til oppfølging" in response.content.decode()
    assert not EnrolmentNote.objects.exists()
