"""CSV/XLSX export of what a user may see, and the import of a measure's spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from samvirke.accounts.permissions import Access, access_for
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction, AuditEntry
from samvirke.measures import imports
from samvirke.measures.models import (
    Attendance,
    Enrolment,
    EnrolmentNote,
    EnrolmentStatusChange,
    Measure,
    MeasureSession,
)
from samvirke.measures.services import record_attendance
from samvirke.participants.models import Participant
from tests.conftest import Cast, sign_in
from tests.factories import ParticipantFactory
from tests.measures.people import enrol, followed, measure_in, url

pytestmark = pytest.mark.django_db

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
MONDAYS = [dt.date(2026, 3, 2), dt.date(2026, 3, 9)]


def staff(cast: Cast, role: str) -> Client:
    return sign_in(Client(), cast.user(role), second_factor=role not in {"user_rep"})


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def with_sessions(cast: Cast) -> Measure:
    measure = measure_in(cast, name_nb='=HYPERLINK("x")', capacity=10)
    for day in MONDAYS:
        start = dt.datetime.combine(day, dt.time(10), tzinfo=OSLO)
        MeasureSession.objects.create(
            measure=measure, starts_at=start, ends_at=start + dt.timedelta(hours=2)
        )
    return measure


def people_in(cast: Cast, measure: Measure) -> tuple[Participant, Enrolment]:
    participant = followed(cast)
    enrolment = enrol(cast, measure, participant, start_now=True)
    EnrolmentNote.objects.create(enrolment=enrolment, text="Secret note", author=cast.guide)
    session = measure.sessions.first()
    assert session is not None
    record_attendance(
        actor=Actor.of_user(cast.guide), session=session, marks={enrolment.pk: (False, "ill")}
    )
    return participant, enrolment


# --- Export --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "contact", "guide"])
def test_those_who_work_in_the_measure_export_pseudonyms_never_names_or_notes(
    cast: Cast, role: str
) -> None:
    # given
    measure = with_sessions(cast)
    participant, _enrolment = people_in(cast, measure)
    client = staff(cast, role)
    # when
    enrolments = client.post(url("enrolments_export", cast, measure.pk), {"format": "csv"})
    attendance = client.post(url("attendance_export", cast, measure.pk), {"format": "xlsx"})
    # then
    assert enrolments.status_code == attendance.status_code == 200
    rows = csv_rows(enrolments.content)
    assert rows[1][0] == participant.pseudonym
    assert rows[1][-1] == "0"  # attendance rate: absent at the one recorded session
    text = enrolments.content.decode("utf-8-sig")
    assert "Testa" not in text and "Secret note" not in text
    sheet = load_workbook(io.BytesIO(attendance.content)).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][0] == "2026-03-02"
    assert values[1][2] == participant.pseudonym
    assert "Testa" not in str(values)
    exports = AuditEntry.objects.filter(action=AuditAction.EXPORT)
    assert sorted(e.detail["export"] for e in exports) == ["attendance", "enrolments"]
    assert all(e.detail["rows"] == 1 for e in exports)


@pytest.mark.parametrize("what", ["enrolments_export", "attendance_export"])
def test_a_get_of_a_download_of_people_is_refused_and_writes_nothing(cast: Cast, what: str) -> None:
    # given
    measure = with_sessions(cast)
    people_in(cast, measure)
    client = staff(cast, "coordinator")
    before = AuditEntry.objects.count()
    # when
    response = client.get(url(what, cast, measure.pk) + "?format=csv")
    # then
    assert response.status_code == 405
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_the_posted_download_answers_the_file_in_the_format_of_the_button(
    cast: Cast, fmt: str, content_type: str
) -> None:
    # given
    measure = with_sessions(cast)
    people_in(cast, measure)
    client = staff(cast, "coordinator")
    # when
    response = client.post(url("enrolments_export", cast, measure.pk), {"format": fmt})
    # then
    day = timezone.localdate().isoformat()
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="{measure.pk}-hyperlinkx-enrolments-{day}.{fmt}"'
    )


def test_the_measure_page_offers_each_download_as_a_post_button(cast: Cast) -> None:
    # given
    measure = with_sessions(cast)
    client = staff(cast, "coordinator")
    # when
    html = client.get(url("measure", cast, measure.pk)).content.decode()
    # then
    for what in ("enrolments_export", "attendance_export"):
        assert f'<form method="post" action="{url(what, cast, measure.pk)}"' in html
        assert f'href="{url(what, cast, measure.pk)}' not in html
    assert 'name="format" value="xlsx"' in html


@pytest.mark.parametrize("role", ["researcher", "user_rep"])
def test_researchers_and_user_representatives_export_the_catalogue_without_people(
    cast: Cast, role: str
) -> None:
    # given
    measure = with_sessions(cast)
    people_in(cast, measure)
    client = staff(cast, role)
    # when
    catalogue = client.get(url("measures_export", cast) + "?format=csv")
    enrolments = client.post(url("enrolments_export", cast, measure.pk))
    attendance = client.post(url("attendance_export", cast, measure.pk))
    # then
    assert catalogue.status_code == 200
    row = csv_rows(catalogue.content)[1]
    assert row[-3:] == ["", "", ""]  # no counts of people
    assert enrolments.status_code == attendance.status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_catalogue_counts_people_for_those_who_see_them(cast: Cast) -> None:
    # given
    measure = with_sessions(cast)
    people_in(cast, measure)
    # when
    response = staff(cast, "coordinator").get(url("measures_export", cast) + "?format=xlsx")
    # then
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    row = [cell.value for cell in next(sheet.iter_rows(min_row=2))]
    assert row[7] == 10 and row[-3:] == [1, 0, 0]


def test_a_cell_that_would_run_as_a_formula_is_quoted(cast: Cast) -> None:
    # given
    with_sessions(cast)
    client = staff(cast, "coordinator")
    # when
    as_csv = client.get(url("measures_export", cast) + "?format=csv")
    as_xlsx = client.get(url("measures_export", cast) + "?format=xlsx")
    # then
    assert csv_rows(as_csv.content)[1][0] == '\'=HYPERLINK("x")'
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).worksheets[0]
    assert sheet.cell(row=2, column=1).value == '\'=HYPERLINK("x")'
    assert sheet.cell(row=2, column=1).data_type == "s"


def test_a_full_width_formula_and_a_comma_in_a_cell_stay_text(cast: Cast) -> None:
    # given
    measure_in(cast, name_nb="＝HYPERLINK(0),=1+1", capacity=10)
    client = staff(cast, "coordinator")
    # when
    as_csv = client.get(url("measures_export", cast) + "?format=csv")
    # then
    assert csv_rows(as_csv.content)[1][0] == "'＝HYPERLINK(0),=1+1"
    assert '"\'＝HYPERLINK(0),=1+1"' in as_csv.content.decode("utf-8-sig")


# --- Import --------------------------------------------------------------------------------------


def sheet_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def spreadsheet(participants: list[Participant]) -> bytes:
    """The common sheet: one row per participant per session."""
    rows = [["Deltaker", "Henvist av", "Henvist dato", "Status", "Dato", "Til stede", "Fravær"]]
    for index, participant in enumerate(participants):
        rows.append([participant.pseudonym, "NAV", "2026-02-20", "aktiv", "2026-03-02", "ja", ""])
        away = index % 2 == 1
        rows.append(
            [participant.pseudonym, "", "", "", "09.03.2026", "nei" if away else "ja",
             "syk" if away else ""]
        )  # fmt: skip
    return sheet_csv(rows)


def upload(client: Client, measure: Measure, cast: Cast, content: bytes, name: str) -> str:
    response = client.post(
        url("measure_import", cast, measure.pk), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    found = re.search(r'name="upload" value="([^"]+)"', response.content.decode())
    assert found
    return found.group(1)


def guessed(content: bytes) -> dict[str, str]:
    table = imports.read_table(content)
    return {
        imports.column_field_name(i): target
        for i, target in enumerate(imports.guess_columns(table.headers))
    }


def import_file(
    client: Client, cast: Cast, measure: Measure, content: bytes, *, action: str = "import"
) -> tuple[int, str]:
    token = upload(client, measure, cast, content, "tiltak.csv")
    data = {"upload": token, "action": action, **guessed(content)}
    response = client.post(url("measure_import", cast, measure.pk), data, follow=True)
    return response.status_code, response.content.decode()


def state(measure: Measure) -> list[object]:
    return [
        sorted(Enrolment.objects.filter(measure=measure).values_list("participant", "status")),
        sorted(
            Attendance.objects.filter(session__measure=measure).values_list(
                "session", "enrolment", "present", "absent_reason", "updated_at"
            )
        ),
        EnrolmentStatusChange.objects.filter(enrolment__measure=measure).count(),
        AuditEntry.objects.filter(action__in=["create", "update"]).count(),
    ]


def test_the_spreadsheet_is_imported_and_importing_it_again_changes_nothing(cast: Cast) -> None:
    # given
    measure = with_sessions(cast)
    participants = [followed(cast) for _ in range(3)]
    content = spreadsheet(participants)
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.guide)
    # when
    first_status, _first = import_file(client, cast, measure, content)
    after_first = state(measure)
    second_status, second = import_file(client, cast, measure, content)
    # then
    assert first_status == second_status == 200
    enrolments = Enrolment.objects.filter(measure=measure)
    assert sorted(enrolments.values_list("status", flat=True)) == ["active"] * 3
    assert set(enrolments.values_list("referral_source", flat=True)) == {"nav"}
    attendance = Attendance.objects.filter(session__measure=measure)
    assert attendance.count() == 6
    assert list(attendance.filter(present=False).values_list("absent_reason", flat=True)) == ["ill"]
    assert state(measure) == after_first
    assert "0 participants enrolled." in second
    assert "9 unchanged: already recorded." in second  # three enrolments, six attendances


def test_the_import_writes_what_the_services_would(cast: Cast) -> None:
    # given: one measure filled in by hand, another by the import, from the same sheet
    by_hand, imported = with_sessions(cast), with_sessions(cast)
    participant = followed(cast)
    content = spreadsheet([participant])
    # when
    enrolment = enrol(cast, by_hand, participant, referred_on=dt.date(2026, 2, 20), start_now=True)
    for session in by_hand.sessions.all():
        record_attendance(
            actor=Actor.of_user(cast.guide), session=session, marks={enrolment.pk: (True, "")}
        )
    import_file(staff(cast, "guide"), cast, imported, content)
    # then
    fields = ("status", "referral_source", "referred_on", "started_on", "ended_on", "position")
    mine = Enrolment.objects.filter(measure=by_hand).values(*fields).get()
    theirs = Enrolment.objects.filter(measure=imported).values(*fields).get()
    assert mine == theirs
    assert sorted(
        Attendance.objects.filter(session__measure=by_hand).values_list("present", flat=True)
    ) == sorted(
        Attendance.objects.filter(session__measure=imported).values_list("present", flat=True)
    )


def test_one_bad_row_and_nothing_is_imported_with_every_problem_in_the_report(
    cast: Cast,
) -> None:
    # given
    measure = with_sessions(cast)
    good, stranger = followed(cast), ParticipantFactory(programme=cast.programme)
    content = sheet_csv(
        [
            ["Pseudonym", "Referred by", "Referred on", "Status", "Date", "Present", "Fravær"],
            [good.pseudonym, "nav", "2026-02-20", "active", "2026-03-02", "yes", ""],
            [stranger.pseudonym, "nav", "2026-02-20", "active", "2026-03-02", "yes", ""],
            ["NO-NOPE-X", "nav", "2026-02-20", "active", "2026-03-02", "yes", ""],
            [good.pseudonym, "", "", "", "2026-04-01", "yes", ""],
            [good.pseudonym, "", "31.02.2026", "", "2026-03-09", "maybe", ""],
            [good.pseudonym, "", "", "lost", "", "", ""],
        ]
    )
    before = state(measure)
    # when
    status, page = import_file(staff(cast, "guide"), cast, measure, content)
    # then
    assert status == 400
    assert state(measure) == before
    assert re.findall(r'<td class="num">(\d+)</td><td>([^<]*)</td>', page) == [
        ("3", "Pseudonym"),  # not followed by the guide
        ("4", "Pseudonym"),  # nobody
        ("5", "Date"),  # no session that day
        ("6", "Referred on"),  # 31 February
        ("6", "Present"),  # maybe
        ("7", "Status"),  # unknown status
    ]


def test_the_report_is_in_the_users_language(cast: Cast) -> None:
    # given
    measure = with_sessions(cast)
    participant = followed(cast)
    content = sheet_csv(
        [["Deltagare", "Status", "Datum", "Närvarande"], [participant.pseudonym, "waiting", "", ""]]
    )
    table = imports.read_table(content)
    columns = ["pseudonym", "status", "session_date", "present"]
    # when
    with translation.override("sv"):
        plan = imports.check(_access(cast, "contact"), measure, table, columns)
        expected = translation.gettext("The waiting list is kept by the system.")
    # then
    assert expected != "The waiting list is kept by the system."
    assert [error.message for error in plan.errors] == [expected]
    assert plan.errors[0].column == "Status" and plan.errors[0].row == 2


def _access(cast: Cast, role: str) -> Access:
    return access_for(cast.user(role), cast.programme)


def test_the_import_report_on_the_page_is_in_swedish(cast: Cast) -> None:
    # given
    measure = with_sessions(cast)
    participant = followed(cast)
    content = sheet_csv([["Pseudonym", "Status"], [participant.pseudonym, "waiting"]])
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="sv"), cast.guide)
    # when
    status, page = import_file(client, cast, measure, content, action="check")
    # then
    with translation.override("sv"):
        expected = translation.gettext("The waiting list is kept by the system.")
    assert status == 400
    assert expected in page.replace("&#x27;", "'")


def test_a_pseudonym_the_user_does_not_follow_is_unknown(cast: Cast) -> None:
    # given: a participant of another subproject, not guided by the guide
    measure = with_sessions(cast)
    other = ParticipantFactory(programme=cast.programme, subprojects=[cast.other_subproject])
    table = imports.read_table(sheet_csv([["pseudonym", "referred by", "referred on"],
                                          [other.pseudonym, "nav", "2026-02-20"]]))  # fmt: skip
    # when
    plan = imports.check(_access(cast, "guide"), measure, table, ["pseudonym", "referral_source",
                                                                  "referred_on"])  # fmt: skip
    # then
    assert len(plan.errors) == 1 and plan.errors[0].column == "pseudonym"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("coordinator", 200),
        ("contact", 200),
        ("guide", 200),
        ("user_rep", 403),
        ("researcher", 403),
        ("participant", 403),
        ("outsider", 404),
    ],
)
def test_who_may_import(cast: Cast, role: str, expected: int) -> None:
    # given
    measure = with_sessions(cast)
    client = sign_in(
        Client(), cast.user(role), second_factor=role not in {"user_rep", "participant"}
    )
    # when
    response = client.post(
        url("measure_import", cast, measure.pk),
        {"file": SimpleUploadedFile("x.csv", b"pseudonym\nNO-X\n")},
    )
    # then
    assert response.status_code == expected


def test_an_xlsx_file_is_read_too(cast: Cast) -> None:
    # given
    measure = with_sessions(cast)
    participant = followed(cast)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Pseudonym", "Henvist av", "Henvist dato"])
    sheet.append([participant.pseudonym, "NAV", dt.date(2026, 2, 20)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    # when
    status, _page = import_file(staff(cast, "contact"), cast, measure, buffer.getvalue())
    # then
    assert status == 200
    assert Enrolment.objects.get(measure=measure).referred_on == dt.date(2026, 2, 20)


def test_a_forged_or_foreign_upload_token_is_refused(cast: Cast) -> None:
    # given
    measure, other = with_sessions(cast), with_sessions(cast)
    client = staff(cast, "guide")
    token = upload(client, other, cast, b"pseudonym\nNO-X\n", "x.csv")
    # when
    foreign = client.post(url("measure_import", cast, measure.pk), {"upload": token})
    forged = client.post(url("measure_import", cast, measure.pk), {"upload": token + "x"})
    # then
    assert foreign.status_code == forged.status_code == 400


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=st.one_of(st.binary(max_size=2000), st.text(max_size=500).map(str.encode)))
def test_a_junk_upload_never_answers_500(cast: Cast, content: bytes) -> None:
    # given
    measure = Measure.objects.filter(programme=cast.programme).first() or with_sessions(cast)
    client = Client(raise_request_exception=True)
    sign_in(client, cast.coordinator)
    # when
    response = client.post(
        url("measure_import", cast, measure.pk), {"file": SimpleUploadedFile("x.csv", content)}
    )
    if response.status_code == 200:
        token = re.search(r'name="upload" value="([^"]+)"', response.content.decode())
        assert token
        response = client.post(
            url("measure_import", cast, measure.pk),
            {"upload": token.group(1), "action": "import", "column_0": "pseudonym"},
        )
    # then
    assert response.status_code < 500
