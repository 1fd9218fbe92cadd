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
    Item,
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


def _rows(
    response: QuestionnaireResponse, language: str, bound: CorrectionForm | None
) -> list[Row]:
    """The selector's rows, each with its correction form: the one posted, or one that starts
    from the answer given."""
    rows = []
    for row in selectors_collection.answer_rows(response, language):
        form = bound if bound is not None and bound.item.pk == row.item.pk else None
        if form is None:
            initial = {"new": row.given} if row.answered else {}
            form = CorrectionForm(item=row.item, language=language, initial=initial)
        rows.append(
            Row(item=row.item, text=row.text, answer=row.answer, form=form, history=row.history)
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
