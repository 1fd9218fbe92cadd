"""The demo's measures: six in Trondheim, Stjørdal and Östersund, loaded again without changes."""

from __future__ import annotations

import pytest

from samvirke.accounts.services import account_for_address
from samvirke.demo.measures import load_measures
from samvirke.demo.programmes import load_demo
from samvirke.measures.models import (
    Attendance,
    Enrolment,
    EnrolmentNote,
    Measure,
    MeasureSession,
)
from samvirke.programmes.models import Programme

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    models = (Measure, MeasureSession, Enrolment, Attendance, EnrolmentNote)
    return tuple(model.objects.count() for model in models)


def test_the_demo_has_measures_enrolments_attendance_and_a_note_and_loads_again_unchanged() -> None:
    # given
    load_demo()
    programme = Programme.objects.get(slug="entreprenorskap-2011")
    before = counts()
    # when
    load_measures(programme)
    # then
    assert counts() == before
    places = set(Measure.objects.values_list("municipality__name", flat=True))
    assert places == {"Trondheim", "Stjørdal", "Östersund"}
    nora = Enrolment.objects.filter(
        participant__account=account_for_address("deltaker@demo.samvirke.test")
    )
    assert nora.count() == 2
    assert Enrolment.objects.filter(status="waiting", position=1).count() == 1
    assert Enrolment.objects.filter(status="dropped_out").count() == 1
    assert EnrolmentNote.objects.count() == 1
    assert Attendance.objects.filter(present=True).exists()
