"""The member-import pages: who may use them, the three steps, and junk uploads."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samvirke.mapping import imports
from samvirke.mapping.models import ImportBatch, ImportStatus, Mapping
from samvirke.participants.models import Participant
from tests.conftest import Cast, sign_in
from tests.factories import MunicipalityFactory
from tests.mapping.factories import OccupationFactory

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SURVEY = (
    "Medlemsnummer;Namn;Födelseår;Kommunkod;Yrkeskod;Intressen;Samtycke uppföljning\n"
    "A-1;Karin Berg;1980;2380;5120;musik;ja\n"
    "A-2;Olle Ek;1975;2380;;it;nej\n"
).encode()


def upload_url(cast: Cast) -> str:
    return reverse("mapping:import", args=[cast.programme.slug])


def batch_url(cast: Cast, batch: ImportBatch) -> str:
    return reverse("mapping:import_batch", args=[cast.programme.slug, batch.public_id])


def upload(client: Client, cast: Cast, content: bytes, *, subproject: int | None = None) -> object:
    return client.post(
        upload_url(cast),
        {
            "subproject": subproject or cast.subproject.pk,
            "country": "SE",
            "file": SimpleUploadedFile("medlemmar.csv", content, content_type="text/csv"),
        },
    )


def column_data(batch: ImportBatch, action: str) -> dict[str, str]:
    headers = imports.read_table(bytes(batch.content)).headers
    data = {
        imports.column_field_name(index): target
        for index, target in enumerate(imports.guess_columns(headers))
    }
    data["action"] = action
    return data


@pytest.fixture
def classifications(db: None) -> None:
    OccupationFactory(code="5120", label_en="Cooks")
    MunicipalityFactory(country="SE", code="2380", name="Östersund")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("leader", 200),
        ("coordinator", 200),
        ("contact", 200),
        ("guide", 403),
        ("researcher", 403),
        ("participant", 403),
        ("outsider", 404),
    ],
)
def test_managers_and_contact_persons_may_import_members(
    cast: Cast, client_for, role: str, status: int
) -> None:
    # when
    response = client_for(role).get(upload_url(cast))
    # then
    assert response.status_code == status


def test_a_contact_person_cannot_import_into_another_subproject(cast: Cast, client_for) -> None:
    # when
    response = upload(client_for("contact"), cast, SURVEY, subproject=cast.other_subproject.pk)
    # then
    assert response.status_code == 400
    assert not ImportBatch.objects.exists()


def test_someone_else_cannot_open_an_uploaded_file(cast: Cast, client_for) -> None:
    # given
    upload(client_for("contact"), cast, SURVEY)
    batch = ImportBatch.objects.get()
    # when
    response = client_for("coordinator").get(batch_url(cast, batch))
    # then
    assert response.status_code == 404


def test_an_unreadable_file_is_refused_on_upload_with_a_message(cast: Cast, client_for) -> None:
    # when
    response = upload(client_for("contact"), cast, "id;namn\n1;Åsa\n".encode("latin-1"))
    # then
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()


def test_the_column_page_preselects_fields_from_the_headers(cast: Cast, client_for) -> None:
    # given
    client = client_for("contact")
    upload(client, cast, SURVEY)
    batch = ImportBatch.objects.get()
    # when
    response = client.get(batch_url(cast, batch))
    # then
    assert response.status_code == 200
    form = response.context["form"]
    assert form[imports.column_field_name(0)].initial == "member_id"
    assert form[imports.column_field_name(2)].initial == "birth_year"


def test_a_check_shows_what_would_happen_and_an_import_does_it(
    cast: Cast, client_for, classifications: None
) -> None:
    # given
    client = client_for("contact")
    assert upload(client, cast, SURVEY).status_code == 302
    batch = ImportBatch.objects.get()
    # when
    checked = client.post(batch_url(cast, batch), column_data(batch, "check"))
    imported = client.post(batch_url(cast, batch), column_data(batch, "import"))
    done = client.get(batch_url(cast, batch))
    # then
    assert checked.status_code == 200 and checked.context["outcome"].counts.mappings_created == 1
    assert imported.status_code == 302
    assert done.status_code == 200
    assert Participant.objects.filter(subprojects=cast.subproject).count() == 2
    assert Mapping.objects.count() == 1
    assert ImportBatch.objects.get().status == ImportStatus.IMPORTED


def test_a_file_with_problems_is_answered_with_the_report_and_status_400(
    cast: Cast, client_for, classifications: None
) -> None:
    # given
    client = client_for("contact")
    upload(client, cast, SURVEY.replace(b";1975;", b";1750;"))
    batch = ImportBatch.objects.get()
    # when
    response = client.post(batch_url(cast, batch), column_data(batch, "import"))
    # then
    assert response.status_code == 400
    assert [(e.row, e.column) for e in response.context["errors"]] == [(3, "Födelseår")]
    assert not Participant.objects.exists()


def test_a_column_mapping_without_a_member_id_is_answered_with_status_400(
    cast: Cast, client_for
) -> None:
    # given
    client = client_for("contact")
    upload(client, cast, SURVEY)
    batch = ImportBatch.objects.get()
    data = column_data(batch, "check")
    data[imports.column_field_name(0)] = ""
    # when
    response = client.post(batch_url(cast, batch), data)
    # then
    assert response.status_code == 400


@FUZZ
@given(content=st.binary(max_size=2000))
def test_random_bytes_as_an_upload_never_give_a_server_error(
    cast: Cast, client_for, content: bytes
) -> None:
    # when
    response = upload(client_for("contact"), cast, content)
    # then
    assert response.status_code in {302, 400}


cells = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)


@FUZZ
@given(
    rows=st.lists(st.lists(cells, min_size=1, max_size=6), min_size=1, max_size=6),
    delimiter=st.sampled_from([",", ";"]),
    action=st.sampled_from(["check", "import"]),
)
def test_random_csv_through_all_steps_never_gives_a_server_error(
    cast: Cast, client_for, rows: list[list[str]], delimiter: str, action: str
) -> None:
    # given
    client = client_for("contact")
    content = "\n".join(delimiter.join(row) for row in rows).encode()
    # when
    uploaded = upload(client, cast, content)
    # then
    assert uploaded.status_code in {302, 400}
    if uploaded.status_code == 302:
        batch = ImportBatch.objects.latest("created_at")
        headers = imports.read_table(bytes(batch.content)).headers
        data = {imports.column_field_name(0): "member_id", "action": action}
        for index in range(1, len(headers)):
            data[imports.column_field_name(index)] = list(imports.ImportField.values)[
                index % len(imports.ImportField.values)
            ]
        response = client.post(batch_url(cast, batch), data)
        assert response.status_code in {200, 302, 400}


@pytest.mark.django_db
def test_the_template_file_has_headers_the_import_recognises_in_the_users_language(
    cast: Cast,
) -> None:
    # given
    client = sign_in(Client(), cast.coordinator)
    client.cookies["django_language"] = "sv"
    # when
    response = client.get(reverse("mapping:import_template", args=[cast.programme.slug]))
    # then
    table_headers = response.content.decode("utf-8-sig").strip().split(";")
    assert "Member id" not in table_headers
    guessed = imports.guess_columns(table_headers)
    assert "" not in guessed
    assert len(set(guessed)) == len(imports.ImportField.choices) - 1
