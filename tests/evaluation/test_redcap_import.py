"""A REDCap export (data CSV and its data dictionary) is imported like paper: all or nothing."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from samvirke.evaluation.models import (
    EntryMode,
    Instrument,
    ItemAnswer,
    QuestionnaireResponse,
    ResponseStatus,
    Schedule,
)
from samvirke.participants.models import Participant
from tests.conftest import Cast, sign_in
from tests.evaluation.import_steps import import_file
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


def schedule_with(cast: Cast, *points: tuple[str, int]) -> Schedule:
    """A WHO-5 schedule of the programme with time points (key, months after enrolment)."""
    schedule = Schedule.objects.create(programme=cast.programme, name="Standard")
    schedule.instruments.set(Instrument.objects.filter(key="who5"))
    for position, (key, months) in enumerate(points):
        schedule.time_points.create(
            key=key, position=position, anchor="enrolment", offset_months=months, window_days=14
        )
    return schedule


def dictionary_of(cast: Cast) -> str:
    """The REDCap data dictionary Samvirke writes for WHO-5 (the codebook's writer)."""
    client = sign_in(Client(), cast.user("guide"))
    url = reverse("evaluation:questionnaire_import_template", args=[cast.programme.slug, "who5"])
    reply = client.get(url, {"format": "redcap"})
    assert reply.status_code == 200
    return reply.content.decode("utf-8-sig")


def upload(
    cast: Cast, data: str, dictionary: str | None = None, choices: dict[str, str] | None = None
) -> object:
    client = sign_in(Client(), cast.user("guide"))
    url = reverse("evaluation:questionnaire_import", args=[cast.programme.slug])
    files = {"file": SimpleUploadedFile("export.csv", data.encode(), content_type="text/csv")}
    if dictionary is not None:
        files["dictionary"] = SimpleUploadedFile(
            "dictionary.csv", dictionary.encode(), content_type="text/csv"
        )
    return import_file(client, url, {"instrument": "who5", "source": "redcap", **files}, choices)


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


def test_an_event_samvirke_cannot_place_must_be_chosen(cast: Cast, followed: Participant) -> None:
    data = (
        "record_id,redcap_event_name,answered_on," + ",".join(ITEMS) + "\n"
        f"{followed.pseudonym},week_99_arm_1,2026-01-15,5,5,4,4,2\n"
    )
    reply = upload(cast, data)
    assert reply.status_code == 400  # type: ignore[attr-defined]
    assert "Velg hva radene i denne hendelsen er." in reply.content.decode()  # type: ignore[attr-defined]
    assert not QuestionnaireResponse.objects.filter(mode=EntryMode.PAPER).exists()


def test_an_event_chosen_as_a_time_point_with_nothing_planned_is_named(
    cast: Cast, followed: Participant
) -> None:
    # given a programme with a baseline, but nothing planned for this person
    schedule_with(cast, ("baseline", 0))
    data = (
        "record_id,redcap_event_name,answered_on," + ",".join(ITEMS) + "\n"
        f"{followed.pseudonym},week_99_arm_1,2026-01-15,5,5,4,4,2\n"
    )
    # when the event is said to be the baseline
    reply = upload(cast, data, choices={"event_0": "baseline"})
    # then
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


def planned(cast: Cast, followed: Participant) -> dict[str, QuestionnaireResponse]:
    """The questionnaires the programme's schedule opens for the person, by time point key."""
    from samvirke.evaluation.schedule_services import plan_enrolment
    from tests.factories import EnrolmentFactory, MeasureFactory

    enrolment = EnrolmentFactory(
        measure=MeasureFactory(programme=cast.programme), participant=followed
    )
    return {r.time_point.key: r for r in plan_enrolment(enrolment=enrolment) if r.time_point}


def event_step(cast: Cast, data: str, dictionary: str | None = None) -> object:
    """The page after the upload: the events beside the time points."""
    client = sign_in(Client(), cast.user("guide"))
    url = reverse("evaluation:questionnaire_import", args=[cast.programme.slug])
    files = {"file": SimpleUploadedFile("export.csv", data.encode(), content_type="text/csv")}
    if dictionary is not None:
        files["dictionary"] = SimpleUploadedFile("dictionary.csv", dictionary.encode())
    return client.post(url, {"instrument": "who5", "source": "redcap", **files})


def test_the_event_step_lists_each_event_with_its_rows_and_a_guess(
    cast: Cast, followed: Participant
) -> None:
    # given a programme with a baseline and a follow-up after 3 months
    schedule_with(cast, ("baseline", 0), ("m3", 3))
    data = "record_id,redcap_event_name,answered_on," + ",".join(ITEMS) + "\n"
    data += f"{followed.pseudonym},3_month_followup_arm_1,2026-01-15,5,5,4,4,2\n" * 2
    # when the export is uploaded
    reply = event_step(cast, data)
    # then the event is shown with its two rows, and the 3-month time point is chosen for it
    form = reply.context["form"]  # type: ignore[attr-defined]
    assert [(field.label, count) for field, count in form.rows()] == [("3_month_followup_arm_1", 2)]
    assert form["event_0"].value() == "m3"


def test_nothing_is_written_before_the_events_are_confirmed(
    cast: Cast, followed: Participant
) -> None:
    schedule_with(cast, ("baseline", 0))
    data = "record_id,redcap_event_name,answered_on," + ",".join(ITEMS) + "\n"
    data += f"{followed.pseudonym},baseline_arm_1,2026-01-15,5,5,4,4,2\n"
    event_step(cast, data)
    assert not QuestionnaireResponse.objects.filter(mode=EntryMode.PAPER).exists()


def test_an_event_the_user_maps_fills_that_time_point(cast: Cast, followed: Participant) -> None:
    # given a planned 6-month follow-up and an export naming it "visit_b_arm_2"
    schedule_with(cast, ("m6", 6))
    (six,) = planned(cast, followed).values()
    data = "record_id,redcap_event_name,answered_on," + ",".join(ITEMS) + "\n"
    data += f"{followed.pseudonym},visit_b_arm_2,2026-01-15,5,5,4,4,2\n"
    # when the user says visit b is the 6-month follow-up
    reply = upload(cast, data, choices={"event_0": "m6"})
    # then
    assert reply.status_code == 302  # type: ignore[attr-defined]
    six.refresh_from_db()
    assert six.status == ResponseStatus.SUBMITTED


def test_the_rows_of_a_skipped_event_are_not_imported(cast: Cast, followed: Participant) -> None:
    # given an export with a screening event the user does not want, and one without events
    data = "record_id,redcap_event_name,answered_on," + ",".join(ITEMS) + "\n"
    data += f"{followed.pseudonym},screening_arm_1,2026-01-10,1,1,1,1,1\n"
    data += f"{followed.pseudonym},extra_arm_1,2026-01-15,5,5,4,4,2\n"
    # when the screening is skipped and the other has no time point
    reply = upload(cast, data, choices={"event_0": "--skip", "event_1": "-"})
    # then only the other is imported
    assert reply.status_code == 302  # type: ignore[attr-defined]
    (imported,) = QuestionnaireResponse.objects.filter(mode=EntryMode.PAPER)
    assert imported.scores.get(is_current=True).value == 80


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ("baseline_arm_1", "t0"),
        ("screening_arm_2", "t0"),
        ("Oppstart (Arm 1: Kontroll)", "t0"),
        ("3_month_followup_arm_1", "f3"),
        ("month_6_arm_2", "f6"),
        ("oppfolging_12mnd_arm_1", "f12"),
        ("1_år_arm_1", "f12"),
        ("avslutning_arm_1", "end"),
        ("f6", "f6"),
        ("visit_b_arm_1", ""),
    ],
)
def test_the_time_point_of_an_event_is_guessed_from_its_name(event: str, expected: str) -> None:
    from samvirke.evaluation.redcap_import import Occasion, guess_time_point

    occasions = [
        Occasion("t0", "enrolment", 0),
        Occasion("f3", "enrolment", 3),
        Occasion("f6", "enrolment", 6),
        Occasion("f12", "enrolment", 12),
        Occasion("end", "end", 0),
    ]
    assert guess_time_point(event, occasions) == expected


