"""An answer above 0 on PHQ-9 item 9 (thoughts of self-harm) is followed up the same day."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.evaluation.instrument_services import load_instruments
from samvirke.evaluation.models import (
    EntryMode,
    InstrumentVersion,
    QuestionnaireResponse,
    SafetyAlert,
)
from samvirke.evaluation.response_services import enter_response, open_response, save_answer
from tests.conftest import Cast, sign_in
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def phq9(db: None) -> InstrumentVersion:
    load_instruments(texts_folder=None)
    return InstrumentVersion.objects.get(instrument__key="phq9")


def phq9_response(cast: Cast, version: InstrumentVersion, country: str = "NO") -> Any:
    participant = ParticipantFactory(
        programme=cast.programme,
        account=cast.participant,
        subprojects=[cast.subproject],
        country=country,
    )
    participant.guides.set([cast.guide])
    return open_response(participant=participant, version=version, due_on=timezone.localdate())


def answer_item_9(
    cast: Cast, response: QuestionnaireResponse, value: int, capture: Any
) -> QuestionnaireResponse:
    item = response.version.items.get(key="phq9_9")
    with capture(execute=True):
        return save_answer(
            actor=Actor.of_user(cast.participant), response=response, item=item, value=value
        )


def page(response: QuestionnaireResponse) -> str:
    slug = response.participant.programme.slug
    return reverse("evaluation:my_questionnaire", args=[slug, response.public_id])


def test_an_answer_above_0_on_item_9_raises_an_alert_at_once(
    cast: Cast, phq9: InstrumentVersion, django_capture_on_commit_callbacks: Any
) -> None:
    # given a PHQ-9 not sent in yet
    response = phq9_response(cast, phq9)
    # when the participant answers item 9 with "several days"
    answer_item_9(cast, response, 1, django_capture_on_commit_callbacks)
    # then an alert is raised before anything is sent in
    assert SafetyAlert.objects.filter(response=response, item_key="phq9_9").count() == 1


def test_not_at_all_on_item_9_raises_no_alert(
    cast: Cast, phq9: InstrumentVersion, django_capture_on_commit_callbacks: Any
) -> None:
    response = phq9_response(cast, phq9)
    answer_item_9(cast, response, 0, django_capture_on_commit_callbacks)
    assert not SafetyAlert.objects.exists() and mail.outbox == []


def test_the_other_items_raise_no_alert(
    cast: Cast, phq9: InstrumentVersion, django_capture_on_commit_callbacks: Any
) -> None:
    response = phq9_response(cast, phq9)
    item = phq9.items.get(key="phq9_1")
    with django_capture_on_commit_callbacks(execute=True):
        save_answer(actor=Actor.of_user(cast.participant), response=response, item=item, value=3)
    assert not SafetyAlert.objects.exists()


def test_the_guide_is_mailed_without_any_health_detail(
    cast: Cast, phq9: InstrumentVersion, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    response = phq9_response(cast, phq9)
    # when
    answer_item_9(cast, response, 2, django_capture_on_commit_callbacks)
    # then the guide gets one mail that names no one, no questionnaire and no answer
    assert [m.to for m in mail.outbox] == [[cast.guide.email]]
    text = (mail.outbox[0].subject + mail.outbox[0].body).lower()
    for secret in (response.participant.pseudonym.lower(), "phq", "self-harm", "selvskad", "død"):
        assert secret not in text
    assert reverse("evaluation:questionnaires_due", args=[cast.programme.slug]) in text


def test_answering_item_9_again_mails_nobody_twice(
    cast: Cast, phq9: InstrumentVersion, django_capture_on_commit_callbacks: Any
) -> None:
    response = phq9_response(cast, phq9)
    answer_item_9(cast, response, 2, django_capture_on_commit_callbacks)
    answer_item_9(cast, response, 3, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1 and SafetyAlert.objects.count() == 1


def test_without_a_guide_the_programmes_managers_are_told(
    cast: Cast, phq9: InstrumentVersion, django_capture_on_commit_callbacks: Any
) -> None:
    # given a participant nobody guides
    response = phq9_response(cast, phq9)
    response.participant.guides.clear()
    # when
    answer_item_9(cast, response, 1, django_capture_on_commit_callbacks)
    # then the leader and the coordinator are told
    told = {address for m in mail.outbox for address in m.to}
    assert told == {cast.leader.email, cast.coordinator.email}


def test_the_guide_sees_the_alert_on_the_due_list_and_can_mark_it_followed_up(
    cast: Cast, phq9: InstrumentVersion, django_capture_on_commit_callbacks: Any
) -> None:
    # given an alert
    response = phq9_response(cast, phq9)
    answer_item_9(cast, response, 1, django_capture_on_commit_callbacks)
    alert = SafetyAlert.objects.get()
    client = sign_in(Client(), cast.guide)
    due = reverse("evaluation:questionnaires_due", args=[cast.programme.slug])
    # when the guide opens the due list
    html = client.get(due).content.decode()
    # then the participant is listed as needing follow-up today
    assert "Trenger oppfølging i dag" in html and response.participant.pseudonym in html
    # and when they mark it followed up, it leaves the list
    followed = reverse(
        "evaluation:safety_alert_followed_up", args=[cast.programme.slug, alert.public_id]
    )
    assert client.post(followed).status_code == 302
    alert.refresh_from_db()
    assert alert.handled_by == cast.guide
    assert "Trenger oppfølging i dag" not in client.get(due).content.decode()


def test_a_guide_who_does_not_follow_the_participant_cannot_mark_the_alert(
    cast: Cast, phq9: InstrumentVersion, django_capture_on_commit_callbacks: Any
) -> None:
    # given an alert of someone the guide does not follow
    response = phq9_response(cast, phq9)
    response.participant.guides.clear()
    response.participant.subprojects.clear()
    answer_item_9(cast, response, 1, django_capture_on_commit_callbacks)
    alert = SafetyAlert.objects.get()
    followed = reverse(
        "evaluation:safety_alert_followed_up", args=[cast.programme.slug, alert.public_id]
    )
    # when
    reply = sign_in(Client(), cast.guide).post(followed)
    # then
    alert.refresh_from_db()
    assert reply.status_code == 404 and alert.handled_at is None


def test_the_participant_is_shown_norwegian_help_lines_in_norwegian(
    cast: Cast, phq9: InstrumentVersion, django_capture_on_commit_callbacks: Any
) -> None:
    # given a participant in Norway who answered item 9 above 0
    response = phq9_response(cast, phq9, country="NO")
    answer_item_9(cast, response, 1, django_capture_on_commit_callbacks)
    # when they go on
    html = sign_in(Client(), cast.participant).get(page(response), follow=True).content.decode()
    # then the page says where to get help now
    assert "Du trenger ikke bære dette alene" in html
    assert "113" in html and "116 123" in html and "90101" not in html


def test_the_participant_in_sweden_is_shown_swedish_help_lines_in_swedish(
    cast: Cast, phq9: InstrumentVersion, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    response = phq9_response(cast, phq9, country="SE")
    answer_item_9(cast, response, 1, django_capture_on_commit_callbacks)
    # when
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="sv"), cast.participant)
    html = client.get(page(response), follow=True).content.decode()
    # then
    assert "Du behöver inte bära det här ensam" in html
    assert "112" in html and "90101" in html and "116 123" not in html


def test_no_help_lines_are_shown_without_an_alert(cast: Cast, phq9: InstrumentVersion) -> None:
    response = phq9_response(cast, phq9)
    html = sign_in(Client(), cast.participant).get(page(response)).content.decode()
    assert "116 123" not in html


def test_staff_entering_item_9_above_0_raise_the_alert_too(
    cast: Cast, phq9: InstrumentVersion, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    response = phq9_response(cast, phq9)
    answers: dict[str, int | None] = {f"phq9_{n}": 0 for n in range(1, 10)}
    answers["phq9_9"] = 1
    # when a guide enters a paper form
    with django_capture_on_commit_callbacks(execute=True):
        enter_response(
            actor=Actor.of_user(cast.guide),
            response=response,
            answers=answers,
            mode=EntryMode.PAPER,
        )
    # then
    assert SafetyAlert.objects.filter(response=response).exists()
    assert len(mail.outbox) == 1


def test_the_alert_is_in_the_audit_log_without_the_answer(
    cast: Cast, phq9: InstrumentVersion, django_capture_on_commit_callbacks: Any
) -> None:
    response = phq9_response(cast, phq9)
    answer_item_9(cast, response, 3, django_capture_on_commit_callbacks)
    entry = AuditEntry.objects.get(object_type="evaluation.safety_alert")
    assert entry.detail == {"item": "phq9_9"}
