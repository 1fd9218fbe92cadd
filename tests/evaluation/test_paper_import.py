"""Paper questionnaires typed into a spreadsheet are imported all or nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from samvirke.evaluation.models import (
    EntryMode,
    ItemAnswer,
    QuestionnaireResponse,
    ResponseStatus,
    SafetyAlert,
)
from samvirke.participants.models import Participant
from tests.conftest import Cast, sign_in
from tests.evaluation.import_steps import import_file
from tests.factories import ParticipantFactory, who5_response

pytestmark = pytest.mark.django_db

HEADER = "pseudonym,answered_on,time_point,who5_1,who5_2,who5_3,who5_4,who5_5\n"


@pytest.fixture
def followed(cast: Cast) -> Participant:
    record: Participant = ParticipantFactory(
        programme=cast.programme, subprojects=[cast.subproject]
    )
    record.guides.set([cast.guide])
    who5_response(record)  # loads the instruments
    return record


def upload(cast: Cast, text: str, instrument: str = "who5", user: str = "guide") -> object:
    client = sign_in(Client(), cast.user(user))
    url = reverse("evaluation:questionnaire_import", args=[cast.programme.slug])
    file = SimpleUploadedFile("paper.csv", text.encode(), content_type="text/csv")
    return import_file(client, url, {"instrument": instrument, "file": file})


def test_a_file_of_paper_answers_is_imported_and_scored(cast: Cast, followed: Participant) -> None:
    # when
    reply = upload(cast, HEADER + f"{followed.pseudonym},2026-01-15,,5,5,4,4,2\n")
    # then
    assert reply.status_code == 302  # type: ignore[attr-defined]
    imported = QuestionnaireResponse.objects.get(participant=followed, mode=EntryMode.PAPER)
    assert imported.status == ResponseStatus.SUBMITTED
    assert imported.scores.get(is_current=True).value == 80


def test_one_bad_cell_and_nothing_is_imported_with_the_row_and_column_named(
    cast: Cast, followed: Participant
) -> None:
    # given a good row and a row with an answer outside the scale
    text = (
        HEADER
        + f"{followed.pseudonym},2026-01-15,,5,5,4,4,2\n"
        + f"{followed.pseudonym},2026-02-15,,5,9,4,4,2\n"
    )
    # when
    reply = upload(cast, text)
    # then
    html = reply.content.decode()  # type: ignore[attr-defined]
    assert reply.status_code == 400  # type: ignore[attr-defined]
    assert "<td>3</td><td>who5_2</td>" in html
    assert not QuestionnaireResponse.objects.filter(mode=EntryMode.PAPER).exists()


def test_someone_the_guide_does_not_follow_is_refused(cast: Cast, followed: Participant) -> None:
    stranger = ParticipantFactory(programme=cast.programme)
    reply = upload(cast, HEADER + f"{stranger.pseudonym},2026-01-15,,5,5,4,4,2\n")
    assert reply.status_code == 400  # type: ignore[attr-defined]
    assert not QuestionnaireResponse.objects.filter(mode=EntryMode.PAPER).exists()


def test_importing_the_same_file_twice_changes_nothing(cast: Cast, followed: Participant) -> None:
    text = HEADER + f"{followed.pseudonym},2026-01-15,,5,5,4,4,2\n"
    upload(cast, text)
    upload(cast, text)
    assert QuestionnaireResponse.objects.filter(mode=EntryMode.PAPER).count() == 1


def test_a_column_not_in_the_template_is_refused(cast: Cast, followed: Participant) -> None:
    reply = upload(
        cast, "pseudonym,answered_on,shoe size\n" + f"{followed.pseudonym},2026-01-15,44\n"
    )
    assert reply.status_code == 400  # type: ignore[attr-defined]
    assert "shoe size" in reply.content.decode()  # type: ignore[attr-defined]


def test_a_date_that_is_not_a_date_is_refused_in_norwegian(
    cast: Cast, followed: Participant
) -> None:
    reply = upload(cast, HEADER + f"{followed.pseudonym},yesterday,,5,5,4,4,2\n")
    assert "Skriv datoen som 2026-03-31 eller 31.03.2026." in reply.content.decode()  # type: ignore[attr-defined]


def test_a_row_with_a_time_point_fills_the_planned_questionnaire(
    cast: Cast, followed: Participant
) -> None:
    # given a planned baseline
    from samvirke.evaluation.models import Instrument, Schedule
    from samvirke.evaluation.schedule_services import plan_enrolment
    from tests.factories import EnrolmentFactory, MeasureFactory

    schedule = Schedule.objects.create(programme=cast.programme, name="Standard")
    schedule.instruments.set(Instrument.objects.filter(key="who5"))
    schedule.time_points.create(key="baseline", position=0, anchor="enrolment", window_days=14)
    enrolment = EnrolmentFactory(
        measure=MeasureFactory(programme=cast.programme), participant=followed
    )
    (planned,) = plan_enrolment(enrolment=enrolment)
    # when
    upload(cast, HEADER + f"{followed.pseudonym},2026-01-15,baseline,5,5,4,4,2\n")
    # then the planned one is sent in, no new one made
    planned.refresh_from_db()
    assert planned.status == ResponseStatus.SUBMITTED and planned.mode == EntryMode.PAPER


def test_an_unknown_time_point_is_refused(cast: Cast, followed: Participant) -> None:
    reply = upload(cast, HEADER + f"{followed.pseudonym},2026-01-15,m99,5,5,4,4,2\n")
    assert reply.status_code == 400  # type: ignore[attr-defined]


def test_a_phq9_item_9_above_0_on_paper_raises_the_safety_alert(
    cast: Cast, followed: Participant
) -> None:
    header = "pseudonym,answered_on," + ",".join(f"phq9_{n}" for n in range(1, 10)) + "\n"
    upload(cast, header + f"{followed.pseudonym},2026-01-15,0,0,0,0,0,0,0,0,2\n", instrument="phq9")
    assert SafetyAlert.objects.filter(response__participant=followed).exists()


def test_a_researcher_may_not_import(cast: Cast, followed: Participant) -> None:
    reply = upload(
        cast, HEADER + f"{followed.pseudonym},2026-01-15,,5,5,4,4,2\n", user="researcher"
    )
    assert reply.status_code == 403  # type: ignore[attr-defined]


def test_the_template_has_a_column_per_item(cast: Cast, followed: Participant) -> None:
    client = sign_in(Client(), cast.guide)
    url = reverse("evaluation:questionnaire_import_template", args=[cast.programme.slug, "who5"])
    reply = client.get(url)
    first = io.StringIO(reply.content.decode("utf-8-sig")).readline()
    assert first.replace('"', "").strip() == HEADER.strip().replace(",", ";")


def test_a_pseudonym_typed_in_lower_case_is_found(cast: Cast, followed: Participant) -> None:
    reply = upload(cast, HEADER + f"{followed.pseudonym.lower()},2026-01-15,,5,5,4,4,2\n")
    assert reply.status_code == 302  # type: ignore[attr-defined]


def test_an_spss_sav_file_named_like_the_template_is_imported(
    cast: Cast, followed: Participant, tmp_path: object
) -> None:
    # given evaluation data the programme already holds in SPSS
    import datetime as dt
    from pathlib import Path

    import pandas as pd
    import pyreadstat

    frame = pd.DataFrame(
        {
            "pseudonym": [followed.pseudonym],
            "answered_on": [dt.date(2025, 11, 3)],
            **{f"who5_{n}": [float(v)] for n, v in zip(range(1, 6), [5, 5, 4, 4, 2], strict=True)},
        }
    )
    path = Path(str(tmp_path)) / "earlier.sav"
    pyreadstat.write_sav(frame, str(path))
    client = sign_in(Client(), cast.guide)
    url = reverse("evaluation:questionnaire_import", args=[cast.programme.slug])
    file = SimpleUploadedFile("earlier.sav", path.read_bytes())
    # when
    reply = import_file(client, url, {"instrument": "who5", "file": file})
    # then
    assert reply.status_code == 302
    imported = QuestionnaireResponse.objects.get(participant=followed, mode=EntryMode.PAPER)
    assert imported.scores.get(is_current=True).value == 80


def test_a_file_that_only_looks_like_sav_is_refused_with_a_message(
    cast: Cast, followed: Participant
) -> None:
    client = sign_in(Client(), cast.guide)
    url = reverse("evaluation:questionnaire_import", args=[cast.programme.slug])
    file = SimpleUploadedFile("broken.sav", b"$FL2" + b"\x00" * 200)
    reply = client.post(url, {"instrument": "who5", "file": file})
    assert reply.status_code == 400
    assert not QuestionnaireResponse.objects.filter(mode=EntryMode.PAPER).exists()


def test_headers_in_norwegian_are_guessed(cast: Cast, followed: Participant) -> None:
    header = "Deltaker;Dato;" + ";".join(f"who5_{n}" for n in range(1, 6)) + "\n"
    reply = upload(cast, header + f"{followed.pseudonym};15.01.2026;5;5;4;4;2\n")
    assert reply.status_code == 302  # type: ignore[attr-defined]
    assert QuestionnaireResponse.objects.filter(participant=followed, mode=EntryMode.PAPER).exists()


def test_a_column_the_user_maps_is_imported_as_that_question(
    cast: Cast, followed: Participant
) -> None:
    # given a file whose first question is headed "spm 1", which Samvirke cannot guess
    text = "pseudonym,answered_on,spm 1,who5_2,who5_3,who5_4,who5_5\n"
    text += f"{followed.pseudonym},2026-01-15,3,5,4,4,2\n"
    client = sign_in(Client(), cast.guide)
    url = reverse("evaluation:questionnaire_import", args=[cast.programme.slug])
    file = SimpleUploadedFile("paper.csv", text.encode(), content_type="text/csv")
    # when the user says it holds who5_1
    import_file(client, url, {"instrument": "who5", "file": file}, {"column_2": "who5_1"})
    # then
    answer = ItemAnswer.objects.get(item__key="who5_1", response__mode=EntryMode.PAPER)
    assert answer.value == 3


def test_checking_the_file_writes_nothing(cast: Cast, followed: Participant) -> None:
    client = sign_in(Client(), cast.guide)
    url = reverse("evaluation:questionnaire_import", args=[cast.programme.slug])
    text = HEADER + f"{followed.pseudonym},2026-01-15,,5,5,4,4,2\n"
    file = SimpleUploadedFile("paper.csv", text.encode(), content_type="text/csv")
    step = client.post(url, {"instrument": "who5", "file": file})
    form = step.context["form"]
    answer = {name: form[name].value() or "" for name in form.fields}
    reply = client.post(url, {"upload": step.context["token"], "action": "check", **answer})
    assert reply.status_code == 200
    assert "1 spørreskjema importeres." in reply.content.decode()
    assert not QuestionnaireResponse.objects.filter(mode=EntryMode.PAPER).exists()


def test_an_upload_token_of_another_user_is_refused(cast: Cast, followed: Participant) -> None:
    # given a file uploaded by the guide
    guide = sign_in(Client(), cast.guide)
    url = reverse("evaluation:questionnaire_import", args=[cast.programme.slug])
    text = HEADER + f"{followed.pseudonym},2026-01-15,,5,5,4,4,2\n"
    file = SimpleUploadedFile("paper.csv", text.encode(), content_type="text/csv")
    token = guide.post(url, {"instrument": "who5", "file": file}).context["token"]
    # when a coordinator sends the guide's token
    other = sign_in(Client(), cast.user("coordinator"))
    reply = other.post(url, {"upload": token, "action": "import"})
    # then
    assert reply.status_code == 400
    assert not QuestionnaireResponse.objects.filter(mode=EntryMode.PAPER).exists()