def labels_export(cast: Cast, followed: Participant, third: str = "") -> str:
    """REDCap's label export of WHO-5: field labels as headers, choice labels as cells."""
    dictionary = list(csv.reader(io.StringIO(dictionary_of(cast))))[1:]
    labels = {row[0]: row[4] for row in dictionary}
    choices = {
        row[0]: {
            code.strip(): label.strip()
            for code, _, label in (part.partition(",") for part in row[5].split("|"))
        }
        for row in dictionary
        if row[5]
    }
    data = io.StringIO()
    writer = csv.writer(data)
    writer.writerow([labels["study_id"], labels["answered_on"], *[labels[i] for i in ITEMS]])
    cells = [choices[item][value] for item, value in zip(ITEMS, "55442", strict=True)]
    cells[2] = third or cells[2]
    writer.writerow([followed.pseudonym, "2026-01-15", *cells])
    return data.getvalue()


def test_a_label_export_is_read_back_to_codes_with_the_dictionary(
    cast: Cast, followed: Participant
) -> None:
    # when REDCap's label export is imported with the data dictionary
    reply = upload(cast, labels_export(cast, followed), dictionary_of(cast))
    # then the answers are the codes of the labels
    assert reply.status_code == 302  # type: ignore[attr-defined]
    imported = QuestionnaireResponse.objects.get(participant=followed, mode=EntryMode.PAPER)
    answers = dict(ItemAnswer.objects.filter(response=imported).values_list("item__key", "value"))
    assert answers == dict(zip(ITEMS, [5, 5, 4, 4, 2], strict=True))


def test_an_unknown_label_is_named_by_its_redcap_column_and_row(
    cast: Cast, followed: Participant
) -> None:
    # given a label export whose third question holds a label WHO-5 does not have
    export = labels_export(cast, followed, third="Nesten aldri")
    header = next(csv.reader(io.StringIO(export)))
    # when
    reply = upload(cast, export, dictionary_of(cast))
    # then the row and the column as REDCap headed it are named, and nothing is written
    html = reply.content.decode()  # type: ignore[attr-defined]
    assert reply.status_code == 400  # type: ignore[attr-defined]
    assert f"<td>2</td><td>{header[4]}</td>" in html
    assert not QuestionnaireResponse.objects.filter(mode=EntryMode.PAPER).exists()


def test_a_column_problem_is_shown_right_after_the_upload(
    cast: Cast, followed: Participant
) -> None:
    data = "record_id,answered_on,who5_1,mood\n" + f"{followed.pseudonym},2026-01-15,5,2\n"
    reply = event_step(cast, data)
    assert reply.status_code == 400  # type: ignore[attr-defined]
    assert "<td>1</td><td>mood</td>" in reply.content.decode()  # type: ignore[attr-defined]
