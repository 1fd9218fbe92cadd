"""Writes for questionnaire responses: answering, submitting, correcting and scoring.

Every write is audited. The audit row names the response and the item, never the value: the
log is append-only and outlives erasure, so health data stay out of it (the values and their
history are in ``ItemAnswer`` and ``AnswerCorrection``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.evaluation import safety_services, scoring
from samvirke.evaluation.models import (
    AnswerCorrection,
    EntryMode,
    InstrumentVersion,
    Item,
    ItemAnswer,
    ItemKind,
    QuestionnaireResponse,
    ResponseStatus,
    Score,
    TimePoint,
)

if TYPE_CHECKING:
    from samvirke.accounts.models import User
    from samvirke.measures.models import Enrolment
    from samvirke.participants.models import Participant

# The most characters any free-text answer may have (an item may allow fewer).
TEXT_LIMIT = 2000

RESPONSE_TYPE = "evaluation.questionnaire_response"


class ResponseError(ValueError):
    """A write the rules refuse; ``code`` says why, for a translated message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def answers_of(response: QuestionnaireResponse) -> dict[str, int | None]:
    return {key: value for key, value in response.answers.values_list("item__key", "value")}


def texts_of(response: QuestionnaireResponse) -> dict[str, str]:
    """The answers to the response's free-text items, by item key."""
    found = response.answers.filter(item__kind=ItemKind.TEXT).values_list("item__key", "text")
    return dict(found)


def _text_answer(item: Item, text: str) -> str:
    """The text kept for an item: stripped, within the item's length; blank for other kinds."""
    if item.kind != ItemKind.TEXT:
        return ""
    text = text.strip()
    if len(text) > (item.maximum or TEXT_LIMIT):
        raise ResponseError("too_long")
    return text


def is_shown(item: Item, answers: dict[str, int | None]) -> bool:
    """Whether an item applies, given the answers so far (``shown_if``)."""
    condition = item.shown_if
    if not condition:
        return True
    return answers.get(str(condition.get("item"))) in condition.get("in", [])


def _log(
    *,
    actor: Actor,
    response: QuestionnaireResponse,
    **detail: object,
) -> None:
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        programme=response.participant.programme,
        object_type=RESPONSE_TYPE,
        object_id=str(response.public_id),
        object_label=response.participant.pseudonym,
        detail={k: v for k, v in detail.items()},
    )


@transaction.atomic
def log_answers_read(*, actor: Actor, response: QuestionnaireResponse, what: str) -> None:
    """Someone's answers are health data: who opened them, and where, is in the log."""
    record_event(
        action=AuditAction.VIEW,
        actor=actor,
        programme=response.participant.programme,
        object_type=RESPONSE_TYPE,
        object_id=str(response.public_id),
        object_label=response.participant.pseudonym,
        detail={"what": what},
    )


def open_response(
    *,
    participant: Participant,
    version: InstrumentVersion,
    due_on: dt.date,
    window_days: int = 14,
    time_point: TimePoint | None = None,
    enrolment: Enrolment | None = None,
) -> QuestionnaireResponse:
    """A questionnaire due for the participant (the same one again if it is already there)."""
    if not version.is_published:
        raise ResponseError("not_published")
    window = dt.timedelta(days=window_days)
    defaults = {
        "due_on": due_on,
        "window_opens": due_on - window,
        "window_closes": due_on + window,
    }
    if time_point is None:
        return QuestionnaireResponse.objects.create(
            participant=participant, version=version, enrolment=enrolment, **defaults
        )
    response, _ = QuestionnaireResponse.objects.get_or_create(
        participant=participant,
        version=version,
        time_point=time_point,
        enrolment=enrolment,
        defaults=defaults,
    )
    return response


def _next_position(response: QuestionnaireResponse, after: int) -> int:
    answers = answers_of(response)
    for item in response.version.items.filter(position__gt=after).order_by("position"):
        if is_shown(item, answers):
            return item.position
    return after + 1  # past the last item: the summary page


