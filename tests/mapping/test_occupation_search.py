from __future__ import annotations

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samvirke.lib.fuzzy import normalise
from samvirke.mapping.models import EducationScheme, Occupation
from samvirke.mapping.selectors import (
    CANDIDATE_LIMIT,
    education_level_choices,
    search_occupations,
)
from samvirke.mapping.services import BUNDLED_DATA_DIR, import_classifications
from tests.mapping.factories import (
    EducationLevelFactory,
    OccupationFactory,
    OccupationTitleFactory,
    SsykGroupFactory,
)

# What someone types, in which language, and the ISCO-08 unit groups that are right answers.
TYPED_TITLES = [
    ("kokk", "nb", {"5120"}),
    ("programerer", "nb", {"2512"}),
    ("snekker", "nb", {"7115"}),
    ("sykepleier", "nb", {"2221"}),
    ("städare", "sv", {"9111", "9112"}),
    ("sykepleir", "nb", {"2221"}),
    ("Kokk ", "nb", {"5120"}),
    ("kock", "sv", {"5120", "3434"}),
    ("snickare", "sv", {"7115"}),
    ("carpentr", "en", {"7115"}),
    ("sofware develper", "en", {"2512"}),
    ("Software developer", "sv", {"2512"}),
    ("lastebilsjafør", "nb", {"8332"}),
]


# Titles typed in another language than the screen's: Norway and Sweden work across the border.
CROSS_BORDER_TITLES = [
    ("snekker", "sv", "7115"),
    ("kokk", "sv", "5120"),
    ("sykepleier", "sv", "2221"),
    ("lastebilsjåfør", "sv", "8332"),
    ("lastbilsförare", "nb", "8332"),
    ("snickare", "nb", "7115"),
    ("kokk", "en", "5120"),
]


@pytest.mark.django_db
def test_titles_in_any_of_the_three_languages_are_found_whatever_the_screens_language() -> None:
    # given
    import_classifications(BUNDLED_DATA_DIR)
    # when
    first = {
        (query, language): next(iter(search_occupations(query, language)), None)
        for query, language, _right in CROSS_BORDER_TITLES
    }
    # then
    wrong = {
        key: match and (match.code, match.label)
        for (key, match), (_q, _l, right) in zip(first.items(), CROSS_BORDER_TITLES, strict=True)
        if match is None or match.code != right
    }
    assert wrong == {}


@pytest.mark.django_db
def test_a_norwegian_title_typed_on_a_swedish_screen_is_labelled_in_swedish() -> None:
    # given
    import_classifications(BUNDLED_DATA_DIR)
    # when
    match = search_occupations("lastebilsjåfør", "sv")[0]
    # then
    assert (match.code, match.label) == ("8332", "Lastbilsförare")


@pytest.mark.django_db
def test_every_occupation_group_has_a_norwegian_and_a_swedish_label() -> None:
    # given
    import_classifications(BUNDLED_DATA_DIR)
    # when
    english_only = {
        language: [o.code for o in Occupation.objects.all() if o.label_for(language) == o.label_en]
        for language in ("nb", "sv")
    }
    # then
    assert english_only == {"nb": [], "sv": []}
    assert Occupation.objects.get(code="4120").label_for("nb") == "Kontormedarbeidere"


@pytest.mark.django_db
def test_typed_titles_and_typos_find_the_right_occupation_group_first() -> None:
    # given
    import_classifications(BUNDLED_DATA_DIR)
    # when
    first = {
        (query, language): next(iter(search_occupations(query, language)), None)
        for query, language, _right in TYPED_TITLES
    }
    # then
    wrong = {
        key: match and (match.code, match.label)
        for (key, match), (_q, _l, right) in zip(first.items(), TYPED_TITLES, strict=True)
        if match is None or match.code not in right
    }
    assert wrong == {}
    assert first[("kokk", "nb")].label == "Kokker"  # type: ignore[union-attr]
    assert first[("programerer", "nb")].label == "Programvareutviklere"  # type: ignore[union-attr]
    cleaners = [match.code for match in search_occupations("städare", "sv", limit=5)]
    assert {"9111", "9112"} <= set(cleaners)


