"""A guide records a measure session's attendance on a phone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, expect

from samvirke.measures.models import Attendance
from samvirke.participants.services import Identity, _store_identity
from tests.browser.conftest import Workspace
from tests.browser.support import PHONE, assert_accessible, scrolls_sideways, sign_in
from tests.factories import (
    EnrolmentFactory,
    MeasureFactory,
    MeasureSessionFactory,
    ParticipantFactory,
)


@pytest.mark.browser
def test_a_guide_records_attendance_for_a_session_on_a_phone(
    new_context: Callable[..., BrowserContext], workspace: Workspace
) -> None:
    # given
    cast = workspace.cast
    measure = MeasureFactory(
        programme=cast.programme,
        subproject=cast.subproject,
        name_nb="Arbeidstrening på Kirkens hus kafé",
    )
    session = MeasureSessionFactory(measure=measure)
    people = []
    for _ in range(3):
        participant = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
        participant.guides.set([cast.guide])
        _store_identity(participant, Identity(full_name=f"Testperson Nummer{len(people) + 1}"))
        people.append(EnrolmentFactory(measure=measure, participant=participant, guide=cast.guide))
    phone = new_context(**PHONE).new_page()
    sign_in(phone, cast.guide)
    # when
    phone.goto(reverse("measures:attendance", args=[workspace.slug, session.pk]))
    phone.locator("#reveal-people button").tap()  # the sheet opens through a logged reveal
    expect(phone.locator("#reveal-names")).to_be_visible()
    assert not scrolls_sideways(phone)
    assert_accessible(phone, "the attendance screen on a phone")
    phone.locator("#reveal-names button").tap()
    expect(phone.locator(f"#person-{people[0].pk} legend")).to_contain_text("Testperson Nummer1")
    assert not scrolls_sideways(phone)
    assert_accessible(phone, "the attendance screen with names, on a phone")
    first, second, third = (phone.locator(f"#person-{e.pk}") for e in people)
    first.locator("input[value=yes]").tap()
    second.locator("input[value=no]").tap()
    second.locator("select").select_option("ill")
    third.locator("input[value=yes]").tap()
    phone.locator("#attendance-form button[type=submit]").tap()
    # then
    expect(phone.locator(".messages")).to_be_visible()
    expect(phone.locator("h1")).to_have_text(measure.name_nb)
    marks = {
        a.enrolment_id: (a.present, a.absent_reason)
        for a in Attendance.objects.filter(session=session)
    }
    assert marks == {
        people[0].pk: (True, ""),
        people[1].pk: (False, "ill"),
        people[2].pk: (True, ""),
    }
    assert not scrolls_sideways(phone)
    assert_accessible(phone, "the measure page after saving attendance, on a phone")
