"""Ventures (social enterprises) and their documents."""

from __future__ import annotations

from typing import Any

import factory

from samvirke.accounts.models import User
from samvirke.audit.actor import Actor
from samvirke.participants.models import Participant
from samvirke.programmes.models import (
    Programme,
    Subproject,
)
from tests.factories.participants import ParticipantFactory
from tests.factories.programmes import (
    ProgrammeFactory,
    SubprojectFactory,
)


def _venture_models() -> Any:
    from samvirke.ventures import models

    return models


class VentureFactory(factory.django.DjangoModelFactory[Any]):
    class Meta:
        model = "ventures.Venture"
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    subproject = factory.SubFactory(
        SubprojectFactory, programme=factory.SelfAttribute("..programme")
    )
    name = factory.Sequence(lambda n: f"Kafé {n}")
    country = "NO"
    legal_form = "no_sa"
    stage = "idea"

    @factory.post_generation
    def history(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            _venture_models().StageChange.objects.create(
                venture=self, from_stage="", to_stage=self.stage, moved_at=self.stage_since
            )
            from samvirke.ventures.checklists import open_stage

            open_stage(venture=self)  # as entering a stage through the services does


def venture_document(venture: Any, *, name: str = "plan.pdf", by: User | None = None) -> Any:
    """A small PDF attached to the venture, through the service (stored in the private
    storage, which the tests point at a temporary folder)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from samvirke.ventures.documents import attach_document
    from samvirke.ventures.filetypes import PDF

    upload = SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    return attach_document(
        actor=Actor.of_user(by or venture.created_by), venture=venture, upload=upload, file_type=PDF
    )


def venture_args(
    kind: str,
    programme: Programme,
    subproject: Subproject,
    *,
    participant: Participant | None = None,
    started_by: User | None = None,
) -> list[object]:
    """What follows the slug in the address of a venture page of this kind: a venture of the
    subproject with ``participant`` on its team, and a finished run proposing them."""
    models = _venture_models()
    venture = VentureFactory(programme=programme, subproject=subproject, stage="team")
    if participant is None:
        participant = ParticipantFactory(programme=programme, subprojects=[subproject])
    models.TeamMember.objects.create(venture=venture, kind="participant", participant=participant)
    run = models.FormationRun.objects.create(
        programme=programme, started_by=started_by, status="done", progress=100, method="exact"
    )
    proposal = models.Proposal.objects.create(
        run=run, venture=venture, participant=participant, explanation={"covers": []}
    )
    match kind:
        case "venture":
            return [venture.public_id]
        case "checklist_item":
            return [venture.public_id, venture.checklist.order_by("pk").first().pk]
        case "task":
            task = models.Task.objects.create(venture=venture, title="Skriv budsjett")
            return [venture.public_id, task.pk]
        case "document":
            return [venture.public_id, venture_document(venture, by=started_by).public_id]
        case "run":
            return [run.public_id]
        case "proposal":
            return [proposal.public_id]
    raise AssertionError(kind)
