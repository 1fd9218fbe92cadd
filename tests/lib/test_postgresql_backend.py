"""The PostgreSQL backend reads timestamps as Django's does, with psycopg's compiled loader."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from samvirke.audit.models import AuditEntry
from tests.factories import ProgrammeFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the PostgreSQL backend: runs on PostgreSQL only"
    ),
]


def _loader() -> type:
    import psycopg

    from samvirke.lib.postgresql.base import TIMESTAMPTZ

    connection.ensure_connection()
    return connection.connection.adapters.get_loader(TIMESTAMPTZ, psycopg.pq.Format.TEXT)


def test_the_connection_reads_timestamps_with_the_compiled_loader() -> None:
    from samvirke.lib.postgresql.base import _FAST

    loader = _loader()(0, connection.connection)
    assert loader.timezone == dt.UTC
    assert loader._parse.__self__.__class__ is _FAST
    if _FAST.__module__.startswith("psycopg_binary"):  # psycopg[binary], as pyproject asks
        assert "python" not in _FAST.__module__


def test_a_timestamp_reads_back_as_the_aware_moment_written() -> None:
    moment = dt.datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=dt.UTC)  # Oslo's DST change
    programme = ProgrammeFactory()
    type(programme).objects.filter(pk=programme.pk).update(created_at=moment)
    read = type(programme).objects.values_list("created_at", flat=True).get(pk=programme.pk)
    assert read == moment
    assert read.tzinfo == dt.UTC


def test_it_reads_what_django_reads() -> None:
    from django.db.backends.postgresql.psycopg_any import BaseTzLoader

    from samvirke.lib.postgresql.base import tz_loader

    programme = ProgrammeFactory()
    AuditEntry.objects.create(action="update", programme=programme, object_label="x")
    with connection.cursor() as cursor:
        cursor.execute("SELECT at FROM audit_auditentry ORDER BY id DESC LIMIT 1")
        ours = cursor.fetchone()[0]
    connection.connection.adapters.register_loader("timestamptz", BaseTzLoader)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT at FROM audit_auditentry ORDER BY id DESC LIMIT 1")
            djangos = cursor.fetchone()[0]
    finally:
        ours_again = tz_loader(connection.timezone)
        connection.connection.adapters.register_loader("timestamptz", ours_again)
    assert ours == djangos.replace(tzinfo=dt.UTC)


def test_without_a_time_zone_the_value_is_chopped_as_django_chops_it() -> None:
    from samvirke.lib.postgresql.base import TIMESTAMPTZ, tz_loader

    connection.ensure_connection()
    loader = tz_loader(None)(TIMESTAMPTZ, connection.connection)
    naive = dt.datetime(2026, 12, 7, 14, 0)  # noqa: DTZ001 - what Django gives without USE_TZ
    assert loader.load(b"2026-12-07 14:00:00+00") == naive
