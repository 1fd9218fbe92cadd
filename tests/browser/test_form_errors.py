"""Bad input comes back with an error summary and an error at each field, and saves nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samvirke.activities.models import Activity
from tests.browser.support import assert_accessible, sign_in, translated
from tests.conftest import Cast


@pytest.fixture
def swedish_form(page: Page, cast: Cast) -> Page:
    """A Swedish-speaking coordinator's new-activity form, filled with bad input but not sent."""
    cast.coordinator.language = "sv"
    cast.coordinator.save(update_fields=["language"])
    sign_in(page, cast.coordinator)  # signing in takes the saved language
    day = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    page.goto(f"/p/{cast.programme.slug}/activities/new/")
    page.locator("#id_type").select_option("network_gathering")
    page.locator("#id_starts_at").fill(f"{day}T10:00")
    page.locator("#id_ends_at").fill(f"{day}T09:00")  # ends before it starts
    return page  # no title, no place


def send(page: Page) -> Any:
    with page.expect_response(lambda response: response.request.method == "POST") as info:
        page.locator("main form button[type=submit]").click()
    return info.value


@pytest.mark.browser
def test_bad_activity_input_shows_translated_errors_and_saves_nothing(
    swedish_form: Page,
) -> None:
    # given
    page = swedish_form
    required = translated("sv", "This field is required.")
    assert required != "This field is required.", "Django's Swedish catalogue is missing"
    # when
    response = send(page)
    # then
    assert response.status == 400
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("h2")).to_have_text(translated("sv", "Please correct the following"))
    expect(summary.locator("a[href='#id_title']")).to_contain_text(required)
    expect(page.locator("#id_title_error")).to_have_text(required)
    expect(page.locator("#id_ends_at_error")).to_have_text(
        translated("sv", "The activity cannot end before it starts.")
    )
    expect(page.locator("#id_place_error")).to_have_text(
        translated("sv", "Give a place or an online meeting link.")
    )
    expect(page.locator("#id_title")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_title")).to_have_accessible_description(required)
    assert Activity.objects.count() == 0


@pytest.mark.browser
def test_a_form_with_errors_has_no_accessibility_violations(swedish_form: Page) -> None:
    # given
    page = swedish_form
    # when
    send(page)
    # then
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, "the new-activity form with errors")
