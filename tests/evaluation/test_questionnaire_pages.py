"""A participant answers a questionnaire on their phone, one question per screen."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from samvirke.evaluation.models import QuestionnaireResponse, ResponseStatus
from tests.conftest import Cast, sign_in
from tests.factories import ParticipantFactory, who5_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def response(cast: Cast) -> QuestionnaireResponse:
    record = ParticipantFactory(programme=cast.programme, account=cast.participant)
    result: QuestionnaireResponse = who5_response(record)
    return result


def page(response: QuestionnaireResponse, name: str = "evaluation:my_questionnaire") -> str:
    return reverse(name, args=[response.participant.programme.slug, response.public_id])


def test_the_first_question_is_a_radio_group_with_the_question_as_legend(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    html = sign_in(Client(), cast.participant).get(page(response)).content.decode()
    assert "<legend>Jeg har vært glad og i godt humør." in html and 'type="radio"' in html


def test_the_page_shows_how_far_the_participant_has_come(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    html = sign_in(Client(), cast.participant).get(page(response)).content.decode()
    assert "Spørsmål 1 av 5" in html


def test_answering_goes_to_the_next_question(cast: Cast, response: QuestionnaireResponse) -> None:
    client = sign_in(Client(), cast.participant)
    reply = client.post(page(response), {"q": "1", "value": "4", "action": "next"})
    assert reply.headers["Location"].endswith("?q=2")


def test_stopping_halfway_keeps_the_answers_for_later(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    client = sign_in(Client(), cast.participant)
    client.post(page(response), {"q": "1", "value": "4", "action": "next"})
    client.post(page(response), {"q": "2", "value": "3", "action": "stop"})
    html = client.get(page(response)).content.decode()  # later: picks up at question 3
    assert "Spørsmål 3 av 5" in html


def test_an_answer_that_is_not_a_choice_is_refused_with_a_message(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    client = sign_in(Client(), cast.participant)
    reply = client.post(page(response), {"q": "1", "value": "77", "action": "next"})
    assert reply.status_code == 400 and not response.answers.exists()


def test_sending_in_scores_the_questionnaire(cast: Cast, response: QuestionnaireResponse) -> None:
    client = sign_in(Client(), cast.participant)
    for position, value in enumerate([5, 5, 4, 4, 2], start=1):
        client.post(page(response), {"q": str(position), "value": str(value), "action": "next"})
    client.post(page(response, "evaluation:my_questionnaire_submit"))
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.scores.get(is_current=True).value == 80


def test_another_participants_questionnaire_is_not_found(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    someone_else = who5_response(ParticipantFactory(programme=cast.programme))
    client = sign_in(Client(), cast.participant)
    assert client.get(page(someone_else)).status_code == 404


def due_page(cast: Cast) -> str:
    return reverse("evaluation:questionnaires_due", args=[cast.programme.slug])


def test_a_guide_sees_who_they_follow_has_a_questionnaire_due_by_pseudonym(cast: Cast) -> None:
    followed = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
    followed.guides.set([cast.guide])
    who5_response(followed)
    html = sign_in(Client(), cast.guide).get(due_page(cast)).content.decode()
    assert followed.pseudonym in html and "Testa Testesen" not in html


def test_a_guide_does_not_see_people_they_do_not_follow(cast: Cast) -> None:
    stranger = ParticipantFactory(programme=cast.programme, subprojects=[cast.other_subproject])
    who5_response(stranger)
    html = sign_in(Client(), cast.guide).get(due_page(cast)).content.decode()
    assert stranger.pseudonym not in html
