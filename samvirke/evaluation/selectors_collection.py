"""Reads for collecting outcome data: a participant's own questionnaires.

Kept apart from ``selectors.py`` (the research exports) so that the two halves of evaluation
can be worked on side by side.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samvirke.accounts.permissions import Access, Perm, scope_of
from samvirke.evaluation.models import (
    AnswerCorrection,
    Item,
    ItemAnswer,
    ItemKind,
    QuestionnaireResponse,
    ResponseOption,
    ResponseStatus,
    SafetyAlert,
)
from samvirke.evaluation.response_services import answers_of, is_shown
from samvirke.participants.models import Participant
from samvirke.participants.selectors import participants_followed_by

OPEN = (ResponseStatus.DUE, ResponseStatus.IN_PROGRESS)
LIMIT = 200  # rows per list on one page


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


def follow_up_lists(access: Access, *, today: dt.date) -> dict[str, list[QuestionnaireResponse]]:
    """Questionnaires of the people the user follows: due within a week, overdue (past the
    due date, window still open), missed and the latest sent in. Pseudonyms only; nothing
    identifying is read."""
    followed = participants_followed_by(access).values("pk")
    base = (
        QuestionnaireResponse.objects.filter(participant__in=followed)
        .select_related("participant", "version", "time_point")
        .only(
            "public_id",
            "due_on",
            "window_closes",
            "submitted_at",
            "status",
            "participant__pseudonym",
            "version__title_nb",
            "version__title_sv",
            "version__title_en",
            "time_point__key",
        )
    )
    open_ = base.filter(status__in=OPEN)
    week = today + dt.timedelta(days=7)
    return {
        "due": list(open_.filter(due_on__gte=today, due_on__lte=week).order_by("due_on")[:LIMIT]),
        "overdue": list(
            open_.filter(due_on__lt=today, window_closes__gte=today).order_by("due_on")[:LIMIT]
        ),
        "missed": list(
            base.filter(
                Q(status=ResponseStatus.MISSED) | Q(status__in=OPEN, window_closes__lt=today)
            ).order_by("-due_on")[:LIMIT]
        ),
        "submitted": list(
            base.filter(status=ResponseStatus.SUBMITTED).order_by("-submitted_at", "-pk")[:LIMIT]
        ),
    }


def response_to_enter(access: Access, public_id: uuid.UUID | str) -> QuestionnaireResponse | None:
    """A questionnaire of someone the user follows, for entering answers on their behalf; None
    for anyone else's (the same 404 for missing and forbidden)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return (
        QuestionnaireResponse.objects.filter(
            public_id=key, participant__in=scope_of(Perm.QUESTIONNAIRE_ENTER, access).values("pk")
        )
        .select_related("participant__programme", "version__instrument", "time_point")
        .first()
    )


def recent_safety_alert(participant: Participant, *, days: int = 7) -> bool:
    """Whether an answer of the participant's raised a safety alert this past week (their page
    keeps showing where to get help)."""
    since = timezone.now() - dt.timedelta(days=days)
    return SafetyAlert.objects.filter(
        response__participant=participant, raised_at__gte=since
    ).exists()


@dataclass
class AnswerRow:
    """One item of a submitted response as the staff page shows it once revealed: the question,
    the answer as shown, the answer as stored (``given``, for a correction to start from) and
    every correction of it."""

    item: Item
    text: str
    answer: str
    answered: bool
    given: int | str | None
    history: list[dict[str, object]] = field(default_factory=list)


def _shown(item: Item, answer: ItemAnswer | None, value: int | None, language: str) -> str:
    if item.kind == ItemKind.TEXT:
        text = answer.text if answer is not None else ""
        return text or str(_("not answered"))
    if value is None:
        return str(_("not answered"))
    if item.kind == ItemKind.CHOICE:
        for option in item.options.all():
            if option.value == value:
                return option.label(language) or str(value)
    return str(value)


def answer_rows(response: QuestionnaireResponse, language: str) -> list[AnswerRow]:
    """Every item of the response in order, with its answer and its corrections (old and new
    answer, reason, by whom, when). Reading them is reading health data: the caller logs it."""
    items = list(response.version.items.prefetch_related("options").order_by("position"))
    answers = {a.item_id: a for a in response.answers.all()}
    corrections: dict[int, list[AnswerCorrection]] = {}
    for correction in AnswerCorrection.objects.filter(answer__response=response).select_related(
        "changed_by", "answer"
    ):
        corrections.setdefault(correction.answer.item_id, []).append(correction)
    rows = []
    for item in items:
        answer = answers.get(item.pk)
        history: list[dict[str, object]] = []
        for c in corrections.get(item.pk, []):
            if item.kind == ItemKind.TEXT:
                old, new = c.old_text or _("not answered"), c.new_text or _("not answered")
            else:
                old = _shown(item, None, c.old_value, language)
                new = _shown(item, None, c.new_value, language)
            history.append(
                {
                    "old": old,
                    "new": new,
                    "reason": c.reason,
                    "by": c.changed_by.full_name if c.changed_by else "—",
                    "at": c.changed_at,
                }
            )
        rows.append(
            AnswerRow(
                item=item,
                text=item.text(language) or _("Question %(number)s") % {"number": item.position},
                answer=_shown(item, answer, answer.value if answer else None, language),
                answered=answer is not None,
                given=None
                if answer is None
                else (answer.text if item.kind == ItemKind.TEXT else answer.value),
                history=history,
            )
        )
    return rows
