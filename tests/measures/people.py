"""Shared helpers for the measure tests: a measure in the cast's subproject and people in it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from samvirke.audit.actor import Actor
from samvirke.measures.models import Enrolment, Measure
from samvirke.measures.services import enrol_participant
from samvirke.participants.models import Participant
from tests.conftest import Cast
from tests.factories import MeasureFactory, ParticipantFactory

DAY = dt.date(2026, 3, 2)


def measure_in(cast: Cast, **fields: object) -> Measure:
    fields.setdefault("subproject", cast.subproject)
    measure: Measure = MeasureFactory(programme=cast.programme, **fields)
    return measure


def followed(cast: Cast, *, account: object = None) -> Participant:
    """A participant of the cast's subproject, guided by the cast's guide."""
    participant: Participant = ParticipantFactory(
        programme=cast.programme, subprojects=[cast.subproject], account=account
    )
    participant.guides.set([cast.guide])
    return participant


def enrol(cast: Cast, measure: Measure, participant: Participant, **extra: object) -> Enrolment:
    return enrol_participant(
        actor=Actor.of_user(cast.guide),
        measure=measure,
        participant=participant,
        referral_source=str(extra.pop("referral_source", "nav")),
        referred_on=extra.pop("referred_on", DAY),  # type: ignore[arg-type]
        guide=cast.guide,
        **extra,  # type: ignore[arg-type]
    )


def url(name: str, cast: Cast, *args: object) -> str:
    return reverse(f"measures:{name}", args=[cast.programme.slug, *args])
