"""Free-text questions in a programme's own questionnaire: answered on the phone, kept, shown to
staff entering it, never scored, and no column of a research export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.evaluation.instrument_builder import ItemSpec, publish_instrument
from samvirke.evaluation.models import (
    EntryMode,
    Instrument,
    InstrumentVersion,
    ItemAnswer,
    QuestionnaireResponse,
    Schedule,
)
from samvirke.evaluation.response_services import enter_response, open_response
from samvirke.participants.models import Participant
from tests.conftest import Cast, sign_in
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

WORDS = "Jeg likte turene, men bussen var ofte sen."


def composed(cast: Cast, max_length: int | None = None) -> InstrumentVersion:
    """A questionnaire of one Likert question and one free-text question."""
    return publish_instrument(
        actor=Actor.of_user(cast.coordinator),
        programme=cast.programme,
        key="hverdag",
        titles={"nb": "Hverdagen", "sv": "Vardagen", "en": "Everyday life"},
        items=[
            ItemSpec(kind="likert5", text_nb="Jeg trives."),
            ItemSpec(
                kind="text",
                text_nb="Hva vil du fortelle oss?",
                text_sv="Vad vill du berätta för oss?",
                text_en="What would you like to tell us?",
                maximum=max_length,
            ),
        ],
        scoring="sum",
    )


def test_a_free_text_question_is_never_scored(cast: Cast) -> None:
    version = composed(cast)
    (scale,) = version.definition["scales"]
    assert scale["items"] == ["hverdag_1"]


def test_a_coordinator_composes_a_free_text_question_in_three_languages(cast: Cast) -> None:
    url = reverse("evaluation:instrument_new", args=[cast.programme.slug])
    data = {
        "key": "hverdag",
        "title_nb": "Hverdagen",
        "title_sv": "Vardagen",
        "title_en": "Everyday life",
        "scoring": "",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "40",
        "items-0-kind": "text",
        "items-0-text_nb": "Hva vil du fortelle oss?",
        "items-0-text_sv": "Vad vill du berätta för oss?",
        "items-0-text_en": "What would you like to tell us?",
        "items-0-max_length": "300",
    }
    reply = sign_in(Client(), cast.coordinator).post(url, data)
    assert reply.status_code == 302
    (item,) = InstrumentVersion.objects.get(instrument__key="hverdag").items.all()
    assert (item.kind, item.maximum, item.text_sv) == ("text", 300, "Vad vill du berätta för oss?")


def my_response(cast: Cast, version: InstrumentVersion) -> QuestionnaireResponse:
    record = ParticipantFactory(programme=cast.programme, account=cast.participant)
    return open_response(participant=record, version=version, due_on=timezone.localdate())


def test_a_participant_answers_a_free_text_question_on_the_phone(cast: Cast) -> None:
    # given the free-text question on its own screen
    response = my_response(cast, composed(cast))
    client = sign_in(Client(), cast.participant)
    url = reverse("evaluation:my_questionnaire", args=[cast.programme.slug, response.public_id])
    page = client.get(url, {"q": 2}).content.decode()
    assert '<label for="id_value">Hva vil du fortelle oss?</label>' in page
    assert "<textarea" in page
    # when they write and go on
    reply = client.post(url, {"q": "2", "value": WORDS, "action": "next"})
    # then the words are kept as written, with no value
    assert reply.status_code == 302
    answer = ItemAnswer.objects.get(response=response, item__key="hverdag_2")
    assert (answer.text, answer.value) == (WORDS, None)


def test_an_answer_longer_than_the_question_allows_is_refused(cast: Cast) -> None:
    response = my_response(cast, composed(cast, max_length=10))
    client = sign_in(Client(), cast.participant)
    url = reverse("evaluation:my_questionnaire", args=[cast.programme.slug, response.public_id])
    reply = client.post(url, {"q": "2", "value": WORDS, "action": "next"})
    assert reply.status_code == 400
    assert not ItemAnswer.objects.filter(response=response).exists()


def test_a_guide_entering_the_questionnaire_sees_what_was_written(cast: Cast) -> None:
    # given a participant who wrote on the phone and stopped
    response = my_response(cast, composed(cast))
    response.participant.guides.set([cast.guide])
    response.participant.subprojects.set([cast.subproject])
    client = sign_in(Client(), cast.participant)
    url = reverse("evaluation:my_questionnaire", args=[cast.programme.slug, response.public_id])
    client.post(url, {"q": "2", "value": WORDS, "action": "stop"})
    # when their guide opens the questionnaire to enter the rest
    enter = reverse(
        "evaluation:questionnaire_enter", args=[cast.programme.slug, response.public_id]
    )
    guide = sign_in(Client(), cast.guide)
    opened = guide.get(enter).content.decode()
    logged_on_opening = AuditEntry.objects.filter(detail__what="questionnaire entry").exists()
    page = guide.post(enter, {"reveal": "answers"}).content.decode()
    # then
    assert WORDS not in opened and 'name="reveal" value="answers"' in opened
    assert not logged_on_opening
    assert WORDS in page
    read = AuditEntry.objects.get(action="view", detail__what="questionnaire entry")
    assert (read.actor, read.object_id) == (cast.guide, str(response.public_id))


def answered(cast: Cast, record: Participant, version: InstrumentVersion) -> None:
    schedule, _ = Schedule.objects.get_or_create(programme=cast.programme, name="Oppfølging")
    schedule.instruments.add(Instrument.objects.get(key="hverdag"))
    point, _ = schedule.time_points.get_or_create(
        key="baseline", defaults={"position": 1, "anchor": "enrolment"}
    )
    response = open_response(
        participant=record, version=version, due_on=dt.date(2025, 1, 10), time_point=point
    )
    enter_response(
        actor=Actor.of_user(cast.coordinator),
        response=response,
        answers={"hverdag_1": 4},
        texts={"hverdag_2": WORDS},
        mode=EntryMode.PAPER,
    )


def test_free_text_is_no_column_of_the_research_dataset(cast: Cast) -> None:
    # given a participant's answers to both questions
    from samvirke.evaluation.dataset import EvaluationDataset

    version = composed(cast)
    record = ParticipantFactory(programme=cast.programme)
    answered(cast, record, version)
    # when the research dataset is made of them
    dataset = EvaluationDataset(
        programme=cast.programme,
        participants=Participant.objects.filter(pk=record.pk),
        deid=None,  # type: ignore[arg-type] # the item columns need no de-identification
    )
    # then the rated question is a column and the written one is not
    assert dataset.item_columns == [("hverdag", "hverdag_1", "baseline")]
