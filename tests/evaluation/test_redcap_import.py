"""A REDCap export (data CSV and its data dictionary) is imported like paper: all or nothing."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from samvirke.evaluation.models import EntryMode, ItemAnswer, QuestionnaireResponse, ResponseStatus
from samvirke.participants.models import Participant
from tests.conftest import Cast, sign_in
from tests.factories import ParticipantFactory, who5_response

pytestmark = pytest.mark.django_db

ITEMS = ["who5_1", "who5_2", "who5_3", "who5_4", "who5_5"]


@pytest.fixture
def followed(cast: Cast) -> Participant:
    record: Participant = ParticipantFactory(
        programme=cast.programme, subprojects=[cast.subproject]
    )
    record.guides.set([cast.guide])
    who5_response(record)  # loads the instruments
    return record


def dictionary_of(cast: Cast) -> str:
    """The REDCap data dictionary Samvirke writes for WHO-5 (the codebook's writer)."""
    client = sign_in(Client(), cast.user("guide"))
    url = reverse("evaluation:questionnaire_import_template", args=[cast.programme.slug, "who5"])
    reply = client.get(url, {"format": "redcap"})
    assert reply.status_code == 200
    return reply.content.decode("utf-8-sig")


def upload(cast: Cast, data: str, dictionary: str | None = None) -> object:
    client = sign_in(Client(), cast.user("guide"))
    url = reverse("evaluation:questionnaire_import", args=[cast.programme.slug])
    files = {"file": SimpleUploadedFile("export.csv", data.encode(), content_type="text/csv")}
    if dictionary is not None:
        files["dictionary"] = SimpleUploadedFile(
            "dictionary.csv", dictionary.encode(), content_type="text/csv"
        )
    return client.post(url, {"instrument": "who5", "source": "redcap", **files})


def test_an_export_made_for_the_samvirke_dictionary_round_trips(
    cast: Cast, followed: Participant
) -> None:
    # given REDCap's data export of a project loaded from Samvirke's data dictionary
    dictionary = dictionary_of(cast)
    fields = [row[0] for row in csv.reader(io.StringIO(dictionary))][1:]
    data = io.StringIO()
    writer = csv.writer(data)
    writer.writerow([*fields, "who5_complete"])
    writer.writerow([followed.pseudonym, "2026-01-15", "5", "5", "4", "4", "2", "2"])
    # when both files are imported
    reply = upload(cast, data.getvalue(), dictionary)
    # then the answers are there, entered from paper and scored
    assert reply.status_code == 302  # type: ignore[attr-defined]
    imported = QuestionnaireResponse.objects.get(participant=followed, mode=EntryMode.PAPER)
    assert imported.status == ResponseStatus.SUBMITTED
    answers = dict(ItemAnswer.objects.filter(response=imported).values_list("item__key", "value"))
    assert answers == dict(zip(ITEMS, [5, 5, 4, 4, 2], strict=True))
    assert imported.scores.get(is_current=True).value == 80


def test_a_bad_code_is_named_by_row_and_column_and_nothing_is_written(
    cast: Cast, followed: Participant
) -> None:
    # given a good record and one whose who5_3 holds a code WHO-5 does not have
    data = (
        "study_id,redcap_event_name,answered_on," + ",".join(ITEMS) + "\n"
        f"{followed.pseudonym},,2026-01-15,5,5,4,4,2\n"
        f"{followed.pseudonym},,2026-02-15,5,5,7,4,2\n"
    )
    # when
    reply = upload(cast, data, dictionary_of(cast))
    # then
    html = reply.content.decode()  # type: ignore[attr-defined]
    assert reply.status_code == 400  # type: ignore[attr-defined]
    assert "<td>3</td><td>who5_3</td>" in html
    assert not QuestionnaireResponse.objects.filter(mode=EntryMode.PAPER).exists()


def test_importing_the_same_export_again_changes_nothing(cast: Cast, followed: Participant) -> None:
    # given an export imported once
    data = (
        "record_id,answered_on,"
        + ",".join(ITEMS)
        + f"\n{followed.pseudonym},2026-01-15,5,5,4,4,2\n"
    )
    upload(cast, data)
    before = list(QuestionnaireResponse.objects.values_list("pk", "status", "updated_at"))
    # when it is imported again
    reply = upload(cast, data)
    # then
    assert reply.status_code == 302  # type: ignore[attr-defined]
    assert list(QuestionnaireResponse.objects.values_list("pk", "status", "updated_at")) == before


def test_the_event_of_an_arm_fills_the_planned_time_point(
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
    data = (
        "record_id,redcap_event_name,who5_timestamp," + ",".join(ITEMS) + "\n"
        f"{followed.pseudonym},baseline_arm_1,2026-01-15 10:22:01,5,5,4,4,2\n"
    )
    # when
    upload(cast, data)
    # then
    planned.refresh_from_db()
    assert planned.status == ResponseStatus.SUBMITTED and planned.mode == EntryMode.PAPER


def test_an_event_that_is_no_time_point_is_named(cast: Cast, followed: Participant) -> None:
    data = (
        "record_id,redcap_event_name,answered_on," + ",".join(ITEMS) + "\n"
        f"{followed.pseudonym},week_99_arm_1,2026-01-15,5,5,4,4,2\n"
    )
    reply = upload(cast, data)
    assert "<td>2</td><td>redcap_event_name</td>" in reply.content.decode()  # type: ignore[attr-defined]
    assert not QuestionnaireResponse.objects.filter(mode=EntryMode.PAPER).exists()


def test_a_checkbox_field_gives_the_code_ticked(cast: Cast, followed: Participant) -> None:
    # given who5_1 exported as a checkbox with code 3 ticked
    data = (
        "record_id,answered_on,who5_1___5,who5_1___3,who5_2,who5_3,who5_4,who5_5\n"
        f"{followed.pseudonym},2026-01-15,0,1,5,4,4,2\n"
    )
    # when
    upload(cast, data)
    # then
    answer = ItemAnswer.objects.get(item__key="who5_1", response__mode=EntryMode.PAPER)
    assert answer.value == 3


def test_two_ticks_on_one_question_are_refused(cast: Cast, followed: Participant) -> None:
    data = (
        "record_id,answered_on,who5_1___5,who5_1___3,who5_2,who5_3,who5_4,who5_5\n"
        f"{followed.pseudonym},2026-01-15,1,1,5,4,4,2\n"
    )
    reply = upload(cast, data)
    assert "<td>2</td><td>who5_1___3</td>" in reply.content.decode()  # type: ignore[attr-defined]
    assert not QuestionnaireResponse.objects.filter(mode=EntryMode.PAPER).exists()


def test_a_dictionary_whose_codes_are_not_the_questionnaires_is_refused(
    cast: Cast, followed: Participant
) -> None:
    # given a dictionary coding who5_1 as 1-6 instead of WHO-5's 0-5
    dictionary = dictionary_of(cast).replace('"0, ', '"6, ').replace("| 0, ", "| 6, ")
    data = (
        "study_id,answered_on," + ",".join(ITEMS) + f"\n{followed.pseudonym},2026-01-15,5,5,4,4,2\n"
    )
    # when
    reply = upload(cast, data, dictionary)
    # then
    html = reply.content.decode()  # type: ignore[attr-defined]
    assert reply.status_code == 400  # type: ignore[attr-defined]
    assert re.search(r"<td>4</td><td>[^<]*: who5_1</td>", html)  # the dictionary's row 4
    assert not QuestionnaireResponse.objects.filter(mode=EntryMode.PAPER).exists()


def test_a_column_of_no_question_is_refused_without_a_dictionary(
    cast: Cast, followed: Participant
) -> None:
    data = "record_id,answered_on,who5_1,mood\n" + f"{followed.pseudonym},2026-01-15,5,2\n"
    reply = upload(cast, data)
    assert "<td>1</td><td>mood</td>" in reply.content.decode()  # type: ignore[attr-defined]


def test_a_record_of_someone_not_followed_is_named_by_the_record_id_column(
    cast: Cast, followed: Participant
) -> None:
    stranger = ParticipantFactory(programme=cast.programme)
    data = (
        "record_id,answered_on,"
        + ",".join(ITEMS)
        + f"\n{stranger.pseudonym},2026-01-15,5,5,4,4,2\n"
    )
    reply = upload(cast, data)
    assert "<td>2</td><td>record_id</td>" in reply.content.decode()  # type: ignore[attr-defined]
    assert not QuestionnaireResponse.objects.filter(mode=EntryMode.PAPER).exists()


def test_a_ticked_code_that_is_no_choice_is_named_by_its_column(
    cast: Cast, followed: Participant
) -> None:
    # given who5_1 ticked at code 9, which WHO-5 does not have
    data = (
        "record_id,answered_on,who5_1___5,who5_1___9,who5_2,who5_3,who5_4,who5_5\n"
        f"{followed.pseudonym},2026-01-15,0,1,5,4,4,2\n"
    )
    # when
    reply = upload(cast, data)
    # then
    assert "<td>2</td><td>who5_1___9</td>" in reply.content.decode()  # type: ignore[attr-defined]
    assert not QuestionnaireResponse.objects.filter(mode=EntryMode.PAPER).exists()


def test_a_pseudonym_column_beside_redcaps_own_record_ids_names_the_person(
    cast: Cast, followed: Participant
) -> None:
    # given REDCap's numbered records and the pseudonym in a field of its own
    data = "record_id,pseudonym,answered_on," + ",".join(ITEMS) + "\n"
    data += f"17,{followed.pseudonym},2026-01-15,5,5,4,4,2\n"
    # when
    reply = upload(cast, data)
    # then
    assert reply.status_code == 302  # type: ignore[attr-defined]
    assert QuestionnaireResponse.objects.filter(participant=followed, mode=EntryMode.PAPER).exists()