@transaction.atomic
def save_answer(
    *,
    actor: Actor,
    response: QuestionnaireResponse,
    item: Item,
    value: int | None,
    mode: str = EntryMode.SELF,
    text: str = "",
) -> QuestionnaireResponse:
    """Keep one answer of a response not yet submitted, and move on to the next item (``text``
    for a free-text item, whose ``value`` stays empty)."""
    response = QuestionnaireResponse.objects.select_for_update().get(pk=response.pk)
    if response.status in (ResponseStatus.SUBMITTED, ResponseStatus.MISSED):
        raise ResponseError("closed")
    if item.version_id != response.version_id:
        raise ResponseError("unknown_item")
    problem = scoring.answer_problem(response.version.definition, item.key, value)
    if problem:
        raise ResponseError(problem)
    kept = _text_answer(item, text)
    now = timezone.now()
    ItemAnswer.objects.update_or_create(
        response=response, item=item, defaults={"value": value, "text": kept, "answered_at": now}
    )
    response.status = ResponseStatus.IN_PROGRESS
    response.started_at = response.started_at or now
    if mode != EntryMode.SELF:
        response.mode, response.entered_by = mode, actor.user
    response.language = response.language or (getattr(actor.user, "language", "") or "")[:2]
    response.next_position = _next_position(response, item.position)
    response.save()
    _log(actor=actor, response=response, answered=item.key, mode=response.mode)
    safety_services.check_answers(actor=actor, response=response, answers=[(item.key, value)])
    return response


def score_response(
    response: QuestionnaireResponse, scored_with: InstrumentVersion | None = None
) -> list[Score]:
    """Compute every scale of a submitted response under ``scored_with`` (default: its own
    version) and make those the current scores; earlier rows stay for reproducibility."""
    scored_with = scored_with or response.version
    now = timezone.now()
    results = scoring.score(scored_with.definition, answers_of(response))
    response.scores.filter(is_current=True).update(is_current=False)
    response.scores.filter(scored_with=scored_with).delete()
    return Score.objects.bulk_create(
        Score(
            response=response,
            scored_with=scored_with,
            scale=result.scale,
            raw=result.raw,
            value=result.value,
            band=result.band,
            answered=result.answered,
            prorated=result.prorated,
            is_current=True,
            computed_at=now,
        )
        for result in results
    )


@transaction.atomic
def submit_response(*, actor: Actor, response: QuestionnaireResponse) -> QuestionnaireResponse:
    """Submit a response and score it; required items must have an answer."""
    response = QuestionnaireResponse.objects.select_for_update().get(pk=response.pk)
    if response.status in (ResponseStatus.SUBMITTED, ResponseStatus.MISSED):
        raise ResponseError("closed")
    answers = answers_of(response)
    for item in response.version.items.filter(required=True):
        if is_shown(item, answers) and answers.get(item.key) is None:
            raise ResponseError("required_missing")
    now = timezone.now()
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = now
    response.started_at = response.started_at or now
    response.save()
    score_response(response)
    _log(actor=actor, response=response, submitted=True, mode=response.mode)
    return response


@transaction.atomic
def correct_answer(
    *,
    actor: Actor,
    response: QuestionnaireResponse,
    item: Item,
    value: int | None,
    reason: str,
    text: str | None = None,
) -> AnswerCorrection:
    """Change an answer of a submitted response: only with a reason, keeping the old value
    (``text`` for a free-text item, whose value stays empty; the old text is kept too)."""
    reason = reason.strip()
    if not reason:
        raise ResponseError("reason_missing")
    response = QuestionnaireResponse.objects.select_for_update().get(pk=response.pk)
    if response.status != ResponseStatus.SUBMITTED:
        raise ResponseError("not_submitted")
    if item.version_id != response.version_id:
        raise ResponseError("unknown_item")
    is_text = item.kind == ItemKind.TEXT
    if is_text:
        value = None
        new_text = _text_answer(item, text or "")
    else:
        new_text = ""
        problem = scoring.answer_problem(response.version.definition, item.key, value)
        if problem:
            raise ResponseError(problem)
    now = timezone.now()
    answer, created = ItemAnswer.objects.get_or_create(
        response=response, item=item, defaults={"value": None, "answered_at": now}
    )
    if (is_text and answer.text == new_text) or (
        not is_text and not created and answer.value == value
    ):
        raise ResponseError("unchanged")
    correction = AnswerCorrection.objects.create(
        answer=answer,
        old_value=answer.value,
        new_value=value,
        old_text=answer.text if is_text else "",
        new_text=new_text,
        reason=reason,
        changed_by=actor.user,
        changed_at=now,
    )
    answer.value, answer.text, answer.answered_at = value, new_text, now
    answer.save(update_fields=["value", "text", "answered_at"])
    current = response.scores.filter(is_current=True).select_related("scored_with").first()
    score_response(response, current.scored_with if current else None)
    _log(actor=actor, response=response, corrected=item.key)
    if not is_text:
        safety_services.check_answers(actor=actor, response=response, answers=[(item.key, value)])
    return correction


