"""`make bench` (part 9): a participant answering a questionnaire, at issue 10's size.

Seeds one programme with ``--participants`` people (20,000 by default, issue 10's size), a
schedule of four instruments at four time points, so 16 questionnaire responses each (320,000),
three of the four time points sent in with every item answered and scored, the last one due,
10 measures and three enrolments each (60,000). Then, signed in as one of the participants and
through Django's full request handling, times the page of one question of a due questionnaire
and saving an answer to it (the POST of "next", which redirects to the next question).

A smaller ``--participants`` seeds faster on a busy machine; the figures say which size ran.
Targets (issue 10): each p95 under 100 ms. Writes bench/results/questionnaire-<lane>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
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
    time_pages,
    time_posts,
    write_results,
)
from bench.questionnaire_seed import INSTRUMENTS, TIME_POINTS, schedule_of, seed_responses  # noqa: E402

PARTICIPANTS = 20_000  # issue 10's size; --participants to run smaller
MEASURES = 10
ENROLMENTS_EACH = 3
BATCH = 2000
SLUG = "bench-questionnaires"
EMAIL = "participant@example.test"
TARGET_MS = 100.0
REQUESTS = 60


def _size() -> int:
    """``--participants N`` (passed on to each lane's process through the environment)."""
    parser = argparse.ArgumentParser(add_help=False)
    default = int(os.environ.get("BENCH_PARTICIPANTS", PARTICIPANTS))
    parser.add_argument("--participants", type=int, default=default)
    known, rest = parser.parse_known_args()
    sys.argv = [sys.argv[0], *rest]  # the harness reads --lane
    os.environ["BENCH_PARTICIPANTS"] = str(max(int(known.participants), 1))
    return int(os.environ["BENCH_PARTICIPANTS"])


SIZE = _size()


def seed() -> str:
    """The seeded programme; returns the public id of the bench participant's due WHO-5."""
    from django.utils import timezone

    from samvirke.accounts.models import Membership, Role, User
    from samvirke.evaluation.models import QuestionnaireResponse, ResponseStatus
    from samvirke.measures.models import Enrolment, Measure
    from samvirke.participants.models import Participant, new_pseudonym
    from samvirke.programmes.models import Programme, Subproject

    rng = random.Random(10)
    programme = Programme.objects.create(
        slug=SLUG,
        name_nb="Spørreskjemaprogram",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2030, 12, 31),
    )
    plan = schedule_of(programme)
    subproject = Subproject.objects.create(programme=programme, name="Delprosjekt")
    measures = [
        Measure.objects.create(
            programme=programme,
            subproject=subproject,
            name_nb=f"Tiltak {m}",
            kind="work_training",
            status="running",
            country="NO",
        )
        for m in range(MEASURES)
    ]
    account = User.objects.create_user(email=EMAIL, password="bench-password-123", full_name="P")
    Membership.objects.create(user=account, programme=programme, role=Role.PARTICIPANT)
    today = timezone.localdate()
    used: set[str] = set()
    for first in range(0, SIZE, BATCH):
        people = []
        for n in range(first, min(first + BATCH, SIZE)):
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
                    account=account if n == 0 else None,
                )
            )
        people = Participant.objects.bulk_create(people)
        enrolments = Enrolment.objects.bulk_create(
            [
                Enrolment(
                    measure=measure,
                    participant=p,
                    referral_source="nav",
                    status="active",
                    referred_on=today - dt.timedelta(days=400),
                    started_on=today - dt.timedelta(days=380),
                )
                for p in people
                for measure in rng.sample(measures, k=ENROLMENTS_EACH)
            ],
            batch_size=5000,
        )
        first_enrolment = {e.participant_id: e for e in reversed(enrolments)}
        # Three of the four time points sent in, the last one due.
        seed_responses(
            plan,
            people,
            first_enrolment,
            rng=rng,
            today=today,
            sent_points=len(TIME_POINTS) - 1,
        )
    mine = QuestionnaireResponse.objects.get(
        participant__account=account,
        version=plan.versions["who5"],
        status=ResponseStatus.DUE,
    )
    return str(mine.public_id)


def run_lane(database_url: str, label: str) -> None:
    setup_django(database_url)
    started = time.perf_counter()
    public_id = seed()
    analyze()
    from samvirke.evaluation.models import ItemAnswer, QuestionnaireResponse

    responses = QuestionnaireResponse.objects.count()
    print(
        f"{label:<11} seeded {SIZE} participants × {len(TIME_POINTS)} time points × "
        f"{len(INSTRUMENTS)} instruments: {responses} responses, "
        f"{ItemAnswer.objects.count()} answers, {SIZE * ENROLMENTS_EACH} enrolments "
        f"in {time.perf_counter() - started:.0f} s"
    )
    client = signed_in_client(EMAIL)
    page = f"/p/{SLUG}/me/questionnaires/{public_id}/"
    results = time_pages(
        client,
        {
            "my questionnaires (list)": f"/p/{SLUG}/me/questionnaires/",
            "questionnaire page (question 2)": f"{page}?q=2",
        },
        label=label,
        requests=REQUESTS,
    )
    # Saving the answer to question 2 again and again, a new value each time: the same work as
    # a first answer (the row is written, the next position moved), redirecting to question 3.
    payloads = [{"q": "2", "value": str(value), "action": "next"} for value in (0, 1, 2, 3, 4, 5)]
    results.update(
        time_posts(client, page, payloads, label=label, name="saving an answer", requests=REQUESTS)
    )
    for name in ("questionnaire page (question 2)", "saving an answer"):
        figures = results[name]
        assert isinstance(figures, dict)
        verdict = "met" if figures["p95_ms"] < TARGET_MS else "MISSED"
        print(f"{label:<11} {name}: p95 {figures['p95_ms']} ms, target < 100 ms: {verdict}")
    results["size"] = {
        "participants": SIZE,
        "responses": responses,
        "enrolments": SIZE * ENROLMENTS_EACH,
        "issue_size": SIZE == PARTICIPANTS,
    }
    write_results("questionnaire", label, results)


if __name__ == "__main__":
    main(__file__, "samvirke_bench_questionnaires", run_lane)
