"""`make bench`: server time of the dashboard and the activity list at scale.

Seeds 50 programmes × 40 subprojects × 2,000 activities each (100,000 activities, with
registrations and actions) into a fresh database, then times requests as a coordinator
sees them, through Django's full request handling (middleware, permissions, templates).
Runs on PostgreSQL (when DATABASE_URL points to it or one answers on 127.0.0.1:5432) and on
SQLite. Prints median, p95 and query counts; writes bench/results/foundation-<lane>.json.

Targets (issue #2): p95 under 150 ms for both pages, a query count independent of size.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (  # noqa: E402
    analyze,
    main,
    setup_django,
    signed_in_client,
    time_pages,
    write_results,
)

PROGRAMMES = 50
SUBPROJECTS = 40
ACTIVITIES = 2000
REQUESTS = 60


def seed(programmes: int, subprojects: int, activities: int) -> None:
    from django.utils import timezone

    from samvirke.accounts.models import Membership, Role, User
    from samvirke.activities.models import Action, Activity, Registration
    from samvirke.audit.models import AuditEntry
    from samvirke.programmes.models import Goal, Indicator, Programme, Subproject

    rng = random.Random(42)
    now = timezone.now()
    coordinator = User.objects.create_user(
        email="bench@example.test", password="bench-password-123", full_name="Bench Coordinator"
    )
    people = User.objects.bulk_create(
        [User(email=f"p{i}@example.test", full_name=f"Person {i}") for i in range(300)]
    )
    types = ["network_gathering", "user_meeting", "study_visit", "writing_seminar"]
    for p in range(programmes):
        programme = Programme.objects.create(
            slug=f"bench-{p}",
            name_nb=f"Program {p}",
            starts_on=dt.date(2024, 1, 1),
            ends_on=dt.date(2030, 12, 31),
        )
        Membership.objects.create(user=coordinator, programme=programme, role=Role.COORDINATOR)
        subs = Subproject.objects.bulk_create(
            [Subproject(programme=programme, name=f"Delprosjekt {s}") for s in range(subprojects)]
        )
        goal = Goal.objects.create(programme=programme, text_nb="Mål")
        Indicator.objects.bulk_create(
            [
                Indicator(goal=goal, subproject=s, name_nb="Indikator", target=10, current=4)
                for s in subs[:10]
            ]
        )
        acts = Activity.objects.bulk_create(
            [
                Activity(
                    programme=programme,
                    type=rng.choice(types),
                    title=f"Aktivitet {a}",
                    starts_at=(start := now + dt.timedelta(hours=rng.randint(-20000, 8000))),
                    ends_at=start + dt.timedelta(hours=2),
                    place="Trondheim",
                    capacity=30,
                )
                for a in range(activities)
            ],
            batch_size=2000,
        )
        Through = Activity.subprojects.through
        Through.objects.bulk_create(
            [Through(activity_id=a.pk, subproject_id=rng.choice(subs).pk) for a in acts],
            batch_size=5000,
        )
        Registration.objects.bulk_create(
            [
                Registration(activity=a, user=person, attended=rng.random() > 0.2)
                for a in rng.sample(acts, k=activities // 4)
                for person in rng.sample(people, k=5)
            ],
            batch_size=5000,
        )
        Action.objects.bulk_create(
            [
                Action(
                    programme=programme,
                    subproject=rng.choice(subs),
                    title=f"Oppgave {i}",
                    owner=coordinator,
                    due_on=now.date() + dt.timedelta(days=rng.randint(-200, 200)),
                    status=rng.choice(["open", "done", "in_progress"]),
                )
                for i in range(activities // 10)
            ],
            batch_size=5000,
        )
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    action="update", actor=coordinator, programme=programme, object_label=f"x{i}"
                )
                for i in range(200)
            ]
        )


def measure(label: str) -> dict[str, object]:
    client = signed_in_client("bench@example.test")
    pages = {
        "dashboard": "/p/bench-7/",
        "activity list": "/p/bench-7/activities/",
        "activity list (past, page 20)": "/p/bench-7/activities/?when=past&page=20",
    }
    return time_pages(client, pages, label=label, requests=REQUESTS, warm=5)


def run_lane(database_url: str, label: str) -> None:
    setup_django(database_url)
    started = time.perf_counter()
    seed(PROGRAMMES, SUBPROJECTS, ACTIVITIES)
    analyze()
    print(
        f"{label:<11} seeded {PROGRAMMES} programmes × {SUBPROJECTS} subprojects × "
        f"{ACTIVITIES} activities in {time.perf_counter() - started:.0f} s"
    )
    write_results("foundation", label, measure(label))


if __name__ == "__main__":
    main(__file__, "samvirke_bench", run_lane)
