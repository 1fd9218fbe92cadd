"""The pages about followed participants and a participant's own information pass axe-core."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from playwright.sync_api import BrowserContext

from samvirke.participants.services import give_consent
from tests.browser.conftest import Workspace
from tests.browser.support import LANGUAGES, browser_in, check_page, sign_in
from tests.factories import ParticipantFactory


def seed_consent_texts() -> None:
    """What migration 0002 seeds; the live server's database is emptied after every test."""
    migration = importlib.import_module("samvirke.participants.migrations.0002_consent_texts_v1")
    migration.forwards(apps, None)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_participant_record_pages_have_no_accessibility_violations(
    language: str,
    workspace: Workspace,
    new_context: Callable[..., BrowserContext],
    live_server: Any,
) -> None:
    # given
    seed_consent_texts()
    cast = workspace.cast
    record = ParticipantFactory(
        programme=cast.programme, account=cast.participant, subprojects=[cast.subproject]
    )
    record.guides.set([cast.guide])
    give_consent(
        actor=cast.coordinator,
        request=None,
        participant=record,
        purpose="research",
        method="paper",
    )
    p = f"/p/{workspace.slug}"
    coordinator = browser_in(language, cast.coordinator, new_context, live_server.url)
    participant = browser_in(language, cast.participant, new_context, live_server.url)
    failures: list[str] = []
    # when
    sign_in(coordinator, cast.coordinator)
    for name, url in [
        ("participant list", f"{p}/participants/"),
        ("new-participant form", f"{p}/participants/new/"),
        ("participant record", f"{p}/participants/{record.public_id}/"),
        ("participant edit form", f"{p}/participants/{record.public_id}/edit/"),
    ]:
        check_page(coordinator, name, url, 200, failures)
    sign_in(participant, cast.participant)
    check_page(participant, "my information", f"{p}/me/", 200, failures)
    check_page(participant, "my access log", f"{p}/me/access-log/", 200, failures)
    # then
    assert not failures, f"Accessibility problems in {language}:\n" + "\n".join(failures)
