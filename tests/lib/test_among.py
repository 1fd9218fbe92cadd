"""``Among`` finds what ``__in`` finds, with the ids as one parameter, on both databases."""

from __future__ import annotations

import pytest
from django.db.models import F

from samvirke.lib.among import Among, plain_rows
from samvirke.measures.models import Enrolment
from samvirke.participants.models import Participant
from tests.factories import EnrolmentFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def test_it_finds_the_same_participants_as_in() -> None:
    people = ParticipantFactory.create_batch(4)
    wanted = [people[0].pk, people[2].pk, 10**9]  # and one id no one has
    found = set(Participant.objects.filter(Among(F("pk"), wanted)).values_list("pk", flat=True))
    assert found == set(Participant.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    assert found == {people[0].pk, people[2].pk}


def test_it_follows_a_relation() -> None:
    kept, other = EnrolmentFactory(), EnrolmentFactory()
    found = Enrolment.objects.filter(Among(F("participant__pk"), [kept.participant_id]))
    assert list(found) == [kept]
    assert other not in found


def test_no_ids_find_nothing() -> None:
    ParticipantFactory()
    assert not Participant.objects.filter(Among(F("pk"), [])).exists()


def test_thousands_of_ids_travel_as_one_parameter() -> None:
    person = ParticipantFactory()
    ids = [person.pk, *range(10**8, 10**8 + 40_000)]  # more than SQLite's 32,766 parameters
    query = Participant.objects.filter(Among("pk", ids))
    _sql, params = query.query.sql_with_params()
    assert len(params) == 1
    assert list(query) == [person]


def test_anything_but_a_whole_number_is_refused_before_any_sql() -> None:
    with pytest.raises(ValueError):
        Participant.objects.filter(Among(F("pk"), ["1) OR (1=1"]))


def test_plain_rows_hand_out_the_rows_of_the_query() -> None:
    people = ParticipantFactory.create_batch(3)
    query = Participant.objects.filter(Among("pk", [p.pk for p in people[:2]])).order_by("pk")
    assert list(plain_rows(query.values_list("pk"))) == [(people[0].pk,), (people[1].pk,)]


def test_plain_rows_of_a_query_that_cannot_match_are_none() -> None:
    ParticipantFactory()
    assert list(plain_rows(Participant.objects.filter(pk__in=[]).values_list("pk"))) == []
