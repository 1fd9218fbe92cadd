"""Case-insensitive matching of Æ Ø Å Ä Ö, which SQLite's LIKE folds for ASCII only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from samvirke.programmes.search import index_entry, search_entries
from tests.conftest import Cast, sign_in
from tests.factories import ActivityFactory


@pytest.fixture
def indexed(cast: Cast) -> None:
    index_entry(
        programme=cast.programme,
        obj=cast.subproject,
        kind="subproject",
        title="Arbeidsplasser i Østersund",
        body="",
        url="/",
    )
    index_entry(
        programme=cast.programme,
        obj=cast.other_subproject,
        kind="subproject",
        title="Mötesplats",
        body="Brukarträff i Östersund",
        url="/",
    )


def titles(cast: Cast, query: str) -> list[str]:
    return [e.title for e in search_entries(cast.programme, query, visibilities=set())]


@pytest.mark.django_db
@pytest.mark.usefixtures("indexed")
def test_search_finds_a_capital_o_slash_from_a_small_one(cast: Cast) -> None:
    assert titles(cast, "østersund") == ["Arbeidsplasser i Østersund"]


@pytest.mark.django_db
@pytest.mark.usefixtures("indexed")
def test_search_finds_a_small_o_umlaut_from_a_capital_one(cast: Cast) -> None:
    assert titles(cast, "ÖSTERSUND") == ["Mötesplats"]


@pytest.mark.django_db
@pytest.mark.usefixtures("indexed")
def test_search_still_needs_every_word(cast: Cast) -> None:
    assert titles(cast, "østersund bodø") == []


def listed(cast: Cast, query: str) -> list[str]:
    client = sign_in(Client(), cast.coordinator)
    response = client.get(
        reverse("activities:list", args=[cast.programme.slug]), {"q": query, "when": "all"}
    )
    return [activity.title for activity in response.context["page"].object_list]


@pytest.mark.django_db
def test_the_activity_filter_finds_a_place_whatever_the_case_of_o_slash(cast: Cast) -> None:
    # given
    ActivityFactory(programme=cast.programme, title="Nettverkssamling", place="Østersund")
    # then
    assert listed(cast, "østersund") == ["Nettverkssamling"]


@pytest.mark.django_db
def test_the_activity_filter_finds_a_title_whatever_the_case_of_o_umlaut(cast: Cast) -> None:
    # given
    ActivityFactory(programme=cast.programme, title="Brukarträff i Östersund", place="")
    # then
    assert listed(cast, "ÖSTERSUND") == ["Brukarträff i Östersund"]
