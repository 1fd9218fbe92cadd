"""One headless Chromium for the whole run, a fresh browser context per test, a live server.

Playwright's sync API runs an event loop in the test's thread, so Django would refuse the ORM
calls the tests make there; DJANGO_ALLOW_ASYNC_UNSAFE lifts that (the server runs in its own
thread and never sees the loop).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright  # noqa: E402

from samvirke.activities.models import Action, Activity, Decision  # noqa: E402
from samvirke.activities.services import index_activity  # noqa: E402
from samvirke.programmes.services import index_subproject  # noqa: E402
from tests.browser.support import CHROMIUM_ARGS, NO_CHROMIUM, chromium_executable  # noqa: E402
from tests.conftest import Cast  # noqa: E402
from tests.factories import (  # noqa: E402
    ActionFactory,
    ActivityFactory,
    GoalFactory,
    IndicatorFactory,
    MilestoneFactory,
    ProjectGroupMemberFactory,
    RegistrationFactory,
)

expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last, so Playwright's event loop never overlaps another test."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_executable()
    if executable is None:
        pytest.skip(NO_CHROMIUM)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _second_factor_off(settings: Any) -> None:
    """Staff sign in with the password alone; the two-factor test switches it back on."""
    settings.REQUIRE_2FA = False


@pytest.fixture
def new_context(browser: Browser, live_server: Any) -> Iterator[Callable[..., BrowserContext]]:
    """Make browser contexts aimed at the live server.

    A Content-Security-Policy violation or an uncaught JavaScript error in any of them fails the
    test when it ends: the pages must work under the CSP as served.
    """
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def watch(message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"{message.location.get('url', '?')}: {message.text}")

    def make(**options: Any) -> BrowserContext:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        options.setdefault("locale", "nb-NO")
        options.setdefault("timezone_id", "Europe/Oslo")
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        context.on("console", watch)
        context.on("weberror", lambda error: problems.append(f"JavaScript error: {error.error}"))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems))


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()


@dataclass
class Workspace:
    """The cast's programme with something on every page."""

    cast: Cast
    activity: Activity  # staff only, in the cast's subproject; the participant is registered
    open_activity: Activity  # open to participants, nobody registered

    @property
    def slug(self) -> str:
        return self.cast.programme.slug

    def coordinator_tour(self) -> list[tuple[str, str, int]]:
        """(page, address, expected HTTP status) for every page a coordinator works in."""
        p = f"/p/{self.slug}"
        activity = f"{p}/activities/{self.activity.public_id}"
        action = Action.objects.get(activity=self.activity)
        return [
            ("dashboard", f"{p}/", 200),
            ("partners", f"{p}/partners/", 200),
            ("subprojects", f"{p}/subprojects/", 200),
            ("subproject detail", f"{p}/subprojects/{self.cast.subproject.pk}/", 200),
            ("project group", f"{p}/project-group/", 200),
            ("goals", f"{p}/goals/", 200),
            ("people and roles", f"{p}/members/", 200),
            ("audit log", f"{p}/audit/", 200),
            ("search with a query", f"{p}/search/?q=Stj%C3%B8rdal", 200),
            ("calendar settings", f"{p}/calendar/", 200),
            ("activity list", f"{p}/activities/", 200),
            ("activity detail", f"{activity}/", 200),
            ("new-activity form", f"{p}/activities/new/", 200),
            ("attendance", f"{activity}/attendance/", 200),
            ("actions list", f"{p}/actions/", 200),
            ("activity edit form", f"{activity}/edit/", 200),
            ("action edit form", f"{p}/actions/{action.pk}/edit/", 200),
            ("profile", "/accounts/profile/", 200),
            ("404 page", f"{p}/no-such-page/", 404),
        ]


@pytest.fixture
def workspace(cast: Cast, live_server: Any) -> Workspace:
    programme = cast.programme
    goal = GoalFactory(programme=programme, text_nb="Flere i arbeid gjennom entreprenørskap")
    IndicatorFactory(goal=goal, subproject=cast.subproject, target=60, current=47)
    MilestoneFactory(programme=programme)
    ProjectGroupMemberFactory(programme=programme, user=cast.coordinator)
    ProjectGroupMemberFactory(programme=programme, user=cast.contact, subproject=cast.subproject)
    activity = ActivityFactory(
        programme=programme,
        title="Nettverkssamling i Stjørdal",
        place="Stjørdal rådhus",
        agenda="1. Velkommen\n2. Nytt fra delprosjektene",
        subprojects=[cast.subproject],
    )
    RegistrationFactory(activity=activity, user=cast.participant)
    Decision.objects.create(activity=activity, text="Neste samling holdes i Östersund.")
    ActionFactory(
        programme=programme,
        activity=activity,
        subproject=cast.subproject,
        owner=cast.coordinator,
        title="Sende ut referat",
    )
    open_activity = ActivityFactory(
        programme=programme,
        title="Åpent brukertreff på Kirkens hus",
        place="Kirkens hus, Stjørdal",
        open_to_participants=True,
        capacity=20,
    )
    for each in (activity, open_activity):
        index_activity(each)
    for subproject in (cast.subproject, cast.other_subproject):
        index_subproject(subproject)
    return Workspace(cast=cast, activity=activity, open_activity=open_activity)
