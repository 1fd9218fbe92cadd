"""`make bench` (part 2): resource maps and the participant list at scale.

Seeds one programme with 50,000 participants in 20 subprojects, three mapping versions each
(150,000 versions with work, education, skills, interests, goals and life situation), then
times, through Django's full request handling:
- the resource map of the whole programme and of one subproject (as the programme leader),
- the participant list, filtered by subproject and paginated (as a coordinator),
and prints median, p95 and query counts. Runs on PostgreSQL (when DATABASE_URL points to it or
one answers on 127.0.0.1:5432) and on SQLite; writes bench/results/mapping-<lane>.json.
``--reuse`` keeps the seeded database and times a kept one without seeding (bench/harness.py).

Targets (issue #3): resource map of the programme under 1 s and of a subproject under 200 ms;
participant list p95 under 150 ms with a query count independent of size.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    analyze,
    main,
    seeded_once,
    setup_django,
    signed_in_client,
    time_pages,
    write_results,
)

PARTICIPANTS = 50_000
VERSIONS = 3
SUBPROJECTS = 20
REQUESTS = 30
BATCH = 5000


def seed(participants: int) -> None:
    from django.utils import timezone

    from samvirke.accounts.models import Membership, Role, User
    from samvirke.mapping.models import (
        Education,
        EducationLevel,
        EducationScheme,
        Goal,
        Interest,
        LifeDomain,
        LifeSituation,
        Mapping,
        MappingItem,
        Occupation,
        Resource,
        Skill,
        WorkExperience,
    )
    from samvirke.participants.models import Consent, ConsentText, Participant, new_pseudonym
    from samvirke.programmes.models import Programme, Subproject

    rng = random.Random(42)
    now = timezone.now()
    programme = Programme.objects.create(
        slug="bench-mapping",
        name_nb="Kartleggingsprogram",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2030, 12, 31),
    )
    for email, role in (("leader@example.test", Role.PROGRAMME_LEADER),):
        user = User.objects.create_user(email=email, password="bench-password-123", full_name="B")
        Membership.objects.create(user=user, programme=programme, role=role)
    subprojects = Subproject.objects.bulk_create(
        [Subproject(programme=programme, name=f"Delprosjekt {s}") for s in range(SUBPROJECTS)]
    )
    occupations = list(Occupation.objects.filter(level=4).values_list("pk", flat=True))
    levels = list(
        EducationLevel.objects.filter(scheme=EducationScheme.ISCED_2011).values_list(
            "pk", flat=True
        )
    )
    skills = list(Skill.objects.values_list("pk", flat=True))
    text = ConsentText.objects.get(purpose="follow_up", for_youth=False, version=1)
    used: set[str] = set()
    for start in range(0, participants, BATCH):
        size = min(BATCH, participants - start)
        people = []
        for _ in range(size):
            pseudonym = new_pseudonym("NO")
            while pseudonym in used:
                pseudonym = new_pseudonym("NO")
            used.add(pseudonym)
            people.append(
                Participant(
                    programme=programme,
                    pseudonym=pseudonym,
                    country="NO",
                    birth_year=rng.randint(1950, 2008),
                )
            )
        people = Participant.objects.bulk_create(people)
        Through = Participant.subprojects.through
        Through.objects.bulk_create(
            [Through(participant_id=p.pk, subproject_id=rng.choice(subprojects).pk) for p in people]
        )
        Consent.objects.bulk_create(
            [
                Consent(participant=p, purpose="follow_up", text=text, method="paper")
                for p in people
                if rng.random() < 0.9
            ]
        )
        versions = Mapping.objects.bulk_create(
            [
                Mapping(
                    programme=programme,
                    participant=p,
                    filled_on=dt.date(2024 + v, 1, 1),
                    filled_by="guide",
                    is_current=v == VERSIONS - 1,
                    hours_per_week=rng.randint(0, 30),
                )
                for p in people
                for v in range(VERSIONS)
            ]
        )
        WorkExperience.objects.bulk_create(
            [
                WorkExperience(
                    mapping=m,
                    title="arbeid",
                    occupation_id=rng.choice(occupations) if occupations else None,
                )
                for m in versions
                for _ in range(rng.randint(0, 2))
            ]
        )
        if levels:
            Education.objects.bulk_create(
                [
                    Education(mapping=m, level_id=rng.choice(levels), completed=rng.random() < 0.8)
                    for m in versions
                ]
            )
        SkillThrough = Mapping.skills.through
        SkillThrough.objects.bulk_create(
            [
                SkillThrough(mapping_id=m.pk, skill_id=s)
                for m in versions
                for s in rng.sample(skills, k=3)
            ]
        )
        MappingItem.objects.bulk_create(
            [
                MappingItem(mapping=m, kind=kind, code=code)
                for m in versions
                for kind, choices, k in (
                    ("interest", Interest.values, 3),
                    ("goal", Goal.values, 1),
                    ("resource", Resource.values, 1),
                )
                for code in rng.sample(choices, k=k)
            ]
        )
        LifeSituation.objects.bulk_create(
            [
                LifeSituation(
                    mapping=m, domain=d, rater="self", level=rng.choice(["green", "yellow", "red"])
                )
                for m in versions
                for d in rng.sample(LifeDomain.values, k=4)
            ]
        )
    del now


def measure(label: str) -> dict[str, object]:
    from samvirke.programmes.models import Subproject

    client = signed_in_client("leader@example.test")
    subproject = Subproject.objects.filter(programme__slug="bench-mapping").order_by("pk")[3]
    base = "/p/bench-mapping"
    pages = {
        "resource map, programme": f"{base}/resource-map/",
        "resource map, subproject": f"{base}/resource-map/?subproject={subproject.pk}",
        "participant list, subproject, page 10": (
            f"{base}/participants/?subproject={subproject.pk}&page=10"
        ),
        "participant list, page 500": f"{base}/participants/?page=500",
    }
    return time_pages(client, pages, label=label, requests=REQUESTS)


def run_lane(database_url: str, label: str) -> None:
    from django.core.management import call_command

    setup_django(database_url)

    def seed_all() -> dict[str, Any]:
        call_command("import_classifications", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        seed(PARTICIPANTS)
        analyze()
        return {}

    started = time.perf_counter()
    _, reused = seeded_once(seed_all)
    print(
        f"{label:<11} {'reused' if reused else 'seeded'} {PARTICIPANTS} participants × "
        f"{VERSIONS} mapping versions in {time.perf_counter() - started:.0f} s"
    )
    write_results("mapping", label, measure(label))


if __name__ == "__main__":
    main(__file__, "samvirke_bench_mapping", run_lane)
