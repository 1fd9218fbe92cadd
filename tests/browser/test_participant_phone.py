"""Participants mostly come by phone: their pages fit a small touch screen and work there."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from samvirke.activities.models import Registration
from tests.browser.conftest import Workspace
from tests.browser.support import PHONE, assert_accessible, scrolls_sideways, sign_in, translated
from tests.factories import ParticipantFactory


@pytest.fixture
def phone(new_context: Callable[..., BrowserContext], workspace: Workspace) -> Page:
    """A participant signed in on a 390×844 touch screen."""
    page = new_context(**PHONE).new_page()
    sign_in(page, workspace.cast.participant)
    return page


def open_activity_card(phone: Page, workspace: Workspace) -> None:
    phone.goto(f"/p/{workspace.slug}/")
    phone.locator(
        "section[aria-labelledby=open-heading] a", has_text=workspace.open_activity.title
    ).tap()
    expect(phone.locator("h1")).to_have_text(workspace.open_activity.title)


@pytest.mark.browser
def test_participant_dashboard_fits_a_phone_without_accessibility_violations(
    phone: Page, workspace: Workspace
) -> None:
    # given / when
    phone.goto(f"/p/{workspace.slug}/")
    # then
    open_list = phone.locator("section[aria-labelledby=open-heading]")
    expect(open_list).to_contain_text(workspace.open_activity.title)
    expect(phone.locator("section[aria-labelledby=mine-heading]")).to_contain_text(
        workspace.activity.title
    )
    assert not scrolls_sideways(phone)
    assert_accessible(phone, "the participant's dashboard on a phone")


@pytest.mark.browser
def test_open_activity_page_fits_a_phone_without_accessibility_violations(
    phone: Page, workspace: Workspace
) -> None:
    # given / when
    open_activity_card(phone, workspace)
    # then
    expect(phone.locator("#registration-heading")).to_be_visible()
    assert not scrolls_sideways(phone)
    assert_accessible(phone, "an open activity on a phone")


@pytest.mark.browser
def test_participant_signs_up_for_an_open_activity_on_a_phone(
    phone: Page, workspace: Workspace
) -> None:
    # given
    open_activity_card(phone, workspace)
    # when
    phone.locator("form[action$='/register/'] button[type=submit]").tap()
    # then
    expect(phone.locator(".messages")).to_contain_text(translated("nb", "You are registered."))
    expect(phone.locator("form[action$='/cancel/'] button")).to_be_visible()
    registration = Registration.objects.get(
        activity=workspace.open_activity, user=workspace.cast.participant
    )
    assert registration.status == "registered"
    assert not scrolls_sideways(phone)
    assert_accessible(phone, "an activity just signed up for, on a phone")


@pytest.mark.browser
def test_my_data_is_shown_on_a_phone_after_the_button_without_accessibility_violations(
    phone: Page, workspace: Workspace
) -> None:
    # given a participant with a record of her own
    cast = workspace.cast
    ParticipantFactory(
        programme=cast.programme, account=cast.participant, subprojects=[cast.subproject]
    )
    phone.goto(f"/p/{workspace.slug}/me/my-data/")
    assert_accessible(phone, "my data before the button, on a phone")
    # when she shows her data
    with phone.expect_navigation():
        phone.locator("#reveal-data button").tap()
    # then the copy is on the page, with its file as a button
    expect(phone.locator("#record-heading")).to_be_visible()
    expect(phone.locator("form[action$='/me/my-data.json'] button")).to_be_visible()
    assert not scrolls_sideways(phone)
    assert_accessible(phone, "my data on a phone")
