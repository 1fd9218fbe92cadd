"""The pseudonymised research export of resource mapping data, and its codebook."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.evaluation.exports import birth_year_band, header
from samvirke.evaluation.models import ResearchExport
from samvirke.mapping.services import EducationEntry, MappingAnswers, WorkEntry, record_mapping
from samvirke.participants.models import Consent, Participant
from samvirke.participants.services import Identity, give_consent, withdraw_consent
from samvirke.programmes.models import Subproject
from tests.conftest import Cast, sign_in
from tests.factories import MunicipalityFactory, ParticipantFactory
from tests.mapping.factories import EducationLevelFactory, OccupationFactory

SECRET = "Zyxwvutsrq"  # appears nowhere in Samvirke but in what a person typed


def answers(**overrides: object) -> MappingAnswers:
    values: dict[str, object] = {
        "skill_codes": ["cooking"],
        "items": {"interest": ["cooking", "gardening"], "goal": ["enterprise"]},
        "hours_per_week": 12,
        "work": [
            WorkEntry(title="kokk", occupation_code="5120", paid=True),
            WorkEntry(title="renholder", occupation_code="9112", paid=True),
            WorkEntry(title="frivillig", occupation_code="", paid=False),
        ],
        "education": [EducationEntry(level_code="3"), EducationEntry("6", completed=False)],
        "life_situation": [("housing", "self", "green"), ("housing", "guide", "yellow")],
    }
    values.update(overrides)
    return MappingAnswers(**values)  # type: ignore[arg-type]


@pytest.fixture
def classifications(db: None) -> None:
    OccupationFactory(code="5120", label_en="Cooks")
    OccupationFactory(code="9112", label_en="Cleaners")
    EducationLevelFactory(code="3", label_en="Upper secondary education")
    EducationLevelFactory(code="6", label_en="Bachelor's or equivalent level")


def mapped_participant(
    cast: Cast,
    *,
    research: bool = True,
    filled_on: dt.date | None = None,
    **fields: object,
) -> Participant:
    identity = fields.pop("identity", None)
    mapping = fields.pop("answers", None) or answers()
    record = ParticipantFactory(
        programme=cast.programme, subprojects=[cast.subproject], identity=identity, **fields
    )
    give_consent(
        actor=Actor.of_user(cast.coordinator),
        participant=record,
        purpose="follow_up",
        method="paper",
    )
    record_mapping(
        actor=Actor.of_user(cast.guide),
        participant=record,
        filled_by="guide",
        filled_on=filled_on or timezone.localdate(),
        answers=mapping,  # type: ignore[arg-type]
    )
    if research:
        give_consent(
            actor=Actor.of_user(cast.coordinator),
            participant=record,
            purpose="research",
            method="paper",
        )
    return record


def research_consent(record: Participant) -> Consent:
    return record.consents.get(purpose="research", withdrawn_at__isnull=True)


def file_url(cast: Cast) -> str:
    return reverse("evaluation:research_data_file", args=[cast.programme.slug])


def crowd(cast: Cast, count: int = 4) -> list[Participant]:
    """Consenting, mapped participants born in 1950, so that an export may be made at all."""
    return [mapped_participant(cast, birth_year=1950) for _ in range(count)]


def ask(client: Client, url: str, form: dict[str, str]) -> HttpResponse:
    """POST for a file; the task queued on commit runs (the tests' backend: at once)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, form)  # type: ignore[return-value]


def post(client: Client, cast: Cast, **form: str) -> HttpResponse:
    """Ask for the resource mapping file (the evaluation dataset has tests of its own)."""
    return ask(client, file_url(cast), {"dataset": "mapping", **form})


def fetch(client: Client, asked: HttpResponse) -> HttpResponse:
    """Follow a queued export (the tests' task backend runs it at once) to its download."""
    assert asked.status_code == 302, asked.content[:300]
    page = asked["Location"]
    assert client.get(page).status_code == 200
    return client.post(f"{page}download")  # type: ignore[return-value]


def fetched(client: Client, asked: HttpResponse) -> bytes:
    response = fetch(client, asked)
    assert response.status_code == 200
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def download(client: Client, cast: Cast, **form: str) -> bytes:
    return fetched(client, post(client, cast, **form))


def rows_of(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def row_born(rows: list[dict[str, str]], band: str) -> dict[str, str]:
    [row] = [row for row in rows if row["birth_year_band"] == band]
    return row


@pytest.mark.django_db
def test_a_researcher_downloads_the_coded_current_mapping_of_a_consenting_participant(
    cast: Cast, classifications: None
) -> None:
    # given
    municipality = MunicipalityFactory(country="NO", code="5001", name="Trondheim")
    record = mapped_participant(cast, birth_year=1987, gender="woman", municipality=municipality)
    crowd(cast)
    client = sign_in(Client(), cast.researcher)
    # when
    row = row_born(rows_of(download(client, cast)), "1985-1989")
    # then
    assert row["study_id"] != record.pseudonym
    assert row["country"] == "NO"
    assert row["gender"] == "woman"
    assert row["region_code"] == "50"
    assert row["subprojects"] == cast.subproject.name
    assert row["mapping_version"] == "1"
    assert row["mapping_month"] == "0"
    assert row["filled_by"] == "guide"
    assert row["isco08_major_groups"] == "5;9"
    assert (row["paid_work_count"], row["voluntary_work_count"]) == ("2", "1")
    assert row["isced_highest_completed"] == "3"
    assert row["skills"] == "cooking"
    assert row["interests"] == "cooking;gardening"
    assert row["goals"] == "enterprise"
    assert row["resources"] == row["support_needs"] == ""
    assert row["hours_per_week"] == "12"
    assert (row["life_housing_self"], row["life_housing_guide"]) == ("green", "yellow")
    assert row["life_finances_self"] == ""


@pytest.mark.django_db
def test_the_file_opens_in_excel_with_a_byte_order_mark_and_every_column_named(
    cast: Cast, classifications: None
) -> None:
    # given
    crowd(cast, 5)
    client = sign_in(Client(), cast.coordinator)
    # when
    response = fetch(client, post(client, cast))
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    # then
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert content.startswith("\ufeff".encode())
    assert next(csv.reader(io.StringIO(content.decode("utf-8-sig")))) == header()
    assert len(header()) == 19 + 16


@pytest.mark.django_db
def test_a_withdrawn_consent_leaves_the_participant_out_of_the_next_export(
    cast: Cast, classifications: None
) -> None:
    # given
    crowd(cast, 5)
    withdraws = mapped_participant(cast, birth_year=1991)
    never_asked = mapped_participant(cast, birth_year=1972, research=False)
    client = sign_in(Client(), cast.researcher)
    before = [row["birth_year_band"] for row in rows_of(download(client, cast))]
    # when
    withdraw_consent(actor=Actor.of_user(cast.coordinator), consent=research_consent(withdraws))
    after = [row["birth_year_band"] for row in rows_of(download(client, cast))]
    # then
    assert sorted(before) == ["1950-1954"] * 5 + ["1990-1994"]
    assert after == ["1950-1954"] * 5
    assert never_asked.birth_year == 1972


@pytest.mark.django_db
def test_no_identity_pseudonym_or_free_text_ever_reaches_the_file(
    cast: Cast, classifications: None
) -> None:
    # given
    typed = answers(
        other_skills=f"{SECRET}-skills",
        languages=f"{SECRET}-languages",
        goals_in_own_words=f"{SECRET}-goals",
        support_in_own_words=f"{SECRET}-support",
        work=[WorkEntry(title=f"{SECRET}-title", occupation_code="5120")],
        education=[EducationEntry("3", field=f"{SECRET}-field", courses=f"{SECRET}-courses")],
    )
    record = mapped_participant(
        cast,
        answers=typed,
        languages=f"{SECRET}-spoken",
        identity=Identity(
            full_name=f"{SECRET} Nordmann",
            email="zyxwvutsrq@example.test",
            phone="+47 98765432",
            national_id="15076500565",
        ),
    )
    others = crowd(cast)
    client = sign_in(Client(), cast.researcher)
    # when
    content = download(client, cast)
    # then
    assert len(rows_of(content)) == 5
    content = content.lower()
    pseudonyms = [person.pseudonym for person in [record, *others]]
    for needle in [SECRET, "zyxwvutsrq@example.test", "98765432", "15076500565", *pseudonyms]:
        assert needle.lower().encode() not in content
    assert str(record.public_id).encode() not in content


@pytest.mark.django_db
def test_every_version_can_be_chosen_numbered_in_months_since_the_baseline(
    cast: Cast, classifications: None
) -> None:
    # given
    record = mapped_participant(cast, birth_year=1987, filled_on=dt.date(2025, 3, 1))
    record_mapping(
        actor=Actor.of_user(cast.guide),
        participant=record,
        filled_by="self",
        filled_on=dt.date(2025, 9, 1),
        answers=answers(hours_per_week=20),
    )
    crowd(cast)
    client = sign_in(Client(), cast.researcher)
    # when
    current = rows_of(download(client, cast))
    every = rows_of(download(client, cast, versions="all"))
    # then
    row = row_born(current, "1985-1989")
    assert (row["mapping_version"], row["mapping_month"], row["hours_per_week"]) == ("2", "6", "20")
    assert sorted(
        (r["mapping_version"], r["mapping_month"])
        for r in every
        if r["birth_year_band"] == "1985-1989"
    ) == [("1", "0"), ("2", "6")]


@pytest.mark.django_db
def test_every_export_is_logged_with_its_parameters_size_and_checksum_and_never_who(
    cast: Cast, classifications: None
) -> None:
    # given
    records = crowd(cast, 5)
    client = sign_in(Client(), cast.researcher)
    # when
    first = download(client, cast)
    second = download(client, cast, versions="all", dates="shifted", geography="municipality")
    # then
    entries = AuditEntry.objects.filter(action="export").order_by("pk")
    assert [(e.actor, e.programme_id, e.detail["participants"]) for e in entries] == [
        (cast.researcher, cast.programme.pk, 5),
        (cast.researcher, cast.programme.pk, 5),
    ]
    assert [e.detail["sha256"] for e in entries] == [
        hashlib.sha256(first).hexdigest(),
        hashlib.sha256(second).hexdigest(),
    ]
    assert entries[1].detail["parameters"] == {
        "dataset": "mapping",
        "file_format": "csv",
        "layout": "long",
        "all_versions": True,
        "dates": "shifted",
        "geography": "municipality",
        "free_text": False,
    }
    logged = " ".join(f"{e.object_id} {e.object_label} {e.detail}" for e in entries)
    assert not any(r.pseudonym in logged or str(r.public_id) in logged for r in records)
    salts = ResearchExport.objects.values_list("salt", flat=True)
    assert not any(salt in logged for salt in salts)


@pytest.mark.django_db
def test_the_researcher_sees_the_checksum_of_each_export_on_the_page_and_in_the_response(
    cast: Cast, classifications: None
) -> None:
    # given
    crowd(cast, 5)
    client = sign_in(Client(), cast.researcher)
    response = fetch(client, post(client, cast))
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    checksum = hashlib.sha256(content).hexdigest()
    # when
    page = client.get(reverse("evaluation:research_data", args=[cast.programme.slug]))
    # then
    assert response["X-Samvirke-SHA256"] == checksum
    assert checksum in page.content.decode()
    # The browser knows the size, so it shows the download's progress.
    assert response["Content-Length"] == str(len(content))


@pytest.mark.django_db
def test_the_export_makes_as_many_queries_for_ten_participants_as_for_five(
    cast: Cast, classifications: None
) -> None:
    # given
    client = sign_in(Client(), cast.researcher)
    crowd(cast, 5)
    with CaptureQueriesContext(connection) as few:
        download(client, cast, versions="all")
    crowd(cast, 5)
    # when
    with CaptureQueriesContext(connection) as many:
        content = download(client, cast, versions="all")
    # then
    assert len(rows_of(content)) == 10
    assert len(many) == len(few)


@pytest.mark.django_db
def test_a_subproject_name_that_looks_like_a_formula_is_not_run_by_a_spreadsheet(
    cast: Cast, classifications: None
) -> None:
    # given
    Subproject.objects.filter(pk=cast.subproject.pk).update(name='=HYPERLINK("x")')
    crowd(cast, 5)
    client = sign_in(Client(), cast.researcher)
    # when
    rows = rows_of(download(client, cast))
    # then
    assert {row["subprojects"] for row in rows} == {'\'=HYPERLINK("x")'}


@pytest.mark.django_db
def test_a_full_width_formula_and_a_semicolon_in_a_subproject_name_stay_text(
    cast: Cast, classifications: None
) -> None:
    # given
    Subproject.objects.filter(pk=cast.subproject.pk).update(name="＝1+1;=HYPERLINK(0)")
    crowd(cast, 5)
    client = sign_in(Client(), cast.researcher)
    # when
    content = download(client, cast).decode("utf-8-sig")
    # then
    row = rows_of(content.encode("utf-8"))[0]
    assert row["subprojects"] == "'＝1+1;=HYPERLINK(0)"
    assert '"\'＝1+1;=HYPERLINK(0)"' in content


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["versions", "dates", "geography"])
def test_an_unknown_choice_is_refused_and_nothing_is_exported(cast: Cast, field: str) -> None:
    # given
    crowd(cast, 5)
    client = sign_in(Client(), cast.researcher)
    # when
    response = post(client, cast, **{field: "everything"})
    # then
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action="export").exists()
    assert not ResearchExport.objects.exists()


