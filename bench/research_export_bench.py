"""`make bench` (part 5): the research export of the evaluation dataset at issue 10's size.

Seeds one programme with 20,000 participants who consented to research, each with four time
points: 80,000 resource mapping versions (life-situation ratings, work, education) and, through
``bench/questionnaire_seed.py`` (shared with the questionnaire bench), a schedule of four
instruments (WHO-5, GAD-7, CORE-10, loneliness-3) at four time points, so 320,000 submitted
questionnaire responses with 2,000,000 item answers and 320,000 scores; 10 measures with 60,000
enrolments (three per person) and 300,000 attendance marks. Then, as a researcher and through
Django's full request handling, each export goes the researcher's way: the POST that queues the
job (the bench's task backend runs it at once, as the worker would, inside that request), the
export's page, and the download of the finished file from the private folder, which deletes it.
Each of the long CSV, the long SPSS .sav, the wide .sav and the long Stata .dta runs in a fresh
process (warmed by one page first, as a served process is) so that its peak memory (maximum
resident set size) is the export's own; "job" is the POST, the rest the page and the download.

Targets (issue 10): the long CSV under 10 s and the .sav under 20 s, each under 1 GB peak.
Writes bench/results/research-export-<lane>.json.

Measured 2026-12-06 23:17-23:20 UTC on the shared 2-core machine (load average 2.2-3.1, other
work running; wall-clock seconds, "CPU" of the export itself in its own process, peak RSS;
80,000 long rows, 20,000 wide):

    lane        export     seconds        CPU     peak MB  file MB  target
    PostgreSQL  long CSV   8.44 8.58 8.59 3.8-4.1    438     71.1    < 10 s: met
    PostgreSQL  long .sav  12.61          7.34       547    140.8    < 20 s: met
    PostgreSQL  wide .sav   9.02          4.54       443     45.7
    PostgreSQL  long .dta  11.93          7.24       545    140.1
    SQLite      long CSV   8.84 7.99      6.8-7.0    414     71.1    < 10 s: met
    SQLite      long .sav  11.11          9.77       547    140.8    < 20 s: met

The code before (2026-12-04), in the same minutes on the same data: long CSV 14.08 and 14.30 s
on PostgreSQL (CPU 7.4-7.6), 38 s at a load of 9 on SQLite (CPU 10.1, against 7.0-7.2 for the
new code at that load). What moved it (cProfile, then EXPLAIN ANALYZE): a fifth of the CPU was
Django preparing and resolving each of a batch's 5,000 ids as a parameter of its own and the
driver splitting queries of 5,000 placeholders (``samvirke.lib.among.Among`` passes them as one
array), ~1.3 s was Django's row-by-row fetch of the two million item answers
(``plain_rows``: blocks of 20,000 from a server-side cursor), and the server scanned the two
million answers once per batch (one batch of 20,000 people now: 1.7 s against 4 × 1.0 s at
that load). Left: the two DISTINCT queries that find the item and score columns (~0.5 s on a
quiet server); finding columns without them needs a probe per candidate item, which PostgreSQL
plans as a full scan of an item's answers whenever one has none (tried: 69 s).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    analyze,
    main,
    setup_django,
    signed_in_client,
    write_results,
)
from bench.questionnaire_seed import schedule_of, seed_responses  # noqa: E402

PARTICIPANTS = int(os.environ.get("RESEARCH_BENCH_PARTICIPANTS", "20000"))  # issue 10: 20,000
TIME_POINTS = 4
MEASURES = 10
ENROLMENTS_EACH = 3
SESSIONS = 20
MARKS_EACH = 5
BATCH = 4000
SLUG = "bench-research"
EXPORTS = {
    "long CSV": {"layout": "long", "file_format": "csv"},
    "long .sav": {"layout": "long", "file_format": "sav"},
    "wide .sav": {"layout": "wide", "file_format": "sav"},
    "long .dta": {"layout": "long", "file_format": "dta"},
}
TARGETS_S = {"long CSV": 10.0, "long .sav": 20.0}


def seed() -> None:
    from django.utils import timezone

    from samvirke.accounts.models import Membership, Role, User
    from samvirke.mapping.models import LifeDomain, LifeSituation, Mapping, WorkExperience
    from samvirke.measures.models import Attendance, Enrolment, Measure, MeasureSession
    from samvirke.participants.models import Consent, ConsentText, Participant, new_pseudonym
    from samvirke.programmes.models import Municipality, Programme, Subproject

    rng = random.Random(42)
    programme = Programme.objects.create(
        slug=SLUG,
        name_nb="Forskningsprogram",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2030, 12, 31),
    )
    researcher = User.objects.create_user(
        email="researcher@example.test", password="bench-password-123", full_name="R"
    )
    Membership.objects.create(user=researcher, programme=programme, role=Role.RESEARCHER)
    subprojects = Subproject.objects.bulk_create(
        [Subproject(programme=programme, name=f"Delprosjekt {s}") for s in range(5)]
    )
    places = [
        Municipality.objects.get_or_create(
            country="NO", code=code, defaults={"name": f"Kommune {code}"}
        )[0]
        for code in ("5001", "5006", "3401", "1804", "0301")
    ]
    measures = [
        Measure.objects.create(
            programme=programme,
            subproject=rng.choice(subprojects),
            name_nb=f"Tiltak {m}",
            kind="work_training",
            status="running",
            country="NO",
        )
        for m in range(MEASURES)
    ]
    start = timezone.now() - dt.timedelta(days=400)
    sessions = {
        measure.pk: MeasureSession.objects.bulk_create(
            [
                MeasureSession(
                    measure=measure,
                    starts_at=start + dt.timedelta(days=7 * s),
                    ends_at=start + dt.timedelta(days=7 * s, hours=2),
                )
                for s in range(SESSIONS)
            ]
        )
        for measure in measures
    }
    plan = schedule_of(programme)
    research = ConsentText.objects.get(purpose="research", for_youth=False, version=1)
    used: set[str] = set()
    for first in range(0, PARTICIPANTS, BATCH):
        people = []
        for _ in range(min(BATCH, PARTICIPANTS - first)):
            pseudonym = new_pseudonym("NO")
            while pseudonym in used:
                pseudonym = new_pseudonym("NO")
            used.add(pseudonym)
            people.append(
                Participant(
                    programme=programme,
                    pseudonym=pseudonym,
                    country="NO",
                    birth_year=rng.randint(1960, 2005),
                    gender=rng.choice(["woman", "man", "other"]),
                    municipality=rng.choice(places),
                )
            )
        people = Participant.objects.bulk_create(people)
        Through = Participant.subprojects.through
        Through.objects.bulk_create(
            [Through(participant_id=p.pk, subproject_id=rng.choice(subprojects).pk) for p in people]
        )
        Consent.objects.bulk_create(
            [
                Consent(participant=p, purpose="research", text=research, method="paper")
                for p in people
            ]
        )
        baseline = {
            p.pk: dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 300)) for p in people
        }
        versions = Mapping.objects.bulk_create(
            [
                Mapping(
                    programme=programme,
                    participant=p,
                    filled_on=baseline[p.pk] + dt.timedelta(days=91 * t),
                    filled_by=rng.choice(["self", "guide"]),
                    is_current=t == TIME_POINTS - 1,
                    hours_per_week=rng.randint(0, 30),
                )
                for p in people
                for t in range(TIME_POINTS)
            ],
            batch_size=5000,
        )
        LifeSituation.objects.bulk_create(
            [
                LifeSituation(
                    mapping=m, domain=d, rater="self", level=rng.choice(["green", "yellow", "red"])
                )
                for m in versions
                for d in rng.sample(LifeDomain.values, k=4)
            ],
            batch_size=10000,
        )
        WorkExperience.objects.bulk_create(
            [
                WorkExperience(mapping=m, title="arbeid", paid=rng.random() < 0.6)
                for m in versions
                for _ in range(rng.randint(0, 2))
            ],
            batch_size=10000,
        )
        enrolments = Enrolment.objects.bulk_create(
            [
                Enrolment(
                    measure=measure,
                    participant=p,
                    referral_source=rng.choice(["nav", "self", "health"]),
                    status=rng.choice(["active", "completed", "dropped_out"]),
                    referred_on=baseline[p.pk] + dt.timedelta(days=rng.randint(0, 60)),
                    started_on=baseline[p.pk] + dt.timedelta(days=rng.randint(60, 120)),
                )
                for p in people
                for measure in rng.sample(measures, k=ENROLMENTS_EACH)
            ],
            batch_size=5000,
        )
        first_enrolment = {e.participant_id: e for e in reversed(enrolments)}
        seed_responses(
            plan,
            people,
            first_enrolment,
            rng=rng,
            today=timezone.localdate(),
            sent_points=len(plan.points),
        )
        Attendance.objects.bulk_create(
            [
                Attendance(session=session, enrolment=e, present=rng.random() < 0.75)
                for e in enrolments
                for session in rng.sample(sessions[e.measure_id], k=MARKS_EACH)
            ],
            batch_size=10000,
        )


def export_once(name: str) -> dict[str, object]:
    """One export through the researcher's path, in this process: the POST that queues it (the
    bench's task backend runs the job at once, as the worker would), the page, the download.
    Seconds, bytes, rows and the process's peak memory."""
    from samvirke.evaluation.models import ResearchExport

    client = signed_in_client("researcher@example.test")
    url = f"/p/{SLUG}/research-data/export"
    # A served process is warm: its URL configuration (which imports scipy and pandas for the
    # analysis pages, ~3 s) is loaded by the first request, here the research data page.
    assert client.get(f"/p/{SLUG}/research-data/").status_code == 200
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_SELF)
    asked = client.post(url, EXPORTS[name])
    assert asked.status_code == 302, asked.content[:500]
    job_done = time.perf_counter()
    page = client.get(asked["Location"])
    assert page.status_code == 200
    response = client.post(f"{asked['Location']}download")
    assert response.status_code == 200, response.content[:500]
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    export = ResearchExport.objects.latest("pk")
    assert export.status == "done" and export.deleted_at is not None  # gone once downloaded
    return {
        "seconds": round(seconds, 2),
        "job_seconds": round(job_done - started, 2),
        "download_seconds": round(seconds - (job_done - started), 2),
        "cpu_seconds": round(cpu, 2),  # of this process; the database's own time is apart
        "peak_rss_mb": round(peak_mb),
        "bytes": size,
        "rows": export.rows,
        "participants": export.participants,
    }


