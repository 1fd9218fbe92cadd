from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast, sign_in
from tests.mapping.factories import OccupationFactory, OccupationTitleFactory, SsykGroupFactory

URL = "/occupations/search/"


def cooks_in_both_countries() -> None:
    cooks = OccupationFactory(
        code="5120",
        label_en="Cooks",
        label_nb="Kokker",
        label_sv="Kockar och kallskänkor",
        styrk_label="Kokker",
    )
    cooks.ssyk_groups.set([SsykGroupFactory(code="5120", label_sv="Kockar och kallskänkor")])
    OccupationTitleFactory(language="nb", title="kokk", occupation=cooks)
    OccupationTitleFactory(language="sv", title="kock", occupation=cooks)


def in_language(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_the_search_has_its_address() -> None:
    assert reverse("mapping:occupation_search") == URL


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_sign_in() -> None:
    # when
    response = Client().get(URL, {"q": "kokk"})
    # then
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["participant", "guide", "outsider"])
def test_any_signed_in_user_gets_options(cast: Cast, role: str) -> None:
    # given
    cooks_in_both_countries()
    client = in_language(sign_in(Client(), cast.user(role)), "nb")
    # when
    response = client.get(URL, {"q": "kokk"})
    # then
    assert response.status_code == 200
    assert response.templates[0].name == "mapping/_occupation_options.html"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_a_norwegian_user_sees_the_norwegian_label_and_the_swedish_one_beside_it(
    cast: Cast,
) -> None:
    # given
    cooks_in_both_countries()
    client = in_language(sign_in(Client(), cast.participant), "nb")
    # when
    html = client.get(URL, {"q": "kok"}).content.decode()
    # then
    assert '<button type="button" class="occupation-option" data-code="5120"' in html
    assert "Kokker" in html
    assert "5120 Kockar och kallskänkor" in html
    assert "STYRK-08" not in html


@pytest.mark.django_db
def test_a_swedish_user_sees_the_swedish_label_and_the_norwegian_one_beside_it(
    cast: Cast,
) -> None:
    # given
    cooks_in_both_countries()
    client = in_language(sign_in(Client(), cast.participant), "sv")
    # when
    response = client.get(URL, {"q": "kock"})
    # then
    assert [m.label for m in response.context["matches"]] == ["Kockar och kallskänkor"]
    html = response.content.decode()
    assert "Kokker" in html
    assert "SSYK 2012" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "k", " k "])
def test_a_query_shorter_than_two_characters_gives_an_empty_list(cast: Cast, query: str) -> None:
    # given
    cooks_in_both_countries()
    client = sign_in(Client(), cast.participant)
    # when
    response = client.get(URL, {"q": query})
    # then
    assert response.status_code == 200
    assert response.context["matches"] == []
    assert "occupation-option" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "kokk\x00",
        "\x00" * 50,
        "k" * 100_000,
        "kokk " * 5_000,
        "<script>",
        "%' OR 1=1 --",
        "\u0430\u0301" * 200,
    ],
)
def test_junk_never_breaks_the_search(cast: Cast, query: str) -> None:
    # given
    cooks_in_both_countries()
    client = sign_in(Client(), cast.participant)
    # when
    response = client.get(URL, {"q": query})
    # then
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("query_string", ["q=%FF%FE%00", "q=%ED%A0%80kokk", "q=kokk&q=kock", "x=1"])
def test_malformed_query_strings_never_break_the_search(cast: Cast, query_string: str) -> None:
    # given
    cooks_in_both_countries()
    client = sign_in(Client(), cast.participant)
    # when
    response = client.get(f"{URL}?{query_string}")
    # then
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_search_only_answers_get(cast: Cast) -> None:
    client = sign_in(Client(), cast.participant)
    assert client.post(URL, {"q": "kokk"}).status_code == 405
