"""The research export carries each item answered, and the activity and employment status."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyreadstat
import pytest
from django.test import Client

from samvirke.audit.actor import Actor
from samvirke.evaluation.instrument_services import load_instruments
from samvirke.evaluation.models import EntryMode, Instrument, InstrumentVersion, Schedule
from samvirke.evaluation.response_services import enter_response, open_response
from samvirke.participants.models import Participant
from tests.conftest import Cast, sign_in
from tests.evaluation.test_evaluation_dataset import (
    Cohort,
    codebook,
    cohort,  # noqa: F401 - a fixture
    csv_rows,
    export,
    saved,
)
from tests.evaluation.test_research_export import classifications  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def answered(
    cast: Cast, record: Participant, instrument: str, point: str, answers: dict[str, int | None]
) -> None:
    """A questionnaire of ``record`` at time point ``point``, entered and sent in."""
    if not InstrumentVersion.objects.filter(instrument__key=instrument).exists():
        load_instruments(texts_folder=None)
    version = InstrumentVersion.objects.get(instrument__key=instrument, version=1)
    schedule, _ = Schedule.objects.get_or_create(programme=cast.programme, name="Oppfølging")
    schedule.instruments.add(Instrument.objects.get(key=instrument))
    time_point, _ = schedule.time_points.get_or_create(
        key=point, defaults={"position": {"baseline": 1, "m6": 2}[point], "anchor": "enrolment"}
    )
    response = open_response(
        participant=record, version=version, due_on=dt.date(2025, 1, 10), time_point=time_point
    )
    enter_response(
        actor=Actor.of_user(cast.coordinator),
        response=response,
        answers=answers,
        mode=EntryMode.PAPER,
    )


def test_each_item_answer_is_a_column_per_time_point(
    cast: Cast,
    cohort: Cohort,  # noqa: F811
) -> None:
    # given her WHO-5 at baseline and six months on
    her = cohort.people[0]
    answered(cast, her, "who5", "baseline", {f"who5_{n}": 2 for n in range(1, 6)})
    answered(cast, her, "who5", "m6", {f"who5_{n}": 4 for n in range(1, 6)})
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.researcher)
    # when
    rows = csv_rows(export(client, cast, layout="wide"))
    # then
    [hers] = [row for row in rows if row["birth_band"] == "1985"]
    assert (hers["who5_1_baseline"], hers["who5_1_m6"]) == ("2", "4")
    assert {row["who5_1_m6"] for row in rows if row is not hers} == {""}


def test_employment_status_comes_with_its_value_labels_in_spss(
    cast: Cast,
    cohort: Cohort,  # noqa: F811
    tmp_path: Path,
) -> None:
    # given her activity and employment status at baseline: status code 1, 30 hours
    her = cohort.people[0]
    answered(cast, her, "activity_status", "baseline", {"status": 1, "hours": 30, "benefit": None})
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.researcher)
    # when
    data, meta = pyreadstat.read_sav(
        saved(tmp_path, export(client, cast, file_format="sav"), ".sav")
    )
    # then the status has its labels and the hours are a number
    status = "activity_status_status_baseline"
    assert sorted(data[status].dropna()) == [1.0, 1.0]  # her two long rows
    assert meta.variable_value_labels[status][1].lower().startswith("employed")
    assert "time point baseline" in meta.column_names_to_labels[status]
    assert sorted(data["activity_status_hours_baseline"].dropna()) == [30.0, 30.0]


def test_the_redcap_dictionary_describes_the_item_columns(
    cast: Cast,
    cohort: Cohort,  # noqa: F811
) -> None:
    # given
    her = cohort.people[0]
    answered(cast, her, "who5", "baseline", {f"who5_{n}": 3 for n in range(1, 6)})
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.researcher)
    columns = list(csv_rows(export(client, cast))[0])
    # when
    dictionary = csv_rows(codebook(client, cast, output="redcap").content)
    # then
    assert [field["Variable / Field Name"] for field in dictionary] == columns
    item = next(f for f in dictionary if f["Variable / Field Name"] == "who5_1_baseline")
    assert item["Field Type"] == "dropdown"
    assert "5, " in item["Choices, Calculations, OR Slider Labels"]
