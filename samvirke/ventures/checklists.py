"""Writes for the stage checklists: the programme's templates and each venture's list.

A programme's templates are seeded from ``checklist_defaults`` when its first venture is saved
(or when a coordinator asks for them). A venture gets the open items of a stage's template when
it enters the stage; an item added to or restored in the template reaches the ventures in that
stage now, and an item retired leaves their lists unless it was ticked. Ticked items keep who,
when and the wording ticked. Each function is keyword-only, atomic and writes the audit log.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.programmes.models import Programme
from samvirke.ventures.checklist_defaults import DEFAULTS
from samvirke.ventures.models import (
    STAGE_ORDER,
    ChecklistItem,
    ChecklistTemplateItem,
    Venture,
)


class ChecklistError(ValueError):
    """A change the rules do not allow."""


@transaction.atomic
def seed_templates(*, programme: Programme) -> int:
    """The default checklists for a programme that has none yet; returns how many were added."""
    # One seeding per programme, even when two first ventures are saved at once.
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    if ChecklistTemplateItem.objects.filter(programme=programme).exists():
        return 0
    rows = [
        ChecklistTemplateItem(
            programme=programme,
            country=country,
            stage=stage,
            position=10 * (index + 1),
            text_en=en,
            text_nb=nb,
            text_sv=sv,
        )
        for country, stages in DEFAULTS.items()
        for stage in STAGE_ORDER
        for index, (en, nb, sv) in enumerate(stages.get(stage, ()))
    ]
    ChecklistTemplateItem.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def use_default_templates(*, actor: Actor, programme: Programme) -> int:
    added = seed_templates(programme=programme)
    if added:
        record_event(
            action=AuditAction.CREATE,
            actor=actor,
            obj=programme,
            programme=programme,
            object_type="ventures.checklisttemplateitem",
            detail={"seeded": added},
        )
    return added


def open_stage(*, venture: Venture, stage: str | None = None) -> int:
    """Put the template's active items of the stage on the venture's list (those it has not
    got already, from an earlier time in the stage); returns how many were added. Called by
    the services that move a venture, inside their transaction."""
    stage = stage or venture.stage
    seed_templates(programme=venture.programme)
    present = ChecklistItem.objects.filter(venture=venture).values("template_item")
    missing = ChecklistTemplateItem.objects.filter(
        programme=venture.programme_id,
        country=venture.country,
        stage=stage,
        retired_at__isnull=True,
    ).exclude(pk__in=present)
    rows = [ChecklistItem(venture=venture, template_item=item) for item in missing]
    ChecklistItem.objects.bulk_create(rows)
    return len(rows)


def change_country(*, venture: Venture) -> None:
    """The venture moved to the other country: its open items of the stage follow the other
    country's template (ticked ones stay, as the record of what was done)."""
    ChecklistItem.objects.filter(
        venture=venture, done_at__isnull=True, template_item__stage=venture.stage
    ).exclude(template_item__country=venture.country).delete()
    open_stage(venture=venture)


def _reach_ventures_in_stage(item: ChecklistTemplateItem) -> None:
    ventures = Venture.objects.filter(
        programme=item.programme_id, country=item.country, stage=item.stage
    ).exclude(checklist__template_item=item)
    ChecklistItem.objects.bulk_create(
        [ChecklistItem(venture=venture, template_item=item) for venture in ventures]
    )


def _clean_texts(texts: dict[str, str]) -> dict[str, str]:
    cleaned = {f"text_{code}": " ".join(texts.get(code, "").split())[:300] for code in LANGUAGES}
    if not any(cleaned.values()):
        raise ChecklistError("an item needs a text")
    return cleaned


LANGUAGES = ("nb", "sv", "en")


