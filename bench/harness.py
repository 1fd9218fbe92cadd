"""What every `make bench` script shares: lanes, a signed-in client, timing pages.

Each lane (PostgreSQL when DATABASE_URL points to it or one answers on 127.0.0.1:5432, and
SQLite) runs in its own process, because Django is configured once per process; each seeds a
fresh database, times pages through Django's full request handling (middleware, permissions,
templates) and writes bench/results/<name>-<lane>.json.

Every page is also given as a ratio to the floor (``bench/urls.py``: a signed-in view that does
nothing, through the same middleware), timed in the same run with the same client, so that
figures from a busy or a quiet machine can be compared. ``throughput`` serves the seeded
database through gunicorn and loads it from a bounded generator on loopback.

Seeding takes minutes. ``script --lane postgresql --reuse`` keeps the seeded database (a named
PostgreSQL database, or var/bench/<database>.sqlite3 for the SQLite lane) after the run, and a
later run with ``--reuse`` times the kept database instead of seeding again (migrations are
still applied). What the seed returned is kept in the table ``bench_seed`` of that database.
Without ``--reuse`` each run seeds a fresh database and drops it afterwards, as before.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


FLOOR = "floor (signed-in view, no work)"


def _time_get(client: Any, url: str, *, requests: int, warm: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

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
    return statistics.median(timings), percentile(timings, 0.95), len(queries)


def percentile(ordered: list[float], share: float) -> float:
    return ordered[max(int(len(ordered) * share) - 1, 0)]


def time_pages(
    client: Any, pages: dict[str, str], *, label: str, requests: int, warm: int = 3
) -> dict[str, object]:
    """Median and p95 server time, the query count of each page, and each as a ratio to the
    floor measured just before with the same client."""
    from bench.urls import FLOOR_URL

    floor_median, floor_p95, floor_queries = _time_get(
        client, FLOOR_URL, requests=max(requests, 60), warm=warm
    )
    results: dict[str, object] = {
        FLOOR: {
            "median_ms": round(floor_median, 1),
            "p95_ms": round(floor_p95, 1),
            "queries": floor_queries,
        }
    }
    width = max(len(name) for name in [*pages, FLOOR])
    print(
        f"{label:<11} {FLOOR:<{width}}  median {floor_median:>7.1f} ms   "
        f"p95 {floor_p95:>7.1f} ms   queries {floor_queries}"
    )
    for name, url in pages.items():
        median, p95, queries = _time_get(client, url, requests=requests, warm=warm)
        results[name] = {
            "median_ms": round(median, 1),
            "p95_ms": round(p95, 1),
            "queries": queries,
            "median_x_floor": round(median / floor_median, 1),
            "p95_x_floor": round(p95 / floor_median, 1),
        }
        print(
            f"{label:<11} {name:<{width}}  median {median:>7.1f} ms   p95 {p95:>7.1f} ms   "
            f"queries {queries:>3}   × floor {median / floor_median:>4.1f} (median) "
            f"{p95 / floor_median:>4.1f} (p95)"
        )
    return results


def session_cookie(client: Any) -> str:
    """The Cookie header of ``client``'s signed-in session, for requests from outside Django."""
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())


