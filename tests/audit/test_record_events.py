"""``record_events`` writes, in one insert, the rows ``record_event`` would write one by one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.audit.services import record_event, record_events
from samvirke.participants.models import Participant
from tests.conftest import Cast
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

FIELDS = ["action", "actor_id", "actor_label", "role", "object_type", "object_id"]
FIELDS += ["object_label", "programme_id", "ip_address", "detail"]


def rows(entries: list[AuditEntry]) -> list[tuple[object, ...]]:
    return [tuple(getattr(entry, name) for name in FIELDS) for entry in entries]


def people(cast: Cast, count: int) -> list[Participant]:
    return ParticipantFactory.create_batch(count, programme=cast.programme)


def test_many_reads_are_written_like_single_ones(cast: Cast) -> None:
    # given
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.9")
    request.user = cast.guide
    read = people(cast, 3)
    event = {"action": "view", "actor": Actor.of(request)}
    extra = {"programme": cast.programme, "detail": {"read": "name"}}
    one_by_one = [record_event(**event, obj=person, **extra) for person in read]  # type: ignore[arg-type]
    # when
    together = record_events(**event, objects=read, **extra)  # type: ignore[arg-type]
    # then
    assert rows(together) == rows(one_by_one)
    assert all(entry.ip_address == "192.0.2.9" for entry in together)


def test_thirty_reads_cost_the_queries_of_two(cast: Cast) -> None:
    # given
    few, many = people(cast, 2), people(cast, 30)

    def queries(read: list[Participant]) -> int:
        with CaptureQueriesContext(connection) as captured:
            record_events(action="view", actor=Actor.of_user(cast.guide), objects=read)
        return len(captured)

    # when / then
    assert queries(many) == queries(few)
    assert AuditEntry.objects.count() == 32


def test_a_participant_acting_leaves_no_address(cast: Cast) -> None:
    # given
    me: Participant = ParticipantFactory(programme=cast.programme, account=cast.participant)
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10")
    request.user = cast.participant
    # when
    entries = record_events(action="view", actor=Actor.of(request), objects=[me])
    # then
    assert entries[0].ip_address is None
    assert entries[0].actor_label == me.pseudonym
