from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast, sign_in


@pytest.mark.django_db
def test_switching_language_is_remembered_on_the_account(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.coordinator)
    # when
    client.post(reverse("accounts:set_language"), {"language": "sv", "next": "/"})
    # then
    cast.coordinator.refresh_from_db()
    assert cast.coordinator.language == "sv"
    page = client.get(reverse("activities:list", args=[cast.programme.slug]))
    assert '<html lang="sv">' in page.content.decode()


@pytest.mark.django_db
def test_an_unknown_language_changes_nothing(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.coordinator)
    # when
    client.post(reverse("accounts:set_language"), {"language": "xx", "next": "/"})
    # then
    cast.coordinator.refresh_from_db()
    assert cast.coordinator.language == "nb"


@pytest.mark.django_db
def test_profile_keeps_the_chosen_time_zone(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.guide)
    # when
    client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Guide Example",
            "phone": "",
            "language": "sv",
            "time_zone": "Europe/Stockholm",
        },
    )
    # then
    cast.guide.refresh_from_db()
    assert cast.guide.time_zone == "Europe/Stockholm"


@pytest.mark.django_db
def test_profile_rejects_an_unknown_time_zone_and_saves_nothing(cast: Cast) -> None:
    # given
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.guide)
    # when
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Changed", "language": "nb", "time_zone": "Mars/Olympus"},
    )
    # then
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    cast.guide.refresh_from_db()
    assert cast.guide.full_name != "Changed"