@contextmanager
def gunicorn(database_url: str, *, workers: int = 3) -> Iterator[int]:
    """gunicorn serving the bench database (``workers`` sync workers, as in production) on a
    free loopback port, which it yields; stopped on leaving. The workers get this process's
    environment (``CACHE_URL`` included) and ``VAR_DIR``."""
    from django.conf import settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = os.environ | {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SAMVIRKE_TESTING": "1",
        "SAMVIRKE_VAR_DIR": str(settings.VAR_DIR),
    }
    server = subprocess.Popen(  # noqa: S603 - our own interpreter's gunicorn
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "samvirke.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait_for(port)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def get_through(port: int, url: str, cookie: str) -> float:
    """One GET through the server on ``port``, which must answer 200: its time in ms."""
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", url, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 200, (url, response.status)
    return (time.perf_counter() - start) * 1000


def throughput(
    database_url: str,
    client: Any,
    pages: dict[str, str],
    *,
    label: str,
    workers: int = 3,
    clients: int = 10,
    requests: int = 400,
    seconds: float = 60.0,
) -> dict[str, object]:
    """Requests a second through gunicorn (``workers`` sync workers, as in production) from
    ``clients`` concurrent connections on loopback, the signed-in session of ``client``.

    The load is bounded twice: ``requests`` per page at most, and ``seconds`` per page at most;
    then the generator stops by itself and gunicorn is stopped.
    """
    cookie = session_cookie(client)
    results: dict[str, object] = {}
    with gunicorn(database_url, workers=workers) as port:
        for name, url in pages.items():
            results[name] = _load(port, url, cookie, clients, requests, seconds)
            figures = results[name]
            assert isinstance(figures, dict)
            print(
                f"{label:<11} gunicorn {workers} workers, {clients} clients, {name}: "
                f"{figures['requests_per_s']:>6.1f} req/s   median {figures['median_ms']:.1f} ms"
                f"   p95 {figures['p95_ms']:.1f} ms   ({figures['requests']} requests)"
            )
    return results


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not listen on {port} within 60 s")


def _load(
    port: int, url: str, cookie: str, clients: int, requests: int, seconds: float
) -> dict[str, object]:
    def get() -> float:
        return get_through(port, url, cookie)

    # Every worker warm: a worker's first request of a page loads its templates and
    # translations (a second or more). Requests one after another may all reach the same
    # worker, so the warm-up sends them from every client at once, three rounds.
    warm = [threading.Thread(target=lambda: [get() for _ in range(3)]) for _ in range(clients)]
    for thread in warm:
        thread.start()
    for thread in warm:
        thread.join()
    lock = threading.Lock()
    timings: list[float] = []
    left = [requests]
    stop_at = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < stop_at:
            with lock:
                if left[0] == 0:
                    return
                left[0] -= 1
            elapsed = get()
            with lock:
                timings.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    timings.sort()
    return {
        "requests": len(timings),
        "requests_per_s": round(len(timings) / wall, 1),
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
    }


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
    p95 = percentile(timings, 0.95)
    print(
        f"{label:<11} {name}  median {median:>7.1f} ms   p95 {p95:>7.1f} ms   "
        f"queries {len(queries)}"
    )
    return {name: {"median_ms": round(median, 1), "p95_ms": round(p95, 1), "queries": len(queries)}}


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["SAMVIRKE_TESTING"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    call_command("migrate", verbosity=0)


def analyze() -> None:
    """What autovacuum does shortly after a bulk load in production: fresh planner statistics,
    and the visibility map that lets a count or a page be read from an index alone."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


REUSE = "SAMVIRKE_BENCH_REUSE"


def seeded_once(seed: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], bool]:
    """What ``seed()`` returns, and whether it was taken from a kept database (``--reuse``)
    rather than seeded now."""
    from django.db import connection

    if os.environ.get(REUSE) != "1":
        return seed(), False
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_seed (info text NOT NULL)")
        cursor.execute("SELECT info FROM bench_seed")
        row = cursor.fetchone()
    if row:
        return json.loads(row[0]), True
    info = seed()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_seed (info) VALUES (%s)", [json.dumps(info)])
    return info, False


def write_results(name: str, label: str, results: dict[str, object]) -> None:
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}-{label.lower()}.json").write_text(json.dumps(results, indent=2))


def main(script: str, database: str, run_lane: Callable[[str, str], None]) -> None:
    """``script --lane postgresql|sqlite`` runs one lane; without it, every lane in turn."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--lane", choices=["postgresql", "sqlite"])
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the seeded database after the run, and time a kept one without seeding",
    )
    args = parser.parse_args()
    if args.reuse:
        os.environ[REUSE] = "1"
    if args.lane == "sqlite":
        if args.reuse:
            kept = ROOT / "var" / "bench"
            kept.mkdir(parents=True, exist_ok=True)
            run_lane(f"sqlite:///{kept}/{database}.sqlite3", "SQLite")
            return
        with tempfile.TemporaryDirectory() as tmp:
            run_lane(f"sqlite:///{tmp}/bench.sqlite3", "SQLite")
        return
    if args.lane == "postgresql":
        url = postgres_url(database)
        assert url
        admin = url.rsplit("/", 1)[0] + "/postgres"
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [database]
            ).fetchone()
            if not (args.reuse and exists):
                conn.execute(f"DROP DATABASE IF EXISTS {database}")
                conn.execute(f"CREATE DATABASE {database}")
        try:
            run_lane(url, "PostgreSQL")
        finally:
            if not args.reuse:
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
            [sys.executable, script, "--lane", lane, *(["--reuse"] if args.reuse else [])],
            check=True,
            cwd=ROOT,
        )
