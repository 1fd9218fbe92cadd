"""Samvirke's skills vocabulary (``data/skills.csv``), read and kept in step with the database."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

SKILLS_FILE = Path(__file__).resolve().parent / "data" / "skills.csv"
COLUMNS = ("code", "label_en", "label_nb", "label_sv", "isco_prefixes")


def read_skills(path: Path = SKILLS_FILE) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows, start=2):
        if tuple(row) != COLUMNS or not row["code"] or not row["label_en"]:
            raise ValueError(f"{path.name}, line {number}: expected {', '.join(COLUMNS)}")
    return rows


def sync_skills(skill_model: Any, path: Path = SKILLS_FILE) -> int:
    """Create or update every skill in the file; returns how many rows changed.

    Takes the model class so that the data migration can pass its historical model.
    """
    changed = 0
    existing = {skill.code: skill for skill in skill_model.objects.all()}
    for row in read_skills(path):
        skill = existing.get(row["code"])
        if skill is None:
            skill_model.objects.create(**row)
            changed += 1
            continue
        differs = [name for name in COLUMNS[1:] if getattr(skill, name) != row[name]]
        if differs:
            for name in differs:
                setattr(skill, name, row[name])
            skill.save(update_fields=[*differs, "updated_at"])
            changed += 1
    return changed