@pytest.mark.django_db
def test_an_export_of_fewer_than_five_people_is_refused_with_a_translated_message(
    cast: Cast, classifications: None
) -> None:
    # given
    crowd(cast, 4)
    mapped_participant(cast, research=False)
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="nb"), cast.researcher)
    # when
    response = post(client, cast)
    # then
    assert response.status_code == 400
    assert "Denne eksporten ville hatt 4 personer" in response.content.decode()
    assert not AuditEntry.objects.filter(action="export").exists()
    assert not ResearchExport.objects.exists()


@pytest.mark.django_db
def test_two_exports_give_the_same_people_unrelated_study_ids_in_study_id_order(
    cast: Cast, classifications: None
) -> None:
    # given
    people = crowd(cast, 6)
    client = sign_in(Client(), cast.researcher)
    # when
    first = [row["study_id"] for row in rows_of(download(client, cast))]
    second = [row["study_id"] for row in rows_of(download(client, cast))]
    # then
    assert len(set(first)) == len(set(second)) == 6
    assert not set(first) & set(second)
    assert first == sorted(first) and second == sorted(second)
    assert not {person.pseudonym for person in people} & set(first + second)


@pytest.mark.django_db
def test_shifted_dates_move_each_persons_dates_by_one_offset_and_keep_the_interval(
    cast: Cast, classifications: None
) -> None:
    # given
    record = mapped_participant(cast, birth_year=1987, filled_on=dt.date(2025, 3, 1))
    record_mapping(
        actor=Actor.of_user(cast.guide),
        participant=record,
        filled_by="self",
        filled_on=dt.date(2025, 9, 1),
        answers=answers(),
    )
    crowd(cast)
    client = sign_in(Client(), cast.researcher)
    # when
    rows = rows_of(download(client, cast, versions="all", dates="shifted"))
    # then
    first, second = sorted(
        dt.date.fromisoformat(r["mapping_date"])
        for r in rows
        if r["birth_year_band"] == "1985-1989"
    )
    assert second - first == dt.date(2025, 9, 1) - dt.date(2025, 3, 1)
    assert 1 <= abs((first - dt.date(2025, 3, 1)).days) <= 182
    assert "mapping_month" not in rows[0]


