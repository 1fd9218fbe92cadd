"""Writes to the service map. Each function is one domain verb, atomic and audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.forms import ModelForm

from samvirke.audit.models import AuditAction
from samvirke.audit.services import record_event
from samvirke.measures.models import Pathway, PathwayStep, Service, ServiceMapSettings
from samvirke.programmes.models import Programme

if TYPE_CHECKING:
    from django.http import HttpRequest

    from samvirke.accounts.models import User


def _action(form: ModelForm[Service] | ModelForm[Pathway] | ModelForm[PathwayStep]) -> AuditAction:
    return AuditAction.UPDATE if form.instance.pk else AuditAction.CREATE


@transaction.atomic
def save_service(*, actor: User, request: HttpRequest | None, form: ModelForm[Service]) -> Service:
    action = _action(form)
    service = form.save()
    record_event(
        action=action,
        actor=actor,
        request=request,
        obj=service,
        programme=service.programme,
        detail={"fields": sorted(form.changed_data)},
    )
    return service


@transaction.atomic
def save_pathway(*, actor: User, request: HttpRequest | None, form: ModelForm[Pathway]) -> Pathway:
    action = _action(form)
    pathway = form.save()
    record_event(
        action=action,
        actor=actor,
        request=request,
        obj=pathway,
        programme=pathway.programme,
        detail={"fields": sorted(form.changed_data)},
    )
    return pathway


@transaction.atomic
def save_pathway_step(
    *, actor: User, request: HttpRequest | None, form: ModelForm[PathwayStep]
) -> PathwayStep:
    action = _action(form)
    step = form.save()
    record_event(
        action=action,
        actor=actor,
        request=request,
        obj=step,
        programme=step.pathway.programme,
        detail={"fields": sorted(form.changed_data)},
    )
    return step


@transaction.atomic
def remove_pathway_step(*, actor: User, request: HttpRequest | None, step: PathwayStep) -> None:
    programme = step.pathway.programme
    record_event(
        action=AuditAction.DELETE, actor=actor, request=request, obj=step, programme=programme
    )
    step.delete()


@transaction.atomic
def publish_service_map(
    *, actor: User | None, request: HttpRequest | None, programme: Programme, published: bool
) -> ServiceMapSettings:
    """Open the programme's service map to everyone, or close it again."""
    settings, _ = ServiceMapSettings.objects.get_or_create(programme=programme)
    if settings.published != published:
        settings.published = published
        settings.save(update_fields=["published", "updated_at"])
        record_event(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=settings,
            programme=programme,
            detail={"published": published},
        )
    return settings
