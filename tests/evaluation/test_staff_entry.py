"""A guide enters a participant's answers from a phone call or a paper form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.evaluation.models import EntryMode, QuestionnaireResponse, ResponseStatus
from samvirke.evaluation.response_services import ResponseError, enter_response
from tests.conftest import Cast, sign_in
from tests.factories import ParticipantFactory, who5_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def response(cast: Cast) -> QuestionnaireResponse:
    record = ParticipantFactory(
        programme=cast.programme, account=cast.participant, subprojects=[cast.subproject]
    )
    record.guides.set([cast.guide])
    result: QuestionnaireResponse = who5_response(record)
    return result


def page(response: QuestionnaireResponse) -> str:
    slug = response.participant.programme.slug
    return reverse("evaluation:questionnaire_enter", args=[slug, response.public_id])


def form_data(values: list[int | str], mode: str = EntryMode.PAPER) -> dict[str, str]:
    data = {"mode": mode, "answered_on": timezone.localdate().isoformat()}
    for number, value in enumerate(values, start=1):
        data[f"item_who5_{number}"] = str(value)
    return data


def test_a_guide_enters_paper_answers_and_they_are_scored(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    # given a guide signed in, following the participant
    client = sign_in(Client(), cast.guide)
    # when they enter the five answers from a paper form
    reply = client.post(page(response), form_data([5, 5, 4, 4, 2]))
    # then the questionnaire is sent in, scored and marked as entered from paper by the guide
    response.refresh_from_db()
    assert reply.status_code == 302
    assert response.status == ResponseStatus.SUBMITTED
    assert (response.mode, response.entered_by) == (EntryMode.PAPER, cast.guide)
    assert response.scores.get(is_current=True).value == 80


def test_the_entry_is_in_the_audit_log_with_its_mode_and_no_values(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    # given
    client = sign_in(Client(), cast.guide)
    # when
    client.post(page(response), form_data([5, 5, 4, 4, 2], mode=EntryMode.STAFF_ASSISTED))
    # then
    entry = AuditEntry.objects.filter(object_id=str(response.public_id)).latest("pk")
    assert entry.detail["entered"] == EntryMode.STAFF_ASSISTED
    assert entry.actor == cast.guide
    assert set(entry.detail) == {"entered", "items", "submitted"}  # how many, not which values


def test_the_form_shows_every_question_and_the_mode(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    html = sign_in(Client(), cast.guide).get(page(response)).content.decode()
    assert "Jeg har vært glad og i godt humør." in html
    assert "på et papirskjema" in html


def test_a_guide_who_does_not_follow_the_participant_gets_not_found(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    # given someone else's participant, not followed by the guide
    other = who5_response(ParticipantFactory(programme=cast.programme))
    # when
    reply = sign_in(Client(), cast.guide).post(page(other), form_data([5, 5, 4, 4, 2]))
    # then nothing is entered
    assert reply.status_code == 404
    assert not other.answers.exists()


def test_a_researcher_may_not_enter_answers(cast: Cast, response: QuestionnaireResponse) -> None:
    reply = sign_in(Client(), cast.researcher).post(page(response), form_data([5, 5, 4, 4, 2]))
    assert reply.status_code == 403
    assert not response.answers.exists()


def test_an_answer_that_is_not_a_choice_changes_nothing(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    # when
    reply = sign_in(Client(), cast.guide).post(page(response), form_data([5, 5, 4, 4, 9]))
    # then
    response.refresh_from_db()
    assert reply.status_code == 400
    assert response.status == ResponseStatus.DUE and not response.answers.exists()


def test_without_a_mode_nothing_is_entered(cast: Cast, response: QuestionnaireResponse) -> None:
    data = form_data([5, 5, 4, 4, 2])
    del data["mode"]
    reply = sign_in(Client(), cast.guide).post(page(response), data)
    assert reply.status_code == 400 and not response.answers.exists()


def test_a_date_in_the_future_is_refused(cast: Cast, response: QuestionnaireResponse) -> None:
    data = form_data([5, 5, 4, 4, 2])
    data["answered_on"] = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    reply = sign_in(Client(), cast.guide).post(page(response), data)
    assert reply.status_code == 400 and not response.answers.exists()


def test_a_paper_form_keeps_the_day_it_was_answered(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    # given a paper form filled in a week ago
    day = timezone.localdate() - dt.timedelta(days=7)
    # when
    enter_response(
        actor=Actor.of_user(cast.guide),
        response=response,
        answers={f"who5_{n}": 3 for n in range(1, 6)},
        mode=EntryMode.PAPER,
        answered_on=day,
    )
    # then
    response.refresh_from_db()
    assert timezone.localtime(response.submitted_at).date() == day


def test_self_is_not_a_staff_entry_mode(cast: Cast, response: QuestionnaireResponse) -> None:
    with pytest.raises(ResponseError):
        enter_response(
            actor=Actor.of_user(cast.guide),
            response=response,
            answers={},
            mode=EntryMode.SELF,
        )


def test_the_due_list_links_to_entering_the_answers(
    cast: Cast, response: QuestionnaireResponse
) -> None:
    slug = cast.programme.slug
    html = (
        sign_in(Client(), cast.guide)
        .get(reverse("evaluation:questionnaires_due", args=[slug]))
        .content.decode()
    )
    assert page(response) in html