@pytest.mark.django_db
def test_a_search_scores_a_bounded_number_of_titles_in_a_few_queries() -> None:
    # given
    cooks = OccupationFactory(code="5120")
    OccupationTitleFactory.create_batch(
        CANDIDATE_LIMIT + 20, title=factory.Sequence(lambda n: f"kokk {n}"), occupation=cooks
    )
    # when
    with CaptureQueriesContext(connection) as queries:
        matches = search_occupations("kokk", "nb")
    # then
    assert [match.code for match in matches] == ["5120"]
    assert len(queries) <= 4
    assert f"LIMIT {CANDIDATE_LIMIT}" in queries[0]["sql"]


@pytest.mark.django_db
def test_the_label_is_in_the_language_asked_for() -> None:
    # given
    cooks = OccupationFactory(code="5120", label_en="Cooks", label_nb="Kokker", label_sv="Kockar")
    OccupationTitleFactory(language="sv", title="kock", occupation=cooks)
    OccupationTitleFactory(language="nb", title="kokk", occupation=cooks)
    # when
    swedish = search_occupations("kock", "sv")
    norwegian = search_occupations("kokk", "nb")
    # then
    assert [(m.code, m.label, m.matched_title) for m in swedish] == [("5120", "Kockar", "kock")]
    assert [(m.code, m.label) for m in norwegian] == [("5120", "Kokker")]


@pytest.mark.django_db
def test_english_titles_are_searched_when_the_language_has_none() -> None:
    # given
    baristas = OccupationFactory(code="5132", label_en="Bartenders", label_nb="Bartendere")
    OccupationTitleFactory(language="en", title="barista", occupation=baristas)
    # when
    matches = search_occupations("barista", "sv")
    # then
    assert [(m.code, m.matched_title) for m in matches] == [("5132", "barista")]


@pytest.mark.django_db
def test_a_title_in_the_users_language_ranks_above_the_same_title_in_english() -> None:
    # given
    in_swedish = OccupationFactory(code="2641")
    in_english = OccupationFactory(code="2642")
    OccupationTitleFactory(language="sv", title="journalist", occupation=in_swedish)
    OccupationTitleFactory(language="en", title="journalist", occupation=in_english)
    # when
    codes = [match.code for match in search_occupations("journalist", "sv")]
    # then
    assert codes == ["2641", "2642"]


@pytest.mark.django_db
def test_a_missing_norwegian_label_falls_back_to_english() -> None:
    # given
    group = OccupationFactory(
        code="1113", label_en="Traditional chiefs", label_nb="", styrk_label=""
    )
    OccupationTitleFactory(language="nb", title="høvding", occupation=group)
    # when
    matches = search_occupations("høvding", "nb")
    # then
    assert [m.label for m in matches] == ["Traditional chiefs"]


@pytest.mark.django_db
def test_each_group_appears_once_with_its_best_title() -> None:
    # given
    cooks = OccupationFactory(code="5120")
    OccupationTitleFactory(language="nb", title="kokk", occupation=cooks)
    OccupationTitleFactory(language="nb", title="institusjonskokk", occupation=cooks)
    OccupationTitleFactory(
        language="nb", title="sjefskokk", occupation=OccupationFactory(code="3434")
    )
    # when
    matches = search_occupations("kokk", "nb")
    # then
    assert [(m.code, m.matched_title) for m in matches] == [("5120", "kokk"), ("3434", "sjefskokk")]


@pytest.mark.django_db
def test_an_alternative_title_is_never_shown_only_the_preferred_one() -> None:
    # given
    cleaners = OccupationFactory(code="9112")
    uri = "http://data.europa.eu/esco/occupation/cleaner"
    OccupationTitleFactory(language="sv", title="städare", esco_uri=uri, occupation=cleaners)
    OccupationTitleFactory(
        language="sv", title="städerska", esco_uri=uri, occupation=cleaners, is_preferred=False
    )
    # when
    matches = search_occupations("städerska", "sv")
    # then
    assert [(m.code, m.matched_title) for m in matches] == [("9112", "städare")]