def run_lane(database_url: str, label: str) -> None:
    setup_django(database_url)
    started = time.perf_counter()
    seed()
    analyze()
    from samvirke.evaluation.models import ItemAnswer, QuestionnaireResponse

    print(
        f"{label:<11} seeded {PARTICIPANTS} participants × {TIME_POINTS} time points: "
        f"{QuestionnaireResponse.objects.count()} questionnaire responses, "
        f"{ItemAnswer.objects.count()} item answers, "
        f"{PARTICIPANTS * ENROLMENTS_EACH} enrolments in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    results: dict[str, object] = {}
    for name in EXPORTS:
        measured = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, __file__, "--export", name, "--database", database_url],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        figures = json.loads(measured.stdout.strip().splitlines()[-1])
        target = TARGETS_S.get(name)
        verdict = ""
        if target is not None:
            ok = figures["seconds"] < target and figures["peak_rss_mb"] < 1024
            verdict = f"  target < {target:.0f} s, < 1 GB: {'met' if ok else 'MISSED'}"
        print(
            f"{label:<11} {name:<10} {figures['seconds']:>6.2f} s "
            f"(CPU here {figures['cpu_seconds']:>5.2f} s)   "
            f"peak {figures['peak_rss_mb']:>5} MB   {figures['bytes'] / 1e6:>6.1f} MB   "
            f"{figures['rows']} rows (job {figures['job_seconds']} s){verdict}",
            flush=True,
        )
        results[name] = figures
    write_results("research-export", label, results)


if __name__ == "__main__":
    if "--export" in sys.argv:
        name = sys.argv[sys.argv.index("--export") + 1]
        url = sys.argv[sys.argv.index("--database") + 1]

        os.environ["DATABASE_URL"] = url
        os.environ["SAMVIRKE_TESTING"] = "1"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvirke.settings")
        import django

        django.setup()
        print(json.dumps(export_once(name)))
    else:
        main(__file__, "samvirke_bench_research", run_lane)
