"""Loading the instrument files: validated, published once, never changed afterwards."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samvirke.evaluation.instrument_files import BUNDLED_DIR, InstrumentFileError, read_folder
from samvirke.evaluation.instrument_services import load_instruments
from samvirke.evaluation.models import InstrumentVersion, Item

pytestmark = pytest.mark.django_db

SHIPPED = {
    "who5",
    "osss3",
    "gse",
    "phq9",
    "gad7",
    "loneliness3",
    "activity_status",
    "swemwbs",
    "ors",
    "core10",
    "eq5d5l",
}


def copy_of(tmp_path: Path, *keys: str) -> Path:
    folder = tmp_path / "instruments"
    folder.mkdir()
    for key in keys:
        shutil.copy(BUNDLED_DIR / f"{key}.json", folder / f"{key}.json")
    return folder


def test_every_shipped_file_passes_the_schema_and_the_cross_checks() -> None:
    assert {f.definition["key"] for f in read_folder()} == SHIPPED


def test_loading_publishes_one_version_of_each_instrument() -> None:
    load_instruments()
    published = InstrumentVersion.objects.filter(status="published")
    assert sorted(v.instrument.key for v in published) == sorted(SHIPPED)


def test_loading_again_changes_nothing() -> None:
    load_instruments()
    report = load_instruments()
    assert (report.created, InstrumentVersion.objects.count()) == ([], len(SHIPPED))


def test_who5_items_are_there_in_norwegian() -> None:
    load_instruments()
    item = Item.objects.get(version__instrument__key="who5", key="who5_1")
    assert item.text("nb") == "Jeg har vært glad og i godt humør."


def test_licensed_instruments_arrive_without_item_texts() -> None:
    load_instruments(texts_folder=None)
    version = InstrumentVersion.objects.get(instrument__key="core10")
    assert (version.redistributable, version.texts_available) == (False, False)


def test_a_licensees_texts_are_filled_in_from_the_local_folder(tmp_path: Path) -> None:
    folder = copy_of(tmp_path, "ors")
    load_instruments(folder=folder, texts_folder=None)
    texts = tmp_path / "licensed"
    texts.mkdir()
    items = {f"ors_{i}": {"nb": f"Spørsmål {i}", "en": f"Question {i}"} for i in range(1, 5)}
    (texts / "ors.texts.json").write_text(json.dumps({"items": items}))
    report = load_instruments(folder=folder, texts_folder=texts)
    assert report.texts_added == ["ors v1"]
    assert Item.objects.get(key="ors_2").text("nb") == "Spørsmål 2"


def test_a_published_file_changed_without_a_new_version_is_refused(tmp_path: Path) -> None:
    folder = copy_of(tmp_path, "gad7")
    load_instruments(folder=folder)
    path = folder / "gad7.json"
    data = json.loads(path.read_text())
    data["scales"][0]["cutoff"] = 8
    path.write_text(json.dumps(data))
    with pytest.raises(InstrumentFileError, match="new version number"):
        load_instruments(folder=folder)


def test_a_corrected_file_with_a_new_version_number_is_published_beside_the_old(
    tmp_path: Path,
) -> None:
    folder = copy_of(tmp_path, "gad7")
    load_instruments(folder=folder)
    data = json.loads((folder / "gad7.json").read_text())
    data["version"] = 2
    data["scales"][0]["cutoff"] = 8
    (folder / "gad7.v2.json").write_text(json.dumps(data))
    load_instruments(folder=folder)
    versions = InstrumentVersion.objects.filter(instrument__key="gad7").order_by("version")
    assert [v.definition["scales"][0]["cutoff"] for v in versions] == [10, 8]


def test_a_file_naming_a_missing_item_in_a_scale_loads_nothing(tmp_path: Path) -> None:
    folder = copy_of(tmp_path, "who5", "gad7")
    data = json.loads((folder / "who5.json").read_text())
    data["scales"][0]["items"].append("who5_6")
    (folder / "who5.json").write_text(json.dumps(data))
    with pytest.raises(CommandError, match="who5_6"):
        call_command("load_instruments", folder=folder)
    assert not InstrumentVersion.objects.exists()


def test_a_file_that_breaks_the_schema_is_refused_with_where(tmp_path: Path) -> None:
    folder = copy_of(tmp_path, "who5")
    data = json.loads((folder / "who5.json").read_text())
    data["items"][0]["kind"] = "slider"
    (folder / "who5.json").write_text(json.dumps(data))
    with pytest.raises(InstrumentFileError, match="items/0/kind"):
        load_instruments(folder=folder)
