"""See the package's docstring."""

from __future__ import annotations

import datetime as dt
from typing import Any

import psycopg
from django.db.backends.postgresql import base
from psycopg.types.datetime import TimestamptzLoader

TIMESTAMPTZ = psycopg.postgres.types["timestamptz"].oid
# the compiled loader where psycopg[binary] (or [c]) is installed, the Python class otherwise
_FAST = psycopg.adapters.get_loader(TIMESTAMPTZ, psycopg.pq.Format.TEXT) or TimestamptzLoader


def tz_loader(timezone: dt.tzinfo | None) -> type[TimestamptzLoader]:
    """A loader giving what Django's ``BaseTzLoader`` gives (the value read, with ``timezone``
    set on it, or chopped when None), parsed by the compiled loader."""

    class FastTzLoader(TimestamptzLoader):
        # Django's create_cursor() compares this with the connection's time zone
        timezone: dt.tzinfo | None = None

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            self._parse = _FAST(oid, context).load

        def load(self, data: Any) -> dt.datetime:
            value: dt.datetime = self._parse(data)
            return value.replace(tzinfo=self.timezone)

    FastTzLoader.timezone = timezone
    return FastTzLoader


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        connection.adapters.register_loader("timestamptz", tz_loader(self.timezone))
        return connection
