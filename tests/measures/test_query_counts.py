"""The catalogue and a measure page take as many queries for many measures or people as few."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from samvirke.audit.models import AuditEntry
from samvirke.participants.services import Identity, _store_identity
from tests.conftest import Cast, sign_in
from tests.factories import EnrolmentFactory, MeasureFactory, MeasureSessionFactory
from tests.measures.people import enrol, followed, measure_in, url

pytestmark = pytest.mark.django_db


def queries_for(client: Client, address: str, reveal: str = "") -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(address, {"reveal": reveal}) if reveal else client.get(address)
    assert response.status_code == 200
    return len(queries)


def test_the_catalogue_takes_the_same_queries_for_three_and_twenty_measures(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.coordinator)
    MeasureFactory.create_batch(3, programme=cast.programme, subproject=cast.subproject)
    few = queries_for(client, url("measures", cast))
    MeasureFactory.create_batch(17, programme=cast.programme, subproject=cast.other_subproject)
    # when
    many = queries_for(client, url("measures", cast))
    # then
    assert many == few


def test_a_measure_page_takes_the_same_queries_for_two_and_twenty_people(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.coordinator)
    small, large = measure_in(cast), measure_in(cast)
    people = {}
    for measure, size in ((small, 2), (large, 20)):
        people[measure] = EnrolmentFactory.create_batch(size, measure=measure, guide=cast.guide)
        MeasureSessionFactory.create_batch(3, measure=measure)
    # when
    few = queries_for(client, url("measure", cast, small.pk), reveal="people")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url("measure", cast, large.pk), {"reveal": "people"})
    # then: every one of the twenty is on the page, and they cost no query more than two
    page = response.content.decode()
    assert all(enrolment.participant.pseudonym in page for enrolment in people[large])
    assert len(queries) == few


def sheet_with_names(cast: Cast, size: int) -> str:
    """A session of a measure with ``size`` people the guide follows, each with a name."""
    measure = measure_in(cast)
    for n in range(size):
        person = followed(cast)
        _store_identity(person, Identity(full_name=f"Person Nummer{n}"))
        enrol(cast, measure, person, start_now=True)
    session = MeasureSessionFactory(measure=measure)
    return url("attendance", cast, session.pk)


def reveal_queries(client: Client, address: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(address, {"reveal": "names"})
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_revealing_thirty_names_takes_the_same_queries_as_five(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.guide)
    five, thirty = sheet_with_names(cast, 5), sheet_with_names(cast, 30)
    # when
    few, _page = reveal_queries(client, five)
    many, page = reveal_queries(client, thirty)
    # then: all thirty names are shown and logged, for no query more than five
    assert all(f"Person Nummer{n} " in page for n in range(30))
    assert AuditEntry.objects.filter(detail__read="name").count() == 35
    assert many == few
