"""What every `make bench` script shares: lanes, a signed-in client, timing pages.

Each lane (PostgreSQL when DATABASE_URL points to it or one answers on 127.0.0.1:5432, and
SQLite) runs in its own process, because Django is configured once per process; each seeds a
fresh database, times pages through Django's full request handling (middleware, permissions,
templates) and writes bench/results/<name>-<lane>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def postgres_url(database: str) -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return url.rsplit("/", 1)[0] + f"/{database}"
    try:
        socket.create_connection(("127.0.0.1", 5432), 2).close()
    except OSError:
        return None
    return f"postgres://postgres@127.0.0.1:5432/{database}"


def signed_in_client(email: str) -> Any:
    """A test client signed in as ``email`` with a second factor, as a staff member is."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from samvirke.accounts.middleware import SESSION_SEEN, SESSION_STARTED
    from samvirke.accounts.models import User

    user = User.objects.get(email=email)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED] = session[SESSION_SEEN] = int(time.time())
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def time_pages(
    client: Any, pages: dict[str, str], *, label: str, requests: int, warm: int = 3
) -> dict[str, object]:
    """Median and p95 server time and the query count of each page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results: dict[str, object] = {}
    width = max(len(name) for name in pages)
    for name, url in pages.items():
        for _ in range(warm):  # warm caches and connections
            assert client.get(url).status_code == 200, url
        timings = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        timings.sort()
        median = statistics.median(timings)
        p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
        results[name] = {
            "median_ms": round(median, 1),
            "p95_ms": round(p95, 1),
            "queries": len(queries),
        }
        print(
            f"{label:<11} {name:<{width}}  median {median:>7.1f} ms   p95 {p95:>7.1f} ms   "
            f"queries {len(queries)}"
        )
    return results


def time_posts(
    client: Any,
    url: str,
    payloads: list[dict[str, str]],
    *,
    label: str,
    name: str,
    requests: int,
    warm: int = 2,
) -> dict[str, object]:
    """Median and p95 server time and the query count of a form POST, the payloads in turn.

    Each POST must succeed with a redirect, as a saved form does.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def post(i: int) -> None:
        response = client.post(url, payloads[i % len(payloads)])
        assert response.status_code == 302, (url, response.status_code)

    for i in range(warm):
        post(i)
    timings = []
    for i in range(warm, warm + requests):
        start = time.perf_counter()
        post(i)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        post(warm + requests)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
    print(
        f"{label:<11} {name}  median {median:>7.1f} ms   p95 {p95:>7.1f} ms   "
        f"queries {len(queries)}"
    )
    return {name: {"median_ms": round(median, 1), "p95_ms": round(p95, 1), "queries": len(queries)}}


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["SAMVIRKE_TESTING"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvirke.settings")
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    call_command("migrate", verbosity=0)


def analyze() -> None:
    """What autovacuum does shortly after a bulk load in production: fresh planner statistics."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def write_results(name: str, label: str, results: dict[str, object]) -> None:
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}-{label.lower()}.json").write_text(json.dumps(results, indent=2))


def main(script: str, database: str, run_lane: Callable[[str, str], None]) -> None:
    """``script --lane postgresql|sqlite`` runs one lane; without it, every lane in turn."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--lane", choices=["postgresql", "sqlite"])
    args = parser.parse_args()
    if args.lane == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            run_lane(f"sqlite:///{tmp}/bench.sqlite3", "SQLite")
        return
    if args.lane == "postgresql":
        url = postgres_url(database)
        assert url
        admin = url.rsplit("/", 1)[0] + "/postgres"
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {database}")
            conn.execute(f"CREATE DATABASE {database}")
        try:
            run_lane(url, "PostgreSQL")
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        return
    lanes = ["sqlite"]
    if postgres_url(database):
        lanes.insert(0, "postgresql")
    else:
        print(
            "PostgreSQL lane SKIPPED: DATABASE_URL is not PostgreSQL and 127.0.0.1:5432 is closed"
        )
    for lane in lanes:
        subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, script, "--lane", lane], check=True, cwd=ROOT
        )
