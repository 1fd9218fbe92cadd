"""On the attendance sheet a guide may ask for names: only of those they follow, each logged."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from samvirke.audit.models import AuditEntry
from samvirke.participants.models import Participant
from samvirke.participants.services import Identity, _store_identity
from tests.conftest import Cast, sign_in
from tests.factories import MeasureSessionFactory, ParticipantFactory
from tests.measures.people import enrol, followed, measure_in, url

pytestmark = pytest.mark.django_db


def name_reads() -> list[str]:
    return sorted(
        AuditEntry.objects.filter(action="view", detail__read="name").values_list(
            "object_id", flat=True
        )
    )


def sheet(cast: Cast) -> tuple[str, Participant, Participant]:
    """A session with Nora, whom the guide follows, and Ola, whom nobody in the cast guides."""
    measure = measure_in(cast)
    nora = followed(cast)
    _store_identity(nora, Identity(full_name="Nora Prøvesen"))
    ola: Participant = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
    _store_identity(ola, Identity(full_name="Ola Uføresen"))
    for person in (nora, ola):
        enrol(cast, measure, person, start_now=True)
    session = MeasureSessionFactory(measure=measure)
    return url("attendance", cast, session.pk), nora, ola


def test_opening_the_sheet_shows_nobody_and_logs_nothing(cast: Cast) -> None:
    # given
    address, nora, _ola = sheet(cast)
    # when
    page = sign_in(Client(), cast.guide).get(address).content.decode()
    # then
    assert nora.pseudonym not in page and 'name="reveal" value="people"' in page
    assert not AuditEntry.objects.filter(detail__read="attendance").exists()


def test_the_sheet_shows_pseudonyms_and_reads_no_names_until_asked(cast: Cast) -> None:
    # given
    address, nora, ola = sheet(cast)
    # when
    page = sign_in(Client(), cast.guide).post(address, {"reveal": "people"}).content.decode()
    # then
    assert nora.pseudonym in page and ola.pseudonym in page
    read = AuditEntry.objects.get(action="view", detail__read="attendance")
    assert read.detail["count"] == 2
    assert "Nora Prøvesen" not in page
    assert name_reads() == []


def test_asked_for_names_the_guide_sees_only_those_they_follow(cast: Cast) -> None:
    # given
    address, nora, ola = sheet(cast)
    # when
    page = sign_in(Client(), cast.guide).post(address, {"reveal": "names"}).content.decode()
    # then
    assert "Nora Prøvesen" in page
    assert "Ola Uføresen" not in page
    assert ola.pseudonym in page


def test_each_name_shown_is_written_in_that_persons_access_log_in_their_language(
    cast: Cast,
) -> None:
    # given: Nora reads Swedish, her guide Norwegian
    address, nora, _ola = sheet(cast)
    nora.account = cast.participant
    nora.save(update_fields=["account"])
    # when
    sign_in(Client(), cast.guide).post(address, {"reveal": "names"})
    # then
    assert name_reads() == [str(nora.public_id)]
    me = sign_in(Client(), cast.participant, second_factor=False)
    me.cookies["django_language"] = "sv"
    log = me.get(reverse("participants:my_access_log", args=[cast.programme.slug]))
    assert "registrerar närvaro" in log.content.decode()


def test_saving_attendance_with_names_on_reads_no_names(cast: Cast) -> None:
    # given
    address, nora, ola = sheet(cast)
    client = sign_in(Client(), cast.guide)
    enrolments = list(nora.enrolments.all()) + list(ola.enrolments.all())
    data = {f"present-{e.pk}": "yes" for e in enrolments}
    client.post(address, {"reveal": "names"})
    # when: the attendance is saved from the sheet with names
    response = client.post(address, data)
    # then: the one reveal is all that was read
    assert response.status_code == 302
    assert name_reads() == [str(nora.public_id)]


def test_opening_the_sheet_with_the_old_names_address_reveals_nothing(cast: Cast) -> None:
    # given
    address, _nora, _ola = sheet(cast)
    # when
    page = sign_in(Client(), cast.guide).get(address, {"names": "1"}).content.decode()
    # then: a GET never writes a read of a name
    assert "Nora Prøvesen" not in page
    assert name_reads() == []
