"""Everything a coordinator does daily works without a mouse."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samvirke.activities.models import Activity, ActivityType
from tests.browser.conftest import Workspace
from tests.browser.support import sign_in, tab_to, translated, type_datetime_local

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def next_summer() -> tuple[dt.datetime, dt.datetime]:
    year = timezone.localdate().year + 1
    return dt.datetime(year, 6, 6, 9, 30, tzinfo=OSLO), dt.datetime(year, 6, 6, 11, 45, tzinfo=OSLO)


@pytest.mark.browser
def test_coordinator_creates_an_activity_with_the_keyboard_alone(
    page: Page, workspace: Workspace
) -> None:
    # given
    cast = workspace.cast
    sign_in(page, cast.coordinator)
    page.goto(f"/p/{workspace.slug}/activities/")
    starts, ends = next_summer()
    kind = translated("nb", str(ActivityType.USER_MEETING.label))
    # when
    tab_to(page, "main a[href$='/activities/new/']")
    page.keyboard.press("Enter")
    expect(page.locator("#id_type")).to_be_visible()
    tab_to(page, "#id_type")
    page.keyboard.type(kind[:6])
    tab_to(page, "#id_title")
    page.keyboard.type("Brukertreff med tastaturet")
    tab_to(page, "#id_starts_at")
    type_datetime_local(page, starts)
    tab_to(page, "#id_ends_at")
    type_datetime_local(page, ends)
    tab_to(page, "#id_place")
    page.keyboard.type("Kirkens hus, Stjørdal")
    tab_to(page, f"input[name=subprojects][value='{cast.subproject.pk}']")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    # then
    expect(page.locator("h1")).to_have_text("Brukertreff med tastaturet")
    activity = Activity.objects.get(title="Brukertreff med tastaturet")
    assert activity.type == ActivityType.USER_MEETING
    assert activity.starts_at == starts
    assert activity.ends_at == ends
    assert list(activity.subprojects.all()) == [cast.subproject]
    page.goto(f"/p/{workspace.slug}/activities/")
    expect(page.locator("#activity-rows")).to_contain_text("Brukertreff med tastaturet")


@pytest.mark.browser
def test_keyboard_focus_is_visible_on_every_control_of_the_activity_form(
    page: Page, workspace: Workspace
) -> None:
    # given
    sign_in(page, workspace.cast.coordinator)
    page.goto(f"/p/{workspace.slug}/activities/new/")
    # when
    unmarked = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                const marked = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
                return {tag: el.tagName, id: el.id, text: el.textContent.trim().slice(0, 40),
                        marked, inFooter: !!el.closest("footer"), isBody: el === document.body};
            }"""
        )
        if focused["isBody"] or focused["inFooter"]:
            break
        if not focused["marked"]:
            unmarked.append(focused)
    # then
    assert not unmarked, f"focus is not visible on: {unmarked}"
