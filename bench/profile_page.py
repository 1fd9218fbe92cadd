"""Profile one page of a kept bench database (``--reuse``): where a request's time goes.

    python bench/profile_page.py DATABASE EMAIL URL [URL ...] [--requests N] [--top N] [--sql]

DATABASE is a kept PostgreSQL bench database (``samvirke_bench_measures``,
``samvirke_bench_mapping``) or a ``sqlite:///`` URL. For each URL it prints the median of N
requests through Django's full request handling (as the signed-in EMAIL, the floor first for a
ratio), the queries of one request with their time, and the cProfile entries of N requests by
cumulative and by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import postgres_url, setup_django, signed_in_client  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database")
    parser.add_argument("email")
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sql", action="store_true", help="print every query of one request")
    args = parser.parse_args()
    url = args.database if "://" in args.database else postgres_url(args.database)
    assert url, "no PostgreSQL on 127.0.0.1:5432"
    setup_django(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.urls import FLOOR_URL

    client = signed_in_client(args.email)
    floor = None
    for page in [FLOOR_URL, *args.urls]:
        for _ in range(3):
            assert client.get(page).status_code == 200, page
        timings, cpu = [], []
        for _ in range(args.requests):
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(page)
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        median = statistics.median(timings)
        floor = floor or median
        with CaptureQueriesContext(connection) as queries:
            client.get(page)
        print(
            f"\n== {page}: median {median:.1f} ms ({median / floor:.1f}× floor), "
            f"this process's CPU {statistics.median(cpu):.1f} ms, {len(queries)} queries, "
            f"{sum(float(q['time']) for q in queries) * 1000:.1f} ms in SQL"
        )
        if args.sql:
            for q in queries:
                print(f"  {float(q['time']) * 1000:6.1f} ms  {q['sql'][:300]}")
        if page == FLOOR_URL and len(args.urls) > 0 and not args.sql:
            continue
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            client.get(page)
        profile.disable()
        stats = pstats.Stats(profile).strip_dirs()
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
