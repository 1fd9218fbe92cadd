"""The participant's journey: staff see a timeline, the participant a plain-language version."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.measures.services import change_enrolment_status
from tests.conftest import Cast, sign_in
from tests.factories import ActivityFactory, RegistrationFactory
from tests.measures.people import DAY, enrol, followed, measure_in, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def nora(cast: Cast):  # type: ignore[no-untyped-def]
    nora = followed(cast, account=cast.participant)
    cafe = measure_in(cast, name_nb="Arbeidstrening på Kirkens hus kafé", name_en="Café training")
    drop_in = measure_in(cast, name_nb="Brukertreff / møteplass", name_en="Drop-in")
    enrol(cast, cafe, nora, start_now=True)
    paused = enrol(cast, drop_in, nora, referral_source="self")
    change_enrolment_status(
        actor=Actor.of_user(cast.guide),
        enrolment=paused,
        status="paused",
        on=DAY + dt.timedelta(days=20),
    )
    activity = ActivityFactory(programme=cast.programme, title="Nettverkssamling i Stjørdal")
    RegistrationFactory(activity=activity, user=cast.participant, attended=True)
    skipped = ActivityFactory(programme=cast.programme, title="Studiebesøk i Östersund")
    RegistrationFactory(activity=skipped, user=cast.participant, attended=False)
    return nora


def test_concurrent_enrolments_show_on_the_staff_journey_and_the_read_is_logged(
    cast: Cast, nora
) -> None:  # type: ignore[no-untyped-def]
    # given
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="nb"), cast.guide)
    # when
    opened = client.get(url("journey", cast, nora.public_id))
    response = client.post(url("journey", cast, nora.public_id), {"reveal": "journey"})
    # then
    assert "Arbeidstrening på Kirkens hus kafé" not in opened.content.decode()
    html = response.content.decode()
    assert response.status_code == 200
    assert "Arbeidstrening på Kirkens hus kafé" in html
    assert "Brukertreff / møteplass" in html
    assert "Nettverkssamling i Stjørdal" in html
    assert "Studiebesøk i Östersund" not in html
    assert AuditEntry.objects.filter(action="view", detail__what="journey").count() == 1


def test_the_participant_reads_their_journey_in_plain_language(cast: Cast, nora) -> None:  # type: ignore[no-untyped-def]
    # given
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.participant, second_factor=False)
    # when
    response = client.get(url("my_journey", cast))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "What I have taken part in" in html
    assert "You started at Café training." in html
    assert "You took a break from Drop-in." in html
    assert "You took part in Nettverkssamling i Stjørdal." in html
    assert "You take part now." in html
    assert not AuditEntry.objects.filter(detail__what="journey").exists()


def test_the_participants_record_links_to_the_journey(cast: Cast, nora) -> None:  # type: ignore[no-untyped-def]
    # when
    response = sign_in(Client(), cast.guide).get(nora.get_absolute_url())
    # then
    assert url("journey", cast, nora.public_id) in response.content.decode()


def test_a_participant_without_a_record_has_no_journey(cast: Cast) -> None:
    # when
    response = sign_in(Client(), cast.participant, second_factor=False).get(url("my_journey", cast))
    # then
    assert response.status_code == 404
