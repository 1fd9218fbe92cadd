"""gunicorn settings for ``make demo``: the port from ``PORT``, and "Serving" once it listens."""

from __future__ import annotations

import os
from typing import Any

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = 2
# Workers are recycled, so that memory one request took is given back (docs/operations.md).
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"
loglevel = "warning"


def when_ready(server: Any) -> None:
    """Called by gunicorn when the socket listens: only now is the address worth printing."""
    print(f"Serving http://{bind} (Ctrl-C stops)", flush=True)  # noqa: T201
