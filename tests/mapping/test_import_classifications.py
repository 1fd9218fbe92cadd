from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from samvirke.mapping.models import EducationLevel, Occupation, OccupationTitle, SsykGroup
from samvirke.mapping.services import (
    BUNDLED_DATA_DIR,
    ClassificationFileError,
    import_classifications,
)

COOK = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"


def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "classifications"
    shutil.copytree(BUNDLED_DATA_DIR, target)
    for path in target.iterdir():
        path.chmod(0o644)
    return target


def replace_line(path: Path, starts_with: str, new_line: str) -> int:
    """Replace the first line starting with ``starts_with``; returns its 1-based number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith(starts_with))
    lines[number] = new_line
    path.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


def delete_line(path: Path, starts_with: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text(
        "\n".join(line for line in lines if not line.startswith(starts_with)), encoding="utf-8"
    )


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").rstrip("\n").split("\n"))


@pytest.mark.django_db
def test_importing_the_bundled_files_creates_every_group_title_and_level() -> None:
    # when
    report = import_classifications(BUNDLED_DATA_DIR)
    # then
    assert Occupation.objects.count() == 619
    assert Occupation.objects.filter(level=4).count() == 436
    assert SsykGroup.objects.count() == 603
    assert SsykGroup.objects.filter(level=4).count() == 400
    assert Occupation.ssyk_groups.through.objects.count() == 565
    assert OccupationTitle.objects.filter(is_preferred=True, language="en").count() == 3007
    assert OccupationTitle.objects.filter(is_preferred=True, language="sv").count() == 3007
    assert OccupationTitle.objects.filter(is_preferred=True, language="nb").count() == 2942
    assert OccupationTitle.objects.count() == report.titles.created
    assert EducationLevel.objects.filter(scheme="isced2011").count() == 9
    assert EducationLevel.objects.filter(scheme="nus2000").count() == 10
    assert EducationLevel.objects.filter(scheme="sun2020").count() == 71
    assert report.occupations.created == 619


@pytest.mark.django_db
def test_imported_groups_carry_the_norwegian_and_swedish_classifications() -> None:
    # when
    import_classifications(BUNDLED_DATA_DIR)
    # then
    developers = Occupation.objects.get(code="2512")
    assert (developers.label_en, developers.label_nb, developers.label_sv) == (
        "Software developers",
        "Programvareutviklere",
        "Mjukvaruutvecklare",
    )
    assert developers.styrk_label == "Programvareutviklere"
    assert developers.parent is not None and developers.parent.code == "251"
    assert [g.code for g in developers.ssyk_groups.all()] == ["2512"]
    assert Occupation.objects.get(code="0110").parent.code == "011"  # type: ignore[union-attr]
    # SSYK has no 9112: JobTech links SSYK 9111 Städare to ISCO 9111 and 9112.
    assert set(
        Occupation.objects.filter(ssyk_groups__code="9111").values_list("code", flat=True)
    ) >= {"9111", "9112"}
    # STYRK's national unit groups (2223 Sykepleiere) are not ISCO groups.
    assert not Occupation.objects.filter(code="2223").exists()
    # STYRK merges ISCO 1113 into 111: the Norwegian label is the group Norway uses.
    assert Occupation.objects.get(code="1113").label_nb == (
        "Politikere og toppledere i offentlig administrasjon"
    )


@pytest.mark.django_db
def test_norwegian_esco_titles_are_stored_as_bokmal_and_unlinked_ones_without_a_group() -> None:
    # when
    import_classifications(BUNDLED_DATA_DIR)
    # then
    cook = OccupationTitle.objects.get(language="nb", title="kokk")
    assert cook.is_preferred and cook.occupation is not None and cook.occupation.code == "5120"
    assert not OccupationTitle.objects.filter(language="no").exists()
    unlinked = OccupationTitle.objects.filter(occupation=None, is_preferred=True)
    assert unlinked.count() == 3
    assert set(unlinked.values_list("language", flat=True)) == {"nb"}


@pytest.mark.django_db
def test_importing_the_same_files_twice_changes_nothing() -> None:
    # given
    import_classifications(BUNDLED_DATA_DIR)
    before = list(Occupation.objects.values_list("code", "updated_at"))
    titles_before = list(OccupationTitle.objects.order_by("pk").values_list("pk", "updated_at"))
    # when
    report = import_classifications(BUNDLED_DATA_DIR)
    # then
    assert not report.changed
    assert report.occupations.unchanged == 619
    assert report.titles.unchanged == len(titles_before)
    assert list(Occupation.objects.values_list("code", "updated_at")) == before
    assert (
        list(OccupationTitle.objects.order_by("pk").values_list("pk", "updated_at"))
        == titles_before
    )


@pytest.mark.django_db
def test_a_second_import_writes_only_what_changed_in_the_files(tmp_path: Path) -> None:
    # given
    data_dir = data_copy(tmp_path)
    import_classifications(data_dir)
    replace_line(
        data_dir / "isco08.csv",
        "5120,",
        "5120,4,512,Cooks,Kokker,Kockar",
    )
    replace_line(
        data_dir / "esco_occupations_no.csv",
        f"{COOK},",
        f"{COOK},5120,kokk,,no",
    )
    # when
    report = import_classifications(data_dir)
    # then
    assert (report.occupations.updated, report.occupations.created) == (1, 0)
    assert Occupation.objects.get(code="5120").label_sv == "Kockar"
    # The dropped ESCO title, and the Swedish group label as a searchable title, renamed.
    assert (report.titles.deleted, report.titles.created, report.titles.updated) == (2, 1, 0)
    assert list(
        OccupationTitle.objects.filter(language="nb", esco_uri=COOK).values_list("title", flat=True)
    ) == ["kokk"]
    assert not report.ssyk_groups.changed and not report.education_levels.changed


BROKEN_FILES = [
    # file, the line to replace (by its start), the broken line, words the reason must contain
    ("isco08.csv", "2512,", "25A2,4,251,Software developers,,", "not 1 to 4 digits"),
    ("isco08.csv", "5120,", "5120,3,512,Cooks,Kokker,Kockar", 'level "3"'),
    ("styrk08.csv", "5120,", "5120,4,513,Kokker,yes", 'should be "512"'),
    ("ssyk2012.csv", "5120,", "5120,4,512,,x", '"label_sv" column is empty'),
    ("ssyk2012_isco08.csv", "5120,", "5120,9999", "not a unit group"),
    ("sun2020_levels.csv", "000,", "000,3,00,Övrig,x,extra", "fields but the header has"),
    ("nus2000_levels.csv", "9,", "10,Uoppgitt", "not one digit"),
    ("esco_occupations_sv.csv", "http", "http://x,99,kock,", 'ISCO-08 code "99"'),
    ("esco_occupations_en.csv", "http", 'http://x,5120,"cook,', "could not be read as CSV"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("file", "starts_with", "broken", "reason"), BROKEN_FILES)
def test_a_file_with_one_bad_row_imports_nothing_and_names_the_file_and_line(
    tmp_path: Path, file: str, starts_with: str, broken: str, reason: str
) -> None:
    # given
    data_dir = data_copy(tmp_path)
    line = replace_line(data_dir / file, starts_with, broken)
    # when
    with pytest.raises(ClassificationFileError) as error:
        import_classifications(data_dir)
    # then
    assert (error.value.file, error.value.line) == (file, line)
    assert reason in error.value.reason
    assert str(error.value).startswith(f"{file}, line {line}: ")
    assert not Occupation.objects.exists()
    assert not OccupationTitle.objects.exists()
    assert not EducationLevel.objects.exists()


@pytest.mark.django_db
def test_a_duplicate_code_is_reported_on_its_second_line(tmp_path: Path) -> None:
    # given
    data_dir = data_copy(tmp_path)
    isco = data_dir / "isco08.csv"
    with isco.open("a", encoding="utf-8") as file:
        file.write("2512,4,251,Software developers again,,\n")
    # when
    with pytest.raises(ClassificationFileError) as error:
        import_classifications(data_dir)
    # then
    assert (error.value.file, error.value.line) == ("isco08.csv", line_count(isco))
    assert "already appears on line" in error.value.reason


@pytest.mark.django_db
def test_a_group_whose_parent_is_missing_is_reported(tmp_path: Path) -> None:
    # given
    data_dir = data_copy(tmp_path)
    delete_line(data_dir / "isco08.csv", "011,")
    # when
    with pytest.raises(ClassificationFileError) as error:
        import_classifications(data_dir)
    # then
    assert error.value.file == "isco08.csv"
    assert error.value.reason == 'The parent code "011" does not exist in the file.'
    assert not Occupation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "file", "reason"),
    [
        ("missing file", "nus2000_levels.csv", "The file is missing."),
        ("missing column", "ssyk2012_isco08.csv", 'The header has no "isco08_code" column.'),
    ],
)
def test_a_missing_file_or_column_imports_nothing(
    tmp_path: Path, change: str, file: str, reason: str
) -> None:
    # given
    data_dir = data_copy(tmp_path)
    if change == "missing file":
        (data_dir / file).unlink()
    else:
        replace_line(data_dir / file, "ssyk_code", "ssyk_code,isco_code")
    # when
    with pytest.raises(ClassificationFileError) as error:
        import_classifications(data_dir)
    # then
    assert (error.value.file, error.value.reason) == (file, reason)
    assert not Occupation.objects.exists()


@pytest.mark.django_db
def test_a_bad_file_leaves_earlier_imported_classifications_untouched(tmp_path: Path) -> None:
    # given
    data_dir = data_copy(tmp_path)
    import_classifications(data_dir)
    replace_line(data_dir / "isco08.csv", "5120,", "5120,4,512,Cooks,Kokker,Kockar")
    replace_line(data_dir / "esco_occupations_sv.csv", "http", "not-a-uri,5120,kock,")
    # when
    with pytest.raises(ClassificationFileError):
        import_classifications(data_dir)
    # then
    assert Occupation.objects.get(code="5120").label_sv == "Kockar och kallskänkor"


@pytest.mark.django_db
def test_the_command_says_nothing_was_imported_and_where_the_problem_is(tmp_path: Path) -> None:
    # given
    data_dir = data_copy(tmp_path)
    line = replace_line(data_dir / "isco08.csv", "2512,", "25A2,4,251,Software developers,,")
    # when
    with pytest.raises(CommandError) as error, translation.override("en"):
        call_command("import_classifications", data_dir=data_dir)
    # then
    message = str(error.value)
    assert message.startswith("Nothing was imported")
    assert f"isco08.csv, line {line}" in message
    assert not Occupation.objects.exists()


@pytest.mark.django_db
def test_the_command_imports_the_bundled_files_and_reports_counts() -> None:
    # given
    output = io.StringIO()
    # when
    with translation.override("en"):
        call_command("import_classifications", stdout=output)
        call_command("import_classifications", stdout=output)
    # then
    assert "619 new" in output.getvalue()
    assert "619 unchanged" in output.getvalue()
    assert Occupation.objects.count() == 619


def test_the_command_refuses_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Nothing was imported"), translation.override("en"):
        call_command("import_classifications", data_dir=tmp_path / "nowhere")
