"""Answering, submitting, correcting and rescoring questionnaire responses."""

from __future__ import annotations

import copy

import pytest
from django.utils import timezone

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.evaluation.instrument_services import load_instruments
from samvirke.evaluation.models import InstrumentVersion, Item, ResponseStatus, VersionStatus
from samvirke.evaluation.response_services import (
    ResponseError,
    correct_answer,
    open_response,
    rescore,
    save_answer,
    submit_response,
)
from tests.conftest import Cast
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def who5(db: None) -> InstrumentVersion:
    load_instruments(texts_folder=None)
    return InstrumentVersion.objects.get(instrument__key="who5")


def answer_all(cast: Cast, version: InstrumentVersion, values: list[int]):  # type: ignore[no-untyped-def]
    participant = ParticipantFactory(programme=cast.programme, account=cast.participant)
    response = open_response(participant=participant, version=version, due_on=timezone.localdate())
    for item, value in zip(version.items.order_by("position"), values, strict=False):
        response = save_answer(
            actor=Actor.of_user(cast.participant), response=response, item=item, value=value
        )
    return response


def test_saving_an_answer_moves_on_to_the_next_question(
    cast: Cast, who5: InstrumentVersion
) -> None:
    response = answer_all(cast, who5, [])  # opened only
    first = who5.items.get(position=1)
    response = save_answer(
        actor=Actor.of_user(cast.participant), response=response, item=first, value=3
    )
    assert (response.status, response.next_position) == (ResponseStatus.IN_PROGRESS, 2)


def test_an_answer_that_is_not_an_option_is_refused(cast: Cast, who5: InstrumentVersion) -> None:
    response = answer_all(cast, who5, [])
    with pytest.raises(ResponseError) as refused:
        save_answer(
            actor=Actor.of_user(cast.participant),
            response=response,
            item=who5.items.first(),
            value=9,
        )
    assert refused.value.code == "not_an_option" and not response.answers.exists()


def test_submitting_scores_who5_times_four(cast: Cast, who5: InstrumentVersion) -> None:
    response = answer_all(cast, who5, [5, 4, 3, 2, 1])
    submit_response(actor=Actor.of_user(cast.participant), response=response)
    assert response.scores.get(is_current=True).value == 60


def test_a_submitted_response_takes_no_more_plain_answers(
    cast: Cast, who5: InstrumentVersion
) -> None:
    response = submit_response(
        actor=Actor.of_user(cast.participant), response=answer_all(cast, who5, [5, 4, 3, 2, 1])
    )
    with pytest.raises(ResponseError):
        save_answer(
            actor=Actor.of_user(cast.participant),
            response=response,
            item=who5.items.first(),
            value=0,
        )


def test_a_correction_needs_a_reason(cast: Cast, who5: InstrumentVersion) -> None:
    response = submit_response(
        actor=Actor.of_user(cast.participant), response=answer_all(cast, who5, [5, 4, 3, 2, 1])
    )
    with pytest.raises(ResponseError) as refused:
        correct_answer(
            actor=Actor.of_user(cast.guide),
            response=response,
            item=who5.items.first(),
            value=0,
            reason=" ",
        )
    assert refused.value.code == "reason_missing"


def test_a_correction_keeps_the_old_value_and_rescores(cast: Cast, who5: InstrumentVersion) -> None:
    response = submit_response(
        actor=Actor.of_user(cast.participant), response=answer_all(cast, who5, [5, 4, 3, 2, 1])
    )
    correction = correct_answer(
        actor=Actor.of_user(cast.guide),
        response=response,
        item=who5.items.get(position=1),
        value=0,
        reason="Typed from the paper form wrongly",
    )
    assert (correction.old_value, correction.new_value) == (5, 0)
    assert response.scores.get(is_current=True).value == 40


def test_every_answer_and_correction_is_in_the_audit_log(
    cast: Cast, who5: InstrumentVersion
) -> None:
    response = submit_response(
        actor=Actor.of_user(cast.participant), response=answer_all(cast, who5, [5, 4, 3, 2, 1])
    )
    correct_answer(
        actor=Actor.of_user(cast.guide),
        response=response,
        item=who5.items.first(),
        value=1,
        reason="x",
    )
    logged = AuditEntry.objects.filter(object_id=str(response.public_id))
    assert logged.count() == 7  # five answers, the submission, the correction


def test_rescoring_under_a_corrected_version_keeps_the_old_scores(
    cast: Cast, who5: InstrumentVersion
) -> None:
    response = submit_response(
        actor=Actor.of_user(cast.participant), response=answer_all(cast, who5, [5, 4, 3, 2, 1])
    )
    definition = copy.deepcopy(who5.definition)
    definition["version"] = 2
    definition["scales"][0]["multiplier"] = 1
    corrected = InstrumentVersion.objects.create(
        instrument=who5.instrument,
        version=2,
        status=VersionStatus.PUBLISHED,
        title_nb="WHO-5",
        definition=definition,
    )
    assert rescore(actor=None, scored_with=corrected) == 1
    scores = {(s.scored_with.version, s.is_current): s.value for s in response.scores.all()}
    assert scores == {(1, False): 60, (2, True): 15}


def test_hours_of_work_are_skipped_for_someone_not_employed(cast: Cast) -> None:
    load_instruments(texts_folder=None)
    version = InstrumentVersion.objects.get(instrument__key="activity_status")
    response = answer_all(cast, version, [])
    status = Item.objects.get(version=version, key="status")
    response = save_answer(
        actor=Actor.of_user(cast.participant), response=response, item=status, value=7
    )
    assert response.next_position == Item.objects.get(version=version, key="benefit").position