@pytest.mark.django_db
def test_the_municipality_leaves_as_its_region_unless_it_is_asked_for(
    cast: Cast, classifications: None
) -> None:
    # given
    municipality = MunicipalityFactory(country="SE", code="2380", name="Östersund")
    for _ in range(5):
        mapped_participant(cast, municipality=municipality)
    client = sign_in(Client(), cast.researcher)
    # when
    coarse = rows_of(download(client, cast))
    exact = rows_of(download(client, cast, geography="municipality"))
    # then
    assert {row["region_code"] for row in coarse} == {"23"}
    assert "municipality_code" not in coarse[0]
    assert {row["municipality_code"] for row in exact} == {"2380"}


@pytest.mark.django_db
def test_the_file_cannot_be_fetched_with_a_get(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.researcher)
    # when
    response = client.get(file_url(cast))
    # then
    assert response.status_code == 405


@pytest.mark.django_db
def test_the_page_says_how_many_have_consented_and_how_many_have_a_mapping(
    cast: Cast, classifications: None
) -> None:
    # given
    mapped_participant(cast)
    mapped_participant(cast, research=False)
    unmapped = ParticipantFactory(programme=cast.programme)
    give_consent(
        actor=Actor.of_user(cast.coordinator),
        participant=unmapped,
        purpose="research",
        method="paper",
    )
    client = sign_in(Client(), cast.researcher)
    # when
    response = client.get(reverse("evaluation:research_data", args=[cast.programme.slug]))
    # then
    assert response.status_code == 200
    assert [response.context["consented"], response.context["mapped"]] == [2, 1]