@pytest.mark.django_db
def test_a_match_names_the_group_in_styrk_and_ssyk() -> None:
    # given
    developers = OccupationFactory(code="2512", styrk_label="Programvareutviklere")
    developers.ssyk_groups.set(
        [SsykGroupFactory(code="2512", label_sv="Mjukvaru- och systemutvecklare m.fl.")]
    )
    OccupationTitleFactory(language="en", title="software developer", occupation=developers)
    # when
    [match] = search_occupations("software developer", "en")
    # then
    assert match.styrk_label == "Programvareutviklere"
    assert [(g.code, g.label) for g in match.ssyk_groups] == [
        ("2512", "Mjukvaru- och systemutvecklare m.fl.")
    ]


@pytest.mark.django_db
def test_titles_without_an_isco_group_are_not_offered() -> None:
    # given
    OccupationTitleFactory(language="nb", title="risikoanalytiker", occupation=None)
    # then
    assert search_occupations("risikoanalytiker", "nb") == []


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", " ", "k", "%", "_", "\x00", "\x00k\x00"])
def test_a_query_shorter_than_two_characters_matches_nothing(query: str) -> None:
    # given
    OccupationTitleFactory(language="nb", title="kokk")
    # then
    assert search_occupations(query, "nb") == []


@pytest.mark.django_db
def test_like_wildcards_in_a_query_are_taken_literally() -> None:
    # given
    OccupationTitleFactory(language="nb", title="kokk")
    # then
    assert search_occupations("%%%%", "nb") == []
    assert search_occupations("k_kk", "nb") == []


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=st.text(max_size=300), language=st.text(max_size=6), limit=st.integers(-5, 50))
def test_searching_never_raises_on_arbitrary_text(query: str, language: str, limit: int) -> None:
    # given
    cooks = OccupationFactory(code="5120", label_en="Cooks")
    OccupationTitleFactory(language="nb", title="kokk", occupation=cooks)
    OccupationTitleFactory(language="en", title="cook", occupation=cooks)
    # when
    matches = search_occupations(query, language, limit)
    # then
    assert len(matches) <= max(limit, 0)
    assert all(match.code == "5120" for match in matches)


@given(text=st.text())
def test_normalised_text_is_lower_case_printable_and_has_single_spaces(text: str) -> None:
    normalised = normalise(text)
    assert normalised == normalised.strip()
    assert "  " not in normalised
    assert all(char.isprintable() or char.isspace() for char in normalised)
    assert normalise(normalised) == normalised


@pytest.mark.django_db
def test_education_level_choices_are_in_the_active_language_or_the_sources() -> None:
    # given
    EducationLevelFactory(scheme=EducationScheme.ISCED_2011, code="6", label_en="Bachelor’s")
    EducationLevelFactory(scheme=EducationScheme.NUS_2000, code="8", label_nb="Forskerutdanning")
    # when
    with translation.override("sv"):
        isced = education_level_choices("isced2011")
        nus = education_level_choices("nus2000")
    # then
    assert isced == [("6", "Bachelor’s")]
    assert nus == [("8", "Forskerutdanning")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "upper_secondary", "doctoral"),
    [
        ("nb", "Videregående utdanning", "Forskerutdanning"),
        ("sv", "Gymnasial utbildning", "Forskarutbildning"),
        ("en", "Upper secondary education", "Doctoral or equivalent level"),
    ],
)
def test_isced_levels_are_named_in_the_screens_language(
    language: str, upper_secondary: str, doctoral: str
) -> None:
    # given
    import_classifications(BUNDLED_DATA_DIR)
    # when
    with translation.override(language):
        labels = dict(education_level_choices("isced2011"))
    # then
    assert (labels["3"], labels["8"]) == (upper_secondary, doctoral)
    assert len(set(labels.values())) == 9
