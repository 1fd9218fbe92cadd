"""factory_boy factories for every model the tests need."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from samvirke.accounts.models import Membership, Role, User
from samvirke.activities.models import Action, Activity, ActivityType, Registration
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
from samvirke.participants.models import Participant, new_pseudonym
from samvirke.programmes.models import (
    Goal,
    Indicator,
    Milestone,
    Municipality,
    Organisation,
    OrganisationType,
    Partnership,
    Programme,
    ProjectGroupMember,
    Subproject,
)

PASSWORD = "correct horse battery staple 42"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    password = factory.django.Password(PASSWORD)


class MunicipalityFactory(factory.django.DjangoModelFactory[Municipality]):
    class Meta:
        model = Municipality
        django_get_or_create = ("country", "code")

    country = "NO"
    code = "5001"
    name = "Trondheim"


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisasjon {n}")
    type = OrganisationType.MUNICIPALITY
    country = "NO"


class ProgrammeFactory(factory.django.DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    slug = factory.Sequence(lambda n: f"programme-{n}")
    name_nb = factory.Sequence(lambda n: f"Program {n}")
    name_sv = factory.Sequence(lambda n: f"Programmet {n}")
    name_en = factory.Sequence(lambda n: f"Programme {n}")
    starts_on = dt.date(2024, 1, 1)
    ends_on = dt.date(2030, 12, 31)


class SubprojectFactory(factory.django.DjangoModelFactory[Subproject]):
    class Meta:
        model = Subproject

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Delprosjekt {n}")


class PartnershipFactory(factory.django.DjangoModelFactory[Partnership]):
    class Meta:
        model = Partnership

    programme = factory.SubFactory(ProgrammeFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    role = Role.COORDINATOR


class ProjectGroupMemberFactory(factory.django.DjangoModelFactory[ProjectGroupMember]):
    class Meta:
        model = ProjectGroupMember

    programme = factory.SubFactory(ProgrammeFactory)
    user = factory.SubFactory(UserFactory)


class GoalFactory(factory.django.DjangoModelFactory[Goal]):
    class Meta:
        model = Goal

    programme = factory.SubFactory(ProgrammeFactory)
    text_nb = "Flere i arbeid"


class IndicatorFactory(factory.django.DjangoModelFactory[Indicator]):
    class Meta:
        model = Indicator

    goal = factory.SubFactory(GoalFactory)
    name_nb = "Antall i arbeid"
    target = 10


class MilestoneFactory(factory.django.DjangoModelFactory[Milestone]):
    class Meta:
        model = Milestone

    programme = factory.SubFactory(ProgrammeFactory)
    title = "Midtveisevaluering"
    due_on = dt.date(2027, 6, 30)


def _in_days(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    zone = timezone.get_current_timezone()
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=zone)


class ActivityFactory(factory.django.DjangoModelFactory[Activity]):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    type = ActivityType.NETWORK_GATHERING
    title = factory.Sequence(lambda n: f"Nettverkssamling {n}")
    starts_at = factory.LazyFunction(lambda: _in_days(14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    place = "Trondheim"

    @factory.post_generation
    def subprojects(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.subprojects.set(extracted)


class RegistrationFactory(factory.django.DjangoModelFactory[Registration]):
    class Meta:
        model = Registration

    activity = factory.SubFactory(ActivityFactory)
    user = factory.SubFactory(UserFactory)


class ActionFactory(factory.django.DjangoModelFactory[Action]):
    class Meta:
        model = Action

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Oppfølging {n}")
    owner = factory.SubFactory(UserFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))


class ParticipantFactory(factory.django.DjangoModelFactory[Participant]):
    class Meta:
        model = Participant
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    pseudonym = factory.LazyFunction(lambda: new_pseudonym("NO"))
    country = "NO"
    birth_year = 1980

    @factory.post_generation
    def subprojects(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.subprojects.set(extracted)

    @factory.post_generation
    def identity(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            from samvirke.participants.services import Identity, _store_identity
            from samvirke.participants.sign_in import bind_confirmed_address

            identity = extracted or Identity(full_name="Testa Testesen")
            _store_identity(self, identity)
            if self.account_id is not None and identity.email:
                # A record made with its account signs in at its address, as if confirmed.
                bind_confirmed_address(participant=self, address=identity.email)


def open_self_service(record: Participant, *, asked_by: User, approved_by: User) -> User:
    """Self-service opened the way a first invitation is: one staff member asks, a colleague
    approves; returns the participant's account."""
    from samvirke.participants.sign_in import approve_sign_in_access, give_sign_in_access

    give_sign_in_access(actor=asked_by, request=None, participant=record)
    return approve_sign_in_access(actor=approved_by, request=None, participant=record)


def confirmed_totp(user: User) -> TOTPDevice:
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="authenticator", defaults={"confirmed": True}
    )
    return device


# --- The service map (samvirke.measures) --------------------------------------------------------


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


# --- Measures, sessions and enrolments (samvirke.measures) --------------------------------------


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


# --- Ventures (samvirke.ventures) ---------------------------------------------------------------


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
        actor=by or venture.created_by, request=None, venture=venture, upload=upload, file_type=PDF
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


def who5_response(participant: Participant) -> Any:
    """A WHO-5 questionnaire due today for the participant (the instrument files loaded once)."""
    from samvirke.evaluation.instrument_services import load_instruments
    from samvirke.evaluation.models import InstrumentVersion
    from samvirke.evaluation.response_services import open_response

    if not InstrumentVersion.objects.filter(instrument__key="who5").exists():
        load_instruments(texts_folder=None)
    version = InstrumentVersion.objects.get(instrument__key="who5", version=1)
    return open_response(participant=participant, version=version, due_on=timezone.localdate())


def safety_alert(participant: Participant) -> Any:
    """An alert not yet followed up, on a WHO-5 of the participant (as a PHQ-9 item 9 raises)."""
    from samvirke.evaluation.models import SafetyAlert

    return SafetyAlert.objects.create(
        response=who5_response(participant), item_key="phq9_9", raised_at=timezone.now()
    )
