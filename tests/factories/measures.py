"""The service map, and measures with their sessions, enrolments and referrals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from samvirke.accounts.models import User
from samvirke.measures.models import (
    Enrolment,
    EnrolmentStatusChange,
    Measure,
    MeasureSession,
    Pathway,
    PathwayStep,
    Referral,
    Service,
    ServiceMapSettings,
)
from samvirke.participants.models import Participant
from samvirke.programmes.models import (
    Programme,
    Subproject,
)
from tests.factories.activities import _in_days
from tests.factories.participants import ParticipantFactory
from tests.factories.programmes import (
    MunicipalityFactory,
    ProgrammeFactory,
    SubprojectFactory,
)


class ServiceFactory(factory.django.DjangoModelFactory[Service]):
    class Meta:
        model = Service

    programme = factory.SubFactory(ProgrammeFactory)
    country = "NO"
    municipality = factory.SubFactory(MunicipalityFactory)
    provider_kind = "nav"
    name_nb = factory.Sequence(lambda n: f"Tjeneste {n}")
    name_sv = factory.Sequence(lambda n: f"Tjänst {n}")
    name_en = factory.Sequence(lambda n: f"Service {n}")
    offers_nb = "Samtaler og oppfølging."
    phone = "+47 400 00 000"
    email = "service@example.test"


class PathwayFactory(factory.django.DjangoModelFactory[Pathway]):
    class Meta:
        model = Pathway

    programme = factory.SubFactory(ProgrammeFactory)
    situation = factory.Sequence(lambda n: f"situation-{n}")
    country = "NO"
    title_nb = factory.Sequence(lambda n: f"Vei {n}")
    title_sv = factory.Sequence(lambda n: f"Väg {n}")
    title_en = factory.Sequence(lambda n: f"Pathway {n}")


class PathwayStepFactory(factory.django.DjangoModelFactory[PathwayStep]):
    class Meta:
        model = PathwayStep

    pathway = factory.SubFactory(PathwayFactory)
    position = factory.Sequence(lambda n: n + 1)
    title_nb = factory.Sequence(lambda n: f"Steg {n}")
    title_sv = factory.Sequence(lambda n: f"Steg {n}")
    title_en = factory.Sequence(lambda n: f"Step {n}")


def service_map_args(kind: str, programme: Programme, *, published: bool = False) -> list[object]:
    """What follows the slug in the address of a service-map page of this kind."""
    if published:
        ServiceMapSettings.objects.update_or_create(
            programme=programme, defaults={"published": True}
        )
    service = ServiceFactory(programme=programme)
    pathway = PathwayFactory(programme=programme)
    PathwayStepFactory(pathway=pathway, service=service)
    match kind:
        case "service":
            return [service.pk]
        case "pathway":
            return [pathway.pk]
        case "pathway_step":
            return [pathway.steps.get().pk]
        case "situation":
            swedish = PathwayFactory(programme=programme, situation=pathway.situation, country="SE")
            PathwayStepFactory(pathway=swedish)
            return [pathway.situation]
    return []


class MeasureFactory(factory.django.DjangoModelFactory[Measure]):
    class Meta:
        model = Measure

    programme = factory.SubFactory(ProgrammeFactory)
    subproject = factory.SubFactory(
        SubprojectFactory, programme=factory.SelfAttribute("..programme")
    )
    name_nb = factory.Sequence(lambda n: f"Arbeidstrening {n}")
    name_sv = factory.Sequence(lambda n: f"Arbetsträning {n}")
    name_en = factory.Sequence(lambda n: f"Work training {n}")
    kind = "work_training"
    status = "running"
    country = "NO"
    municipality = factory.SubFactory(MunicipalityFactory)


class MeasureSessionFactory(factory.django.DjangoModelFactory[MeasureSession]):
    class Meta:
        model = MeasureSession

    measure = factory.SubFactory(MeasureFactory)
    # Within the last 30 weeks, however many sessions a run makes: after the enrolments' dates.
    starts_at = factory.Sequence(lambda n: _in_days(-7 * (n % 30 + 1)))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))


class EnrolmentFactory(factory.django.DjangoModelFactory[Enrolment]):
    class Meta:
        model = Enrolment
        skip_postgeneration_save = True

    measure = factory.SubFactory(MeasureFactory)
    participant = factory.SubFactory(
        ParticipantFactory, programme=factory.SelfAttribute("..measure.programme")
    )
    referral_source = "nav"
    status = "active"
    referred_on = dt.date(2020, 1, 6)
    started_on = dt.date(2020, 1, 13)

    @factory.post_generation
    def history(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            EnrolmentStatusChange.objects.create(
                enrolment=self, status=self.status, changed_on=self.referred_on
            )


class ReferralFactory(factory.django.DjangoModelFactory[Referral]):
    """A referral waiting for an answer (made directly: ``refer_participant`` checks the rules)."""

    class Meta:
        model = Referral

    measure = factory.SubFactory(MeasureFactory)
    participant = factory.SubFactory(
        ParticipantFactory, programme=factory.SelfAttribute("..measure.programme")
    )
    reason = "Ønsker arbeidstrening i kafé."


def measure_args(
    kind: str,
    programme: Programme,
    subproject: Subproject,
    *,
    participant: Participant | None = None,
    guide: User | None = None,
) -> list[object]:
    """What follows the slug in the address of a measure page of this kind: a measure of the
    subproject with a past session and one enrolment."""
    measure = MeasureFactory(programme=programme, subproject=subproject, capacity=10)
    session = MeasureSessionFactory(measure=measure)
    if participant is None:
        participant = ParticipantFactory(programme=programme, subprojects=[subproject])
    enrolment = EnrolmentFactory(measure=measure, participant=participant, guide=guide)
    match kind:
        case "measure":
            return [measure.pk]
        case "session":
            return [session.pk]
        case "enrolment":
            return [enrolment.public_id]
    raise AssertionError(kind)
