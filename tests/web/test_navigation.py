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
    dashboard = reverse("programmes:dashboard", args=[cast.programme.slug])
    links = _links(client.get(dashboard).content.decode())
    assert links, role
    for href, _current, label in links:
        assert client.get(href).status_code == 200, (role, label, href)


def test_a_participant_has_their_own_page_and_no_workspace_sections(
    cast: Cast, client_for: object
) -> None:
    client: Client = _english(client_for("participant"))  # type: ignore[operator]
    html = client.get(reverse("programmes:dashboard", args=[cast.programme.slug])).content
    labels = [label for _href, _current, label in _links(html.decode())]
    assert labels[0] == "My page"
    assert "My questionnaires" in labels
    assert not {"Overview", "Measures", "Audit log", "Participants"} & set(labels)
    assert b'role="search"' not in html


def test_a_user_representative_sees_the_workspace_but_not_the_managers_pages(
    cast: Cast, client_for: object
) -> None:
    client: Client = _english(client_for("user_rep"))  # type: ignore[operator]
    html = client.get(reverse("programmes:dashboard", args=[cast.programme.slug])).content
    labels = [label for _href, _current, label in _links(html.decode())]
    assert labels[0] == "Overview"
    assert "Measures" in labels
    assert "Audit log" not in labels
    assert b'role="search"' in html


def test_the_section_of_the_page_is_marked_and_a_page_below_it_too(
    cast: Cast, client_for: object
) -> None:
    client: Client = _english(client_for("leader"))  # type: ignore[operator]
    catalogue = reverse("measures:measures", args=[cast.programme.slug])
    measure = MeasureFactory(programme=cast.programme, subproject=cast.subproject)
    on_catalogue = dict(
        (label, current) for _h, current, label in _links(client.get(catalogue).content.decode())
    )
    on_measure = dict(
        (label, current)
        for _h, current, label in _links(client.get(measure.get_absolute_url()).content.decode())
    )
    assert on_catalogue["Measures"] == "page"
    assert on_measure["Measures"] == "true"
    assert [label for label, current in on_measure.items() if current] == ["Measures"]


def test_a_single_page_is_not_marked_below_its_address(cast: Cast, client_for: object) -> None:
    client: Client = _english(client_for("leader"))  # type: ignore[operator]
    goals = reverse("programmes:goals", args=[cast.programme.slug])
    assert any(s.url_name == "programmes:goals" and not s.holds_pages_below for s in SECTIONS)
    links = _links(client.get(goals).content.decode())
    assert [label for _h, current, label in links if current] == ["Goals"]
    overview = dict((label, current) for _h, current, label in links)["Overview"]
    assert overview == ""  # the dashboard's address is a prefix of every page's
