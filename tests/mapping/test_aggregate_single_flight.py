"""After a change, one request works a programme's aggregates out; the others wait for it."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import cache

from samvirke.mapping import aggregate_versions
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def _key(programme: object, name: str) -> str:
    version = aggregate_versions.current(programme)  # type: ignore[arg-type]
    created = programme.created_at.timestamp()  # type: ignore[attr-defined]
    return f"aggregate:{name}:{programme.pk}:{created}:{version}"  # type: ignore[attr-defined]


def test_a_request_that_misses_while_another_computes_takes_the_others_value() -> None:
    programme = ProgrammeFactory()
    key = _key(programme, "map")
    cache.add(f"{key}:working", True, 10)  # another worker has started

    def the_other_finishes() -> None:
        cache.set(key, "computed by the other", 60)
        cache.delete(f"{key}:working")

    threading.Timer(0.2, the_other_finishes).start()
    computed: list[str] = []
    value = aggregate_versions.cached(
        programme, "map", lambda: computed.append("here") or "computed here"
    )
    assert value == "computed by the other"
    assert computed == []


def test_a_request_computes_itself_when_the_other_stopped_without_a_value() -> None:
    programme = ProgrammeFactory()
    key = _key(programme, "map")
    cache.add(f"{key}:working", True, 10)
    threading.Timer(0.1, lambda: cache.delete(f"{key}:working")).start()  # it failed
    assert aggregate_versions.cached(programme, "map", lambda: "computed here") == "computed here"
    assert cache.get(key) == "computed here"
    assert cache.get(f"{key}:working") is None


def test_a_request_waits_no_longer_than_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    programme = ProgrammeFactory()
    cache.add(f"{_key(programme, 'map')}:working", True, 10)  # and never finishes
    monkeypatch.setattr(aggregate_versions, "WAIT_SECONDS", 0.2)
    assert aggregate_versions.cached(programme, "map", lambda: "computed here") == "computed here"


def test_a_computation_that_fails_leaves_no_marker_behind() -> None:
    programme = ProgrammeFactory()

    def fails() -> str:
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        aggregate_versions.cached(programme, "map", fails)
    assert cache.get(f"{_key(programme, 'map')}:working") is None
    assert aggregate_versions.cached(programme, "map", lambda: "second try") == "second try"
