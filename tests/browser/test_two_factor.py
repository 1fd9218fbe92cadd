"""Staff set up two-step sign-in on first sign-in, with a real authenticator code."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from samvirke.accounts.services import RECOVERY_CODE_COUNT
from tests.accounts.two_factor import mailed_code
from tests.browser.support import assert_accessible, sign_in
from tests.conftest import Cast


def authenticator_code(secret_on_page: str, device: TOTPDevice) -> str:
    """What an authenticator app shows after the person typed the key from the page."""
    compact = "".join(secret_on_page.split())
    key = base64.b32decode(compact + "=" * (-len(compact) % 8))
    code = totp(key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


@pytest.mark.browser
def test_coordinator_sets_up_an_authenticator_on_first_sign_in(
    page: Page, cast: Cast, settings: Any
) -> None:
    # given
    settings.REQUIRE_2FA = True
    # when
    sign_in(page, cast.coordinator)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))
    assert_accessible(page, "the e-mailed code step of the two-step set-up")
    page.locator("main button[name=send]").click()
    expect(page.locator("main .messages")).to_be_visible()
    page.locator("#id_email_code").fill(mailed_code(cast.coordinator.email))
    page.locator("main form:has(#id_email_code) button[type=submit]").click()
    expect(page.locator("#totp-secret")).to_be_visible()
    assert_accessible(page, "the two-step set-up page")
    device = TOTPDevice.objects.get(user=cast.coordinator, confirmed=False)
    secret = page.locator("#totp-secret").inner_text()
    page.locator("#id_token").fill(authenticator_code(secret, device))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#recovery-codes li")).to_have_count(RECOVERY_CODE_COUNT)
    page.locator("main a.button").click()
    page.locator(f"main a[href='/p/{cast.programme.slug}/']").click()
    # then
    expect(page.locator("h1")).to_have_text(cast.programme.name_nb)
    expect(page.locator("main table")).to_contain_text("RSMH kartlegging")
    device.refresh_from_db()
    assert device.confirmed
