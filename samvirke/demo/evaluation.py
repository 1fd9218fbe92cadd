"""Outcome data in the demo: the demo participant has a WHO-5 questionnaire due, the demo guide
has questionnaires due this week and overdue among the people they follow, and the 2011–2014
programme's enrolled participants have submitted questionnaires (``data/evaluation.json``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from samvirke.accounts.services import stored_addresses
from samvirke.demo.fixtures import fixture
from samvirke.evaluation import synthetic
from samvirke.evaluation.models import (
    EntryMode,
    InstrumentVersion,
    Item,
    ItemAnswer,
    QuestionnaireResponse,
    ResponseStatus,
)
from samvirke.evaluation.response_services import open_response, score_response
from samvirke.evaluation.schedule_services import add_months
from samvirke.measures.models import Enrolment
from samvirke.participants.models import Participant

DATA = fixture("evaluation")
DEMO_PARTICIPANT_EMAIL: str = DATA["participant_email"]
DEMO_GUIDE_EMAIL: str = DATA["guide_email"]
# Days from today of the questionnaires opened for the people the demo guide follows: one due
# later this week, one overdue (its window still open), in turn.
GUIDE_DUE_DAYS: tuple[int, ...] = tuple(DATA["guide_due_days"])


def _who5() -> InstrumentVersion | None:
    return (
        InstrumentVersion.objects.filter(instrument__key="who5", instrument__programme=None)
        .order_by("-version")
        .first()
    )


def _open_ones(
    participant: Participant, version: InstrumentVersion
) -> QuestionnaireResponse | None:
    return QuestionnaireResponse.objects.filter(
        participant=participant,
        version__instrument=version.instrument,
        status__in=[ResponseStatus.DUE, ResponseStatus.IN_PROGRESS],
    ).first()


@transaction.atomic
def load_questionnaire_demo() -> QuestionnaireResponse | None:
    """Open a WHO-5 due today for the demo participant, unless one is open already; and, for
    the people the demo guide follows, one due this week and one overdue."""

    version = _who5()
    # The participant's account holds its sign-in address only as a keyed hash.
    participant = (
        Participant.objects.filter(account__email__in=stored_addresses(DEMO_PARTICIPANT_EMAIL))
        .order_by("pk")
        .first()
    )
    if version is None or participant is None:
        return None
    _guide_follow_ups(version)
    return _open_ones(participant, version) or open_response(
        participant=participant, version=version, due_on=timezone.localdate()
    )


def _guide_follow_ups(version: InstrumentVersion) -> None:
    followed = Participant.objects.filter(
        guides__email=DEMO_GUIDE_EMAIL, account__isnull=True
    ).order_by("pk")
    today = timezone.localdate()
    for participant, days in zip(followed, GUIDE_DUE_DAYS, strict=False):
        if _open_ones(participant, version) is None:
            open_response(
                participant=participant, version=version, due_on=today + dt.timedelta(days=days)
            )


SYNTHETIC_PROGRAMME: str = DATA["synthetic"]["programme"]
SYNTHETIC_SEED: int = DATA["synthetic"]["seed"]
SYNTHETIC_KEY = "synthetic"


@transaction.atomic
def load_synthetic_responses(*, slug: str = SYNTHETIC_PROGRAMME, seed: int = SYNTHETIC_SEED) -> int:
    """Submitted WHO-5, GSE, loneliness and PHQ-9 responses at months 0, 3, 6 and 12 for the
    programme's enrolled participants, from ``synthetic.generate`` (see its effects). Counted
    from each person's first enrolment. Returns how many were added; a second run adds none."""

    versions = {
        v.instrument.key: v
        for v in InstrumentVersion.objects.filter(
            instrument__key__in=synthetic.INSTRUMENTS, instrument__programme=None
        ).select_related("instrument")
    }
    if len(versions) < len(synthetic.INSTRUMENTS):
        return 0
    done = set(
        QuestionnaireResponse.objects.filter(import_key__startswith=SYNTHETIC_KEY).values_list(
            "participant_id", flat=True
        )
    )
    # The evaluation cohort (evaluation_cohort.py) has answers of its own, with known effects.
    done |= set(
        QuestionnaireResponse.objects.filter(
            import_key__startswith="evaluation-cohort"
        ).values_list("participant_id", flat=True)
    )
    starts: dict[int, dt.date] = {}
    kinds: dict[int, set[str]] = {}
    enrolments = Enrolment.objects.filter(measure__programme__slug=slug).select_related("measure")
    for enrolment in enrolments:
        if enrolment.participant_id in done:
            continue
        start = enrolment.started_on or enrolment.referred_on
        pid = enrolment.participant_id
        starts[pid] = min(starts.get(pid, start), start)
        kinds.setdefault(pid, set()).add(enrolment.measure.kind)
    people = [synthetic.SyntheticPerson(str(pid), frozenset(kinds[pid])) for pid in sorted(starts)]
    items = {
        (item.version_id, item.key): item
        for item in Item.objects.filter(version__in=list(versions.values()))
    }
    # Thousands of backdated, already-submitted answers: written in place rather than through
    # enter_response, which dates nothing before today's window and would raise safety alerts
    # for made-up PHQ-9 answers; each response is scored through score_response all the same.
    added = 0
    for row in synthetic.generate(people, seed=seed):
        version = versions[row.instrument]
        due = add_months(starts[int(row.person)], row.month)
        submitted = timezone.make_aware(dt.datetime.combine(due, dt.time(12)))
        response = QuestionnaireResponse.objects.create(
            participant_id=int(row.person),
            version=version,
            due_on=due,
            window_opens=due - dt.timedelta(days=14),
            window_closes=due + dt.timedelta(days=14),
            status=ResponseStatus.SUBMITTED,
            mode=EntryMode.PAPER,
            started_at=submitted,
            submitted_at=submitted,
            import_key=f"{SYNTHETIC_KEY}:{row.instrument}:m{row.month}",
        )
        ItemAnswer.objects.bulk_create(
            ItemAnswer(
                response=response, item=items[(version.pk, key)], value=value, answered_at=submitted
            )
            for key, value in row.answers.items()
        )
        score_response(response)
        added += 1
    return added
