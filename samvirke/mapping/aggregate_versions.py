"""When a programme's aggregates must be worked out again.

The resource maps (and every later aggregate over the same people) are computed over everyone
in the programme at once, so that no two scopes can be differenced (``lib.disclosure``). That
work grows with the programme; its inputs change rarely. So it is cached under the programme's
``AggregateVersion``, which moves on every change to those inputs:
- through the model signals connected here (a mapping, a consent, a participant, who is in which
  subproject or organisation, a partnership), and
- through ``bump`` called by the writers that bypass signals (bulk inserts and queryset updates:
  the member import, erasure).
The cache is the one every worker process shares (``settings.cache_settings``: files in
``VAR_DIR/cache`` or Redis from ``CACHE_URL``), so a programme's aggregates are worked out once
per version for all workers, not once per worker.

A cached value also expires after ``CACHE_SECONDS``: the expiry is only a safety net for a
bulk writer that forgets to call ``bump`` (every change this module knows of moves the version
at once, a withdrawn consent included). Ten minutes bounds how long such a bug could show old
counts, while the recomputation it forces (450–700 ms at 50,000 participants, bench/
mapping_bench.py) is paid by one request in ten minutes per programme rather than one a minute
in each worker, as with the 60 s of a per-process cache, which kept that cost in the p95 of a
map viewed a few times a minute. It also bounds how long superseded versions' values stay on
disk or in Redis.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from samvirke.mapping.models import AggregateVersion, Mapping
from samvirke.participants.models import Consent, Participant
from samvirke.programmes.models import Partnership, Programme

CACHE_SECONDS = 10 * 60

T = TypeVar("T")


def bump(programme_ids: int | Iterable[int]) -> None:
    ids = {programme_ids} if isinstance(programme_ids, int) else set(programme_ids)
    for programme_id in ids:
        moved = AggregateVersion.objects.filter(programme_id=programme_id).update(
            number=F("number") + 1
        )
        if not moved:
            # the first change: readers took the missing row for 0, so start above it
            _version, created = AggregateVersion.objects.get_or_create(
                programme_id=programme_id, defaults={"number": 1}
            )
            if not created:
                AggregateVersion.objects.filter(programme_id=programme_id).update(
                    number=F("number") + 1
                )


def current(programme: Programme) -> int:
    number = (
        AggregateVersion.objects.filter(programme_id=programme.pk)
        .values_list("number", flat=True)
        .first()
    )
    return number or 0


def cached(programme: Programme, name: str, compute: Callable[[], T]) -> T:
    """``compute()`` for the programme's data as they are now, from the cache when unchanged.
    The key holds the programme's creation time as well as its id, so a programme that gets
    the id of a deleted one never sees the other's figures.

    After a change, the first request to miss works the value out and the others that miss
    meanwhile wait for it (``_worked_out_by_another``) instead of working it out too: two
    workers computing at once on two cores took 1.9 s each, one alone 0.45 s."""
    key = f"aggregate:{name}:{programme.pk}:{programme.created_at.timestamp()}:{current(programme)}"
    value = cache.get(key)
    if value is not None:
        return value
    working = f"{key}:working"
    if not cache.add(working, True, WAIT_SECONDS):
        value = _worked_out_by_another(key, working)
        if value is not None:
            return value
    try:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    finally:
        cache.delete(working)
    return value


WAIT_SECONDS = 10  # longest a request waits for another's computation (it takes ~0.5 s)
POLL_SECONDS = 0.05


def _worked_out_by_another(key: str, working: str) -> Any:
    """The value another worker is computing, once it is in the cache; None if that worker
    stopped without it (an error) or took longer than ``WAIT_SECONDS``: then this one computes.
    The marker is set with ``cache.add``, atomic in Redis and in memory; with the file cache
    two workers may rarely both start, which costs time, never a wrong value."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        value = cache.get(key)
        if value is not None:
            return value
        if cache.get(working) is None:
            return cache.get(key)
    return None


def _mapping_changed(sender: Any, instance: Mapping, **kwargs: Any) -> None:
    bump(instance.programme_id)


def _consent_changed(sender: Any, instance: Consent, **kwargs: Any) -> None:
    bump(
        Participant.objects.filter(pk=instance.participant_id).values_list(
            "programme_id", flat=True
        )
    )


def _participant_deleted(sender: Any, instance: Participant, **kwargs: Any) -> None:
    bump(instance.programme_id)


def _partnership_changed(sender: Any, instance: Partnership, **kwargs: Any) -> None:
    bump(instance.programme_id)


def _membership_changed(
    sender: Any, instance: Any, action: str, pk_set: set[int] | None, **kwargs: Any
) -> None:
    """A participant joined or left a subproject or organisation, from either side."""
    if not action.startswith("post_"):
        return
    if isinstance(instance, Participant):
        bump(instance.programme_id)
    elif hasattr(instance, "programme_id"):  # a subproject
        bump(instance.programme_id)
    elif pk_set:  # an organisation: the programmes of the people added or removed
        bump(Participant.objects.filter(pk__in=pk_set).values_list("programme_id", flat=True))
    else:  # an organisation cleared of everyone: every programme it is a partner in
        bump(
            Partnership.objects.filter(organisation=instance).values_list("programme_id", flat=True)
        )


def connect() -> None:
    for model, receiver in (
        (Mapping, _mapping_changed),
        (Consent, _consent_changed),
        (Partnership, _partnership_changed),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"aggregate-{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"aggregate-del-{model.__name__}")
    post_delete.connect(_participant_deleted, sender=Participant, dispatch_uid="aggregate-person")
    for through in (Participant.subprojects.through, Participant.organisations.through):
        m2m_changed.connect(
            _membership_changed, sender=through, dispatch_uid=f"aggregate-{through.__name__}"
        )
