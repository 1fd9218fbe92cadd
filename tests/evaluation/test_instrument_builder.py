"""A coordinator composes the programme's own questionnaire; each save is a new version."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samvirke.audit.actor import Actor
from samvirke.evaluation.instrument_builder import (
    InstrumentBuildError,
    ItemSpec,
    publish_instrument,
)
from samvirke.evaluation.instrument_services import load_instruments
from samvirke.evaluation.models import InstrumentVersion
from samvirke.evaluation.response_services import enter_response, open_response
from tests.conftest import Cast, sign_in
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def form(**rows: str) -> dict[str, str]:
    data = {
        "key": "trivsel",
        "title_nb": "Trivsel",
        "title_sv": "Trivsel",
        "title_en": "Wellbeing",
        "scoring": "sum",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "40",
        "items-0-kind": "likert5",
        "items-0-text_nb": "Jeg trives i hverdagen.",
        "items-1-kind": "yes_no",
        "items-1-text_nb": "Har du noen å snakke med?",
        "items-2-kind": "number",
        "items-2-text_nb": "Hvor mange dager var du ute i forrige uke?",
        "items-2-minimum": "0",
        "items-2-maximum": "7",
    }
    data.update(rows)
    return data


def post(cast: Cast, data: dict[str, str], user: str = "coordinator", query: str = "") -> object:
    url = reverse("evaluation:instrument_new", args=[cast.programme.slug]) + query
    return sign_in(Client(), cast.user(user)).post(url, data)


def test_a_coordinator_publishes_a_questionnaire_that_can_be_answered_and_scored(
    cast: Cast,
) -> None:
    # when
    reply = post(cast, form())
    # then it is published as version 1 with its three questions
    assert reply.status_code == 302  # type: ignore[attr-defined]
    version = InstrumentVersion.objects.get(instrument__key="trivsel")
    assert (version.version, version.is_published, version.items.count()) == (1, True, 3)
    # and an answered one is scored as the sum of the scale and yes/no answers
    response = open_response(
        participant=ParticipantFactory(programme=cast.programme),
        version=version,
        due_on=timezone.localdate(),
    )
    enter_response(
        actor=Actor.of_user(cast.coordinator),
        response=response,
        answers={"trivsel_1": 4, "trivsel_2": 1, "trivsel_3": 3},
        mode="paper",
    )
    assert response.scores.get(is_current=True).value == 5


def test_saving_again_publishes_a_new_version_and_leaves_the_first_as_it_was(
    cast: Cast,
) -> None:
    # given version 1
    post(cast, form())
    # when the coordinator changes the first question
    post(cast, form(**{"items-0-text_nb": "Jeg har det bra."}), query="?from=trivsel")
    # then
    first, second = InstrumentVersion.objects.filter(instrument__key="trivsel").order_by("version")
    assert first.items.get(position=1).text_nb == "Jeg trives i hverdagen."
    assert second.items.get(position=1).text_nb == "Jeg har det bra."
    assert second.version == 2


def test_the_next_version_starts_from_the_last(cast: Cast) -> None:
    post(cast, form())
    url = reverse("evaluation:instrument_new", args=[cast.programme.slug]) + "?from=trivsel"
    html = sign_in(Client(), cast.coordinator).get(url).content.decode()
    assert 'value="Jeg trives i hverdagen."' in html


def test_a_guide_may_not_compose_questionnaires(cast: Cast) -> None:
    reply = post(cast, form(), user="guide")
    assert reply.status_code == 403  # type: ignore[attr-defined]
    assert not InstrumentVersion.objects.exists()


def test_a_questionnaire_without_questions_is_refused(cast: Cast) -> None:
    data = form(**{"items-0-kind": "", "items-1-kind": "", "items-2-kind": ""})
    reply = post(cast, data)
    assert reply.status_code == 400  # type: ignore[attr-defined]
    assert not InstrumentVersion.objects.exists()


def test_a_question_without_norwegian_text_is_refused(cast: Cast) -> None:
    reply = post(cast, form(**{"items-0-text_nb": ""}))
    assert reply.status_code == 400  # type: ignore[attr-defined]


def test_the_short_name_of_a_shipped_questionnaire_is_refused(cast: Cast) -> None:
    load_instruments(texts_folder=None)
    with pytest.raises(InstrumentBuildError):
        publish_instrument(
            actor=Actor.of_user(cast.coordinator),
            programme=cast.programme,
            key="who5",
            titles={"nb": "Falsk WHO-5", "sv": "", "en": ""},
            items=[ItemSpec(kind="yes_no", text_nb="Ja?")],
            scoring="sum",
        )


def test_the_programmes_questionnaires_are_listed(cast: Cast) -> None:
    post(cast, form())
    url = reverse("evaluation:instruments", args=[cast.programme.slug])
    html = sign_in(Client(), cast.coordinator).get(url).content.decode()
    assert "Trivsel" in html
