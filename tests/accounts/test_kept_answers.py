"""A rule's answer about one object is asked of the database once per GET, every time on a POST.

A GET writes nothing, so nothing a rule reads can change while it is served; a POST may move
the object out of the asker's reach between two checks.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from samvirke.accounts.models import Role
from samvirke.accounts.permissions import Perm, access_for, can
from samvirke.measures.models import Measure
from tests.factories import MeasureFactory, MembershipFactory, SubprojectFactory

pytestmark = pytest.mark.django_db


def _contact_person_and_measure(method: str) -> tuple[object, Measure]:
    measure = MeasureFactory()
    membership = MembershipFactory(
        programme=measure.programme, role=Role.CONTACT_PERSON, subproject=measure.subproject
    )
    access = access_for(membership.user, measure.programme)
    access.request = getattr(RequestFactory(), method)("/")
    return access, measure


def test_on_a_get_the_same_question_reaches_the_database_once() -> None:
    access, measure = _contact_person_and_measure("get")
    with CaptureQueriesContext(connection) as queries:
        answers = [can(access, Perm.MEASURE_MANAGE, measure) for _ in range(3)]
    assert answers == [True, True, True]
    assert len(queries) == 1


def test_on_a_post_every_check_asks_again_and_sees_a_change() -> None:
    access, measure = _contact_person_and_measure("post")
    assert can(access, Perm.MEASURE_MANAGE, measure)
    Measure.objects.filter(pk=measure.pk).update(
        subproject=SubprojectFactory(programme=measure.programme)
    )
    assert not can(access, Perm.MEASURE_MANAGE, measure)


def test_a_kept_answer_is_about_one_object_and_one_rule() -> None:
    access, measure = _contact_person_and_measure("get")
    elsewhere = MeasureFactory(programme=measure.programme)
    assert can(access, Perm.MEASURE_MANAGE, measure)
    assert not can(access, Perm.MEASURE_MANAGE, elsewhere)
    assert can(access, Perm.MEASURE_PEOPLE, measure)
