"""Importing a member survey: reading the file, choosing columns, checking rows, writing."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from django.utils import timezone, translation
from openpyxl import Workbook

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.imports import reading
from samvirke.mapping import imports
from samvirke.mapping.imports import ImportField, ImportFileError, checking
from samvirke.mapping.models import (
    FilledBy,
    ImportBatch,
    ImportedMember,
    ImportStatus,
    Mapping,
    WorkExperience,
)
from samvirke.mapping.services import (
    EducationEntry,
    MappingAnswers,
    WorkEntry,
    record_mapping,
)
from samvirke.participants.models import Consent, Participant
from samvirke.participants.services import give_consent, reveal_identity, withdraw_consent
from tests.conftest import Cast
from tests.factories import MunicipalityFactory, ParticipantFactory
from tests.mapping.factories import EducationLevelFactory, OccupationFactory, OccupationTitleFactory

HEADER = (
    "Medlemsnummer;Namn;E-post;Födelseår;Kön;Kommunkod;Yrke;Yrkeskod;Utbildningsnivå;"
    "Färdigheter;Intressen;Timmar per vecka;Datum;Samtycke uppföljning;Samtycke forskning"
)
KARIN = (
    "A-1;Karin Berg;karin@example.test;1980;kvinna;2380;kock;5120;3;Matlagning;musik;10;"
    "2023-09-01;ja;nej"
)
OLLE = "A-2;Olle Ek;olle@example.test;1975;man;2380;snickare;;3;;it;;2023-09-01;ja;ja"
STINA = "A-3;Stina Lund;;1990;;;;;;;djur;;2023-09-01;nej;nej"


def survey(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode("utf-8")


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """These tests read the English messages; the Swedish one says so itself."""
    with translation.override("en"):
        yield


@pytest.fixture
def classifications(db: None) -> None:
    OccupationFactory(code="5120", label_en="Cooks", label_sv="Kockar")
    carpenters = OccupationFactory(code="7115", label_en="Carpenters", label_sv="Snickare")
    OccupationTitleFactory(language="sv", title="snickare", occupation=carpenters)
    EducationLevelFactory(code="3", label_en="Upper secondary education")
    MunicipalityFactory(country="SE", code="2380", name="Östersund")


def batch_of(cast: Cast, content: bytes, *, country: str = "SE") -> ImportBatch:
    return imports.create_batch(
        actor=cast.contact,
        programme=cast.programme,
        subproject=cast.subproject,
        country=country,
        filename="medlemmar.csv",
        content=content,
    )


def run(cast: Cast, content: bytes, *, dry_run: bool = False) -> imports.ImportOutcome:
    table = imports.read_table(content)
    return imports.import_members(
        actor=Actor.of_user(cast.contact),
        batch=batch_of(cast, content),
        columns=imports.guess_columns(table.headers),
        dry_run=dry_run,
    )


def imported(cast: Cast, key: str) -> Participant:
    return ImportedMember.objects.get(programme=cast.programme, source_key=key).participant


# --- Reading the file ------------------------------------------------------------------------


def test_a_semicolon_separated_csv_is_read_with_its_header() -> None:
    # when
    table = imports.read_table(survey(KARIN))
    # then
    assert table.headers[:3] == ["Medlemsnummer", "Namn", "E-post"]
    assert table.rows == [(2, KARIN.split(";"))]


def test_a_comma_separated_csv_with_quoted_commas_and_a_byte_order_mark_is_read() -> None:
    # given
    content = '\ufeffmember id,name,skills\n7,"Berg, Karin",cooking;baking\n'.encode()
    # when
    table = imports.read_table(content)
    # then
    assert table.headers == ["member id", "name", "skills"]
    assert table.rows == [(2, ["7", "Berg, Karin", "cooking;baking"])]


def test_blank_rows_are_skipped_but_rows_keep_their_spreadsheet_numbers() -> None:
    # when
    table = imports.read_table(b"id;name\n\n1;Karin\n;\n2;Olle\n")
    # then
    assert [number for number, _cells in table.rows] == [3, 5]


def test_the_first_sheet_of_an_xlsx_workbook_is_read() -> None:
    # given
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Member id", "Birth year", "Date", "Consent to follow-up"])
    sheet.append([101, 1980, dt.date(2023, 9, 1), True])
    workbook.create_sheet("Notes").append(["not", "read"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    # when
    table = imports.read_table(buffer.getvalue())
    # then
    assert table.headers == ["Member id", "Birth year", "Date", "Consent to follow-up"]
    assert table.rows == [(2, ["101", "1980", "2023-09-01", "yes"])]


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message() -> None:
    # when
    with pytest.raises(ImportFileError) as error:
        imports.read_table("id;namn\n1;Åsa\n".encode("latin-1"))
    # then
    assert "UTF-8" in str(error.value)


def test_a_damaged_workbook_is_refused() -> None:
    # when / then
    with pytest.raises(ImportFileError):
        imports.read_table(b"PK\x03\x04" + b"\x00" * 100)


def test_a_file_with_more_rows_than_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # given
    monkeypatch.setattr(reading, "MAX_ROWS", 2)
    # when
    with pytest.raises(ImportFileError) as error:
        imports.read_table(b"id\n1\n2\n3\n")
    # then
    assert "more than 2 rows" in str(error.value)


def test_a_file_larger_than_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # given
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 10)
    # when / then
    with pytest.raises(ImportFileError):
        imports.read_table(b"id\n1\n2\n3\n4\n5\n")


# --- Choosing the columns --------------------------------------------------------------------


def test_headers_in_norwegian_swedish_and_english_are_preselected() -> None:
    # when
    guessed = imports.guess_columns(
        ["Medlemsnr", "Fødselsår", "Kön", "E-mail", "Interesser", "Samtycke till uppföljning", "?"]
    )
    # then
    assert guessed == [
        ImportField.MEMBER_ID,
        ImportField.BIRTH_YEAR,
        ImportField.GENDER,
        ImportField.EMAIL,
        ImportField.INTERESTS,
        ImportField.CONSENT_FOLLOW_UP,
        ImportField.IGNORE,
    ]


def test_a_field_is_preselected_for_the_first_matching_column_only() -> None:
    # when
    guessed = imports.guess_columns(["Namn", "Navn"])
    # then
    assert guessed == [ImportField.FULL_NAME, ImportField.IGNORE]


def test_a_column_mapping_without_the_member_id_is_refused() -> None:
    # when
    problems = imports.column_problems([ImportField.FULL_NAME, ImportField.FULL_NAME])
    # then
    assert len(problems) == 2


# --- Checking the rows -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (KARIN.replace(";5120;", ";5999;"), "Yrkeskod", "Unknown ISCO-08 occupation code “5999”"),
        (KARIN.replace(";1980;", ";1850;"), "Födelseår", "The birth year 1850 is not between"),
        (KARIN.replace(";musik;", ";juggling;"), "Intressen", "Unknown interest “juggling”"),
        (KARIN.replace("karin@example.test", "karin@"), "E-post", "not a valid e-mail address"),
        (KARIN.replace(";2380;", ";9999;"), "Kommunkod", "Unknown municipality “9999”"),
        (KARIN.replace(";ja;nej", ";kanske;nej"), "Samtycke uppföljning", "Write yes or no"),
        (KARIN.replace(";Matlagning;", ";Flygning;"), "Färdigheter", "Unknown skill “Flygning”"),
        (KARIN.replace(";3;", ";9;"), "Utbildningsnivå", "Unknown education level “9”"),
        (KARIN.replace(";10;", ";200;"), "Timmar per vecka", "A week has 168 hours"),
        (KARIN.replace("A-1", ""), "Medlemsnummer", "The member id is missing."),
    ],
)
def test_a_bad_value_is_reported_with_its_row_and_column(
    cast: Cast, classifications: None, row: str, column: str, message: str
) -> None:
    # when
    with translation.override("en"):
        outcome = run(cast, survey(OLLE, row))
    # then
    assert [(error.row, error.column) for error in outcome.errors] == [(3, column)]
    assert message in outcome.errors[0].message


def test_a_member_id_twice_in_the_file_is_reported_on_the_second_row(
    cast: Cast, classifications: None
) -> None:
    # when
    with translation.override("en"):
        outcome = run(cast, survey(KARIN, OLLE, KARIN.replace("Karin", "Kajsa")))
    # then
    assert [(e.row, e.message) for e in outcome.errors] == [
        (4, "The member id A-1 is also on row 2.")
    ]


def test_problems_are_reported_in_the_users_language(cast: Cast, classifications: None) -> None:
    # given
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    # when
    with translation.override("sv"):
        outcome = run(cast, survey(KARIN.replace("2023-09-01", tomorrow)))
    # then
    assert outcome.errors[0].message == "En kartläggning kan inte dateras framåt i tiden."


def test_one_bad_row_means_nothing_is_imported(cast: Cast, classifications: None) -> None:
    # when
    outcome = run(cast, survey(KARIN, OLLE.replace(";1975;", ";1066;")))
    # then
    assert not outcome.ok and not outcome.imported
    assert not Participant.objects.exists()
    assert not Mapping.objects.exists()
    assert not ImportedMember.objects.exists()
    assert not AuditEntry.objects.filter(action="create").exists()


def test_a_check_reports_what_would_happen_and_writes_nothing(
    cast: Cast, classifications: None
) -> None:
    # when
    outcome = run(cast, survey(KARIN, OLLE, STINA), dry_run=True)
    # then
    assert outcome.ok and not outcome.imported
    assert outcome.counts.participants_created == 3
    assert outcome.counts.mappings_created == 2
    assert outcome.counts.without_consent == 1
    assert not Participant.objects.exists()


# --- Writing ---------------------------------------------------------------------------------


def test_an_import_registers_members_in_the_subproject_with_their_identity_encrypted(
    cast: Cast, classifications: None
) -> None:
    # when
    outcome = run(cast, survey(KARIN))
    # then
    assert outcome.imported
    karin = imported(cast, "A-1")
    assert list(karin.subprojects.all()) == [cast.subproject]
    assert (karin.country, karin.birth_year, karin.gender) == ("SE", 1980, "woman")
    assert karin.municipality is not None and karin.municipality.code == "2380"
    identity = reveal_identity(actor=Actor.of_user(cast.contact), participant=karin, purpose="test")
    assert (identity.full_name, identity.email) == ("Karin Berg", "karin@example.test")
    assert "Karin" not in karin.identity.full_name


def test_consents_from_the_file_are_recorded_as_given_on_paper(
    cast: Cast, classifications: None
) -> None:
    # when
    run(cast, survey(KARIN, OLLE))
    # then
    consents = Consent.objects.filter(participant=imported(cast, "A-2"))
    assert sorted(consents.values_list("purpose", "method")) == [
        ("follow_up", "paper"),
        ("research", "paper"),
    ]


def test_the_answers_become_a_current_mapping_with_coded_work(
    cast: Cast, classifications: None
) -> None:
    # when
    run(cast, survey(KARIN, OLLE))
    # then
    mapping = Mapping.objects.get(participant=imported(cast, "A-2"))
    assert mapping.is_current and mapping.filled_on == dt.date(2023, 9, 1)
    assert mapping.filled_by == FilledBy.SELF
    assert [(w.title, w.occupation.code if w.occupation else "") for w in mapping.work.all()] == [
        ("snickare", "7115")
    ]
    assert mapping.items_of("interest") == ["it"]
    assert [e.level.code for e in mapping.education.all()] == ["3"]


def test_a_member_without_consent_to_follow_up_is_registered_without_a_mapping(
    cast: Cast, classifications: None
) -> None:
    # when
    outcome = run(cast, survey(STINA))
    # then
    assert outcome.counts.participants_created == 1
    assert outcome.counts.without_consent == 1
    assert not Mapping.objects.filter(participant=imported(cast, "A-3")).exists()
    assert any("not consented to follow-up" in line for line in outcome.summary())


def test_a_first_version_written_in_bulk_says_what_record_mapping_would_have_written(
    cast: Cast, classifications: None
) -> None:
    # given
    run(cast, survey(KARIN))
    other = ParticipantFactory(programme=cast.programme)
    give_consent(
        actor=Actor.of_user(cast.contact), participant=other, purpose="follow_up", method="paper"
    )
    record_mapping(
        actor=Actor.of_user(cast.contact),
        participant=other,
        filled_by=FilledBy.SELF,
        filled_on=dt.date(2023, 9, 1),
        answers=MappingAnswers(
            skill_codes=["cooking"],
            items={"interest": ["music"]},
            hours_per_week=10,
            work=[WorkEntry(title="kock", occupation_code="5120")],
            education=[EducationEntry(level_code="3")],
        ),
    )
    karin = imported(cast, "A-1")
    # when
    versions = checking._recorded_versions([karin.pk, other.pk])
    # then
    assert versions[karin.pk][0].key() == versions[other.pk][0].key()
    fields = ("is_current", "filled_by", "filled_on", "recorded_by_id", "programme_id", "profile")
    assert Mapping.objects.filter(participant=karin).values(*fields).get() == (
        Mapping.objects.filter(participant=other).values(*fields).get()
    )


def test_the_import_is_audited_once_with_counts_and_no_names(
    cast: Cast, classifications: None
) -> None:
    # when
    run(cast, survey(KARIN, OLLE))
    # then
    entry = AuditEntry.objects.get(object_type="mapping.importbatch")
    assert entry.action == "create" and entry.actor == cast.contact
    assert entry.detail["participants_created"] == 2
    assert entry.detail["mappings_created"] == 2
    assert "Karin" not in str(entry.detail) + entry.object_label


def test_the_uploaded_file_is_forgotten_after_the_import(cast: Cast, classifications: None) -> None:
    # when
    run(cast, survey(KARIN))
    # then
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.IMPORTED
    assert bytes(batch.content) == b""


def test_an_upload_never_imported_is_forgotten_after_a_day(cast: Cast) -> None:
    # given
    stale = batch_of(cast, survey(KARIN))
    ImportBatch.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    # when
    batch_of(cast, survey(OLLE))
    # then
    stale.refresh_from_db()
    assert bytes(stale.content) == b""


# --- Importing again -------------------------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing(cast: Cast, classifications: None) -> None:
    # given
    content = survey(KARIN, OLLE, STINA)
    run(cast, content)
    before = (Participant.objects.count(), Mapping.objects.count(), Consent.objects.count())
    # when
    outcome = run(cast, content)
    # then
    assert outcome.imported
    assert outcome.counts.participants_created == 0
    assert outcome.counts.mappings_created == 0
    assert outcome.counts.consents_given == 0
    assert outcome.counts.unchanged == 2
    assert (Participant.objects.count(), Mapping.objects.count(), Consent.objects.count()) == (
        before
    )


def test_a_changed_row_gives_the_member_a_new_current_mapping_version(
    cast: Cast, classifications: None
) -> None:
    # given
    run(cast, survey(KARIN, OLLE))
    # when
    outcome = run(cast, survey(KARIN.replace(";10;", ";20;"), OLLE))
    # then
    assert outcome.counts.mappings_created == 1
    assert outcome.counts.unchanged == 1
    versions = Mapping.objects.filter(participant=imported(cast, "A-1")).order_by("created_at")
    assert [(m.hours_per_week, m.is_current) for m in versions] == [(10, False), (20, True)]


def test_a_title_the_import_could_not_code_is_kept_uncoded(
    cast: Cast, classifications: None
) -> None:
    # given
    run(cast, survey(KARIN))
    # when
    run(cast, survey(KARIN.replace(";kock;5120;", ";astronaut;;")))
    # then
    work = WorkExperience.objects.get(
        mapping__participant=imported(cast, "A-1"), mapping__is_current=True
    )
    assert (work.title, work.occupation) == ("astronaut", None)


def test_a_consent_withdrawn_since_is_not_given_again_by_a_re_import(
    cast: Cast, classifications: None
) -> None:
    # given
    run(cast, survey(OLLE))
    olle = imported(cast, "A-2")
    withdraw_consent(
        actor=Actor.of_user(cast.contact), consent=olle.consents.get(purpose="research")
    )
    # when
    outcome = run(cast, survey(OLLE))
    # then
    assert outcome.counts.consents_given == 0
    assert not olle.consents.filter(purpose="research", withdrawn_at__isnull=True).exists()


def test_a_member_imported_into_another_subproject_is_reported(
    cast: Cast, classifications: None
) -> None:
    # given
    run(cast, survey(KARIN))
    imported(cast, "A-1").subprojects.set([cast.other_subproject])
    # when
    with translation.override("en"):
        outcome = run(cast, survey(KARIN))
    # then
    assert [e.message for e in outcome.errors] == [
        "The member id A-1 cannot be imported here; ask a coordinator."
    ]


def test_an_unclosed_quote_is_reported_on_its_physical_line_instead_of_swallowing_rows() -> None:
    # given: five data lines; line 3 opens a quote that line 5 closes
    content = (
        b'member id,name,skills\n1,Karin,cooking\n2,"Olle,baking\n3,Per,gardening\n'
        b'4,Lisa,"sewing\n5,Ada,music\n'
    )
    # when
    with translation.override("en"), pytest.raises(ImportFileError) as refused:
        imports.read_table(content)
    # then
    assert "quotation mark on line 3 is not closed" in str(refused.value)


def test_a_quote_left_open_at_the_end_of_the_file_is_reported_on_its_line() -> None:
    # given
    content = b'member id;name\n1;Karin\n2;"Olle\n3;Per\n'
    # when
    with translation.override("en"), pytest.raises(ImportFileError) as refused:
        imports.read_table(content)
    # then
    assert "quotation mark on line 3 is not closed" in str(refused.value)


def test_a_cell_with_a_line_break_inside_quotes_is_still_read() -> None:
    # when
    table = imports.read_table(b'member id,name,note\n7,Karin,"first line\nsecond line"\n8,Olle,\n')
    # then
    assert table.rows[0][1] == ["7", "Karin", "first line\nsecond line"]


def test_a_municipality_may_be_given_by_its_name(cast: Cast, classifications: None) -> None:
    # when
    outcome = run(cast, survey(KARIN.replace(";2380;", ";östersund;")))
    # then
    assert outcome.errors == []
    municipality = imported(cast, "A-1").municipality
    assert municipality is not None and municipality.name == "Östersund"


def test_ordinary_education_words_become_isced_levels(cast: Cast, classifications: None) -> None:
    # when
    outcome = run(cast, survey(OLLE.replace(";3;", ";Gymnasium;")))
    # then
    assert outcome.errors == []
    mapping = Mapping.objects.get(participant=imported(cast, "A-2"))
    assert [e.level.code for e in mapping.education.all()] == ["3"]


def test_a_label_with_a_small_typo_is_taken_as_the_label_it_is_close_to(
    cast: Cast, classifications: None
) -> None:
    # when
    outcome = run(cast, survey(KARIN.replace(";Matlagning;", ";Matlagnig;")))
    # then
    assert outcome.errors == []
    assert [
        s.code for s in Mapping.objects.get(participant=imported(cast, "A-1")).skills.all()
    ] == ["cooking"]


def test_a_yes_in_the_file_records_who_vouched_for_it_and_the_day_it_was_collected(
    cast: Cast, classifications: None
) -> None:
    # when: Olle said yes on the survey he filled in on 1 September 2023
    run(cast, survey(KARIN, OLLE))
    # then
    consent = Consent.objects.get(participant=imported(cast, "A-2"), purpose="follow_up")
    assert consent.given_by == cast.contact
    assert timezone.localtime(consent.given_at).date() == dt.date(2023, 9, 1)


def test_a_yes_for_a_member_imported_before_is_dated_by_their_survey_too(
    cast: Cast, classifications: None
) -> None:
    # given: Stina was imported without consent; a later survey (2024-02-01) says yes
    run(cast, survey(STINA))
    # when
    run(cast, survey(STINA.replace(";2023-09-01;nej;nej", ";2024-02-01;ja;nej")))
    # then
    consent = Consent.objects.get(participant=imported(cast, "A-3"), purpose="follow_up")
    assert timezone.localtime(consent.given_at).date() == dt.date(2024, 2, 1)