@pytest.mark.django_db
def test_the_codebook_explains_every_column_and_code_in_the_users_language_and_is_dated(
    cast: Cast, classifications: None
) -> None:
    # given
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="sv"), cast.researcher)
    # when
    response = client.get(
        reverse("evaluation:research_codebook", args=[cast.programme.slug]),
        {"codebook-dataset": "mapping"},
    )
    text = response.content.decode()
    # then
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert all(f"| {name} |" in text for name in header())
    assert timezone.localdate().isoformat() in text
    assert "| cooking | matlagning och mat |" in text
    assert "| green |" in text


@pytest.mark.django_db
def test_researchers_and_managers_find_research_data_in_the_menu_and_guides_do_not(
    cast: Cast,
) -> None:
    # given
    url = reverse("evaluation:research_data", args=[cast.programme.slug])
    dashboard = reverse("programmes:dashboard", args=[cast.programme.slug])
    # when
    pages = {
        role: sign_in(Client(), cast.user(role)).get(dashboard).content.decode()
        for role in ["researcher", "coordinator", "guide", "contact"]
    }
    # then
    assert {role for role, page in pages.items() if f'href="{url}"' in page} == {
        "researcher",
        "coordinator",
    }


@pytest.mark.parametrize(
    ("year", "band"), [(1980, "1980-1984"), (1984, "1980-1984"), (2009, "2005-2009"), (None, "")]
)
def test_birth_years_leave_as_five_year_bands(year: int | None, band: str) -> None:
    assert birth_year_band(year) == band


@pytest.mark.django_db
def test_a_participant_without_a_mapping_is_not_a_row(cast: Cast) -> None:
    # given
    record = ParticipantFactory(programme=cast.programme, birth_year=1972)
    give_consent(
        actor=Actor.of_user(cast.coordinator),
        participant=record,
        purpose="research",
        method="paper",
    )
    crowd(cast, 5)
    client = sign_in(Client(), cast.researcher)
    # when
    rows = rows_of(download(client, cast))
    # then
    assert [row["birth_year_band"] for row in rows] == ["1950-1954"] * 5
