"""Run a parser over an uploaded file in a child process held to a memory and a time limit.

A few kilobytes of XLSX can unpack to gigabytes of cells, styles or nested XML; parsed in the
web worker, such a file took the worker (and the host) down. Here the work happens in a forked
child whose address space may grow by ``IMPORT_PARSE_MEMORY_MB`` beyond the parent's and whose
CPU time is limited to ``IMPORT_PARSE_SECONDS`` (wall-clock time to twice that). The child sends
its answer back as JSON (never pickle) through a pipe; the parent only ever holds that answer.
When the child runs out of memory or time, or dies, the answer is ``None`` and the caller says
so.

Where ``os.fork`` does not exist (Windows) the parser runs in the process itself.
"""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings

_KB = 1024
# The peak resident memory of the latest child, in kilobytes (for bench/upload_bench.py).
last_child_peak_kb = 0


def _virtual_size() -> int:
    """The bytes of address space this process holds now (what RLIMIT_AS counts)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _limit_child(memory_bytes: int, seconds: int) -> None:
    current = _virtual_size()
    if current:
        limit = current + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    # The child never writes files, and a core dump of it would hold the upload's data.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child(parse: Callable[[bytes], Any], content: bytes, write_end: int) -> None:
    """Runs in the child; never returns (os._exit leaves the parent's connections alone)."""
    code = 1
    try:
        _limit_child(settings.IMPORT_PARSE_MEMORY_MB * _KB * _KB, settings.IMPORT_PARSE_SECONDS)
        answer = json.dumps(parse(content), ensure_ascii=False).encode("utf-8")
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(answer)
        code = 0
    except BaseException:  # noqa: BLE001, S110 - MemoryError and all: the parent reports it
        pass
    finally:
        os._exit(code)


def run(parse: Callable[[bytes], Any], content: bytes) -> Any | None:
    """``parse(content)`` computed in a limited child; ``None`` when the child did not finish."""
    global last_child_peak_kb
    if not hasattr(os, "fork") or not settings.IMPORT_PARSE_IN_CHILD:
        return json.loads(json.dumps(parse(content)))
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        os.close(read_end)
        _child(parse, content, write_end)
    os.close(write_end)
    # CPU time is held by RLIMIT_CPU; the wall clock gets twice as long, for a busy host (and
    # stays under gunicorn's --timeout 60 of docs/operations.md).
    deadline = time.monotonic() + 2 * settings.IMPORT_PARSE_SECONDS
    chunks: list[bytes] = []
    timed_out = False
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([pipe], [], [], left)
            if not ready:
                continue
            chunk = pipe.read(1024 * 1024)
            if not chunk:
                break
            chunks.append(chunk)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    last_child_peak_kb = usage.ru_maxrss
    if timed_out or not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    try:
        return json.loads(b"".join(chunks))
    except ValueError:
        return None