@transaction.atomic
def rescore(*, actor: User | None, scored_with: InstrumentVersion) -> int:
    """Score every submitted response of the instrument again under a corrected version.

    The scores under the earlier version stay (no longer current), so both can be reproduced.
    Returns how many responses were rescored.
    """
    if not scored_with.is_published:
        raise ResponseError("not_published")
    responses = QuestionnaireResponse.objects.filter(
        version__instrument=scored_with.instrument_id, status=ResponseStatus.SUBMITTED
    ).select_related("participant__programme")
    count = 0
    for response in responses.iterator(chunk_size=500):
        score_response(response, scored_with)
        count += 1
    record_event(
        action=AuditAction.UPDATE,
        actor=Actor.of_user(actor),
        object_type="evaluation.instrument_version",
        object_id=str(scored_with.pk),
        object_label=str(scored_with),
        detail={"rescored": count},
    )
    return count


STAFF_MODES = (EntryMode.STAFF_ASSISTED, EntryMode.PAPER)


@transaction.atomic
def enter_response(
    *,
    actor: Actor,
    response: QuestionnaireResponse,
    answers: dict[str, int | None],
    mode: str,
    answered_on: dt.date | None = None,
    texts: dict[str, str] | None = None,
) -> QuestionnaireResponse:
    """Staff enter a whole questionnaire for a participant and send it in (``texts``: the
    answers to its free-text items).

    ``mode`` says how: with the participant (a phone call, a meeting) or from their paper form.
    Every item that applies gets the value given (empty when left out); answers the participant
    saved earlier are overwritten, answers of items that no longer apply are dropped. The
    response keeps who entered it and how; the audit row names the mode, never a value.
    """
    if mode not in STAFF_MODES:
        raise ResponseError("bad_mode")
    response = (
        QuestionnaireResponse.objects.select_for_update()
        .select_related("version", "participant__programme")
        .get(pk=response.pk)
    )
    if response.status in (ResponseStatus.SUBMITTED, ResponseStatus.MISSED):
        raise ResponseError("closed")
    items = list(response.version.items.order_by("position"))
    if set(answers) - {item.key for item in items}:
        raise ResponseError("unknown_item")
    for key, value in answers.items():
        problem = scoring.answer_problem(response.version.definition, key, value)
        if problem:
            raise ResponseError(problem)
    shown = [item for item in items if is_shown(item, answers)]
    if any(item.required and answers.get(item.key) is None for item in shown):
        raise ResponseError("required_missing")
    now = timezone.now()
    if answered_on is not None and answered_on > timezone.localdate():
        raise ResponseError("in_the_future")
    kept = {item.key: _text_answer(item, (texts or {}).get(item.key, "")) for item in shown}
    for item in shown:
        ItemAnswer.objects.update_or_create(
            response=response,
            item=item,
            defaults={"value": answers.get(item.key), "text": kept[item.key], "answered_at": now},
        )
    response.answers.exclude(item__in=shown).delete()
    submitted = now
    if answered_on is not None and answered_on != timezone.localdate():
        submitted = timezone.make_aware(dt.datetime.combine(answered_on, dt.time(12)))
    response.status = ResponseStatus.SUBMITTED
    response.mode, response.entered_by = mode, actor.user
    response.submitted_at = submitted
    response.started_at = min(response.started_at or submitted, submitted)
    response.language = response.language or (getattr(actor.user, "language", "") or "")[:2]
    response.next_position = (items[-1].position + 1) if items else 1
    response.save()
    score_response(response)
    _log(
        actor=actor,
        response=response,
        entered=mode,
        items=len(shown),
        submitted=True,
    )
    safety_services.check_answers(
        actor=actor,
        response=response,
        answers=[(item.key, answers.get(item.key)) for item in shown],
    )
    return response
