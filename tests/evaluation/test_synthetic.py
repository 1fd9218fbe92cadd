"""The synthetic outcome data carry the documented effects, and scoring gets them back."""

from __future__ import annotations

import json
from statistics import mean
from typing import Any

from samvirke.evaluation.instrument_files import BUNDLED_DIR
from samvirke.evaluation.scoring import score
from samvirke.evaluation.synthetic import (
    INTERACTION,
    SyntheticPerson,
    expected_score,
    generate,
    spread,
)


def definition(key: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((BUNDLED_DIR / f"{key}.json").read_text())
    return loaded


def test_the_same_seed_gives_the_same_answers() -> None:
    people = [SyntheticPerson("a", frozenset({"course"}))]
    assert list(generate(people, seed=7)) == list(generate(people, seed=7))


def test_spread_answers_score_back_to_the_latent_who5_score() -> None:
    assert score(definition("who5"), spread("who5", 60))[0].value == 60


def test_work_training_with_peer_support_adds_the_interaction() -> None:
    both = expected_score("who5", {"work_training", "peer_support"}, 12, 40)
    apart = (
        expected_score("who5", {"work_training"}, 12, 40)
        + expected_score("who5", {"peer_support"}, 12, 40)
        - 40
    )
    assert both - apart == INTERACTION["who5"]


def test_people_in_work_training_gain_in_who5_over_a_year_on_average() -> None:
    people = [SyntheticPerson(str(i), frozenset({"work_training"})) for i in range(300)]
    who5 = [r for r in generate(people, seed=1) if r.instrument == "who5"]
    scored = {
        month: mean(
            s
            for r in who5
            if r.month == month
            if (s := score(definition("who5"), r.answers)[0].value) is not None
        )
        for month in (0, 12)
    }
    assert 4 < scored[12] - scored[0] < 12  # the documented +8 per year, with noise


def test_the_demo_gets_four_instruments_at_four_time_points_per_enrolled_person(db: None) -> None:
    from samvirke.demo.evaluation import load_synthetic_responses
    from samvirke.evaluation.instrument_services import load_instruments
    from samvirke.evaluation.models import QuestionnaireResponse
    from tests.factories import EnrolmentFactory, MeasureFactory, ProgrammeFactory

    programme = ProgrammeFactory(slug="entreprenorskap-2011")
    EnrolmentFactory(measure=MeasureFactory(programme=programme, kind="work_training"))
    load_instruments(texts_folder=None)
    assert load_synthetic_responses() == 16
    assert load_synthetic_responses() == 0
    assert QuestionnaireResponse.objects.filter(scores__is_current=True).distinct().count() == 16
