"""Outcome data in the demo: the demo participant has a WHO-5 questionnaire due."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from samvirke.evaluation.models import InstrumentVersion, QuestionnaireResponse, ResponseStatus
from samvirke.evaluation.response_services import open_response
from samvirke.participants.models import Participant

DEMO_PARTICIPANT_EMAIL = "deltaker@demo.samvirke.test"


@transaction.atomic
def load_questionnaire_demo() -> QuestionnaireResponse | None:
    """Open a WHO-5 due today for the demo participant, unless one is open already."""
    version = (
        InstrumentVersion.objects.filter(instrument__key="who5", instrument__programme=None)
        .order_by("-version")
        .first()
    )
    participant = Participant.objects.filter(account__email=DEMO_PARTICIPANT_EMAIL).first()
    if version is None or participant is None:
        return None
    open_ones = QuestionnaireResponse.objects.filter(
        participant=participant,
        version__instrument=version.instrument,
        status__in=[ResponseStatus.DUE, ResponseStatus.IN_PROGRESS],
    )
    if open_ones.exists():
        return open_ones.first()
    return open_response(participant=participant, version=version, due_on=timezone.localdate())
