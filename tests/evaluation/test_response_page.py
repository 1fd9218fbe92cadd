"""Staff open a submitted questionnaire: scores at once, answers only on the logged reveal, and
an answer corrected only with a reason, its old value kept in the history."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samvirke.accounts.models import Role
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction, AuditEntry
from samvirke.evaluation.instrument_builder import ItemSpec, publish_instrument
from samvirke.evaluation.models import (
    AnswerCorrection,
    EntryMode,
    Item,
    ItemAnswer,
    QuestionnaireResponse,
)
from samvirke.evaluation.response_services import enter_response, open_response
from samvirke.participants.models import Participant
from tests.conftest import Cast, sign_in
from tests.factories import MembershipFactory, ParticipantFactory, UserFactory, who5_response

pytestmark = pytest.mark.django_db

OLD_WORDS = "Bussen var ofte sen."
NEW_WORDS = "Bussen var ofte sen, men turene var fine."


@pytest.fixture
def record(cast: Cast) -> Participant:
    result: Participant = ParticipantFactory(
        programme=cast.programme, account=cast.participant, subprojects=[cast.subproject]
    )
    result.guides.set([cast.guide])
    return result


@pytest.fixture
def response(cast: Cast, record: Participant) -> QuestionnaireResponse:
    """A WHO-5 the guide entered from paper: 3, 3, 3, 3, 2 (a score of 56)."""
    result: QuestionnaireResponse = who5_response(record)
    answers = {"who5_1": 3, "who5_2": 3, "who5_3": 3, "who5_4": 3, "who5_5": 2}
    return enter_response(
        actor=Actor.of_user(cast.guide), response=result, answers=answers, mode=EntryMode.PAPER
    )


def free_text_response(cast: Cast, record: Participant) -> tuple[QuestionnaireResponse, list[Item]]:
    """A sent-in questionnaire of one Likert question and one free-text question (60 characters
    at most), its text answered."""
    version = publish_instrument(
        actor=Actor.of_user(cast.coordinator),
        programme=cast.programme,
        key="hverdag",
        titles={"nb": "Hverdagen", "sv": "Vardagen", "en": "Everyday life"},
        items=[
            ItemSpec(kind="likert5", text_nb="Jeg trives."),
            ItemSpec(kind="text", text_nb="Hva vil du fortelle oss?", maximum=60),
        ],
        scoring="sum",
    )
    items = list(version.items.order_by("position"))
    response = open_response(participant=record, version=version, due_on=timezone.localdate())
    enter_response(
        actor=Actor.of_user(cast.guide),
        response=response,
        answers={items[0].key: 3},
        texts={items[1].key: OLD_WORDS},
        mode=EntryMode.PAPER,
    )
    return response, items


def page(response: QuestionnaireResponse) -> str:
    slug = response.participant.programme.slug
    return reverse("evaluation:response", args=[slug, response.public_id])


def reads(response: QuestionnaireResponse) -> int:
    return AuditEntry.objects.filter(
        action=AuditAction.VIEW, object_id=str(response.public_id)
    ).count()


def correction(item: str, value: str, reason: str) -> dict[str, str]:
    return {"action": "correct", "item": item, f"{item}-new": value, f"{item}-reason": reason}


def test_the_page_shows_scores_but_not_answers_and_logs_no_read(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    reply = sign_in(Client(), cast.guide).get(page(response))
    html = reply.content.decode()
    assert reply.status_code == 200
    assert response.participant.pseudonym in html
    assert "56" in html
    assert "Jeg har vært glad og i godt humør." not in html
    assert reads(response) == 0


def test_the_reveal_shows_the_answers_and_logs_the_read(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    reply = sign_in(Client(), cast.guide).post(page(response), {"reveal": "answers"})
    html = reply.content.decode()
    assert reply.status_code == 200
    assert "Jeg har vært glad og i godt humør." in html
    assert reads(response) == 1


def test_a_correction_with_a_reason_changes_the_answer_keeps_the_old_and_rescores(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    # when the guide corrects item 5 from 2 to 4, saying why
    reply = sign_in(Client(), cast.guide).post(
        page(response), correction("who5_5", "4", "Misread the paper form.")
    )
    # then the new value counts, the old one is in the history shown, and the score follows
    answer = ItemAnswer.objects.get(response=response, item__key="who5_5")
    assert reply.status_code == 200
    assert answer.value == 4
    kept = AnswerCorrection.objects.get(answer=answer)
    assert (kept.old_value, kept.new_value, kept.changed_by) == (2, 4, cast.guide)
    assert "Misread the paper form." in reply.content.decode()
    assert response.scores.get(is_current=True).value == 64


def test_a_correction_without_a_reason_is_refused_and_changes_nothing(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    reply = sign_in(Client(), cast.guide).post(page(response), correction("who5_5", "4", "  "))
    assert reply.status_code == 400
    assert ItemAnswer.objects.get(response=response, item__key="who5_5").value == 2
    assert not AnswerCorrection.objects.exists()


def test_the_same_answer_again_is_refused_with_a_message(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    reply = sign_in(Client(), cast.guide).post(page(response), correction("who5_5", "2", "Typo."))
    assert reply.status_code == 400
    assert "Det nye svaret er det samme som det som ble gitt." in reply.content.decode()
    assert not AnswerCorrection.objects.exists()


@pytest.mark.parametrize("role", ["researcher", "user_rep"])
def test_researchers_and_user_representatives_are_forbidden(
    cast: Cast, response: QuestionnaireResponse, role: str
) -> None:
    client = sign_in(Client(), cast.user(role))
    assert client.get(page(response)).status_code == 403
    assert client.post(page(response), {"reveal": "answers"}).status_code == 403


def test_a_guide_of_another_subproject_gets_not_found(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    other = UserFactory(email="otherguide@example.test")
    MembershipFactory(
        user=other, programme=cast.programme, role=Role.GUIDE, subproject=cast.other_subproject
    )
    client = sign_in(Client(), other)
    assert client.get(page(response)).status_code == 404
    assert client.post(page(response), correction("who5_5", "4", "Why not")).status_code == 404
    assert ItemAnswer.objects.get(response=response, item__key="who5_5").value == 2


def test_a_questionnaire_not_sent_in_has_no_page(cast: Cast, record: Participant) -> None:
    open_one = who5_response(record)
    assert sign_in(Client(), cast.guide).get(page(open_one)).status_code == 404


def test_a_free_text_correction_keeps_the_old_text_in_the_history(
    cast: Cast, record: Participant
) -> None:
    # given a sent-in questionnaire with a free-text answer
    response, items = free_text_response(cast, record)
    client = sign_in(Client(), cast.guide)
    # when the guide corrects the text, saying why
    reply = client.post(page(response), correction(items[1].key, NEW_WORDS, "Read it out wrong."))
    # then the new text counts and the old one stays in the history shown
    assert reply.status_code == 200
    assert ItemAnswer.objects.get(response=response, item=items[1]).text == NEW_WORDS
    kept = AnswerCorrection.objects.get()
    assert (kept.old_text, kept.new_text) == (OLD_WORDS, NEW_WORDS)
    assert OLD_WORDS in reply.content.decode()


def test_an_answer_that_is_not_one_of_the_choices_is_refused(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    reply = sign_in(Client(), cast.guide).post(page(response), correction("who5_5", "x", "Typo."))
    assert reply.status_code == 400
    assert ItemAnswer.objects.get(response=response, item__key="who5_5").value == 2


def test_a_free_text_correction_longer_than_the_question_allows_is_refused(
    cast: Cast, record: Participant
) -> None:
    response, items = free_text_response(cast, record)
    client = sign_in(Client(), cast.guide)
    reply = client.post(page(response), correction(items[1].key, "x" * 61, "Read it out wrong."))
    assert reply.status_code == 400
    assert ItemAnswer.objects.get(response=response, item=items[1]).text == OLD_WORDS
    assert not AnswerCorrection.objects.exists()


def test_a_correction_is_listed_under_its_item_on_the_revealed_page(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    client = sign_in(Client(), cast.guide)
    client.post(page(response), correction("who5_5", "4", "Misread the paper form."))
    html = client.post(page(response), {"reveal": "answers"}).content.decode()
    assert "Misread the paper form." in html
    assert "Guide Example" in html


def test_the_follow_up_list_links_to_a_sent_in_questionnaire(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    slug = response.participant.programme.slug
    html = sign_in(Client(), cast.guide).get(reverse("evaluation:questionnaires_due", args=[slug]))
    assert page(response) in html.content.decode()
