"""`make bench` (part 4): measures, enrolment and attendance at scale.

Seeds one programme with 50,000 participants in 20 subprojects, 800 measures of every kind and
status in 40 municipalities with weekly sessions, 120,000 enrolments with their status
histories and 3,000,000 attendance rows, then times, as the programme leader and through
Django's full request handling:
- the measure catalogue (first page, and a filtered page),
- a busy measure's page (500 people, two years of weekly sessions),
- a participant's journey through several measures,
- saving the attendance of a 30-person session in one POST (the values alternate, so that every
  POST changes every row),
and prints median, p95 and query counts, each page also as a ratio to the floor (a signed-in
view that does nothing), and the requests a second that gunicorn (3 sync workers) serves of the
catalogue and the busy measure to 10 concurrent clients on loopback. Runs on PostgreSQL (when
DATABASE_URL points to it or one answers on 127.0.0.1:5432) and on SQLite; writes
bench/results/measures-<lane>.json. ``--reuse`` keeps the seeded database and times a kept one
without seeding (bench/harness.py).

Targets (issue #4): p95 under 200 ms for the pages with a query count independent of size; the
30-person attendance saved in one request under 100 ms. Issue #9: every list and detail page at
most 3× the floor (median), at least 100 requests a second for the catalogue on 2 cores.

Figures, PostgreSQL lane, 2026-12-07, kept database (``--reuse``), 2-core machine shared with
other work, several runs (the floor itself moved between 2.6 and 4.3 ms from run to run):

| page | start of the day | after | × floor after | queries |
|---|---|---|---|---|
| catalogue | 44.1 ms | 15.2–25 ms | 5.7–6.8 | 9 → 8 |
| busy measure (500 people) | 52.9 ms | 36.6–41.7 ms | 9.5–12.7 | 18 → 14 |
| journey (11 enrolments) | 18.9 ms | 10.0–15.5 ms | 2.3–4.0 | 8 → 6 |
| attendance sheet (30 people) | 17.3 ms | 10.3–14.6 ms | 2.4–4.0 | 7 → 6 |
| gunicorn, catalogue | 55.8 req/s | 74–112 req/s (most runs 87–95) | | |
| gunicorn, busy measure | 41.2 req/s | 42–66 req/s | | |

What moved them (``bench/profile_page.py``, cProfile, pyinstrument, and timing the pieces of a
page one by one): the programme navigation drawn by forty template tags cost ~10 ms of CPU on
every programme page (now ``samvirke.web.navigation``, addresses reversed once); the programme
and the user's roles in one query (``access_by_slug``); Meta orderings that joined the
programme only to sort one programme's rows (the catalogue sorted all 800 measures under a
join: now an index, ``measure_catalogue_order``); Django's psycopg 3 backend parsing every
timestamp in Python (``samvirke.lib.postgresql``); the catalogue's cards and the participant
list's rows put together in the view and linked with kept addresses (``lib.urls.address``);
the attendance rate counted from an index alone (``attendance_session_present``); the same
permission question asked once per GET (``Access.answers``). The gunicorn figures depended on
warming every worker first (a cold worker's first page took a second or more and was counted
as load until the warm-up sent requests from every client at once).
Not met: the ≤ 3× ratio. What is left per page is the ORM's work for 8–14 queries (~0.5 ms
each on this machine, compile included) and the template; the busy measure sends 14 queries.
"""

from __future__ import annotations

import datetime as dt
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
    throughput,
    time_pages,
    time_posts,
    write_results,
)

PARTICIPANTS = 50_000
SUBPROJECTS = 20
MUNICIPALITIES = 40
MEASURES = 800
ENROLMENTS = 120_000
ATTENDANCE = 3_000_000
BUSY_PEOPLE = 500  # enrolments in the busy measure
GROUP = 30  # people holding a place in the measure whose attendance is posted
REQUESTS = 30
POSTS = 20
BATCH = 5000
SLUG = "bench-measures"

