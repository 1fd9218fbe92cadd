"""Full-text search over programme content.

PostgreSQL: ``to_tsvector`` with the ``norwegian`` and ``swedish`` configurations, each backed by
a GIN expression index (migration ``0002_search_gin_indexes``). SQLite: every word must occur in
the title or the text (case-insensitive), which is slower but finds the same things for
ordinary queries.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.db.models.expressions import RawSQL

from samvirke.programmes.models import Programme, SearchEntry

SEARCH_CONFIGS = ("norwegian", "swedish", "simple")
MAX_QUERY_LENGTH = 200


def index_entry(
    *,
    programme: Programme,
    obj: Model,
    kind: str,
    title: str,
    body: str,
    url: str,
    visibility: str = "",
) -> None:
    SearchEntry.objects.update_or_create(
        programme=programme,
        kind=kind,
        object_id=str(obj.pk),
        defaults={
            "title": title[:300],
            "body": body,
            "url": url,
            "visibility": visibility,
        },
    )


def remove_entry(*, programme: Programme, obj: Model, kind: str) -> None:
    SearchEntry.objects.filter(programme=programme, kind=kind, object_id=str(obj.pk)).delete()


def _document_sql(config: str) -> str:
    # Must match the expression of the GIN indexes exactly, or PostgreSQL will not use them.
    return f"to_tsvector('{config}'::regconfig, title || ' ' || body)"


def search_entries(
    programme: Programme, query: str, *, visibilities: set[str]
) -> QuerySet[SearchEntry]:
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    entries = SearchEntry.objects.filter(programme=programme).filter(
        Q(visibility="") | Q(visibility__in=visibilities)
    )
    if not query:
        return entries.none()
    if connection.vendor == "postgresql":
        matches = " OR ".join(
            f"{_document_sql(config)} @@ websearch_to_tsquery('{config}'::regconfig, %s)"
            for config in SEARCH_CONFIGS
        )
        rank = " + ".join(
            f"ts_rank({_document_sql(config)}, websearch_to_tsquery('{config}'::regconfig, %s))"
            for config in SEARCH_CONFIGS
        )
        params = [query] * len(SEARCH_CONFIGS)
        return (
            entries.annotate(
                matched=RawSQL(f"({matches})", params),  # noqa: S611
                rank=RawSQL(rank, params),  # noqa: S611
            )
            .filter(matched=True)
            .order_by("-rank", "title")
        )
    for word in query.split():
        entries = entries.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return entries.order_by("title")
