"""The evaluation dataset, long and wide, as CSV, SPSS, Stata and R, read back as researchers do."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pyreadstat
import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from samvirke.audit.actor import Actor
from samvirke.measures.models import Attendance, Measure
from samvirke.participants.models import Participant
from samvirke.participants.services import Identity, withdraw_consent
from tests.conftest import Cast, sign_in
from tests.evaluation.test_research_export import (
    SECRET,
    answers,
    ask,
    classifications,  # noqa: F401 - a fixture
    fetched,
    mapped_participant,
    research_consent,
)
from tests.factories import EnrolmentFactory, MeasureFactory, MeasureSessionFactory

BASELINE = dt.date(2025, 1, 10)


@dataclass
class Cohort:
    people: list[Participant]
    withdrew: Participant
    measure: Measure


def follow_up(cast: Cast, record: Participant, day: dt.date, hours: int) -> None:
    from samvirke.mapping.services import record_mapping

    record_mapping(
        actor=Actor.of_user(cast.guide),
        participant=record,
        filled_by="self",
        filled_on=day,
        answers=answers(hours_per_week=hours),
    )


@pytest.fixture
def cohort(cast: Cast, classifications: None) -> Cohort:  # noqa: F811
    """Five consenting participants mapped at baseline and six months on, in one measure that
    started a month after baseline; one of them, a woman born 1987, attended two of three
    sessions. A sixth withdrew their research consent; a seventh never gave it."""
    measure = MeasureFactory(programme=cast.programme, subproject=cast.subproject)
    sessions = [MeasureSessionFactory(measure=measure) for _ in range(3)]
    people = []
    for number in range(5):
        record = mapped_participant(
            cast,
            filled_on=BASELINE,
            birth_year=1987 if number == 0 else 1950,
            gender="woman" if number == 0 else "man",
            identity=Identity(full_name=f"{SECRET} Nordmann {number}"),
        )
        follow_up(cast, record, BASELINE + dt.timedelta(days=182), hours=20)
        enrolment = EnrolmentFactory(
            measure=measure,
            participant=record,
            referred_on=BASELINE + dt.timedelta(days=20),
            started_on=BASELINE + dt.timedelta(days=35),
        )
        if number == 0:
            for session, present in zip(sessions, [True, True, False], strict=True):
                Attendance.objects.create(session=session, enrolment=enrolment, present=present)
        people.append(record)
    withdrew = mapped_participant(cast, birth_year=1991, filled_on=BASELINE)
    withdraw_consent(actor=Actor.of_user(cast.coordinator), consent=research_consent(withdrew))
    mapped_participant(cast, birth_year=1972, research=False, filled_on=BASELINE)
    return Cohort(people=people, withdrew=withdrew, measure=measure)


def export(client: Client, cast: Cast, **form: str) -> bytes:
    response = ask(
        client, reverse("evaluation:research_data_file", args=[cast.programme.slug]), form
    )
    return fetched(client, response)


def csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def saved(tmp_path: Path, content: bytes, suffix: str) -> Path:
    path = tmp_path / f"export{suffix}"
    path.write_bytes(content)
    return path


@pytest.mark.django_db
def test_the_long_csv_has_one_row_per_participant_per_time_point_with_exposure(
    cast: Cast, cohort: Cohort
) -> None:
    # given
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.researcher)
    # when
    rows = csv_rows(export(client, cast, layout="long"))
    # then
    assert len(rows) == 10
    hers = [row for row in rows if row["birth_band"] == "1985"]
    assert [(r["time_point"], r["mapping_month"], r["hours_per_week"]) for r in hers] == [
        ("1", "0", "12"),
        ("2", "6", "20"),
    ]
    assert {(r["m1_status"], r["m1_referred_month"], r["m1_started_month"]) for r in hers} == {
        ("3", "0", "1")
    }
    assert {(r["m1_attended"], r["m1_missed"]) for r in hers} == {("2", "1")}
    assert hers[0]["gender"] == "1" and hers[0]["sp1"] == "1"


@pytest.mark.django_db
def test_the_wide_csv_has_one_row_per_participant_with_the_time_points_side_by_side(
    cast: Cast, cohort: Cohort
) -> None:
    # given
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.researcher)
    # when
    rows = csv_rows(export(client, cast, layout="wide"))
    # then
    assert len(rows) == 5
    [hers] = [row for row in rows if row["birth_band"] == "1985"]
    assert (hers["t1_hours_per_week"], hers["t2_hours_per_week"]) == ("12", "20")
    assert (hers["t1_mapping_month"], hers["t2_mapping_month"]) == ("0", "6")
    assert "t3_hours_per_week" not in hers


@pytest.mark.django_db
def test_the_sav_file_opens_with_labels_study_ids_and_no_one_who_withdrew_or_any_name(
    cast: Cast, cohort: Cohort, tmp_path: Path
) -> None:
    # given
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.researcher)
    # when
    content = export(client, cast, file_format="sav", dates="shifted")
    data, meta = pyreadstat.read_sav(saved(tmp_path, content, ".sav"))
    # then
    assert len(data) == 10
    assert set(data["birth_band"]) == {1950, 1985}  # the one born 1991 withdrew
    assert meta.column_names_to_labels["m1_attended"].endswith("sessions attended")
    assert meta.variable_value_labels["gender"][1.0] == "woman"
    assert meta.variable_value_labels["m1_status"][0.0] == "not enrolled"
    assert meta.variable_measure["birth_band"] == "ordinal"
    assert all(study_id.startswith("R") for study_id in data["study_id"])
    assert isinstance(data["mapping_date"][0], dt.date)
    assert data["study_id"].nunique() == 5
    for person in [*cohort.people, cohort.withdrew]:
        assert person.pseudonym.encode() not in content
    assert SECRET.encode() not in content


@pytest.mark.django_db
def test_the_dta_file_opens_in_stata_with_variable_and_value_labels(
    cast: Cast, cohort: Cohort, tmp_path: Path
) -> None:
    # given
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.researcher)
    # when
    content = export(client, cast, file_format="dta", layout="wide")
    data, meta = pyreadstat.read_dta(saved(tmp_path, content, ".dta"))
    # then
    assert len(data) == 5
    assert meta.column_names_to_labels["t2_hours_per_week"].startswith("Time point 2")
    assert meta.variable_value_labels["country"] == {1: "Norway", 2: "Sweden"}


@pytest.mark.django_db
def test_the_r_bundle_holds_the_csv_and_a_script_that_applies_every_label(
    cast: Cast, cohort: Cohort
) -> None:
    # given
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.researcher)
    # when
    content = export(client, cast, file_format="r")
    bundle = zipfile.ZipFile(io.BytesIO(content))
    [data_name] = [name for name in bundle.namelist() if name.endswith(".csv")]
    [script_name] = [name for name in bundle.namelist() if name.endswith(".R")]
    script = bundle.read(script_name).decode()
    rows = csv_rows(bundle.read(data_name))
    # then
    assert len(rows) == 10
    assert f'read.csv("{data_name}"' in script
    assert (
        'data[["gender"]] <- factor(data[["gender"]], levels = c(1, 2, 3, 4), labels = '
        'c("woman", "man", "another gender", "prefer not to say"), ordered = FALSE)'
    ) in script
    assert all(f'attr(data[["{name}"]], "label")' in script for name in rows[0])


@pytest.mark.django_db
def test_gnu_pspp_reads_the_sav_file_with_its_labels(
    cast: Cast, cohort: Cohort, tmp_path: Path
) -> None:
    if shutil.which("pspp") is None:
        pytest.skip("GNU PSPP is not installed (apt-get install pspp)")
    # given
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.researcher)
    path = saved(tmp_path, export(client, cast, file_format="sav"), ".sav")
    syntax = tmp_path / "check.sps"
    syntax.write_text(f"GET FILE='{path}'.\nDISPLAY DICTIONARY.\nFREQUENCIES VARIABLES=gender.\n")
    # when
    command = ["pspp", "-O", "format=txt", "-o", "-", str(syntax)]
    result = subprocess.run(  # noqa: S603 - our own file names, no shell
        command,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert "m1_attended" in result.stdout and "Study id of" in result.stdout
    assert "woman" in result.stdout  # the value label in the frequency table
    assert "Ordinal" in result.stdout


@pytest.mark.django_db
def test_a_withdrawal_after_one_export_leaves_the_person_out_of_the_next(
    cast: Cast, cohort: Cohort
) -> None:
    # given
    extra = mapped_participant(cast, birth_year=2001, filled_on=BASELINE)
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.researcher)
    before = {row["birth_band"] for row in csv_rows(export(client, cast))}
    # when
    withdraw_consent(actor=Actor.of_user(cast.coordinator), consent=research_consent(extra))
    after = {row["birth_band"] for row in csv_rows(export(client, cast))}
    # then
    assert before == {"1950", "1985", "2000"}
    assert after == {"1950", "1985"}


def codebook(client: Client, cast: Cast, **query: str) -> HttpResponse:
    url = reverse("evaluation:research_codebook", args=[cast.programme.slug])
    response = client.get(url, {f"codebook-{key}": value for key, value in query.items()})
    assert response.status_code == 200, response.content[:2000]
    return response  # type: ignore[return-value]


@pytest.mark.django_db
@pytest.mark.parametrize("layout", ["long", "wide"])
def test_the_redcap_data_dictionary_describes_every_column_of_the_file(
    cast: Cast, cohort: Cohort, layout: str
) -> None:
    # given
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.researcher)
    columns = list(csv_rows(export(client, cast, layout=layout))[0])
    # when
    response = codebook(client, cast, output="redcap", layout=layout)
    dictionary = csv_rows(response.content)
    # then
    assert [field["Variable / Field Name"] for field in dictionary] == columns
    gender = next(f for f in dictionary if f["Variable / Field Name"] == "gender")
    assert gender["Field Type"] == "dropdown"
    assert gender["Choices, Calculations, OR Slider Labels"].startswith("1, woman | 2, man")
    assert dictionary[0]["Required Field?"] == "y"


@pytest.mark.django_db
def test_the_json_schema_validates_the_types_and_codes_of_every_column(
    cast: Cast, cohort: Cohort
) -> None:
    # given
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.researcher)
    columns = list(csv_rows(export(client, cast, dates="shifted"))[0])
    # when
    schema = json.loads(codebook(client, cast, output="json", dates="shifted").content)
    # then
    assert list(schema["properties"]) == columns == schema["required"]
    assert schema["properties"]["gender"]["enum"] == [1, 2, 3, 4, None]
    assert schema["properties"]["mapping_date"]["format"] == "date"
    assert schema["additionalProperties"] is False


@pytest.mark.django_db
def test_the_html_and_pdf_codebooks_name_every_column_in_the_users_language(
    cast: Cast, cohort: Cohort
) -> None:
    # given
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="sv"), cast.researcher)
    columns = list(csv_rows(export(client, cast))[0])
    # when
    html = codebook(client, cast, output="html").content.decode()
    pdf = codebook(client, cast, output="pdf")
    # then
    assert all(f"<code>{name}</code>" in html for name in columns)
    assert "Kodbok" in html and 'lang="sv"' in html
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


@pytest.mark.django_db
def test_an_unknown_codebook_choice_is_refused_with_the_page(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.researcher)
    url = reverse("evaluation:research_codebook", args=[cast.programme.slug])
    # when
    response = client.get(url, {"codebook-output": "docx"})
    # then
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()


def scored(cast: Cast, record: Participant, *, key: str, value: float, submitted: bool) -> None:
    """A WHO-5 response of ``record`` at time point ``key``, scored ``value``."""
    from django.utils import timezone

    from samvirke.evaluation.models import (
        Instrument,
        InstrumentVersion,
        QuestionnaireResponse,
        Schedule,
        Score,
        TimePoint,
    )

    instrument, _ = Instrument.objects.get_or_create(key="who5", defaults={"origin": "builtin"})
    version, _ = InstrumentVersion.objects.get_or_create(
        instrument=instrument, version=1, defaults={"status": "published", "title_nb": "WHO-5"}
    )
    schedule, _ = Schedule.objects.get_or_create(programme=cast.programme, name="Oppfølging")
    position = {"baseline": 1, "m6": 2}[key]
    time_point, _ = TimePoint.objects.get_or_create(
        schedule=schedule, key=key, defaults={"position": position, "anchor": "enrolment"}
    )
    response = QuestionnaireResponse.objects.create(
        participant=record,
        version=version,
        time_point=time_point,
        due_on=BASELINE,
        window_opens=BASELINE,
        window_closes=BASELINE,
        status="submitted" if submitted else "in_progress",
    )
    Score.objects.create(
        response=response,
        scored_with=version,
        scale="total",
        value=value,
        answered=5,
        computed_at=timezone.now(),
    )


@pytest.mark.django_db
def test_questionnaire_scores_come_per_time_point_and_only_when_submitted(
    cast: Cast, cohort: Cohort, tmp_path: Path
) -> None:
    # given
    her = cohort.people[0]
    scored(cast, her, key="baseline", value=40.0, submitted=True)
    scored(cast, her, key="m6", value=64.0, submitted=True)
    scored(cast, cohort.people[1], key="m6", value=99.0, submitted=False)
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.researcher)
    # when
    rows = csv_rows(export(client, cast, layout="wide"))
    data, meta = pyreadstat.read_sav(
        saved(tmp_path, export(client, cast, file_format="sav"), ".sav")
    )
    # then
    [hers] = [row for row in rows if row["birth_band"] == "1985"]
    assert (hers["who5_total_baseline"], hers["who5_total_m6"]) == ("40.0", "64.0")
    assert {row["who5_total_m6"] for row in rows if row is not hers} == {""}
    assert meta.column_names_to_labels["who5_total_m6"] == (
        "Score of who5, scale total, at time point m6"
    )
    assert sorted(data["who5_total_baseline"].dropna()) == [40.0, 40.0]  # her two long rows


@pytest.mark.django_db
def test_the_isced_level_is_the_highest_completed_one_whatever_the_order_entered(
    cast: Cast, cohort: Cohort
) -> None:
    # given
    from samvirke.mapping.services import EducationEntry

    education = [EducationEntry(level_code="6"), EducationEntry(level_code="3")]
    mapped_participant(
        cast, filled_on=BASELINE, birth_year=2001, answers=answers(education=education)
    )
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.researcher)
    # when
    rows = csv_rows(export(client, cast, layout="long"))
    # then
    assert [row["isced"] for row in rows if row["birth_band"] == "2000"] == ["6"]
    assert {row["isced"] for row in rows if row["birth_band"] != "2000"} == {"3"}
