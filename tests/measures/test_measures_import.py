"""CSV/XLSX import of the catalogue of measures: one row per measure, all or nothing."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from samvirke.audit.models import AuditEntry
from samvirke.measures.models import Measure
from samvirke.programmes.models import Municipality
from tests.conftest import Cast, sign_in
from tests.factories import MunicipalityFactory
from tests.measures.people import url

pytestmark = pytest.mark.django_db

HEADERS = ["Navn", "Namn", "Type", "Status", "Kommunenummer", "Land", "Delprosjekt", "Plasser"]


def sheet_csv(rows: list[list[str]]) -> bytes:
    return "\n".join(";".join(row) for row in rows).encode()


def oslo() -> Municipality:
    found: Municipality = MunicipalityFactory(country="NO", code="0301", name="Oslo")
    return found


def rows(cast: Cast, places: str = "12") -> list[list[str]]:
    return [
        HEADERS,
        [
            "Jobbklubb",
            "Jobbklubb SV",
            "course",
            "Planned",
            "301",
            "Norge",
            cast.subproject.name,
            places,
        ],
        ["Møteplass", "", "meeting_place", "running", "0301", "NO", cast.subproject.name, ""],
    ]


def manager(cast: Cast, language: str = "en") -> Client:
    return sign_in(Client(HTTP_ACCEPT_LANGUAGE=language), cast.coordinator)


def import_file(
    client: Client, cast: Cast, content: bytes, name: str = "m.csv", action: str = "import"
) -> tuple[int, str]:
    page = client.post(url("measures_import", cast), {"file": SimpleUploadedFile(name, content)})
    assert page.status_code == 200, page.content.decode()[:2000]
    text = page.content.decode()
    token = re.search(r'name="upload" value="([^"]+)"', text)
    assert token
    data = {"upload": token.group(1), "action": action}
    for match in re.finditer(r'name="(column_\d+)"[^>]*>(.*?)</select>', text, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', match.group(2))
        data[match.group(1)] = chosen.group(1) if chosen else ""
    response = client.post(url("measures_import", cast), data, follow=True)
    return response.status_code, response.content.decode()


def catalogue(cast: Cast) -> list[tuple[object, ...]]:
    return sorted(
        Measure.objects.filter(programme=cast.programme).values_list(
            "name_nb", "name_sv", "kind", "status", "municipality__code", "capacity", "updated_at"
        )
    )


def test_the_csv_catalogue_is_imported_and_importing_it_again_changes_nothing(cast: Cast) -> None:
    # given
    oslo()
    client = manager(cast)
    content = sheet_csv(rows(cast))
    # when
    first, _page = import_file(client, cast, content)
    after_first = catalogue(cast)
    audits = AuditEntry.objects.count()
    second, page = import_file(client, cast, content)
    # then
    assert first == second == 200
    assert [row[:6] for row in after_first] == [
        ("Jobbklubb", "Jobbklubb SV", "course", "planned", "0301", 12),
        ("Møteplass", "", "meeting_place", "running", "0301", None),
    ]
    assert catalogue(cast) == after_first
    assert AuditEntry.objects.count() == audits
    assert "2 measures unchanged." in page


def test_an_xlsx_catalogue_is_read_too(cast: Cast) -> None:
    # given
    oslo()
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Name (English)", "Kind", "Municipality", "Subproject", "Places"])
    sheet.append(["Peer group", "peer support", 301, cast.subproject.name, 8])
    buffer = io.BytesIO()
    workbook.save(buffer)
    # when
    status, _page = import_file(manager(cast), cast, buffer.getvalue(), "m.xlsx")
    # then
    assert status == 200
    measure = Measure.objects.get(programme=cast.programme)
    assert (measure.name_nb, measure.name_en, measure.kind, measure.capacity) == (
        "Peer group",
        "Peer group",
        "peer_support",
        8,
    )
    assert measure.country == "NO"


def test_a_changed_row_updates_that_measure_through_the_audited_service(cast: Cast) -> None:
    # given
    oslo()
    client = manager(cast)
    import_file(client, cast, sheet_csv(rows(cast)))
    ids = set(Measure.objects.filter(programme=cast.programme).values_list("pk", flat=True))
    # when
    status, page = import_file(client, cast, sheet_csv(rows(cast, places="20")))
    # then
    assert status == 200
    assert set(Measure.objects.filter(programme=cast.programme).values_list("pk", flat=True)) == ids
    assert Measure.objects.get(name_nb="Jobbklubb").capacity == 20
    assert "1 measure updated." in page
    entry = AuditEntry.objects.filter(action="update").latest("pk")
    assert entry.detail == {"fields": ["capacity"]}


def test_one_bad_row_and_nothing_is_imported_with_every_problem_reported(cast: Cast) -> None:
    # given
    oslo()
    content = sheet_csv(
        [
            *rows(cast),
            ["Ukjent", "", "juggling", "", "0301", "NO", cast.subproject.name, ""],
            ["Ukjent 2", "", "course", "", "9999", "NO", cast.subproject.name, ""],
            ["Ukjent 3", "", "course", "", "0301", "NO", "No such subproject", ""],
            ["Ukjent 4", "", "course", "", "", "NO", cast.subproject.name, "many"],
        ]
    )
    # when
    status, page = import_file(manager(cast), cast, content)
    # then
    assert status == 400
    assert not Measure.objects.filter(programme=cast.programme).exists()
    assert re.findall(r'<td class="num">(\d+)</td><td>([^<]*)</td>', page) == [
        ("4", "Type"),
        ("5", "Kommunenummer"),
        ("6", "Delprosjekt"),
        ("7", "Plasser"),
    ]


def test_the_report_is_in_swedish_for_a_swedish_user(cast: Cast) -> None:
    # given
    oslo()
    content = sheet_csv([HEADERS, ["Ukjent", "", "course", "", "0301", "NO", "Inget sådant", ""]])
    # when
    status, page = import_file(manager(cast, "sv"), cast, content, action="check")
    # then: the page is in Swedish, and so is the problem (once its msgid is translated)
    with translation.override("sv"):
        expected = translation.gettext("The programme has no subproject called “%(name)s”.") % {
            "name": "Inget sådant"
        }
        heading = translation.gettext("Nothing was imported")
    assert heading != "Nothing was imported"
    assert status == 400
    text = page.replace("&#x27;", "'").replace("&amp;", "&")
    assert heading in text and expected in text


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("leader", 200),
        ("coordinator", 200),
        ("contact", 403),
        ("guide", 403),
        ("researcher", 403),
        ("participant", 403),
        ("outsider", 404),
    ],
)
def test_only_managers_import_the_catalogue(cast: Cast, role: str, expected: int) -> None:
    # given
    client = sign_in(Client(), cast.user(role), second_factor=role != "participant")
    # when
    response = client.post(
        url("measures_import", cast), {"file": SimpleUploadedFile("x.csv", b"navn\nX\n")}
    )
    catalogue_page = client.get(url("measures", cast))
    # then
    assert response.status_code == expected
    link = url("measures_import", cast)
    assert (link in catalogue_page.content.decode()) == (expected == 200)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=st.one_of(st.binary(max_size=2000), st.text(max_size=500).map(str.encode)))
def test_a_junk_catalogue_upload_never_answers_500(cast: Cast, content: bytes) -> None:
    # given
    client = Client(raise_request_exception=True)
    sign_in(client, cast.coordinator)
    # when
    response = client.post(url("measures_import", cast), {"file": SimpleUploadedFile("x", content)})
    if response.status_code == 200:
        token = re.search(r'name="upload" value="([^"]+)"', response.content.decode())
        assert token
        response = client.post(
            url("measures_import", cast),
            {
                "upload": token.group(1),
                "action": "import",
                "column_0": "name_nb",
                "column_1": "subproject",
                "column_2": "kind",
            },  # fmt: skip
        )
    # then
    assert response.status_code < 500


@pytest.mark.parametrize("places", ["²", "١٢", "1234567"])
def test_places_that_only_look_like_a_number_are_reported_on_their_row(
    cast: Cast, places: str
) -> None:
    # given
    oslo()
    content = sheet_csv(rows(cast, places=places))
    # when
    status, page = import_file(manager(cast), cast, content)
    # then
    assert status == 400
    assert re.findall(r'<td class="num">(\d+)</td><td>([^<]*)</td>', page) == [("2", "Plasser")]
    assert not Measure.objects.filter(programme=cast.programme).exists()
