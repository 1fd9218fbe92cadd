"""Managers compose the programme's own questionnaires."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from samvirke.accounts.permissions import Access, Perm, programme_view
from samvirke.audit.actor import Actor
from samvirke.evaluation import instrument_builder
from samvirke.evaluation.instrument_builder import InstrumentBuildError, ItemSpec
from samvirke.evaluation.questionnaire_forms import (
    InstrumentForm,
    InstrumentItemFormSet,
    importable_versions,
)

ROWS = 10  # empty question rows offered on a new instrument
MESSAGES = {
    "no_items": gettext_lazy("Add at least one question."),
    "builtin_key": gettext_lazy("A questionnaire shipped with Samvirke has this short name."),
    "invalid": gettext_lazy("The questionnaire could not be made from these questions."),
}


@programme_view(Perm.INSTRUMENTS_MANAGE)
@require_GET
def instruments(request: HttpRequest, access: Access) -> HttpResponse:
    versions = importable_versions(access.programme.pk)
    return render(
        request,
        "evaluation/instruments.html",
        {
            "own": [v for v in versions if v.instrument.programme_id == access.programme.pk],
            "shipped": [v for v in versions if v.instrument.programme_id is None],
        },
    )


@programme_view(Perm.INSTRUMENTS_MANAGE)
@require_http_methods(["GET", "POST"])
def instrument_new(request: HttpRequest, access: Access) -> HttpResponse:
    """Compose a questionnaire, or (``?from=<short name>``) its next version."""
    start = instrument_builder.latest_version(access.programme, request.GET.get("from", ""))
    initial: dict[str, object] = {"scoring": "sum"}
    rows: list[dict[str, object]] = [{} for _row in range(ROWS)]
    if start is not None:
        scales = start.definition.get("scales", [])
        initial = {
            "key": start.instrument.key,
            "title_nb": start.title_nb,
            "title_sv": start.title_sv,
            "title_en": start.title_en,
            "scoring": scales[0]["method"] if scales else "",
        }
        rows = [
            {**spec.__dict__, "max_length": spec.maximum if spec.kind == "text" else None}
            for spec in instrument_builder.specs_of(start)
        ] + [{}, {}, {}]
    form = InstrumentForm(request.POST or None, initial=initial)
    items = InstrumentItemFormSet(request.POST or None, initial=rows, prefix="items")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and items.is_valid():
            specs = [
                ItemSpec(
                    kind=row["kind"],
                    text_nb=row["text_nb"],
                    text_sv=row.get("text_sv", ""),
                    text_en=row.get("text_en", ""),
                    minimum=row.get("minimum"),
                    maximum=row.get("max_length" if row["kind"] == "text" else "maximum"),
                )
                for row in items.cleaned_data
                if row.get("kind")
            ]
            data = form.cleaned_data
            try:
                version = instrument_builder.publish_instrument(
                    actor=Actor.of(request),
                    programme=access.programme,
                    key=data["key"],
                    titles={"nb": data["title_nb"], "sv": data["title_sv"], "en": data["title_en"]},
                    items=specs,
                    scoring=data["scoring"],
                )
            except InstrumentBuildError as error:
                form.add_error(None, str(MESSAGES.get(error.code, MESSAGES["invalid"])))
            else:
                messages.success(
                    request,
                    _("Version %(version)s of %(title)s is published.")
                    % {"version": version.version, "title": version.title()},
                )
                return redirect("evaluation:instruments", slug=access.programme.slug)
    return render(
        request,
        "evaluation/instrument_new.html",
        {"form": form, "items": items, "start": start},
        status=status,
    )
