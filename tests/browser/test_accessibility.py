"""axe-core finds no WCAG 2.1 A or AA violation on any page of the workspace, in any language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext

from tests.browser.conftest import Workspace
from tests.browser.support import LANGUAGES, browser_in, check_page, sign_in


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_workspace_page_has_no_accessibility_violations(
    language: str,
    workspace: Workspace,
    new_context: Callable[..., BrowserContext],
    live_server: Any,
) -> None:
    # given
    coordinator = browser_in(language, workspace.cast.coordinator, new_context, live_server.url)
    participant = browser_in(language, workspace.cast.participant, new_context, live_server.url)
    failures: list[str] = []
    # when
    check_page(coordinator, "login page", "/accounts/login/", 200, failures)
    sign_in(coordinator, workspace.cast.coordinator)
    for name, url, status in workspace.coordinator_tour():
        check_page(coordinator, name, url, status, failures)
    sign_in(participant, workspace.cast.participant)
    check_page(participant, "participant's dashboard", f"/p/{workspace.slug}/", 200, failures)
    shown_in = {each.locator("html").get_attribute("lang") for each in (coordinator, participant)}
    # then
    assert shown_in == {language}
    assert not failures, f"Accessibility problems in {language}:\n" + "\n".join(failures)
