"""A free-text question on a phone: a labelled text area, axe-clean, no sideways scrolling."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, expect

from samvirke.audit.actor import Actor
from samvirke.evaluation.instrument_builder import ItemSpec, publish_instrument
from samvirke.evaluation.models import ItemAnswer
from samvirke.evaluation.response_services import open_response
from tests.browser.conftest import Workspace
from tests.browser.support import PHONE, assert_accessible, scrolls_sideways, sign_in
from tests.factories import ParticipantFactory

SCREENSHOTS = os.environ.get("SAMVIRKE_SCREENSHOTS", "")


@pytest.mark.browser
def test_a_participant_writes_an_answer_on_a_phone(
    workspace: Workspace, new_context: Callable[..., BrowserContext]
) -> None:
    # given a participant in Norwegian with the programme's own questionnaire due
    cast = workspace.cast
    version = publish_instrument(
        actor=Actor.of_user(cast.coordinator),
        programme=cast.programme,
        key="hverdag",
        titles={"nb": "Hverdagen", "sv": "Vardagen", "en": "Everyday life"},
        items=[ItemSpec(kind="text", text_nb="Hva vil du fortelle oss?", maximum=300)],
        scoring="",
    )
    record = ParticipantFactory(programme=cast.programme, account=cast.participant)
    response = open_response(participant=record, version=version, due_on=timezone.localdate())
    cast.participant.language = "nb"
    cast.participant.save(update_fields=["language"])
    phone = new_context(**PHONE, locale="nb-NO").new_page()
    sign_in(phone, cast.participant)
    # when they open it
    phone.goto(f"/p/{workspace.slug}/me/questionnaires/{response.public_id}/")
    box = phone.get_by_label("Hva vil du fortelle oss?")
    expect(box).to_be_visible()
    assert_accessible(phone, "a free-text question on a phone")
    assert not scrolls_sideways(phone)
    box.fill("Turene var fine.")
    if SCREENSHOTS:
        phone.screenshot(path=f"{SCREENSHOTS}/free-text-question.png", full_page=True)
    phone.locator("button[value=next]").tap()
    # then what they wrote is kept
    expect(phone.locator("main")).to_contain_text("Turene var fine.")
    assert ItemAnswer.objects.get(response=response).text == "Turene var fine."
