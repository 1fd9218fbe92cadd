"""An uploaded member-survey file (many people's names and addresses) does not outlive a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from samvirke.mapping.models import ImportBatch
from samvirke.mapping.tasks import forget_upload
from tests.conftest import Cast
from tests.factories import ProgrammeFactory, SubprojectFactory
from tests.mapping.test_member_import import KARIN, batch_of, survey

pytestmark = pytest.mark.django_db

DEFERRING = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def aged(batch: ImportBatch, *, hours: float) -> ImportBatch:
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=hours)
    )
    return batch


def test_the_worker_forgets_an_upload_nobody_imported_within_a_day(cast: Cast) -> None:
    # given
    batch = aged(batch_of(cast, survey(KARIN)), hours=24)
    # when
    forget_upload.call(batch.pk)
    # then
    batch.refresh_from_db()
    assert bytes(batch.content) == b""


def test_the_worker_leaves_an_upload_younger_than_a_day(cast: Cast) -> None:
    # given
    batch = aged(batch_of(cast, survey(KARIN)), hours=23)
    # when
    forget_upload.call(batch.pk)
    # then
    batch.refresh_from_db()
    assert bytes(batch.content) == survey(KARIN)


def test_each_upload_is_queued_to_be_forgotten_a_day_after_it(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    from django_tasks import default_task_backend

    # when
    with override_settings(TASKS=DEFERRING):
        with django_capture_on_commit_callbacks(execute=True):
            batch = batch_of(cast, survey(KARIN))
        (queued,) = default_task_backend.results  # type: ignore[attr-defined]
    # then
    assert queued.task.func is forget_upload.func
    assert queued.args == [batch.pk]
    assert queued.task.run_after == batch.created_at + dt.timedelta(days=1)


def test_the_command_forgets_stale_uploads_in_every_programme_even_without_a_new_upload(
    cast: Cast,
) -> None:
    # given
    other = ProgrammeFactory()
    here = aged(batch_of(cast, survey(KARIN)), hours=30)
    there = ImportBatch.objects.create(
        programme=other,
        subproject=SubprojectFactory(programme=other),
        country="NO",
        filename="medlemmer.csv",
        sha256="0" * 64,
        content=survey(KARIN),
    )
    aged(there, hours=30)
    # when
    call_command("purge_member_uploads", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # then
    for batch in (here, there):
        batch.refresh_from_db()
        assert bytes(batch.content) == b""
