"""Staff pages also work on a phone: wide tables scroll inside their box, never the page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext

from tests.browser.conftest import Workspace
from tests.browser.support import PHONE, scrolls_sideways, sign_in


@pytest.mark.browser
def test_no_workspace_page_scrolls_sideways_on_a_phone(
    workspace: Workspace, new_context: Callable[..., BrowserContext]
) -> None:
    # given
    page = new_context(**PHONE).new_page()
    sign_in(page, workspace.cast.coordinator)
    # when
    too_wide = []
    for name, url, _status in workspace.coordinator_tour():
        page.goto(url)
        if scrolls_sideways(page):
            width = page.evaluate("document.documentElement.scrollWidth")
            too_wide.append(f"{name} ({url}) is {width}px wide")
    # then
    assert not too_wide, "Pages wider than a 390px phone:\n" + "\n".join(too_wide)
