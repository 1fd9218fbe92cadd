"""The "done means" journey of a coordinator, from signing in to finding the work again."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from samvirke.activities.models import Action, Activity, Registration
from tests.browser.support import sign_in, switch_language, translated
from tests.conftest import Cast

SWEDISH_CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "sv" / "LC_MESSAGES" / "django.mo"


def programme_link(page: Page, cast: Cast) -> None:
    page.locator(f"main a[href='/p/{cast.programme.slug}/']").click()


@pytest.mark.browser
def test_coordinator_runs_an_activity_from_start_to_follow_up_and_finds_it_in_swedish(
    page: Page, cast: Cast
) -> None:
    # given
    nav = page.get_by_role("navigation", name=translated("nb", "Programme"))
    when = timezone.localdate() + dt.timedelta(days=21)
    title = "Sommertreff på Kirkens hus"
    sign_in(page, cast.coordinator)

    # when: the coordinator opens the programme and looks at its partners and subprojects
    programme_link(page, cast)
    expect(page.locator("h1")).to_have_text(cast.programme.name_nb)
    nav.locator("a[href$='/partners/']").click()
    expect(page).to_have_url(re.compile(r"/partners/$"))
    expect(page.locator("main table")).to_contain_text("RSMH Östersund")
    nav.locator("a[href$='/subprojects/']").click()
    expect(page).to_have_url(re.compile(r"/subprojects/$"))
    expect(page.locator("main table")).to_contain_text("RSMH kartlegging")
    expect(page.locator("main table")).to_contain_text("Kirkens hus")

    # ... creates an activity
    nav.locator("a[href$='/activities/']").click()
    page.locator("main a[href$='/activities/new/']").click()
    page.locator("#id_type").select_option("user_meeting")
    page.locator("#id_title").fill(title)
    page.locator("#id_starts_at").fill(f"{when.isoformat()}T17:00")
    page.locator("#id_ends_at").fill(f"{when.isoformat()}T19:30")
    page.locator("#id_place").fill("Kirkens hus, Stjørdal")
    page.locator(f"input[name=subprojects][value='{cast.other_subproject.pk}']").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(title)

    # ... registers a participant and records that they came
    # Participants are named by pseudonym or a neutral label, never by name (issue #8).
    shown = translated("nb", "participant account %(number)s") % {"number": cast.participant.pk}
    page.locator("#id_person").select_option(label=shown)
    page.locator("form[action$='/register-person/'] button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text(translated("nb", "The person is registered."))
    page.locator("main a[href$='/attendance/']").click()
    page.locator("#reveal-people button").click()  # the sheet opens through a logged reveal
    page.get_by_role("group", name=shown).locator("input[value=yes]").check()
    page.locator("main form button[type=submit]:not([name=reveal])").click()
    page.locator("#reveal-people button").click()  # and so does the list of who registered
    expect(page.locator("section[aria-labelledby=people-heading] tbody")).to_contain_text(
        translated("nb", "yes")
    )

    # ... adds a follow-up action
    page.locator("main a[href$='/actions/new/']").click()
    page.locator("#id_title").fill("Sende invitasjon til neste treff")
    page.locator("#id_owner").select_option(label=str(cast.coordinator))
    page.locator("#id_due_on").fill((when + dt.timedelta(days=7)).isoformat())
    page.locator("main form button[type=submit]").click()
    expect(page.locator("section[aria-labelledby=actions-heading]")).to_contain_text(
        "Sende invitasjon til neste treff"
    )

    # ... switches to Swedish and searches for the activity
    switch_language(page, "sv")
    page.locator("#site-search").fill("Sommertreff")
    page.locator("#site-search").press("Enter")
    page.locator(".search-results a", has_text=title).click()

    # then
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("h1")).to_have_text(title)
    swedish_nav = page.get_by_role("navigation", name=translated("sv", "Programme"))
    expect(swedish_nav.locator("a[href$='/activities/']")).to_have_text(
        translated("sv", "Activities")
    )
    activity = Activity.objects.get(title=title)
    registration = Registration.objects.get(activity=activity, user=cast.participant)
    assert registration.attended is True
    assert Action.objects.filter(activity=activity, owner=cast.coordinator).count() == 1
    cast.coordinator.refresh_from_db()
    assert cast.coordinator.language == "sv"


@pytest.mark.browser
def test_after_switching_to_swedish_the_navigation_reads_aktiviteter(
    page: Page, cast: Cast
) -> None:
    # given
    if not SWEDISH_CATALOGUE.exists():
        pytest.skip("the Swedish catalogue is not compiled yet; run make messages")
    sign_in(page, cast.coordinator)
    page.goto(f"/p/{cast.programme.slug}/")
    # when
    switch_language(page, "sv")
    # then
    nav = page.locator("nav.programme-nav")
    expect(nav.locator("a[href$='/activities/']")).to_have_text("Aktiviteter")
    expect(nav.locator("a[href$='/subprojects/']")).to_have_text("Delprojekt")
