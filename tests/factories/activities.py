"""Activities, registrations and follow-up actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from samvirke.activities.models import Action, Activity, ActivityType, Registration
from tests.factories.accounts import UserFactory
from tests.factories.programmes import (
    ProgrammeFactory,
)


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
