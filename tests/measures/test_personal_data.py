"""Enrolments, their history, attendance and notes are exported, and erased as the registry says."""

from __future__ import annotations

import pytest

from samvirke.audit.actor import Actor
from samvirke.measures.models import Enrolment, EnrolmentNote, EnrolmentStatusChange
from samvirke.measures.services import add_note, change_enrolment_status, record_attendance
from samvirke.participants.data_rights import (
    erase_participant,
    export_participant_data,
    request_erasure,
)
from samvirke.participants.services import give_consent
from tests.conftest import Cast
from tests.factories import MeasureSessionFactory
from tests.measures.people import DAY, enrol, followed, measure_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def nora(cast: Cast):  # type: ignore[no-untyped-def]
    nora = followed(cast, account=cast.participant)
    measure = measure_in(cast, name_nb="Brukertreff", name_en="Brukertreff")
    enrolment = enrol(cast, measure, nora, start_now=True)
    session = MeasureSessionFactory(measure=measure)
    record_attendance(
        actor=Actor.of_user(cast.guide), session=session, marks={enrolment.pk: (False, "ill")}
    )
    add_note(actor=Actor.of_user(cast.guide), enrolment=enrolment, text="Trenger mer støtte.")
    change_enrolment_status(
        actor=Actor.of_user(cast.guide),
        enrolment=enrolment,
        status="dropped_out",
        on=DAY,
        reason_code="moved",
        reason="Flyttet til Bergen",
    )
    return nora


def test_the_export_holds_enrolments_history_attendance_and_notes(cast: Cast, nora) -> None:  # type: ignore[no-untyped-def]
    # when
    data = export_participant_data(nora)
    # then
    [enrolment] = data["enrolments"]
    assert enrolment["measure"] == "Brukertreff"
    assert [h["status"] for h in enrolment["history"]] == ["active", "dropped_out"]
    assert enrolment["history"][1]["comment"] == "Flyttet til Bergen"
    assert enrolment["attendance"][0]["absent_reason"] == "ill"
    assert enrolment["notes"][0]["text"] == "Trenger mer støtte."


def test_erasure_deletes_notes_and_blanks_free_text_under_a_research_consent(
    cast: Cast, nora
) -> None:  # type: ignore[no-untyped-def]
    # given
    give_consent(
        actor=Actor.of_user(cast.coordinator), participant=nora, purpose="research", method="paper"
    )
    erasure = request_erasure(actor=Actor.of_user(cast.participant), participant=nora)
    # when
    erase_participant(actor=Actor.of_user(cast.coordinator), erasure=erasure)
    # then
    assert not EnrolmentNote.objects.exists()
    enrolment = Enrolment.objects.get(participant=nora)
    assert enrolment.guide is None
    assert set(EnrolmentStatusChange.objects.values_list("reason", flat=True)) == {""}
    assert enrolment.history.filter(reason_code="moved").exists()


def test_erasure_without_a_research_consent_deletes_the_enrolments(cast: Cast, nora) -> None:  # type: ignore[no-untyped-def]
    # given
    erasure = request_erasure(actor=Actor.of_user(cast.participant), participant=nora)
    # when
    erase_participant(actor=Actor.of_user(cast.coordinator), erasure=erasure)
    # then
    assert not Enrolment.objects.exists()
    assert not EnrolmentNote.objects.exists()


def test_the_participant_sees_their_measures_and_notes_in_their_own_data(cast: Cast, nora) -> None:  # type: ignore[no-untyped-def]
    # given
    from django.test import Client

    from tests.conftest import sign_in

    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.participant, second_factor=False)
    # when
    response = client.post(f"/p/{cast.programme.slug}/me/my-data/", {"reveal": "data"})
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "Brukertreff" in html
    assert "Trenger mer støtte." in html
