"""factory_boy factories for the models the tests need, one module per app.

Import from the app's module (``tests.factories.measures``) or from here, which names them all.
"""

from tests.factories.accounts import PASSWORD, UserFactory, confirmed_totp
from tests.factories.activities import ActionFactory, ActivityFactory, RegistrationFactory
from tests.factories.evaluation import safety_alert, who5_response
from tests.factories.measures import (
    EnrolmentFactory,
    MeasureFactory,
    MeasureSessionFactory,
    PathwayFactory,
    PathwayStepFactory,
    ReferralFactory,
    ServiceFactory,
    measure_args,
    service_map_args,
)
from tests.factories.participants import ParticipantFactory, open_self_service
from tests.factories.programmes import (
    GoalFactory,
    IndicatorFactory,
    MembershipFactory,
    MilestoneFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProgrammeFactory,
    ProjectGroupMemberFactory,
    SubprojectFactory,
)
from tests.factories.ventures import VentureFactory, venture_args, venture_document

__all__ = [
    "PASSWORD",
    "UserFactory",
    "confirmed_totp",
    "MunicipalityFactory",
    "OrganisationFactory",
    "ProgrammeFactory",
    "SubprojectFactory",
    "PartnershipFactory",
    "MembershipFactory",
    "ProjectGroupMemberFactory",
    "GoalFactory",
    "IndicatorFactory",
    "MilestoneFactory",
    "ActivityFactory",
    "RegistrationFactory",
    "ActionFactory",
    "ParticipantFactory",
    "open_self_service",
    "ServiceFactory",
    "PathwayFactory",
    "PathwayStepFactory",
    "service_map_args",
    "MeasureFactory",
    "MeasureSessionFactory",
    "EnrolmentFactory",
    "ReferralFactory",
    "measure_args",
    "VentureFactory",
    "venture_document",
    "venture_args",
    "who5_response",
    "safety_alert",
]
