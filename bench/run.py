"""`make bench`: server time of the dashboard and the activity list at scale.

Seeds 50 programmes × 40 subprojects × 2,000 activities each (100,000 activities, with
registrations and actions) into a fresh database, then times requests as a coordinator
sees them, through Django's full request handling (middleware, permissions, templates).
Runs on PostgreSQL (when DATABASE_URL points to it or one answers on 127.0.0.1:5432) and on
SQLite. Prints median, p95 and query counts; writes bench/results/latest.json.

Targets (issue #2): p95 under 150 ms for both pages, a query count independent of size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROGRAMMES = 50
SUBPROJECTS = 40
ACTIVITIES = 2000
REQUESTS = 60


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return url.rsplit("/", 1)[0] + "/samvirke_bench"
    try:
        socket.create_connection(("127.0.0.1", 5432), 2).close()
    except OSError:
        return None
    return "postgres://postgres@127.0.0.1:5432/samvirke_bench"


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
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from samvirke.accounts.middleware import SESSION_SEEN, SESSION_STARTED
    from samvirke.accounts.models import User

    user = User.objects.get(email="bench@example.test")
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED] = session[SESSION_SEEN] = int(time.time())
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    pages = {
        "dashboard": "/p/bench-7/",
        "activity list": "/p/bench-7/activities/",
        "activity list (past, page 20)": "/p/bench-7/activities/?when=past&page=20",
    }
    results: dict[str, object] = {}
    for name, url in pages.items():
        for _ in range(5):  # warm caches and connections
            assert client.get(url).status_code == 200
        timings = []
        for _ in range(REQUESTS):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timings.sort()
        results[name] = {
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
            "queries": len(queries),
        }
        print(
            f"{label:<11} {name:<30} median {results[name]['median_ms']:>7} ms   "  # type: ignore[index]
            f"p95 {results[name]['p95_ms']:>7} ms   queries {len(queries)}"
        )
    return results


def run_lane(database_url: str, label: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["SAMVIRKE_TESTING"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvirke.settings")
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    seed(PROGRAMMES, SUBPROJECTS, ACTIVITIES)
    from django.db import connection

    if connection.vendor == "postgresql":
        # What autovacuum does shortly after a bulk load in production: fresh planner statistics.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"{label:<11} seeded {PROGRAMMES} programmes × {SUBPROJECTS} subprojects × "
        f"{ACTIVITIES} activities in {time.perf_counter() - started:.0f} s"
    )
    results = measure(label)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{label.lower()}.json").write_text(json.dumps(results, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lane", choices=["postgresql", "sqlite"])
    args = parser.parse_args()
    if args.lane == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            run_lane(f"sqlite:///{tmp}/bench.sqlite3", "SQLite")
        return
    if args.lane == "postgresql":
        url = postgres_url()
        assert url
        admin = url.rsplit("/", 1)[0] + "/postgres"
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS samvirke_bench")
            conn.execute("CREATE DATABASE samvirke_bench")
        try:
            run_lane(url, "PostgreSQL")
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS samvirke_bench WITH (FORCE)")
        return
    # Each lane in its own process: Django is configured once per process.
    lanes = ["sqlite"]
    if postgres_url():
        lanes.insert(0, "postgresql")
    else:
        print(
            "PostgreSQL lane SKIPPED: DATABASE_URL is not PostgreSQL and 127.0.0.1:5432 is closed"
        )
    for lane in lanes:
        subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--lane", lane], check=True, cwd=ROOT
        )


if __name__ == "__main__":
    main()
