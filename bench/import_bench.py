"""Time the member-survey import: a generated 10,000-row CSV into a fresh SQLite database.

Run as ``.venv/bin/python bench/import_bench.py [--rows N]``. Prints the time to check the file,
to import it, and to import it again (which must change nothing), and the peak memory of the
process. Target: under 60 s and under 1 GB for 10,000 rows.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TITLES = [
    ("kock", "5120"),
    ("trädgårdsarbetare", "6113"),
    ("snickare", "7115"),
    ("undersköterska", "5321"),
    ("kontorsassistent", "4110"),
    ("lastbilschaufför", "8332"),
    ("städare", ""),
    ("butiksbiträde", ""),
    ("lagerarbetare", ""),
    ("barnskötare", ""),
    ("målare", ""),
    ("vaktmästare", ""),
]
INTERESTS = ["matlagning och mat", "trädgård och odling", "musik", "it", "djur", "sport"]
GOALS = ["arbete", "utbildning", "starta ett företag", "social", "work"]
RESOURCES = ["körkort", "car", "tools", "ett nätverk som kan hjälpa"]
HEADER = [
    "Medlemsnummer", "Namn", "E-post", "Telefon", "Födelseår", "Kön", "Kommunkod", "Land",
    "Yrke", "Yrkeskod", "Utbildningsnivå", "Utbildningsinriktning", "Färdigheter", "Intressen",
    "Mål", "Resurser", "Timmar per vecka", "Datum", "Samtycke uppföljning", "Samtycke forskning",
]  # fmt: skip


def survey_csv(rows: int, skills: list[str], municipalities: list[str]) -> bytes:
    rng = random.Random(2024)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    for number in range(1, rows + 1):
        jobs = rng.sample(TITLES, k=rng.randint(1, 2))
        level = rng.choice(["2", "3", "4", "6", ""])
        writer.writerow(
            [
                f"RSMH-{number:05}",
                f"Medlem {number}",
                f"medlem{number}@example.test",
                f"070-{number:07}",
                rng.randint(1950, 2004),
                rng.choice(["kvinna", "man", "annat", ""]),
                rng.choice(municipalities),
                "SE",
                ";".join(title for title, _code in jobs),
                ";".join(code for _title, code in jobs) if all(c for _t, c in jobs) else "",
                level,
                rng.choice(["Restaurang", "Vård", ""]) if level else "",
                ";".join(rng.sample(skills, k=rng.randint(0, 3))),
                ";".join(rng.sample(INTERESTS, k=rng.randint(0, 3))),
                ";".join(rng.sample(GOALS, k=rng.randint(1, 2))),
                ";".join(rng.sample(RESOURCES, k=rng.randint(0, 2))),
                rng.choice(["", "5", "10", "20"]),
                "2023-09-01",
                "ja" if rng.random() < 0.9 else "nej",
                rng.choice(["ja", "nej"]),
            ]
        )
    return out.getvalue().encode("utf-8")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run(rows: int, database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["SAMVIRKE_TESTING"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvirke.settings")
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    from samvirke.accounts.models import Membership, Role, User
    from samvirke.mapping import imports
    from samvirke.mapping.models import Mapping
    from samvirke.mapping.services import import_classifications
    from samvirke.participants.models import Participant
    from samvirke.programmes.models import Municipality, Programme, Subproject

    started = time.perf_counter()
    import_classifications()
    if not Municipality.objects.exists():
        call_command("import_municipalities", stdout=io.StringIO())
    print(f"classifications and municipalities loaded in {time.perf_counter() - started:.1f} s")
    programme = Programme.objects.create(
        slug="bench", name_nb="Bench", starts_on="2024-01-01", ends_on="2030-12-31"
    )
    subproject = Subproject.objects.create(programme=programme, name="RSMH")
    user = User.objects.create_user(email="bench@example.test", password="bench-password-123")
    Membership.objects.create(user=user, programme=programme, role=Role.COORDINATOR)
    from samvirke.mapping.models import Skill

    skills = list(Skill.objects.values_list("label_sv", flat=True))
    municipalities = list(
        Municipality.objects.filter(country="SE").values_list("code", flat=True)[:50]
    )
    content = survey_csv(rows, skills, municipalities)
    print(
        f"{rows} rows, {len(content) / 1024 / 1024:.1f} MB of CSV; peak so far {peak_mb():.0f} MB"
    )

    def batch() -> imports.ImportBatch:
        return imports.create_batch(
            actor=user,
            programme=programme,
            subproject=subproject,
            country="SE",
            filename="medlemmar.csv",
            content=content,
        )

    columns = imports.guess_columns(imports.read_table(content).headers)
    assert columns.count("") == 0, columns
    for label, dry_run in (("check (dry run)", True), ("import", False), ("re-import", False)):
        started = time.perf_counter()
        outcome = imports.import_members(
            actor=user, request=None, batch=batch(), columns=columns, dry_run=dry_run
        )
        elapsed = time.perf_counter() - started
        assert outcome.ok, outcome.errors[:5]
        print(f"{label:<16} {elapsed:6.1f} s   {outcome.counts.as_dict()}")
    print(
        f"participants {Participant.objects.count()}, mappings {Mapping.objects.count()}; "
        f"peak memory {peak_mb():.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(args.rows, Path(tmp) / "import_bench.sqlite3")


if __name__ == "__main__":
    main()
