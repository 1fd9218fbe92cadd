from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from samvirke.activities.models import Activity
from samvirke.activities.services import save_activity
from samvirke.audit.actor import Actor
from samvirke.audit.services import Change
from tests.conftest import Cast, sign_in
from tests.factories import ActivityFactory


def saved(activity: Activity, actor) -> Activity:  # type: ignore[no-untyped-def]
    return save_activity(actor=Actor.of_user(actor), change=Change(activity, fields=["minutes"]))


def hits(client: Client, cast: Cast, query: str) -> list[str]:
    response = client.get(reverse("programmes:search", args=[cast.programme.slug]), {"q": query})
    return [entry.title for entry in response.context["results"]]


@pytest.mark.django_db
def test_search_finds_an_activity_by_a_word_in_its_minutes(cast: Cast) -> None:
    # given
    activity = ActivityFactory(
        programme=cast.programme,
        title="Nettverkssamling 3",
        minutes="Vi diskuterte kartlegging av medlemmene.",
    )
    saved(activity, cast.coordinator)
    client = sign_in(Client(), cast.coordinator)
    # then
    assert hits(client, cast, "kartlegging") == ["Nettverkssamling 3"]


@pytest.mark.django_db
def test_search_finds_swedish_text(cast: Cast) -> None:
    activity = ActivityFactory(
        programme=cast.programme,
        title="Nätverksträff",
        minutes="Vi pratade om kartläggning och arbetsträning.",
    )
    saved(activity, cast.coordinator)
    client = sign_in(Client(), cast.coordinator)
    assert hits(client, cast, "arbetsträning") == ["Nätverksträff"]


@pytest.mark.django_db
def test_search_never_shows_another_programmes_content(cast: Cast) -> None:
    activity = ActivityFactory(
        programme=cast.other_programme, title="Hemmelig", minutes="kartlegging"
    )
    saved(activity, cast.outsider)
    client = sign_in(Client(), cast.coordinator)
    assert hits(client, cast, "kartlegging") == []


@pytest.mark.django_db
def test_an_empty_search_shows_no_results_and_no_error(cast: Cast) -> None:
    client = sign_in(Client(), cast.coordinator)
    response = client.get(reverse("programmes:search", args=[cast.programme.slug]), {"q": "  "})
    assert response.status_code == 200
    assert response.context["results"] is None


@pytest.mark.django_db
def test_search_survives_query_syntax_characters(cast: Cast) -> None:
    client = sign_in(Client(), cast.coordinator)
    for query in ["&|!():*", "'\"", "a & ! b", "-", "\\"]:
        response = client.get(
            reverse("programmes:search", args=[cast.programme.slug]), {"q": query}
        )
        assert response.status_code == 200


def on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Stemming and GIN indexes are PostgreSQL features; SQLite matches words")


@pytest.mark.django_db
def test_on_postgresql_a_norwegian_inflection_finds_the_word(cast: Cast) -> None:
    on_postgresql()
    activity = ActivityFactory(
        programme=cast.programme, title="Brukertreff", minutes="Vi planla flere kartlegginger."
    )
    saved(activity, cast.coordinator)
    client = sign_in(Client(), cast.coordinator)
    assert hits(client, cast, "kartlegging") == ["Brukertreff"]


@pytest.mark.django_db
def test_on_postgresql_a_swedish_inflection_finds_the_word(cast: Cast) -> None:
    on_postgresql()
    activity = ActivityFactory(
        programme=cast.programme, title="Studiebesök", minutes="Vi pratade om brukarträffarna."
    )
    saved(activity, cast.coordinator)
    client = sign_in(Client(), cast.coordinator)
    assert hits(client, cast, "brukarträff") == ["Studiebesök"]


@pytest.mark.django_db
def test_on_postgresql_each_language_has_its_gin_index() -> None:
    on_postgresql()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'programmes_searchentry'"
        )
        indexes = dict(cursor.fetchall())
    for config in ("norwegian", "swedish", "simple"):
        assert "USING gin" in indexes[f"search_entry_{config}_gin"]
        assert f"'{config}'::regconfig" in indexes[f"search_entry_{config}_gin"]
