"""axe-core finds no WCAG 2.1 A or AA violation on any page, in any language.

TOUR is checked against the URL resolver: a URL pattern that answers GET must be visited here
or be in NOT_PAGES with the reason, or the suite fails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice
from playwright.sync_api import BrowserContext, Page, expect

from samvirke.accounts.models import User
from samvirke.accounts.services import sign_in_link_url
from samvirke.activities.models import Action
from samvirke.audit.actor import Actor
from samvirke.mapping.models import ImportBatch, Skill
from samvirke.mapping.skills import sync_skills
from samvirke.participants.models import ConfirmationRoute, Participant, SignInConfirmation
from samvirke.participants.services import give_consent
from samvirke.programmes.models import Goal, Indicator, Milestone
from tests.browser.conftest import Workspace
from tests.browser.support import (
    LANGUAGES,
    PHONE,
    axe_violations,
    browser_in,
    check_page,
    seed_consent_texts,
    sign_in,
)
from tests.factories import (
    ParticipantFactory,
    confirmed_totp,
)
from tests.web.routes import ROUTES, Scene, Visit, names_answering

RECOVERY_CODE = "k3y8m2q7w4"


def _tour() -> list[tuple[str, Visit]]:
    """The route table's visits, the signed-out visitor's first: a valid sign-in link signs the
    visitor's browser in, which would turn the later visitor pages into redirects."""
    visits = [(name, visit) for name, route in ROUTES.items() for visit in route.tour]
    return sorted(visits, key=lambda pair: pair[1].who != "visitor")


TOUR: list[tuple[str, Visit]] = _tour()

# URL patterns that answer GET with something other than a page of their own.
NOT_PAGES = {name: route.not_page for name, route in ROUTES.items() if route.not_page}


def test_every_page_is_in_the_accessibility_tour_or_excluded_with_a_reason() -> None:
    # given
    pages = names_answering("GET")
    # when
    listed = {name for name, _ in TOUR} | set(NOT_PAGES)
    # then
    assert pages - listed == set(), "visit these in TOUR, or say in NOT_PAGES why not"
    assert listed - pages == set(), "these no longer answer GET (or no longer exist)"


@dataclass
class Records:
    """What the pages show beyond the workspace: a participant's own record and a recovery code."""

    participant: Participant
    import_batch: ImportBatch

    @classmethod
    def make(cls, workspace: Workspace) -> Records:
        cast = workspace.cast
        seed_consent_texts()
        sync_skills(Skill)  # what migration mapping/0003 loads; the live database is emptied
        record = ParticipantFactory(
            programme=cast.programme, account=cast.participant, subprojects=[cast.subproject]
        )
        record.guides.set([cast.guide])
        give_consent(
            actor=Actor.of_user(cast.coordinator),
            participant=record,
            purpose="research",
            method="paper",
        )
        # A new sign-in address waiting for the participant's code: the record's page shows
        # the code form and, to the coordinator, the colleague's approval.
        SignInConfirmation.objects.create(
            participant=record,
            address="",
            route=ConfirmationRoute.PREVIOUS_ADDRESS,
            requested_by=cast.guide,
            expires_at=timezone.now() + dt.timedelta(days=1),
        )
        confirmed_totp(cast.coordinator)
        backup = StaticDevice.objects.create(user=cast.coordinator, name="backup", confirmed=True)
        backup.token_set.create(token=RECOVERY_CODE)
        batch = ImportBatch.objects.create(
            programme=cast.programme,
            subproject=cast.subproject,
            uploaded_by=cast.coordinator,
            country="NO",
            filename="medlemmer.csv",
            content="medlemsnummer;navn;fødselsår;yrke\n17;Kari Prøve;1980;kokk\n".encode(),
        )
        return cls(participant=record, import_batch=batch)


def password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:password_set", args=[uid, default_token_generator.make_token(user)])


