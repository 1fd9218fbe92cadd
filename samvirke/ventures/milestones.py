"""Writes for a venture's milestones and tasks: each keyword-only, atomic, logged.

An owner is a member of the programme's staff or one of the venture's team members (a
participant is then shown by pseudonym, as the team shows them). A task may belong to one of
the venture's milestones; milestones do not nest.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from samvirke.accounts.models import User
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.ventures.models import Task, TaskKind, TeamMember, Venture


class TaskError(ValueError):
    """A change the rules do not allow."""


def _check(venture: Venture, kind: str, milestone: Task | None, member: TeamMember | None) -> None:
    if kind not in TaskKind.values:
        raise TaskError("unknown kind")
    if milestone is not None and (
        kind != TaskKind.TASK
        or milestone.venture_id != venture.pk
        or milestone.kind != TaskKind.MILESTONE
    ):
        raise TaskError("not a milestone of this venture")
    if member is not None and member.venture_id != venture.pk:
        raise TaskError("not on this team")


@transaction.atomic
def save_task(
    *,
    actor: Actor,
    venture: Venture,
    task: Task | None = None,
    kind: str,
    title: str,
    due_on: dt.date | None,
    owner_user: User | None = None,
    owner_member: TeamMember | None = None,
    milestone: Task | None = None,
) -> Task:
    """Add a milestone or task, or change one (``task``)."""
    if owner_user is not None and owner_member is not None:
        raise TaskError("one owner")
    _check(venture, kind, milestone, owner_member)
    creating = task is None
    if task is None:
        task = Task(venture=venture, created_by=actor.user)
    elif task.venture_id != venture.pk:
        raise TaskError("another venture's task")
    if task.pk is not None and task.kind == TaskKind.MILESTONE and kind != TaskKind.MILESTONE:
        task.tasks.update(milestone=None)
    values = {
        "kind": kind,
        "title": title.strip()[:200],
        "due_on": due_on,
        "owner_user": owner_user,
        "owner_member": owner_member,
        "milestone": milestone,
    }
    changed = sorted(name for name, value in values.items() if getattr(task, name) != value)
    for name, value in values.items():
        setattr(task, name, value)
    task.save()
    record_event(
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        actor=actor,
        obj=task,
        programme=venture.programme,
        detail={"venture": str(venture.public_id), "fields": changed},
    )
    return task


@transaction.atomic
def mark_task(*, actor: Actor, task: Task, done: bool) -> Task:
    """Done (who and when) or open again."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.is_done == done:
        raise TaskError("already so")
    task.done_at = timezone.now() if done else None
    task.done_by = actor.user if done else None
    task.save(update_fields=["done_at", "done_by", "updated_at"])
    venture = Venture.objects.select_related("programme").get(pk=task.venture_id)
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=task,
        programme=venture.programme,
        detail={"done": done, "venture": str(venture.public_id)},
    )
    return task
