"""Programmes, their partners, subprojects, roles and goals."""

from __future__ import annotations

import datetime as dt

import factory

from samvirke.accounts.models import Membership, Role
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
from tests.factories.accounts import UserFactory


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