class TourScene(Scene):
    """The route table's objects, but the workspace's where the tour shows pages full of them."""

    def __init__(self, workspace: Workspace, records: Records) -> None:
        super().__init__(workspace.cast)
        self.workspace = workspace
        self.record = records.participant
        self.import_batch = records.import_batch

    @property
    def venture_starter(self) -> Any:
        return self.cast.coordinator

    def kind_goal(self, name: str) -> list[object]:
        return [self.slug, Goal.objects.get(programme=self.programme).pk]

    def kind_indicator(self, name: str) -> list[object]:
        return [self.slug, Indicator.objects.get(goal__programme=self.programme).pk]

    def kind_milestone(self, name: str) -> list[object]:
        return [self.slug, Milestone.objects.get(programme=self.programme).pk]

    def kind_activity(self, name: str) -> list[object]:
        return [self.slug, self.workspace.activity.public_id]

    def kind_open_activity(self, name: str) -> list[object]:
        return [self.slug, self.workspace.open_activity.public_id]

    def kind_action(self, name: str) -> list[object]:
        return [self.slug, Action.objects.get(activity=self.workspace.activity).pk]

    def kind_import_batch(self, name: str) -> list[object]:
        return [self.slug, self.import_batch.public_id]

    def kind_password_link(self, name: str) -> str:
        return password_link(User.objects.get(pk=self.cast.participant.pk))

    def kind_sign_in_link(self, name: str) -> str:
        owner = User.objects.get(pk=self.cast.participant.pk)
        return sign_in_link_url(user=owner, base_url="")


def address(name: str, visit: Visit, scene: TourScene) -> str:
    """Built when visited: a password or sign-in link is spoilt by its owner signing in."""
    route = ROUTES[name]
    query = route.query if visit.query is None else visit.query
    return scene.url(name, visit.kind or route.kind, query)


def check_named_page(page: Page, name: str, who: str, url: str, failures: list[str]) -> None:
    """Like ``check_page``, and the page shown must be the one named (not, say, the login)."""
    response = page.goto(url)
    shown = resolve(urlsplit(page.url).path).view_name
    label = f"{name} as {who} ({url})"
    if response is None or response.status != 200 or shown != name:
        got = f"HTTP {response.status if response else '?'} from {shown}"
        failures.append(f"{label}: expected HTTP 200 from {name}, got {got}")
        return
    failures.extend(f"{label}: {line}" for line in axe_violations(page))


def pass_second_factor(page: Page) -> None:
    page.goto(reverse("accounts:two_factor_verify"))
    page.locator("#id_token").fill(RECOVERY_CODE)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(reverse("accounts:two_factor_verify"))


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_no_accessibility_violations(
    language: str,
    workspace: Workspace,
    new_context: Callable[..., BrowserContext],
    live_server: Any,
) -> None:
    # given
    cast = workspace.cast
    records = Records.make(workspace)
    visitor = new_context(**PHONE)
    visitor.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    browsers = {
        "visitor": visitor.new_page(),
        "coordinator": browser_in(language, cast.coordinator, new_context, live_server.url),
        "participant": browser_in(language, cast.participant, new_context, live_server.url),
    }
    failures: list[str] = []
    # when
    check_page(browsers["coordinator"], "login page", reverse("accounts:login"), 200, failures)
    for who in ("coordinator", "participant"):
        sign_in(browsers[who], cast.user(who))
    scene = TourScene(workspace, records)
    for name, visit in TOUR:
        url = address(name, visit, scene)
        check_named_page(browsers[visit.who], name, visit.who, url, failures)
    coordinator, participant = browsers["coordinator"], browsers["participant"]
    check_page(coordinator, "404 page", f"/p/{workspace.slug}/no-such-page/", 404, failures)
    check_page(participant, "403 page", f"/p/{workspace.slug}/partners/", 403, failures)
    pass_second_factor(coordinator)
    coordinator.goto(reverse("accounts:profile"))
    coordinator.locator(f"main form[action='{reverse('accounts:recovery_codes')}'] button").click()
    expect(coordinator.locator("#recovery-codes li").first).to_be_visible()
    failures.extend(f"recovery codes: {line}" for line in axe_violations(coordinator))
    shown_in = {each.locator("html").get_attribute("lang") for each in browsers.values()}
    # then
    assert shown_in == {language}
    assert not failures, f"Accessibility problems in {language}:\n" + "\n".join(failures)
