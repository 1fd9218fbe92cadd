"""Everything a coordinator does daily works without a mouse, and the focus is always visible."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from samvirke.activities.models import Action, Activity, ActivityType, Decision, Registration
from samvirke.programmes.models import PartnerRole, Partnership
from tests.browser.conftest import Workspace
from tests.browser.support import (
    sign_in,
    tab_to,
    tab_visibly_to,
    translated,
    type_datetime_local,
)
from tests.factories import PASSWORD, OrganisationFactory, RegistrationFactory

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


def open_activity_page(page: Page, workspace: Workspace) -> None:
    sign_in(page, workspace.cast.coordinator)
    page.goto(workspace.activity.get_absolute_url())


@pytest.mark.browser
def test_a_person_signs_in_with_the_keyboard_alone_and_corrects_a_typo_on_the_way(
    page: Page, workspace: Workspace
) -> None:
    # given
    coordinator = workspace.cast.coordinator
    page.goto("/accounts/login/")
    # when
    tab_visibly_to(page, "#id_username")
    page.keyboard.type("coordinator@exmaple.test")
    tab_visibly_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    tab_visibly_to(page, "#id_username", backwards=True)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(coordinator.email)
    tab_visibly_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    # then
    expect(page.locator("main")).to_contain_text(workspace.cast.programme.name_nb)
    expect(page.locator("header form[action$='/logout/'] button")).to_have_text(
        translated("nb", "Sign out")
    )


@pytest.mark.browser
def test_coordinator_records_attendance_with_the_arrow_keys_in_each_radio_group(
    page: Page, workspace: Workspace
) -> None:
    # given
    cast = workspace.cast
    present = Registration.objects.get(activity=workspace.activity, user=cast.participant)
    absent = RegistrationFactory(activity=workspace.activity, user=cast.user_rep)
    open_activity_page(page, workspace)
    # when
    tab_visibly_to(page, "main a[href$='/attendance/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/attendance/$"))
    tab_visibly_to(page, "#reveal-people button")  # the sheet opens through a logged reveal
    page.keyboard.press("Enter")
    expect(page.locator(f"input[name='attended-{present.pk}']:checked")).to_be_visible()
    tab_visibly_to(page, f"input[name='attended-{present.pk}']:checked")
    page.keyboard.press("ArrowUp")  # from "not recorded" to "absent"
    page.keyboard.press("ArrowUp")  # and on to "present"
    tab_visibly_to(page, f"input[name='attended-{absent.pk}']:checked")
    page.keyboard.press("ArrowUp")
    tab_visibly_to(page, "main form button[type=submit]:not([name=reveal])")
    page.keyboard.press("Space")
    # then
    saved = translated("nb", "Attendance is saved (%(count)s changed).") % {"count": 2}
    expect(page.locator("body")).to_contain_text(saved)
    tab_visibly_to(page, "#reveal-people button")
    page.keyboard.press("Enter")
    expect(page.locator("#reveal-people")).to_have_count(0)
    people = page.locator("section[aria-labelledby=people-heading] tbody")
    yes, no = translated("nb", "yes"), translated("nb", "no")
    # The participant is named by a neutral label, never by name (issue #8).
    shown = translated("nb", "participant account %(number)s") % {"number": cast.participant.pk}
    expect(people.locator("tr", has_text=shown)).to_contain_text(yes)
    expect(people.locator("tr", has_text=cast.user_rep.full_name)).to_contain_text(no)
    present.refresh_from_db()
    absent.refresh_from_db()
    assert (present.attended, absent.attended) == (True, False)


@pytest.mark.browser
def test_coordinator_adds_a_follow_up_action_with_the_keyboard_alone(
    page: Page, workspace: Workspace
) -> None:
    # given
    cast = workspace.cast
    open_activity_page(page, workspace)
    # when
    tab_visibly_to(page, "main a[href$='/actions/new/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/actions/new/$"))
    tab_visibly_to(page, "#id_title")
    page.keyboard.type("Bestille lokale til neste samling")
    tab_visibly_to(page, "#id_owner")
    page.keyboard.type(cast.contact.full_name[:7])
    tab_visibly_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    # then
    actions = page.locator("section[aria-labelledby=actions-heading]")
    expect(actions).to_contain_text("Bestille lokale til neste samling")
    expect(actions.locator("li", has_text="Bestille lokale")).to_contain_text(
        cast.contact.full_name
    )
    action = Action.objects.get(title="Bestille lokale til neste samling")
    assert (action.activity, action.owner) == (workspace.activity, cast.contact)


@pytest.mark.browser
def test_coordinator_records_a_decision_with_the_keyboard_alone(
    page: Page, workspace: Workspace
) -> None:
    # given
    open_activity_page(page, workspace)
    # when
    tab_visibly_to(page, "section[aria-labelledby=decisions-heading] textarea")
    page.keyboard.type("Brukerrådet inviteres til neste samling.")
    tab_visibly_to(page, "section[aria-labelledby=decisions-heading] button[type=submit]")
    page.keyboard.press("Enter")
    # then
    decisions = page.locator("section[aria-labelledby=decisions-heading] ul")
    expect(decisions).to_contain_text("Brukerrådet inviteres til neste samling.")
    expect(page.locator("body")).to_contain_text(translated("nb", "The decision is recorded."))
    assert Decision.objects.filter(
        activity=workspace.activity, text="Brukerrådet inviteres til neste samling."
    ).exists()


@pytest.mark.browser
def test_coordinator_adds_a_partner_with_the_keyboard_alone(
    page: Page, workspace: Workspace
) -> None:
    # given
    OrganisationFactory(name="Kirkens Bymisjon Trondheim")
    role = translated("nb", str(PartnerRole.VOLUNTARY_COLLABORATOR.label))
    sign_in(page, workspace.cast.coordinator)
    page.goto(f"/p/{workspace.slug}/partners/")
    # when
    tab_visibly_to(page, "main a[href$='/partners/add/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/partners/add/$"))
    tab_visibly_to(page, "#id_organisation")
    page.keyboard.type("Kirkens")
    tab_visibly_to(page, "#id_role")
    page.keyboard.type(role[:6])
    tab_visibly_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    # then
    row = page.locator("main tr", has_text="Kirkens Bymisjon Trondheim")
    expect(row).to_contain_text(role)
    partnership = Partnership.objects.get(organisation__name="Kirkens Bymisjon Trondheim")
    assert (partnership.programme, partnership.role) == (
        workspace.cast.programme,
        PartnerRole.VOLUNTARY_COLLABORATOR,
    )
