"""Full-text search over programme content.

PostgreSQL: ``to_tsvector`` with the ``norwegian`` and ``swedish`` configurations, each backed by
a GIN expression index (migration ``0002_search_gin_indexes``). SQLite: every word must occur in
the title or the text (case-insensitive), which is slower but finds the same things for
ordinary queries.

SQLite's LIKE and LOWER fold only ASCII letters, so "østersund" would not find "Østersund".
There, text is compared through ``samvirke_casefold`` (Python's ``str.casefold``), which
``ProgrammesConfig.ready`` registers on every SQLite connection.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Func, Model, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Contains
from django.db.models.sql.compiler import SQLCompiler

from samvirke.lib.folding import FOLD_FROM, FOLD_TO, alternatives, fold
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


def casefold(value: str | None) -> str | None:
    return None if value is None else value.casefold()


def fold_or_none(value: str | None) -> str | None:
    return None if value is None else fold(value)


def register_sqlite_functions(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("samvirke_casefold", 1, casefold, deterministic=True)
        connection.connection.create_function("samvirke_fold", 1, fold_or_none, deterministic=True)


class Casefold(Func):
    """Text with case folded for every alphabet (PostgreSQL's LOWER already does this)."""

    function = "LOWER"
    output_field = TextField()

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Any]:
        return self.as_sql(compiler, connection, function="samvirke_casefold", **extra)


class Fold(Func):
    """Text lower-cased with diacritics removed, as :func:`samvirke.lib.folding.fold` does.

    PostgreSQL: ``TRANSLATE(LOWER(text), …)`` (no extension needed); SQLite: ``fold`` itself.
    """

    output_field = TextField()

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Any]:
        lowered, params = compiler.compile(Func(self.source_expressions[0], function="LOWER"))
        return f"TRANSLATE({lowered}, %s, %s)", (*params, FOLD_FROM, FOLD_TO)

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Any]:
        return self.as_sql(compiler, connection, function="samvirke_fold", **extra)


def matches_words(fields: list[str], query: str) -> Q:
    """Every word of ``query`` occurs in one of ``fields``, across the border.

    Diacritics do not count ("arbetstraning" finds "arbetsträning") and a word of the domain
    also finds its Norwegian, Swedish or English synonym ("arbeidstrening" finds
    "arbetsträning"); see :mod:`samvirke.lib.folding`. An empty query matches everything.
    """
    condition = Q()
    for word in " ".join(query.split())[:MAX_QUERY_LENGTH].split():
        anywhere = Q()
        for alternative in alternatives(word):
            for field in fields:
                anywhere |= Q(Contains(Fold(field), alternative))
        condition &= anywhere
    return condition


def contains_text(field: str, text: str) -> Q:
    """``field__icontains=text`` that also ignores the case of Æ, Ø, Å, Ä, Ö on SQLite."""
    if connection.vendor == "sqlite":
        return Q(Contains(Casefold(field), text.casefold()))
    return Q(**{f"{field}__icontains": text})


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
        entries = entries.filter(contains_text("title", word) | contains_text("body", word))
    return entries.order_by("title")
