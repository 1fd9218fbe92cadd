"""The programme navigation (samvirke.web.navigation): each role's links all open, the
section of the page is marked, and a participant's bar is their own."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from samvirke.web.navigation import SECTIONS
from tests.conftest import ROLE_ATTRS, Cast
from tests.factories import MeasureFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
ROLES = [role for role in ROLE_ATTRS if role != "outsider"]


def _english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def _links(html: str) -> list[tuple[str, str, str]]:
    """(address, aria-current, label) of each link in the programme navigation."""
    nav = html.split('class="programme-nav"', 1)[1].split("</ul>", 1)[0]
    return [
        (href, current, label)
        for href, current, label in re.findall(
            r'<li><a href="([^"]+)"(?: aria-current="(\w+)")?>([^<]+)</a></li>', nav
        )
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_link_a_role_is_shown_opens_for_it(cast: Cast, client_for: object, role: str) -> None:
    ParticipantFactory(programme=cast.programme, account=cast.participant)  # their own record
    client: Client = client_for(role)  # type: ignore[operator]
    links = _links(client.get(_dashboard(cast)).content.decode())
    assert links, role
    for href, _current, label in links:
        assert client.get(href).status_code == 200, (role, label, href)


def _bar(client: Client, url: str) -> tuple[dict[str, str], bool]:
    """The bar on the page at ``url``: label → its aria-current ("" when not current), in the
    bar's order, and whether the page has the programme search."""
    html = client.get(url).content.decode()
    return {label: current for _href, current, label in _links(html)}, 'role="search"' in html


def _dashboard(cast: Cast) -> str:
    return reverse("programmes:dashboard", args=[cast.programme.slug])


def test_a_participant_has_their_own_page_and_no_workspace_sections(
    cast: Cast, client_for: object
) -> None:
    bar, search = _bar(_english(client_for("participant")), _dashboard(cast))  # type: ignore[operator]
    assert next(iter(bar)) == "My page"
    assert "My questionnaires" in bar
    assert not {"Overview", "Measures", "Audit log", "Participants"} & set(bar)
    assert not search


def test_a_user_representative_sees_the_workspace_but_not_the_managers_pages(
    cast: Cast, client_for: object
) -> None:
    bar, search = _bar(_english(client_for("user_rep")), _dashboard(cast))  # type: ignore[operator]
    assert next(iter(bar)) == "Overview"
    assert "Measures" in bar
    assert "Audit log" not in bar
    assert search


def test_the_section_of_the_page_is_marked_and_a_page_below_it_too(
    cast: Cast, client_for: object
) -> None:
    client: Client = _english(client_for("leader"))  # type: ignore[operator]
    measure = MeasureFactory(programme=cast.programme, subproject=cast.subproject)
    on_catalogue, _ = _bar(client, reverse("measures:measures", args=[cast.programme.slug]))
    on_measure, _ = _bar(client, measure.get_absolute_url())
    assert on_catalogue["Measures"] == "page"
    assert on_measure["Measures"] == "true"
    assert [label for label, current in on_measure.items() if current] == ["Measures"]


def test_a_single_page_is_not_marked_below_its_address(cast: Cast, client_for: object) -> None:
    client: Client = _english(client_for("leader"))  # type: ignore[operator]
    assert any(s.url_name == "programmes:goals" and not s.holds_pages_below for s in SECTIONS)
    on_goals, _ = _bar(client, reverse("programmes:goals", args=[cast.programme.slug]))
    assert [label for label, current in on_goals.items() if current] == ["Goals"]
    assert on_goals["Overview"] == ""  # the dashboard's address is a prefix of every page's
