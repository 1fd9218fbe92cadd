"""Participants answer their questionnaires: one question per screen, save and continue later."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from samvirke.accounts.permissions import Access, Perm, programme_view
from samvirke.audit.actor import Actor
from samvirke.evaluation import response_services, safety_services, selectors_collection
from samvirke.evaluation.models import ItemKind, QuestionnaireResponse
from samvirke.evaluation.questionnaire_forms import SKIP, ItemAnswerForm
from samvirke.mapping.models import content_language
from samvirke.participants.selectors import own_participant, participants_followed_by

MESSAGES = {
    "closed": _("This questionnaire has been sent in and can no longer be changed here."),
    "not_an_option": _("That answer is not one of the choices."),
    "out_of_range": _("That number is outside what the question allows."),
    "unknown_item": _("That question is not part of this questionnaire."),
    "required_missing": _("Some questions that must be answered are still empty."),
    "bad_mode": _("Say how the answers were given."),
    "in_the_future": _("The date cannot be in the future."),
    "too_long": _("The answer is longer than the question allows."),
}


def _help_lines(response: QuestionnaireResponse) -> tuple[safety_services.HelpLine, ...]:
    """Where to get help now, once an answer of this response raised a safety alert."""
    if not response.safety_alerts.exists():
        return ()
    return safety_services.help_lines(response.participant.country)


def _own_response(access: Access, public_id: uuid.UUID) -> QuestionnaireResponse:
    participant = own_participant(access)
    if participant is None:
        raise Http404
    response = selectors_collection.own_response(participant, public_id)
    if response is None:
        raise Http404
    return response


@programme_view(Perm.SELF_SERVICE)
@require_GET
def my_questionnaires(request: HttpRequest, access: Access) -> HttpResponse:
    participant = own_participant(access)
    if participant is None:
        raise Http404
    return render(
        request,
        "evaluation/my_questionnaires.html",
        {
            "open": selectors_collection.open_responses(participant),
            "done": selectors_collection.submitted_responses(participant),
            "language": content_language(),
            "help_lines": safety_services.help_lines(participant.country)
            if selectors_collection.recent_safety_alert(participant)
            else (),
        },
    )


@programme_view(Perm.SELF_SERVICE)
@require_http_methods(["GET", "POST"])
def my_questionnaire(request: HttpRequest, access: Access, public_id: uuid.UUID) -> HttpResponse:
    response = _own_response(access, public_id)
    if response.is_submitted:
        return redirect("evaluation:my_questionnaires", slug=access.programme.slug)
    items = selectors_collection.items_to_ask(response)
    if not items:
        raise Http404
    positions = [item.position for item in items]
    wanted = request.GET.get("q", "") if request.method == "GET" else request.POST.get("q", "")
    position = int(wanted) if wanted.isdigit() else response.next_position
    if position not in positions:
        if position > positions[-1]:
            return redirect(
                "evaluation:my_questionnaire_submit",
                slug=access.programme.slug,
                public_id=public_id,
            )
        position = positions[0]
    item = next(i for i in items if i.position == position)
    index = positions.index(position)
    language = content_language()
    answers = response_services.answers_of(response)
    current = answers.get(item.key)
    initial = {"value": "" if current is None else str(current)}
    if item.kind == ItemKind.TEXT:
        initial = {"value": response_services.texts_of(response).get(item.key, "")}
    form = ItemAnswerForm(request.POST or None, item=item, language=language, initial=initial)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "next")
        if action == "back" and index > 0:
            return redirect(f"{request.path}?q={positions[index - 1]}")
        if form.is_valid():
            try:
                response_services.save_answer(
                    actor=Actor.of(request),
                    response=response,
                    item=item,
                    value=None if action == SKIP else form.value(),
                    text="" if action == SKIP else form.text(),
                )
            except response_services.ResponseError as error:
                form.add_error("value", str(MESSAGES.get(error.code, MESSAGES["unknown_item"])))
            else:
                if action == "stop":
                    return redirect("evaluation:my_questionnaires", slug=access.programme.slug)
                response.refresh_from_db()
                nxt = response.next_position
                return redirect(f"{request.path}?q={nxt}")
        status = 400
    return render(
        request,
        "evaluation/my_question.html",
        {
            "response": response,
            "title": response.version.title(language),
            "instructions": response.version.definition.get("instructions", {}).get(language, ""),
            "form": form,
            "number": index + 1,
            "count": len(items),
            "position": position,
            "can_go_back": index > 0,
            "help_lines": _help_lines(response),
        },
        status=status,
    )


@programme_view(Perm.SELF_SERVICE)
@require_http_methods(["GET", "POST"])
def my_questionnaire_submit(
    request: HttpRequest, access: Access, public_id: uuid.UUID
) -> HttpResponse:
    response = _own_response(access, public_id)
    if response.is_submitted:
        return redirect("evaluation:my_questionnaires", slug=access.programme.slug)
    language = content_language()
    error = ""
    if request.method == "POST":
        try:
            response_services.submit_response(actor=Actor.of(request), response=response)
        except response_services.ResponseError as refused:
            error = str(MESSAGES.get(refused.code, MESSAGES["unknown_item"]))
        else:
            done = reverse("evaluation:my_questionnaires", args=[access.programme.slug])
            return redirect(f"{done}?sent=1")
    answers = response_services.answers_of(response)
    texts = response_services.texts_of(response)
    rows = [
        (item, answers.get(item.key), item.text(language))
        for item in selectors_collection.items_to_ask(response)
    ]
    labels = {
        (o.item_id, o.value): o.label(language) for o in selectors_collection.options_of(response)
    }
    summary = [
        {
            "position": item.position,
            "question": text,
            "answer": texts.get(item.key, "")
            if item.kind == ItemKind.TEXT
            else ("" if value is None else labels.get((item.pk, value), str(value))),
        }
        for item, value, text in rows
    ]
    return render(
        request,
        "evaluation/my_questionnaire_submit.html",
        {
            "response": response,
            "title": response.version.title(language),
            "summary": summary,
            "error": error,
            "help_lines": _help_lines(response),
        },
        status=400 if error else 200,
    )


@programme_view(Perm.PARTICIPANTS_VIEW)
@require_GET
def questionnaires_due(request: HttpRequest, access: Access) -> HttpResponse:
    """Guides' list: who of the people they follow has a questionnaire due, overdue or missed."""
    return render(
        request,
        "evaluation/questionnaires_due.html",
        {
            "lists": selectors_collection.follow_up_lists(access, today=timezone.localdate()),
            "alerts": list(
                safety_services.open_alerts(participants_followed_by(access))[
                    : selectors_collection.LIMIT
                ]
            ),
            "language": content_language(),
        },
    )