KIND_WEIGHTS = {
    "work_training": 20,
    "meeting_place": 15,
    "course": 20,
    "peer_support": 10,
    "study_circle": 10,
    "entrepreneurship": 5,
    "volunteer_work": 5,
    "individual_follow_up": 10,
    "other": 5,
}
STATUS_WEIGHTS = {"running": 55, "ended": 20, "planned": 8, "piloting": 10, "paused": 7}
ENROLMENT_WEIGHTS = {
    "completed": 33,
    "dropped_out": 15,
    "active": 30,
    "paused": 5,
    "referred": 10,
    "waiting": 7,
}
STARTED = {"active", "paused", "completed", "dropped_out"}
DROPOUT_REASONS = ["health", "work_or_study", "moved", "lost_contact", "not_suitable", "other"]
ABSENT_REASONS = ["ill", "appointment", "work", "no_show", "other"]


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _history(
    rng: random.Random, status: str, referred: dt.date, started: dt.date | None, ended: dt.date
) -> list[tuple[str, dt.date, str]]:
    """The steps that led to ``status``: (status, date, dropout reason)."""
    steps = [("referred", referred, "")]
    if status == "waiting":
        return [*steps, ("waiting", referred, "")]
    if status == "referred" or started is None:
        return steps
    if rng.random() < 0.2:
        steps.append(("waiting", referred + dt.timedelta(days=2), ""))
    steps.append(("active", started, ""))
    if status == "paused" or (status != "active" and rng.random() < 0.15):
        steps.append(("paused", started + (ended - started) / 2, ""))
        if status != "paused":
            steps.append(("active", started + (ended - started) * 3 / 4, ""))
    if status in ("completed", "dropped_out"):
        reason = rng.choice(DROPOUT_REASONS) if status == "dropped_out" else ""
        steps.append((status, ended, reason))
    return steps