@transaction.atomic
def add_template_item(
    *,
    actor: Actor,
    programme: Programme,
    country: str,
    stage: str,
    texts: dict[str, str],
) -> ChecklistTemplateItem:
    """A new item last in the stage's list; ventures in that stage get it now."""
    if stage not in STAGE_ORDER:
        raise ChecklistError("unknown stage")
    last = ChecklistTemplateItem.objects.filter(
        programme=programme, country=country, stage=stage
    ).aggregate(last=Max("position"))["last"]
    item = ChecklistTemplateItem.objects.create(
        programme=programme,
        country=country,
        stage=stage,
        position=(last or 0) + 10,
        **_clean_texts(texts),
    )
    _reach_ventures_in_stage(item)
    record_event(action=AuditAction.CREATE, actor=actor, obj=item, programme=programme)
    return item


@transaction.atomic
def rename_template_item(
    *, actor: Actor, item: ChecklistTemplateItem, texts: dict[str, str]
) -> ChecklistTemplateItem:
    """New wording; open items on ventures read it at once, ticked ones keep theirs."""
    values = _clean_texts(texts)
    changed = sorted(name for name, value in values.items() if getattr(item, name) != value)
    for name, value in values.items():
        setattr(item, name, value)
    item.save(update_fields=[*values, "updated_at"])
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=item,
        programme=item.programme,
        detail={"fields": changed},
    )
    return item


@transaction.atomic
def move_template_item(
    *, actor: Actor, item: ChecklistTemplateItem, up: bool
) -> ChecklistTemplateItem:
    """Swap the item with its neighbour above or below in the stage's list."""
    siblings = list(
        ChecklistTemplateItem.objects.select_for_update()
        .filter(programme=item.programme_id, country=item.country, stage=item.stage)
        .order_by("position", "pk")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        raise ChecklistError("already at the end")
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != 10 * position:
            ChecklistTemplateItem.objects.filter(pk=sibling.pk).update(
                position=10 * position, updated_at=timezone.now()
            )
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=item,
        programme=item.programme,
        detail={"moved": "up" if up else "down"},
    )
    item.refresh_from_db()
    return item


@transaction.atomic
def retire_template_item(
    *, actor: Actor, item: ChecklistTemplateItem, retire: bool
) -> ChecklistTemplateItem:
    """Retire an item (ventures entering the stage no longer get it, and it leaves the open
    lists of ventures in the stage; where it was ticked it stays), or bring it back."""
    if item.is_retired == retire:
        raise ChecklistError("already so")
    item.retired_at = timezone.now() if retire else None
    item.save(update_fields=["retired_at", "updated_at"])
    if retire:
        ChecklistItem.objects.filter(
            template_item=item, done_at__isnull=True, venture__stage=item.stage
        ).delete()
    else:
        _reach_ventures_in_stage(item)
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=item,
        programme=item.programme,
        detail={"retired": retire},
    )
    return item


@transaction.atomic
def tick_item(*, actor: Actor, item: ChecklistItem, done: bool) -> ChecklistItem:
    """Tick an item off (who, when, and the wording ticked) or untick it."""
    item = ChecklistItem.objects.select_for_update().select_related("template_item").get(pk=item.pk)
    if item.is_done == done:
        raise ChecklistError("already so")
    template = item.template_item
    if done:
        item.done_at = timezone.now()
        item.done_by = actor.user
        item.done_text_nb, item.done_text_sv, item.done_text_en = (
            template.text_nb,
            template.text_sv,
            template.text_en,
        )
    else:
        item.done_at = None
        item.done_by = None
        item.done_text_nb = item.done_text_sv = item.done_text_en = ""
    item.save(
        update_fields=[
            "done_at",
            "done_by",
            "done_text_nb",
            "done_text_sv",
            "done_text_en",
            "updated_at",
        ]
    )
    venture = Venture.objects.select_related("programme").get(pk=item.venture_id)
    record_event(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=item,
        programme=venture.programme,
        detail={"done": done, "venture": str(venture.public_id), "stage": template.stage},
    )
    return item
