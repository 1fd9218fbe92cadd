"""Questionnaires and safety alerts."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from samvirke.participants.models import Participant


def who5_response(participant: Participant) -> Any:
    """A WHO-5 questionnaire due today for the participant (the instrument files loaded once)."""
    from samvirke.evaluation.instrument_services import load_instruments
    from samvirke.evaluation.models import InstrumentVersion
    from samvirke.evaluation.response_services import open_response

    if not InstrumentVersion.objects.filter(instrument__key="who5").exists():
        load_instruments(texts_folder=None)
    version = InstrumentVersion.objects.get(instrument__key="who5", version=1)
    return open_response(participant=participant, version=version, due_on=timezone.localdate())


def safety_alert(participant: Participant) -> Any:
    """An alert not yet followed up, on a WHO-5 of the participant (as a PHQ-9 item 9 raises)."""
    from samvirke.evaluation.models import SafetyAlert

    return SafetyAlert.objects.create(
        response=who5_response(participant), item_key="phq9_9", raised_at=timezone.now()
    )
