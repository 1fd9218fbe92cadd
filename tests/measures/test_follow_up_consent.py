"""Measures refuse, with a clear message, to record more about someone who withdrew follow-up."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.measures.models import Attendance, DropoutReason, Enrolment, EnrolmentNote
from samvirke.measures.services import EnrolmentError, change_enrolment_status, record_attendance
from samvirke.participants.models import Participant
from samvirke.participants.services import (
    Identity,
    _store_identity,
    give_consent,
    withdraw_consent,
)
from tests.conftest import Cast, sign_in
from tests.factories import MeasureSessionFactory
from tests.measures.people import DAY, enrol, followed, measure_in, url

pytestmark = pytest.mark.django_db


def withdrawn(cast: Cast, participant: Participant) -> None:
    consent = give_consent(
        actor=Actor.of_user(cast.guide),
        participant=participant,
        purpose="follow_up",
        method="paper",
    )
    withdraw_consent(actor=Actor.of_user(cast.guide), consent=consent)


def reveal_sheet_names(client: Client, address: str) -> str:
    return client.post(address, {"reveal": "names"}).content.decode()


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


def test_attendance_for_someone_who_withdrew_follow_up_is_refused_and_nothing_saved(
    cast: Cast,
) -> None:
    # given: Nora and Ola at a session; Nora has withdrawn follow-up
    measure = measure_in(cast)
    nora, ola = followed(cast), followed(cast)
    enrolments = [enrol(cast, measure, person, start_now=True) for person in (nora, ola)]
    withdrawn(cast, nora)
    session = MeasureSessionFactory(measure=measure)
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="nb"), cast.guide)
    # when
    response = client.post(
        url("attendance", cast, session.pk), {f"present-{e.pk}": "yes" for e in enrolments}
    )
    # then: nobody's attendance is saved, and the guide is told whose and why
    assert response.status_code == 400
    page = response.content.decode()
    assert nora.pseudonym in page and "trukket tilbake samtykket til oppfølging" in page
    assert not Attendance.objects.exists()


def test_attendance_recorded_before_the_withdrawal_can_still_be_cleared(cast: Cast) -> None:
    # given
    measure = measure_in(cast)
    nora = followed(cast)
    enrolment = enrol(cast, measure, nora, start_now=True)
    session = MeasureSessionFactory(measure=measure)
    record_attendance(
        actor=Actor.of_user(cast.guide), session=session, marks={enrolment.pk: (True, "")}
    )
    withdrawn(cast, nora)
    # when
    record_attendance(
        actor=Actor.of_user(cast.guide), session=session, marks={enrolment.pk: (None, "")}
    )
    # then
    assert not Attendance.objects.exists()


def test_names_on_the_attendance_sheet_are_not_revealed_after_a_withdrawal(cast: Cast) -> None:
    # given
    measure = measure_in(cast)
    nora = followed(cast)
    _store_identity(nora, Identity(full_name="Nora Prøvesen"))
    enrol(cast, measure, nora, start_now=True)
    withdrawn(cast, nora)
    session = MeasureSessionFactory(measure=measure)
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="nb"), cast.guide)
    # when
    page = reveal_sheet_names(client, url("attendance", cast, session.pk))
    # then: her pseudonym only, the guide is told why, and no name read is logged
    assert "Nora Prøvesen" not in page and nora.pseudonym in page
    assert "trukket tilbake samtykket til oppfølging" in page
    assert not AuditEntry.objects.filter(detail__read="name").exists()


def test_the_journey_of_someone_who_withdrew_follow_up_is_not_shown_to_staff(cast: Cast) -> None:
    # given
    nora = followed(cast)
    enrol(cast, measure_in(cast, name_nb="Arbeidstrening"), nora)
    withdrawn(cast, nora)
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="nb"), cast.guide)
    # when
    response = client.post(url("journey", cast, nora.public_id), {"reveal": "journey"})
    # then
    page = response.content.decode()
    assert response.status_code == 403
    assert "trukket tilbake samtykket til oppfølging" in page
    assert "Arbeidstrening" not in page
    assert not AuditEntry.objects.filter(detail__what="journey").exists()


def test_after_a_withdrawal_an_enrolment_can_be_ended_but_not_started(cast: Cast) -> None:
    # given
    nora = followed(cast)
    enrolment = enrol(cast, measure_in(cast), nora)
    withdrawn(cast, nora)
    # when / then: starting is refused
    with pytest.raises(EnrolmentError, match="trukket tilbake samtykket til oppfølging"):
        change_enrolment_status(
            actor=Actor.of_user(cast.guide), enrolment=enrolment, status="active", on=DAY
        )
    enrolment.refresh_from_db()
    assert enrolment.status == "referred"
    # and ending it, which frees the place, is not
    change_enrolment_status(
        actor=Actor.of_user(cast.guide),
        enrolment=enrolment,
        status="dropped_out",
        on=DAY,
        reason_code=DropoutReason.values[0],
    )
    enrolment.refresh_from_db()
    assert enrolment.status == "dropped_out"


def test_a_freed_place_passes_over_someone_who_withdrew_follow_up(cast: Cast) -> None:
    # given: one place, taken; Nora waits first and has withdrawn, Ola waits second
    measure = measure_in(cast, capacity=1)
    holder = enrol(cast, measure, followed(cast), start_now=True)
    nora, ola = followed(cast), followed(cast)
    first, second = (enrol(cast, measure, person) for person in (nora, ola))
    withdrawn(cast, nora)
    # when
    change_enrolment_status(
        actor=Actor.of_user(cast.guide),
        enrolment=holder,
        status="dropped_out",
        on=DAY,
        reason_code=DropoutReason.values[0],
    )
    # then: the place goes to Ola; Nora keeps her number in the queue
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("waiting", "referred")
