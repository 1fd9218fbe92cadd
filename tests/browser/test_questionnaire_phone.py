"""A participant answers WHO-5 on a phone in Norwegian, stops halfway and finishes later."""

from __future__ import annotations

import os
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from samvirke.evaluation.models import QuestionnaireResponse, ResponseStatus
from tests.browser.conftest import Workspace
from tests.browser.support import PHONE, assert_accessible, scrolls_sideways, sign_in
from tests.factories import ParticipantFactory, who5_response

SCREENSHOTS = os.environ.get("SAMVIRKE_SCREENSHOTS", "")


@pytest.mark.browser
def test_a_participant_answers_who5_on_a_phone_stops_halfway_and_finishes_later(
    workspace: Workspace, new_context: Callable[..., BrowserContext]
) -> None:
    # given a participant in Norwegian with a WHO-5 due
    cast = workspace.cast
    record = ParticipantFactory(programme=cast.programme, account=cast.participant)
    response: QuestionnaireResponse = who5_response(record)
    cast.participant.language = "nb"
    cast.participant.save(update_fields=["language"])
    phone = new_context(**PHONE, locale="nb-NO").new_page()
    sign_in(phone, cast.participant)
    url = f"/p/{workspace.slug}/me/questionnaires/{response.public_id}/"
    # when they answer two questions and save for later
    phone.goto(url)
    expect(phone.locator("legend")).to_contain_text("Jeg har vært glad og i godt humør.")
    assert_accessible(phone, "the first WHO-5 question on a phone")
    assert not scrolls_sideways(phone)
    if SCREENSHOTS:
        phone.screenshot(path=f"{SCREENSHOTS}/questionnaire-question.png", full_page=True)
    phone.get_by_label("Mesteparten av tiden", exact=True).check()
    phone.locator("button[value=next]").tap()
    expect(phone.locator("#progress-label")).to_have_text("Spørsmål 2 av 5")
    phone.get_by_label("Mer enn halvparten av tiden", exact=True).check()
    phone.locator("button[value=stop]").tap()
    # and come back later, from the list of their questionnaires
    expect(phone).to_have_url(re.compile(r"/me/questionnaires/$"))
    assert_accessible(phone, "my questionnaires on a phone")
    phone.locator("main a", has_text="WHO-5").first.tap()
    for number in (3, 4, 5):
        expect(phone.locator("#progress-label")).to_have_text(f"Spørsmål {number} av 5")
        phone.get_by_label("Litt av tiden", exact=True).check()
        phone.locator("button[value=next]").tap()
    expect(phone).to_have_url(re.compile(r"/send/$"))
    assert_accessible(phone, "the summary before sending on a phone")
    if SCREENSHOTS:
        phone.screenshot(path=f"{SCREENSHOTS}/questionnaire-summary.png", full_page=True)
    phone.locator("main form button[type=submit]").tap()
    # then it is sent in and scored: (4 + 3 + 1 + 1 + 1) × 4 = 40
    expect(phone.locator(".notice")).to_contain_text("Takk. Svarene dine er sendt inn.")
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.scores.get(is_current=True).value == 40
