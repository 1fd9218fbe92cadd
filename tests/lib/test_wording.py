"""Norwegian and Swedish wording follows the glossary in docs/domain.md."""

from __future__ import annotations

import csv
from pathlib import Path

import polib

from samvirke.demo.fixtures import DATA as DEMO_DATA
from samvirke.mapping.classification_files import BUNDLED_DATA_DIR

LOCALE = Path(__file__).resolve().parents[2] / "samvirke" / "locale"


def test_swedish_screens_call_a_measure_insats_never_atgard() -> None:
    catalogue = polib.pofile(str(LOCALE / "sv" / "LC_MESSAGES" / "django.po"))
    # when
    mixed = [entry.msgstr for entry in catalogue if "åtgärd" in entry.msgstr.lower()]
    # then
    assert mixed == []


def test_peer_support_is_kamratstod_in_swedish() -> None:
    with (BUNDLED_DATA_DIR / "skills.csv").open(encoding="utf-8") as file:
        labels = {row["code"]: row["label_sv"] for row in csv.DictReader(file)}
    assert labels["peer-support"] == "Kamratstöd"


def test_the_demo_says_et_apent_treffpunkt_in_norwegian() -> None:
    source = (DEMO_DATA / "service_map.json").read_text(encoding="utf-8")
    assert "en åpen treffpunkt" not in source
    assert "et åpent treffpunkt" in source