def seed() -> dict[str, Any]:  # noqa: C901, PLR0912, PLR0915 - one long, linear seed
    from django.db import connection, transaction
    from django.utils import timezone

    from samvirke.accounts.models import Membership, Role, User
    from samvirke.measures.models import (
        Enrolment,
        EnrolmentStatusChange,
        Measure,
        MeasureSession,
    )
    from samvirke.participants.models import Consent, ConsentText, Participant, new_pseudonym
    from samvirke.programmes.models import Municipality, Programme, Subproject

    rng = random.Random(42)
    now = timezone.now()
    today = timezone.localdate()
    programme = Programme.objects.create(
        slug=SLUG,
        name_nb="Tiltaksprogram",
        starts_on=dt.date(2022, 1, 1),
        ends_on=dt.date(2032, 12, 31),
    )
    leader = User.objects.create_user(
        email="leader@example.test", password="bench-password-123", full_name="Programme Leader"
    )
    Membership.objects.create(user=leader, programme=programme, role=Role.PROGRAMME_LEADER)
    guides = User.objects.bulk_create(
        [User(email=f"guide{i}@example.test", full_name=f"Veileder {i}") for i in range(40)]
    )
    Membership.objects.bulk_create(
        [Membership(user=g, programme=programme, role=Role.GUIDE) for g in guides]
    )
    subprojects = Subproject.objects.bulk_create(
        [Subproject(programme=programme, name=f"Delprosjekt {s}") for s in range(SUBPROJECTS)]
    )
    municipalities = Municipality.objects.bulk_create(
        [
            Municipality(
                country="NO" if m < 30 else "SE",
                code=f"{5000 + m:04d}",
                name=f"{'Kommune' if m < 30 else 'Kommun'} {m}",
            )
            for m in range(MUNICIPALITIES)
        ]
    )

    # Participants, their subprojects and a consent to follow-up for most.
    text = ConsentText.objects.get(purpose="follow_up", for_youth=False, version=1)
    used: set[str] = set()
    participant_ids: list[int] = []
    for start in range(0, PARTICIPANTS, BATCH):
        people = []
        for _ in range(min(BATCH, PARTICIPANTS - start)):
            country = "NO" if rng.random() < 0.75 else "SE"
            pseudonym = new_pseudonym(country)
            while pseudonym in used:
                pseudonym = new_pseudonym(country)
            used.add(pseudonym)
            people.append(
                Participant(
                    programme=programme,
                    pseudonym=pseudonym,
                    country=country,
                    birth_year=rng.randint(1955, 2008),
                    municipality=rng.choice(municipalities),
                )
            )
        people = Participant.objects.bulk_create(people)
        participant_ids += [p.pk for p in people]
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

    # Measures with a weekly schedule; the first is the busy one, the second the 30-person group.
    measures = []
    for m in range(MEASURES):
        municipality = rng.choice(municipalities)
        status = "running" if m < 2 else _pick(rng, STATUS_WEIGHTS)
        weeks = 104 if m < 2 else rng.randint(20, 110)
        if status in ("running", "paused"):
            first = today - dt.timedelta(weeks=rng.randint(weeks // 3, weeks - 4) if m > 1 else 90)
        elif status == "ended":
            first = today - dt.timedelta(weeks=weeks + rng.randint(2, 60))
        else:  # planned or piloting: starting now or soon
            first = today + dt.timedelta(weeks=rng.randint(-8, 12))
        kind = _pick(rng, KIND_WEIGHTS)
        measures.append(
            Measure(
                programme=programme,
                name_nb=f"{kind.replace('_', ' ').capitalize()} {m}",
                name_sv=f"Åtgärd {m}" if municipality.country == "SE" else "",
                description_nb="Et tiltak for deltakere som vil i arbeid eller aktivitet. " * 3,
                kind=kind,
                subproject=rng.choice(subprojects),
                country=municipality.country,
                municipality=municipality,
                language="sv" if municipality.country == "SE" else "nb",
                place=f"Huset {m}",
                capacity=rng.choice([None, 12, 15, 20, 25, 30, 40]) if m > 1 else None,
                status=status,
                weekday=first.weekday(),
                starts_at=dt.time(rng.choice([9, 10, 12, 13, 17])),
                duration_minutes=120,
                first_date=first,
                last_date=first + dt.timedelta(weeks=weeks),
            )
        )
    measures = Measure.objects.bulk_create(measures, batch_size=BATCH)
    busy, group = measures[0], measures[1]
    session_rows = []
    for measure in measures:
        assert measure.first_date and measure.last_date and measure.starts_at
        day = measure.first_date
        while day <= measure.last_date:
            begins = dt.datetime.combine(day, measure.starts_at, tzinfo=dt.UTC)
            session_rows.append(
                MeasureSession(
                    measure=measure, starts_at=begins, ends_at=begins + dt.timedelta(hours=2)
                )
            )
            day += dt.timedelta(weeks=1)
    sessions = MeasureSession.objects.bulk_create(session_rows, batch_size=BATCH)

    # Enrolments: the busy measure gets its 500, the group measure 30 holding a place and some
    # who have finished; the rest are spread over the other measures.
    sizes = [BUSY_PEOPLE, GROUP + 20]
    others = len(measures) - 2
    remaining = ENROLMENTS - sum(sizes)
    weights = [rng.uniform(0.2, 1.8) for _ in range(others)]
    scale = remaining / sum(weights)
    sizes += [int(w * scale) for w in weights]
    sizes[-1] += ENROLMENTS - sum(sizes)
    enrolments: list[Enrolment] = []
    for measure, size in zip(measures, sizes, strict=True):
        assert measure.first_date and measure.last_date
        span = max((min(measure.last_date, today) - measure.first_date).days, 1)
        position = 0
        for i, participant_id in enumerate(rng.sample(participant_ids, k=size)):
            if measure is group:
                status = "active" if i < GROUP else rng.choice(["completed", "dropped_out"])
            elif measure.status in ("planned", "piloting") and measure.first_date > today:
                status = rng.choice(["referred", "waiting"])
            elif measure.status == "ended":
                status = rng.choice(["completed", "completed", "dropped_out"])
            else:
                status = _pick(rng, ENROLMENT_WEIGHTS)
            referred = measure.first_date + dt.timedelta(days=rng.randint(-14, span // 3))
            started = None
            if status in STARTED:
                started = referred + dt.timedelta(days=rng.randint(3, 21))
            ended = (
                started + dt.timedelta(days=rng.randint(300, 1000))
                if started and status in ("completed", "dropped_out")
                else None
            )
            if status == "waiting":
                position += 1
            enrolments.append(
                Enrolment(
                    measure=measure,
                    participant_id=participant_id,
                    referral_source=rng.choice(
                        ["self", "nav", "arbetsformedlingen", "municipal", "health", "other"]
                    ),
                    guide=rng.choice(guides),
                    status=status,
                    referred_on=referred,
                    started_on=started,
                    ended_on=ended,
                    position=position if status == "waiting" else None,
                )
            )
    enrolments = Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    running = [i for i in range(2, len(measures)) if measures[i].status == "running"]
    typical = measures[sorted(running, key=lambda i: sizes[i])[len(running) // 2]]
    changes = [
        EnrolmentStatusChange(
            enrolment=e,
            status=status,
            changed_on=on,
            reason_code=reason,
            changed_by=e.guide,
        )
        for e in enrolments
        for status, on, reason in _history(
            rng, e.status, e.referred_on, e.started_on, e.ended_on or today
        )
    ]
    EnrolmentStatusChange.objects.bulk_create(changes, batch_size=BATCH)

    # Attendance: each past session records some of those who had started by then, in proportion
    # so that the whole comes to about three million rows.
    started_by_measure: dict[int, list[Enrolment]] = {}
    for e in enrolments:
        if e.started_on is not None:
            started_by_measure.setdefault(e.measure_id, []).append(e)
    past = [s for s in sessions if s.starts_at < now]
    candidates = {
        s.pk: [
            e.pk
            for e in started_by_measure.get(s.measure_id, [])
            if e.started_on <= s.starts_at.date() <= (e.ended_on or today)  # type: ignore[operator]
        ]
        for s in past
    }
    total = sum(len(c) for c in candidates.values())
    share = min(ATTENDANCE / max(total, 1), 1.0)
    stamp: Any = now
    if connection.vendor == "sqlite":
        stamp = connection.ops.adapt_datetimefield_value(now)

    def rows() -> Any:
        for session_pk, people in candidates.items():
            k = min(len(people), round(len(people) * share * rng.uniform(0.8, 1.2)))
            for enrolment_pk in rng.sample(people, k=k):
                present = rng.random() < 0.78
                reason = "" if present else rng.choice(ABSENT_REASONS)
                yield (session_pk, enrolment_pk, present, reason, stamp, stamp)

    columns = "session_id, enrolment_id, present, absent_reason, created_at, updated_at"
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY measures_attendance ({columns}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
                    count += 1
        else:
            values = "%s, %s, %s, %s, %s, %s"
            sql = f"INSERT INTO measures_attendance ({columns}) VALUES ({values})"  # noqa: S608
            chunk: list[Any] = []
            for row in rows():
                chunk.append(row)
                if len(chunk) == 50_000:
                    cursor.executemany(sql, chunk)
                    count += len(chunk)
                    chunk = []
            cursor.executemany(sql, chunk)
            count += len(chunk)

    # The participant whose journey is read: the one with most enrolments.
    per_participant: dict[int, int] = {}
    for e in enrolments:
        per_participant[e.participant_id] = per_participant.get(e.participant_id, 0) + 1
    traveller = max(per_participant, key=lambda pk: per_participant[pk])
    group_session = max((s for s in past if s.measure_id == group.pk), key=lambda s: s.starts_at)
    return {
        "sessions": len(sessions),
        "attendance": count,
        "busy": busy.pk,
        "typical": typical.pk,
        "typical_people": sizes[measures.index(typical)],
        "traveller": str(Participant.objects.get(pk=traveller).public_id),
        "traveller_enrolments": per_participant[traveller],
        "group_session": group_session.pk,
        "group_enrolments": [e.pk for e in enrolments if e.measure_id == group.pk][:GROUP],
        "filter_municipality": busy.municipality_id,
    }


def measure(label: str, seeded: dict[str, Any], database_url: str) -> dict[str, object]:
    client = signed_in_client("leader@example.test")
    base = f"/p/{SLUG}"
    pages = {
        "catalogue": f"{base}/measures/",
        "catalogue, filtered": f"{base}/measures/?status=running&kind=course",
        "catalogue, municipality": (
            f"{base}/measures/?municipality={seeded['filter_municipality']}"
        ),
        "catalogue, page 20": f"{base}/measures/?page=20",
        f"busy measure ({BUSY_PEOPLE} people)": f"{base}/measures/{seeded['busy']}/",
        f"typical measure ({seeded['typical_people']} people)": (
            f"{base}/measures/{seeded['typical']}/"
        ),
        f"journey ({seeded['traveller_enrolments']} enrolments)": (
            f"{base}/participants/{seeded['traveller']}/journey/"
        ),
        f"attendance sheet ({GROUP} people)": (
            f"{base}/measure-sessions/{seeded['group_session']}/attendance/"
        ),
    }
    results = time_pages(client, pages, label=label, requests=REQUESTS)
    people = seeded["group_enrolments"]
    present = {f"present-{pk}": "yes" for pk in people}
    absent = {f"present-{pk}": "no" for pk in people} | {f"reason-{pk}": "ill" for pk in people}
    results |= time_posts(
        client,
        f"{base}/measure-sessions/{seeded['group_session']}/attendance/",
        [present, absent],
        label=label,
        name=f"attendance POST ({GROUP} people)",
        requests=POSTS,
    )
    results["through gunicorn"] = throughput(
        database_url,
        client,
        {
            "catalogue": pages["catalogue"],
            f"busy measure ({BUSY_PEOPLE} people)": pages[f"busy measure ({BUSY_PEOPLE} people)"],
        },
        label=label,
    )
    return results


def run_lane(database_url: str, label: str) -> None:
    setup_django(database_url)

    def seed_all() -> dict[str, Any]:
        seeded = seed()
        analyze()
        return seeded

    started = time.perf_counter()
    seeded, reused = seeded_once(seed_all)
    print(
        f"{label:<11} {'reused' if reused else 'seeded'} {PARTICIPANTS} participants, "
        f"{MEASURES} measures, "
        f"{seeded['sessions']} sessions, {ENROLMENTS} enrolments, {seeded['attendance']} "
        f"attendance rows in {time.perf_counter() - started:.0f} s"
    )
    write_results("measures", label, measure(label, seeded, database_url))


if __name__ == "__main__":
    main(__file__, "samvirke_bench_measures", run_lane)
