"""Staff page of one submitted questionnaire: its scores, and on an explicit reveal its answers,
their corrections (each with a reason, REDCap-style) and a form to correct each answer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from samvirke.accounts.permissions import Access, Perm, programme_view
from samvirke.audit.actor import Actor
from samvirke.evaluation import response_services, selectors_collection
from samvirke.evaluation.models import (
    AnswerCorrection,
    Item,
    ItemAnswer,
    ItemKind,
    QuestionnaireResponse,
    ResponseStatus,
)
from samvirke.evaluation.questionnaire_forms import CorrectionForm
from samvirke.evaluation.questionnaire_views import MESSAGES
from samvirke.mapping.models import content_language
from samvirke.web.reveal import reveal_asked

CORRECTION_MESSAGES = {
    **MESSAGES,
    "reason_missing": gettext_lazy("Say why the answer is changed."),
    "unchanged": gettext_lazy("The new answer is the same as the one given."),
    "not_submitted": gettext_lazy("Only a questionnaire that has been sent in can be corrected."),
}


@dataclass
class Row:
    """One item of the response as the revealed page shows it."""

    item: Item
    text: str
    answer: str
    form: CorrectionForm
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


def _rows(
    response: QuestionnaireResponse, language: str, bound: CorrectionForm | None
) -> list[Row]:
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
        history = []
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
        form = bound if bound is not None and bound.item.pk == item.pk else None
        if form is None:
            initial = (
                {"new": answer.text if item.kind == ItemKind.TEXT else answer.value}
                if (answer is not None)
                else {}
            )
            form = CorrectionForm(item=item, language=language, initial=initial)
        rows.append(
            Row(
                item=item,
                text=item.text(language) or _("Question %(number)s") % {"number": item.position},
                answer=_shown(item, answer, answer.value if answer else None, language),
                form=form,
                history=history,
            )
        )
    return rows


@programme_view(Perm.PARTICIPANTS_VIEW)
@require_http_methods(["GET", "POST"])
def response_page(request: HttpRequest, access: Access, public_id: uuid.UUID) -> HttpResponse:
    """A submitted questionnaire of someone the user follows: scores at once; the answers (health
    data) only on the explicit, logged reveal, each with its history and a correction form."""
    actor = Actor.of(request)
    response = selectors_collection.response_to_enter(access, public_id)
    if response is None or response.status != ResponseStatus.SUBMITTED:
        raise Http404
    language = content_language()
    revealed = reveal_asked(request, "answers")
    bound: CorrectionForm | None = None
    status = 200
    if request.method == "POST" and not revealed:
        if request.POST.get("action") != "correct":
            return HttpResponse(_("Unknown action."), status=400)
        item = response.version.items.filter(key=str(request.POST.get("item", ""))[:40]).first()
        if item is None:
            return HttpResponse(str(CORRECTION_MESSAGES["unknown_item"]), status=400)
        bound = CorrectionForm(request.POST, item=item, language=language)
        status = 400
        if bound.is_valid():
            try:
                response_services.correct_answer(
                    actor=actor,
                    response=response,
                    item=item,
                    value=bound.value(),
                    text=bound.text(),
                    reason=bound.cleaned_data["reason"],
                )
            except response_services.ResponseError as error:
                message = CORRECTION_MESSAGES.get(error.code, CORRECTION_MESSAGES["unknown_item"])
                bound.add_error(None, str(message))
            else:
                messages.success(request, _("The answer has been corrected; the old one is kept."))
                bound, status = None, 200
                response.refresh_from_db()
        revealed = True
    if revealed:
        response_services.log_answers_read(
            actor=actor, response=response, what="questionnaire answers"
        )
    scores = list(response.scores.filter(is_current=True).order_by("scale"))
    return render(
        request,
        "evaluation/response.html",
        {
            "response": response,
            "title": response.version.title(language),
            "scores": scores,
            "revealed": revealed,
            "rows": _rows(response, language, bound) if revealed else [],
        },
        status=status,
    )
