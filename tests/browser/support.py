"""What the browser tests share: Chromium's whereabouts, signing in, axe-core, keyboard moves."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import re
import shutil
from collections.abc import Callable
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from django.utils import translation
from playwright.sync_api import BrowserContext, Page, expect

from samvirke.accounts.models import User
from tests.factories import PASSWORD

DEBIAN_CHROMIUM = "/usr/bin/chromium"
NO_CHROMIUM = "Debian's chromium is not installed; run make test, which installs it"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Best practices too: they catch content outside every landmark (axe "region"), among others.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
}
LANGUAGES = ["nb", "sv", "en"]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}

_axe = Axe()


def chromium_executable() -> str | None:
    """Debian's Chromium, or any ``chromium`` on the PATH; None when there is none."""
    if os.access(DEBIAN_CHROMIUM, os.X_OK):
        return DEBIAN_CHROMIUM
    return shutil.which("chromium")


def translated(language: str, message: str) -> str:
    """``message`` as the server shows it in ``language`` (whatever the catalogues hold today)."""
    with translation.override(language):
        return translation.gettext(message)


def sign_in(page: Page, user: User, *, password: str = PASSWORD) -> None:
    """Sign in through the real login page, as a person would."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(user.email)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def axe_violations(page: Page) -> list[str]:
    """WCAG 2.1 A and AA violations on the page as axe-core reports them, one line each."""
    response = _axe.run(page, options=AXE_OPTIONS).response
    lines = []
    for violation in response["violations"]:
        nodes = "; ".join(
            f"{' '.join(map(str, node['target']))} → {' '.join(node['failureSummary'].split())}"
            for node in violation["nodes"][:5]
        )
        more = len(violation["nodes"]) - 5
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} — {nodes}"
            + (f" (and {more} more)" if more > 0 else "")
        )
    return lines


def assert_accessible(page: Page, name: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core found violations on {name} ({page.url}):\n" + "\n".join(
        violations
    )


def check_page(page: Page, name: str, url: str, status: int, failures: list[str]) -> None:
    """Open ``url``; note a wrong HTTP status or any axe-core violation in ``failures``."""
    response = page.goto(url)
    if response is None or response.status != status:
        got = response.status if response else "no response"
        failures.append(f"{name} ({url}): expected HTTP {status}, got {got}")
        return
    failures.extend(f"{name} ({url}): {line}" for line in axe_violations(page))


def browser_in(
    language: str, user: User, new_context: Callable[..., BrowserContext], base_url: str
) -> Page:
    """A fresh browser whose language cookie, and the person's saved choice, is ``language``."""
    user.language = language
    user.save(update_fields=["language"])
    context = new_context()
    context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
    return context.new_page()


def scrolls_sideways(page: Page) -> bool:
    """Whether the page is wider than the screen.

    On a mobile viewport Chromium widens window.innerWidth to fit content that overflows, so
    ``scrollWidth <= innerWidth`` alone always holds there; the root's clientWidth stays put.
    """
    return bool(
        page.evaluate(
            """() => {
                const root = document.documentElement;
                return root.scrollWidth > Math.min(window.innerWidth, root.clientWidth);
            }"""
        )
    )


def focus_matches(page: Page, selector: str) -> bool:
    return bool(
        page.evaluate(
            "selector => !!document.activeElement && document.activeElement.matches(selector)",
            selector,
        )
    )


def tab_to(page: Page, selector: str, *, limit: int = 80, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the element matching ``selector`` has the focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if focus_matches(page, selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{limit} presses of {key} never reached {selector}")


def focus_is_visible(page: Page) -> bool:
    """Whether the focused element wears the design system's focus ring (a 2px+ outline)."""
    return bool(
        page.evaluate(
            """() => {
                const style = getComputedStyle(document.activeElement);
                return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
            }"""
        )
    )


def tab_visibly_to(page: Page, selector: str, *, backwards: bool = False) -> None:
    """``tab_to``, and the person can see where the focus landed."""
    tab_to(page, selector, backwards=backwards)
    assert focus_is_visible(page), f"the focus on {selector} is not visible"


def type_datetime_local(page: Page, when: dt.datetime) -> None:
    """Type into the focused datetime-local field, one segment after the other.

    Headless Chromium shows the field as mm/dd/yyyy, hh:mm AM/PM whatever the locale, and a
    Norwegian one as dd.mm.yyyy, hh:mm; with day == month and a morning time the same keys fill
    both. The year segment takes up to six digits, so Tab moves on from it.
    """
    assert when.day == when.month and when.hour < 12, "pick a morning with day == month"
    page.keyboard.type(f"{when.month:02d}{when.day:02d}{when.year:04d}")
    page.keyboard.press("Tab")
    page.keyboard.type(f"{when.hour:02d}{when.minute:02d}A")


def seed_consent_texts() -> None:
    """What migration 0002 seeds; the live server's database is emptied after every test."""
    migration = importlib.import_module("samvirke.participants.migrations.0002_consent_texts_v1")
    migration.forwards(apps, None)


def switch_language(page: Page, code: str) -> None:
    """Use the language form in the page header."""
    page.locator("#language-select").select_option(code)
    page.locator(".language-form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)
