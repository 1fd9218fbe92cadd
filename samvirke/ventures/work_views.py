"""Pages for the work on a venture: its stage checklist, milestones and tasks, and documents,
and the programme's checklist templates. The venture page shows them (``work_context``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samvirke.accounts.permissions import Access, Perm, programme_view, require
from samvirke.audit.actor import Actor
from samvirke.programmes.models import Country
from samvirke.ventures import checklists, documents, milestones, selectors
from samvirke.ventures.forms import (
    DocumentForm,
    DoneForm,
    TaskForm,
    TemplateItemActionForm,
    TemplateItemForm,
)
from samvirke.ventures.models import Task, TaskKind, Venture, private_storage
from samvirke.web.pages import render_form


def work_context(access: Access, venture: Venture) -> dict[str, Any]:
    """What the venture page shows of the work: for those who work with the team, the
    checklists, tasks and documents; for readers (researchers), the checklists and tasks."""
    may_work = access.can(Perm.VENTURE_WORK, venture)
    return {
        "checklists": selectors.checklists_of(venture),
        "task_rows": selectors.tasks_of(venture),
        "may_work": may_work,
        "may_manage_checklists": access.can(Perm.VENTURE_CHECKLISTS),
        "documents": list(selectors.documents_of(venture)) if may_work else [],
        "may_delete_documents": access.can(Perm.VENTURE_MANAGE, venture),
    }


def _worked_venture(request: HttpRequest, access: Access, public_id: str) -> Venture:
    venture = selectors.venture_for(access, public_id)
    require(access, Perm.VENTURE_WORK, venture, request=request)
    return venture


def _back(venture: Venture, anchor: str) -> HttpResponse:
    return redirect(f"{venture.get_absolute_url()}#{anchor}")


# --- A venture's checklist -----------------------------------------------------------------


@programme_view(Perm.VENTURES_VIEW)
@require_POST
def checklist_tick(request: HttpRequest, access: Access, public_id: str, pk: int) -> HttpResponse:
    venture = _worked_venture(request, access, public_id)
    item = selectors.checklist_item_for(venture, pk)
    form = DoneForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Say whether the item is done."), status=400)
    done = form.cleaned_data["done"]
    if item.is_done == done:
        messages.info(request, _("Someone else had done that already."))
    else:
        checklists.tick_item(actor=Actor.of(request), item=item, done=done)
        messages.success(
            request, _("Ticked off: %(item)s") % {"item": item.text} if done else _("Unticked.")
        )
    return _back(venture, "checklist-heading")


# --- Milestones and tasks ------------------------------------------------------------------


def _task_form(
    request: HttpRequest, access: Access, venture: Venture, task: Task | None
) -> TaskForm:
    initial: dict[str, Any] = {"kind": request.GET.get("kind", TaskKind.TASK)[:10]}
    if task is not None:
        owner = ""
        if task.owner_user_id:
            owner = f"user:{task.owner_user_id}"
        elif task.owner_member_id:
            owner = f"member:{task.owner_member_id}"
        initial = {
            "kind": task.kind,
            "title": task.title,
            "owner": owner,
            "due_on": task.due_on,
            "milestone": task.milestone_id or "",
        }
    others = venture.tasks.filter(kind=TaskKind.MILESTONE).order_by("due_on", "pk")
    if task is not None:
        others = others.exclude(pk=task.pk)
    return TaskForm(
        request.POST or None,
        initial=initial,
        staff=selectors.staff_of(access.programme),
        members=selectors.members_of(venture),
        milestones=list(others),
    )


def _save_task(
    request: HttpRequest, access: Access, venture: Venture, task: Task | None
) -> HttpResponse:
    form = _task_form(request, access, venture, task)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        milestones.save_task(
            actor=Actor.of(request),
            venture=venture,
            task=task,
            kind=data["kind"],
            title=data["title"],
            due_on=data.get("due_on"),
            owner_user=data.get("owner_user"),
            owner_member=data.get("owner_member"),
            milestone=data.get("milestone"),
        )
        messages.success(request, _("The milestone or task is saved."))
        return _back(venture, "tasks-heading")
    title = (
        _("Add a milestone or task to %(name)s")
        if task is None
        else _("Change a milestone or task of %(name)s")
    )
    return render_form(
        request, form, title=title % {"name": venture.name}, cancel_url=venture.get_absolute_url()
    )


@programme_view(Perm.VENTURES_VIEW)
@require_http_methods(["GET", "POST"])
def task_new(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    venture = _worked_venture(request, access, public_id)
    return _save_task(request, access, venture, None)


@programme_view(Perm.VENTURES_VIEW)
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, access: Access, public_id: str, pk: int) -> HttpResponse:
    venture = _worked_venture(request, access, public_id)
    return _save_task(request, access, venture, selectors.task_for(venture, pk))


@programme_view(Perm.VENTURES_VIEW)
@require_POST
def task_done(request: HttpRequest, access: Access, public_id: str, pk: int) -> HttpResponse:
    venture = _worked_venture(request, access, public_id)
    task = selectors.task_for(venture, pk)
    form = DoneForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Say whether it is done."), status=400)
    done = form.cleaned_data["done"]
    if task.is_done == done:
        messages.info(request, _("Someone else had done that already."))
    else:
        milestones.mark_task(actor=Actor.of(request), task=task, done=done)
        messages.success(
            request, _("Done: %(task)s") % {"task": task.title} if done else _("Open again.")
        )
    return _back(venture, "tasks-heading")


# --- Documents -----------------------------------------------------------------------------


@programme_view(Perm.VENTURES_VIEW)
@require_http_methods(["GET", "POST"])
def document_new(request: HttpRequest, access: Access, public_id: str) -> HttpResponse:
    venture = _worked_venture(request, access, public_id)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and form.file_type is not None:
        documents.attach_document(
            actor=Actor.of(request),
            venture=venture,
            upload=form.cleaned_data["file"],
            file_type=form.file_type,
            title=form.cleaned_data.get("title", ""),
        )
        messages.success(request, _("The document is attached."))
        return _back(venture, "documents-heading")
    return render(
        request,
        "ventures/document_new.html",
        {"venture": venture, "form": form},
        status=400 if form.is_bound else 200,
    )


@programme_view(Perm.VENTURES_VIEW)
@require_POST
def document_download(
    request: HttpRequest, access: Access, public_id: str, document_id: str
) -> HttpResponse:
    venture = _worked_venture(request, access, public_id)
    document = selectors.document_for(venture, document_id)
    try:
        with private_storage().open(document.file.name, "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    documents.log_download(actor=Actor.of(request), document=document)
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=document.filename) or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@programme_view(Perm.VENTURES_VIEW)
@require_POST
def document_delete(
    request: HttpRequest, access: Access, public_id: str, document_id: str
) -> HttpResponse:
    venture = selectors.venture_for(access, public_id)
    require(access, Perm.VENTURE_MANAGE, venture, request=request)
    document = selectors.document_for(venture, document_id)
    documents.delete_document(actor=Actor.of(request), document=document)
    messages.success(request, _("The document is deleted."))
    return _back(venture, "documents-heading")


# --- The programme's checklist templates ---------------------------------------------------


def _templates_url(access: Access, country: str) -> str:
    return reverse("ventures:checklists", args=[access.programme.slug]) + f"?country={country}"


@programme_view(Perm.VENTURE_CHECKLISTS)
@require_GET
def checklist_templates(request: HttpRequest, access: Access) -> HttpResponse:
    country = request.GET.get("country", "")
    if country not in Country.values:
        country = Country.NORWAY
    stages = selectors.templates_of(access, country)
    return render(
        request,
        "ventures/checklist_templates.html",
        {
            "country": country,
            "country_label": Country(country).label,
            "countries": Country.choices,
            "stages": stages,
            "empty": not any(items for _stage, _label, items in stages),
        },
    )


@programme_view(Perm.VENTURE_CHECKLISTS)
@require_POST
def checklist_templates_seed(request: HttpRequest, access: Access) -> HttpResponse:
    added = checklists.use_default_templates(actor=Actor.of(request), programme=access.programme)
    if added:
        messages.success(
            request, _("The default checklists are in place. Change them as you need.")
        )
    else:
        messages.info(request, _("The programme has its checklists already."))
    return redirect(_templates_url(access, request.POST.get("country", Country.NORWAY)[:2]))


@programme_view(Perm.VENTURE_CHECKLISTS)
@require_http_methods(["GET", "POST"])
def checklist_template_new(request: HttpRequest, access: Access) -> HttpResponse:
    initial = {
        "country": request.GET.get("country", Country.NORWAY)[:2],
        "stage": request.GET.get("stage", "")[:16],
    }
    form = TemplateItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        item = checklists.add_template_item(
            actor=Actor.of(request),
            programme=access.programme,
            country=form.cleaned_data["country"],
            stage=form.cleaned_data["stage"],
            texts=form.texts,
        )
        messages.success(request, _("The item is added to the checklist."))
        return redirect(_templates_url(access, item.country))
    return render_form(
        request,
        form,
        title=_("Add an item to a stage checklist"),
        cancel_url=_templates_url(access, initial["country"]),
        intro=_("Ventures now in the stage get the item at once."),
    )


@programme_view(Perm.VENTURE_CHECKLISTS)
@require_http_methods(["GET", "POST"])
def checklist_template_edit(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    item = selectors.template_item_for(access, pk)
    form = TemplateItemForm(
        request.POST or None,
        renaming=True,
        initial={"text_nb": item.text_nb, "text_sv": item.text_sv, "text_en": item.text_en},
    )
    if request.method == "POST" and form.is_valid():
        checklists.rename_template_item(actor=Actor.of(request), item=item, texts=form.texts)
        messages.success(request, _("The item is renamed."))
        return redirect(_templates_url(access, item.country))
    return render_form(
        request,
        form,
        title=_("Rename a checklist item (%(country)s, %(stage)s)")
        % {"country": item.get_country_display(), "stage": item.get_stage_display()},
        cancel_url=_templates_url(access, item.country),
        intro=_(
            "Ventures whose item is still open read the new wording; ticked items keep theirs."
        ),
    )


@programme_view(Perm.VENTURE_CHECKLISTS)
@require_POST
def checklist_template_action(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    actor = Actor.of(request)
    item = selectors.template_item_for(access, pk)
    form = TemplateItemActionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose what to do with the item."), status=400)
    action = form.cleaned_data["action"]
    try:
        if action in ("up", "down"):
            checklists.move_template_item(actor=actor, item=item, up=action == "up")
        else:
            checklists.retire_template_item(actor=actor, item=item, retire=action == "retire")
    except checklists.ChecklistError:
        messages.info(request, _("Nothing to change."))
    else:
        messages.success(
            request,
            {
                "up": _("Moved up."),
                "down": _("Moved down."),
                "retire": _("Retired: ventures entering the stage no longer get it."),
                "restore": _("Back in use."),
            }[action],
        )
    return redirect(_templates_url(access, item.country) + f"#item-{item.pk}")
