"""Reads for collecting outcome data: a participant's own questionnaires.

Kept apart from ``selectors.py`` (the research exports) so that the two halves of evaluation
can be worked on side by side.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from samvirke.evaluation.models import (
    Item,
    QuestionnaireResponse,
    ResponseOption,
    ResponseStatus,
)
from samvirke.evaluation.response_services import answers_of, is_shown
from samvirke.participants.models import Participant

OPEN = (ResponseStatus.DUE, ResponseStatus.IN_PROGRESS)


def _responses(participant: Participant) -> QuerySet[QuestionnaireResponse]:
    return QuestionnaireResponse.objects.filter(participant=participant).select_related(
        "version__instrument", "time_point"
    )


def open_responses(participant: Participant) -> QuerySet[QuestionnaireResponse]:
    return _responses(participant).filter(status__in=OPEN).order_by("due_on", "pk")


def submitted_responses(participant: Participant) -> QuerySet[QuestionnaireResponse]:
    return _responses(participant).filter(status=ResponseStatus.SUBMITTED).order_by("-submitted_at")


def own_response(
    participant: Participant, public_id: uuid.UUID | str
) -> QuestionnaireResponse | None:
    """One of the participant's own responses; None for anyone else's (or a bad id)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return _responses(participant).filter(public_id=key).first()


def items_to_ask(response: QuestionnaireResponse) -> list[Item]:
    """The items that apply given the answers so far, in order, with their options."""
    answers = answers_of(response)
    items = response.version.items.prefetch_related("options").order_by("position")
    return [item for item in items if is_shown(item, answers)]


def options_of(response: QuestionnaireResponse) -> QuerySet[ResponseOption]:
    return ResponseOption.objects.filter(item__version=response.version_id)
