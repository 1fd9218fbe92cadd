"""Service map pages: members browse and search, managers edit, the public reads when published."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samvirke.accounts.permissions import (
    Access,
    Perm,
    programme_view,
    public_view,
)
from samvirke.audit.actor import Actor
from samvirke.measures import selectors, services
from samvirke.measures.forms import (
    PathwayForm,
    PathwayStepForm,
    PublicationForm,
    ServiceFilterForm,
    ServiceForm,
)
from samvirke.measures.models import ServiceMapSettings
from samvirke.programmes.models import Programme
from samvirke.web.forms import change_from
from samvirke.web.pages import render_form

PAGE_SIZE = 25
PUBLIC_CACHE = "public, max-age=300"

# Which URL names the shared templates link to, inside the programme and on the public site.
MEMBER_URLS = {
    "services_url": "measures:services",
    "service_url": "measures:service",
    "pathways_url": "measures:pathways",
    "pathway_url": "measures:pathway",
    "compare_url": "measures:pathway_compare",
}
PUBLIC_URLS = {
    "services_url": "measures:public_services",
    "service_url": "measures:public_service",
    "pathways_url": "measures:public_pathways",
    "pathway_url": "measures:public_pathway",
    "compare_url": "measures:public_pathway_compare",
}


def _url(name: str, access: Access, *args: object) -> str:
    return reverse(name, args=[access.programme.slug, *args])


def _context(programme: Programme, access: Access | None, **extra: Any) -> dict[str, Any]:
    public = access is None
    return {
        "programme": programme,
        "public": public,
        "may_manage": not public and access is not None and access.can(Perm.SERVICE_MAP_MANAGE),
        **(PUBLIC_URLS if public else MEMBER_URLS),
        **extra,
    }


def _service_list(
    request: HttpRequest, programme: Programme, access: Access | None
) -> HttpResponse:
    form = ServiceFilterForm(request.GET, programme=programme)
    filters = form.filters()
    page = Paginator(selectors.services_of(programme, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    pathways = selectors.pathways_matching(programme, filters.q) if filters.q.strip() else None
    context = _context(
        programme,
        access,
        form=form,
        filters=filters,
        services=page,
        matching_pathways=pathways,
        published=access is not None and selectors.service_map_is_published(programme),
    )
    template = "measures/service_map/_service_rows.html" if request.htmx else None  # type: ignore[attr-defined]
    return render(request, template or "measures/service_map/services.html", context)


def _service_detail(programme: Programme, access: Access | None, pk: int) -> dict[str, Any]:
    service = selectors.service_of(programme, pk)
    return _context(
        programme, access, service=service, pathways=selectors.pathways_through(service)
    )


def _pathway_list(programme: Programme, access: Access | None) -> dict[str, Any]:
    return _context(programme, access, situations=selectors.situations_of(programme))


def _compare(programme: Programme, access: Access | None, situation: str) -> dict[str, Any]:
    return _context(programme, access, situation=selectors.situation_of(programme, situation))


# --- Members of the programme -----------------------------------------------------------------


@programme_view(Perm.SERVICE_MAP_VIEW)
@require_GET
def service_list(request: HttpRequest, access: Access) -> HttpResponse:
    return _service_list(request, access.programme, access)


@programme_view(Perm.SERVICE_MAP_VIEW)
@require_GET
def service_detail(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    context = _service_detail(access.programme, access, pk)
    return render(request, "measures/service_map/service_detail.html", context)


@programme_view(Perm.SERVICE_MAP_VIEW)
@require_GET
def pathway_list(request: HttpRequest, access: Access) -> HttpResponse:
    context = _pathway_list(access.programme, access)
    return render(request, "measures/service_map/pathways.html", context)


@programme_view(Perm.SERVICE_MAP_VIEW)
@require_GET
def pathway_detail(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    pathway = selectors.pathway_of(access.programme, pk)
    context = _context(access.programme, access, pathway=pathway)
    return render(request, "measures/service_map/pathway_detail.html", context)


@programme_view(Perm.SERVICE_MAP_VIEW)
@require_GET
def pathway_compare(request: HttpRequest, access: Access, situation: str) -> HttpResponse:
    context = _compare(access.programme, access, situation)
    return render(request, "measures/service_map/pathway_compare.html", context)


@programme_view(Perm.SERVICE_MAP_MANAGE)
@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest, access: Access) -> HttpResponse:
    form = ServiceForm(request.POST or None, programme=access.programme)
    if request.method == "POST" and form.is_valid():
        service = services.save_service(actor=Actor.of(request), change=change_from(form))
        messages.success(request, _("The service is saved."))
        return redirect(service.get_absolute_url())
    return render_form(
        request, form, title=_("New service"), cancel_url=_url("measures:services", access)
    )


@programme_view(Perm.SERVICE_MAP_MANAGE)
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    service = selectors.service_of(access.programme, pk)
    form = ServiceForm(request.POST or None, programme=access.programme, instance=service)
    if request.method == "POST" and form.is_valid():
        services.save_service(actor=Actor.of(request), change=change_from(form))
        messages.success(request, _("The service is saved."))
        return redirect(service.get_absolute_url())
    return render_form(
        request, form, title=_("Edit the service"), cancel_url=service.get_absolute_url()
    )


@programme_view(Perm.SERVICE_MAP_MANAGE)
@require_http_methods(["GET", "POST"])
def pathway_new(request: HttpRequest, access: Access) -> HttpResponse:
    form = PathwayForm(request.POST or None, programme=access.programme)
    if request.method == "POST" and form.is_valid():
        pathway = services.save_pathway(actor=Actor.of(request), change=change_from(form))
        messages.success(request, _("The pathway is saved. Add its steps."))
        return redirect(pathway.get_absolute_url())
    return render_form(
        request, form, title=_("New pathway"), cancel_url=_url("measures:pathways", access)
    )


@programme_view(Perm.SERVICE_MAP_MANAGE)
@require_http_methods(["GET", "POST"])
def pathway_edit(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    pathway = selectors.pathway_of(access.programme, pk)
    form = PathwayForm(request.POST or None, programme=access.programme, instance=pathway)
    if request.method == "POST" and form.is_valid():
        services.save_pathway(actor=Actor.of(request), change=change_from(form))
        messages.success(request, _("The pathway is saved."))
        return redirect(pathway.get_absolute_url())
    return render_form(
        request, form, title=_("Edit the pathway"), cancel_url=pathway.get_absolute_url()
    )


@programme_view(Perm.SERVICE_MAP_MANAGE)
@require_http_methods(["GET", "POST"])
def pathway_step_new(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    pathway = selectors.pathway_of(access.programme, pk)
    initial = {"position": len(pathway.steps.all()) + 1}
    form = PathwayStepForm(request.POST or None, pathway=pathway, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_pathway_step(actor=Actor.of(request), change=change_from(form))
        messages.success(request, _("The step is saved."))
        return redirect(pathway.get_absolute_url())
    return render_form(request, form, title=_("New step"), cancel_url=pathway.get_absolute_url())


@programme_view(Perm.SERVICE_MAP_MANAGE)
@require_http_methods(["GET", "POST"])
def pathway_step_edit(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    step = selectors.step_of(access.programme, pk)
    form = PathwayStepForm(request.POST or None, pathway=step.pathway, instance=step)
    if request.method == "POST" and form.is_valid():
        services.save_pathway_step(actor=Actor.of(request), change=change_from(form))
        messages.success(request, _("The step is saved."))
        return redirect(step.pathway.get_absolute_url())
    return render_form(
        request, form, title=_("Edit the step"), cancel_url=step.pathway.get_absolute_url()
    )


@programme_view(Perm.SERVICE_MAP_MANAGE)
@require_POST
def pathway_step_remove(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    step = selectors.step_of(access.programme, pk)
    services.remove_pathway_step(actor=Actor.of(request), step=step)
    messages.success(request, _("The step is removed."))
    return redirect(step.pathway.get_absolute_url())


@programme_view(Perm.SERVICE_MAP_MANAGE)
@require_http_methods(["GET", "POST"])
def service_map_publication(request: HttpRequest, access: Access) -> HttpResponse:
    current = ServiceMapSettings(
        programme=access.programme,
        published=selectors.service_map_is_published(access.programme),
    )
    # An unticked box sends nothing: an empty POST still means "not published".
    data = request.POST if request.method == "POST" else None
    form = PublicationForm(data, instance=current)
    if request.method == "POST" and form.is_valid():
        published = bool(form.cleaned_data["published"])
        services.publish_service_map(
            actor=Actor.of(request), programme=access.programme, published=published
        )
        if published:
            messages.success(request, _("The service map is now public."))
        else:
            messages.success(request, _("The service map is no longer public."))
        return redirect(_url("measures:services", access))
    public_url = request.build_absolute_uri(
        reverse("measures:public_services", args=[access.programme.slug])
    )
    return render_form(
        request,
        form,
        title=_("Publish the service map"),
        cancel_url=_url("measures:services", access),
        intro=_(
            "When published, anyone can read the services and pathways at %(url)s without "
            "signing in. Nothing about people is shown there."
        )
        % {"url": public_url},
    )


# --- The public, when the programme has published its service map ----------------------------


def _public(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = PUBLIC_CACHE
    return response


@public_view
@require_GET
def public_service_list(request: HttpRequest, slug: str) -> HttpResponse:
    return _public(_service_list(request, selectors.published_programme(slug), None))


@public_view
@require_GET
def public_service_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    context = _service_detail(selectors.published_programme(slug), None, pk)
    return _public(render(request, "measures/service_map/service_detail.html", context))


@public_view
@require_GET
def public_pathway_list(request: HttpRequest, slug: str) -> HttpResponse:
    context = _pathway_list(selectors.published_programme(slug), None)
    return _public(render(request, "measures/service_map/pathways.html", context))


@public_view
@require_GET
def public_pathway_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = selectors.published_programme(slug)
    context = _context(programme, None, pathway=selectors.pathway_of(programme, pk))
    return _public(render(request, "measures/service_map/pathway_detail.html", context))


@public_view
@require_GET
def public_pathway_compare(request: HttpRequest, slug: str, situation: str) -> HttpResponse:
    context = _compare(selectors.published_programme(slug), None, situation)
    return _public(render(request, "measures/service_map/pathway_compare.html", context))
