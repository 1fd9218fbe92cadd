"""The questionnaire import's second steps in a browser: what each column holds (paper), and
which time point each REDCap event is. Both are axe-clean."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from samvirke.evaluation.models import Instrument, Schedule
from tests.browser.conftest import Workspace
from tests.browser.support import assert_accessible, sign_in
from tests.factories import ParticipantFactory, who5_response

SCREENSHOTS = os.environ.get("SAMVIRKE_SCREENSHOTS", "")
ITEMS = ",".join(f"who5_{n}" for n in range(1, 6))


def _upload(workspace: Workspace, page: Page, tmp_path: object, text: str, source: str) -> None:
    from pathlib import Path

    cast = workspace.cast
    record = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
    record.guides.set([cast.guide])
    who5_response(record)
    path = Path(str(tmp_path)) / "export.csv"
    path.write_text(text.replace("PSEUDONYM", record.pseudonym), encoding="utf-8")
    sign_in(page, cast.guide)
    page.goto(f"/p/{workspace.slug}/questionnaires/import/")
    page.locator("select[name=instrument]").select_option("who5")
    page.locator("select[name=source]").select_option(source)
    page.locator("input[name=file]").set_input_files(str(path))
    page.locator("main form button[type=submit]").click()


@pytest.mark.browser
def test_the_event_step_of_a_redcap_import_is_accessible(
    workspace: Workspace, new_context: Callable[..., BrowserContext], tmp_path: object
) -> None:
    schedule = Schedule.objects.create(programme=workspace.cast.programme, name="Standard")
    schedule.instruments.set(Instrument.objects.filter(key="who5"))
    schedule.time_points.create(key="baseline", position=0, anchor="enrolment")
    schedule.time_points.create(key="m6", position=1, anchor="enrolment", offset_months=6)
    page = new_context(locale="nb-NO").new_page()
    text = f"record_id,redcap_event_name,answered_on,{ITEMS}\n"
    text += "PSEUDONYM,baseline_arm_1,2026-01-15,5,5,4,4,2\n"
    text += "PSEUDONYM,month_6_arm_1,2026-07-15,5,5,4,4,2\n"
    text += "PSEUDONYM,visit_b_arm_1,2026-08-15,5,5,4,4,2\n"
    _upload(workspace, page, tmp_path, text, "redcap")
    expect(page.locator("main h2").first).to_have_text("Hvilket måletidspunkt hver hendelse er")
    expect(page.get_by_label("month_6_arm_1")).to_have_value("m6")
    assert_accessible(page, "the event step of a REDCap import")
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/redcap-events.png", full_page=True)


@pytest.mark.browser
def test_the_column_step_of_a_paper_import_is_accessible(
    workspace: Workspace, new_context: Callable[..., BrowserContext], tmp_path: object
) -> None:
    page = new_context(locale="nb-NO").new_page()
    text = f"Deltaker;Dato;spm 1;{ITEMS[7:].replace(',', ';')}\nPSEUDONYM;15.01.2026;5;5;4;4;2\n"
    _upload(workspace, page, tmp_path, text, "paper")
    expect(page.get_by_label("Deltaker")).to_have_value("pseudonym")
    assert_accessible(page, "the column step of a paper import")
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/paper-columns.png", full_page=True)
