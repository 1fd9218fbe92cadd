from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from samvirke.accounts.permissions import signed_in_view
from samvirke.mapping.fuzzy import MAX_QUERY_LENGTH, normalise
from samvirke.mapping.models import Language, content_language
from samvirke.mapping.selectors import MIN_QUERY_LENGTH, search_occupations

OCCUPATION_OPTIONS_SHOWN = 10


@signed_in_view
@require_GET
def occupation_search(request: HttpRequest) -> HttpResponse:
    """Type-ahead options for an occupation field: ``hx-get`` with the typed text as ``q``."""
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    language = content_language()
    matches = search_occupations(query, language, limit=OCCUPATION_OPTIONS_SHOWN)
    return render(
        request,
        "mapping/_occupation_options.html",
        {
            "matches": matches,
            "searched": len(normalise(query)) >= MIN_QUERY_LENGTH,
            # Beside the label in the user's language: the other country's classification.
            "show_styrk": language != Language.NORWEGIAN,
            "show_ssyk": language != Language.SWEDISH,
        },
    )
