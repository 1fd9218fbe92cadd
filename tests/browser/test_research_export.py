"""A researcher watches a research file being written, then downloads it once."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, expect

from samvirke.evaluation.export_jobs import FOLDER, private_storage
from samvirke.evaluation.models import EXPORT_FILE_LIFETIME, ExportStatus, ResearchExport
from tests.browser.conftest import Workspace
from tests.browser.support import assert_accessible, browser_in, sign_in
from tests.evaluation.export_data import CONTENT, finished_export

SCREENSHOTS = os.environ.get("SAMVIRKE_SCREENSHOTS", "")


@pytest.mark.browser
def test_the_progress_bar_moves_on_and_the_download_button_appears_when_the_file_is_done(
    workspace: Workspace, new_context: Callable[..., BrowserContext], live_server: object
) -> None:
    # given an export being written, 12,000 of 80,000 rows in
    cast = workspace.cast
    export = finished_export(
        cast.programme, cast.researcher, status=ExportStatus.RUNNING, rows_expected=80_000
    )
    ResearchExport.objects.filter(pk=export.pk).update(rows=12_000)
    page = browser_in("en", cast.researcher, new_context, str(live_server))
    sign_in(page, cast.researcher)
    page.goto(f"/p/{workspace.slug}/research-data/exports/{export.public_id}/")
    bar = page.locator("progress#export-progress-bar")
    expect(bar).to_have_attribute("value", "12000")
    expect(page.get_by_text("12000 of 80000 rows (15 %)")).to_be_visible()
    assert_accessible(page, "a research export being written")
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/research-export-progress.png", full_page=True)
    # when the worker gets on, and then finishes
    ResearchExport.objects.filter(pk=export.pk).update(rows=52_000)
    expect(bar).to_have_attribute("value", "52000", timeout=6000)
    name = private_storage().save(f"{FOLDER}/{export.public_id}", _content())
    ResearchExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.DONE,
        rows=80_000,
        file_name=name,
        sha256="ab" * 32,
        size=len(CONTENT),
        expires_at=timezone.now() + EXPORT_FILE_LIFETIME,
    )
    # then the page shows the checksum and the button
    expect(page.get_by_role("button", name="Download the file")).to_be_visible(timeout=6000)
    expect(page.get_by_text("ab" * 32)).to_be_visible()
    assert_accessible(page, "a research export ready for its download")
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/research-export-done.png", full_page=True)


def _content() -> object:
    from django.core.files.base import ContentFile

    return ContentFile(CONTENT)
