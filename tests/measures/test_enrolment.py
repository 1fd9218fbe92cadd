"""Enrolment: the flow of a measure, the waiting list and the status history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation

from samvirke.accounts.models import Role
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.measures.models import Enrolment, EnrolmentStatus, Measure
from samvirke.measures.selectors import flow_of
from samvirke.measures.services import EnrolmentError, change_enrolment_status
from tests.conftest import Cast, sign_in
from tests.factories import MembershipFactory, UserFactory
from tests.measures.people import DAY, enrol, followed, measure_in, url

pytestmark = pytest.mark.django_db


def test_a_guide_enrols_a_participant_and_the_flow_counts_them(cast: Cast) -> None:
    # given
    measure = measure_in(cast)
    client = sign_in(Client(), cast.guide)
    nora = followed(cast)
    # when
    response = client.post(
        url("enrol", cast, measure.pk),
        {
            "participant": nora.pk,
            "referral_source": "nav",
            "referred_on": "2026-03-02",
            "guide": cast.guide.pk,
            "start_now": "on",
        },
    )
    other = enrol(cast, measure, followed(cast))
    # then
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(participant=nora)
    assert (enrolment.status, enrolment.referral_source) == ("active", "nav")
    assert flow_of(measure).counts == {"active": 1, "referred": 1}
    assert other.status == "referred"


def test_enrolling_over_capacity_puts_people_on_the_waiting_list_in_order(cast: Cast) -> None:
    # given
    measure = measure_in(cast, capacity=2)
    placed = [enrol(cast, measure, followed(cast)) for _ in range(2)]
    # when
    first, second = (enrol(cast, measure, followed(cast)) for _ in range(2))
    # then
    assert [e.status for e in placed] == ["referred", "referred"]
    assert (first.status, first.position) == ("waiting", 1)
    assert (second.status, second.position) == ("waiting", 2)


def test_a_freed_place_goes_to_the_first_on_the_waiting_list(cast: Cast) -> None:
    # given
    measure = measure_in(cast, capacity=1)
    placed = enrol(cast, measure, followed(cast), start_now=True)
    first, second = (enrol(cast, measure, followed(cast)) for _ in range(2))
    # when
    change_enrolment_status(
        actor=Actor.of_user(cast.guide),
        enrolment=placed,
        status="completed",
        on=DAY + dt.timedelta(days=30),
    )
    # then
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.position) == ("referred", None)
    assert (second.status, second.position) == ("waiting", 2)


def test_a_dropout_is_kept_in_the_history_with_its_reason(cast: Cast) -> None:
    # given
    measure = measure_in(cast)
    enrolment = enrol(cast, measure, followed(cast), start_now=True)
    client = sign_in(Client(), cast.guide)
    # when
    response = client.post(
        url("enrolment_status", cast, enrolment.public_id),
        {
            "status": "dropped_out",
            "changed_on": "2026-04-01",
            "reason_code": "health",
            "reason": "Innlagt",
        },
    )
    # then
    assert response.status_code == 302
    enrolment.refresh_from_db()
    history = list(enrolment.history.values_list("status", "reason_code", "reason"))
    assert history == [("active", "", ""), ("dropped_out", "health", "Innlagt")]
    assert enrolment.ended_on == dt.date(2026, 4, 1)
    assert flow_of(measure).counts == {"dropped_out": 1}


def test_a_dropout_without_a_reason_is_refused_and_nothing_changes(cast: Cast) -> None:
    # given
    enrolment = enrol(cast, measure_in(cast), followed(cast), start_now=True)
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.guide)
    # when
    response = client.post(
        url("enrolment_status", cast, enrolment.public_id),
        {"status": "dropped_out", "changed_on": "2026-04-01"},
    )
    # then
    assert response.status_code == 400
    assert "Say why the participant dropped out." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert enrolment.history.count() == 1


def test_bad_enrolment_input_is_refused_in_norwegian_and_nothing_is_saved(cast: Cast) -> None:
    # given
    measure = measure_in(cast)
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="nb"), cast.guide)
    # when
    response = client.post(
        url("enrol", cast, measure.pk), {"participant": "", "referred_on": "2030-02-30"}
    )
    # then
    assert response.status_code == 400
    assert "Feltet er påkrevet." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_the_same_person_cannot_be_enrolled_twice_at_once(cast: Cast) -> None:
    # given
    measure = measure_in(cast)
    nora = followed(cast)
    enrol(cast, measure, nora)
    # when / then
    with pytest.raises(EnrolmentError):
        enrol(cast, measure, nora)
    assert Enrolment.objects.count() == 1


def test_a_guide_can_enrol_only_people_they_follow(cast: Cast) -> None:
    # given
    measure = measure_in(cast)
    stranger = followed(cast)
    stranger.guides.clear()
    stranger.subprojects.clear()
    client = sign_in(Client(), cast.guide)
    # when
    response = client.post(
        url("enrol", cast, measure.pk),
        {"participant": stranger.pk, "referral_source": "nav", "referred_on": "2026-03-02"},
    )
    # then
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_the_coordinator_sees_the_measure_flow(cast: Cast) -> None:
    # given
    measure = measure_in(cast, capacity=1)
    enrol(cast, measure, followed(cast), start_now=True)
    enrol(cast, measure, followed(cast))
    client = sign_in(Client(), cast.coordinator)
    # when
    response = client.get(url("measure", cast, measure.pk))
    # then
    html = response.content.decode()
    assert 'id="flow-active">1<' in html
    assert 'id="flow-waiting">1<' in html


def test_the_people_in_a_measure_are_listed_through_a_logged_reveal_not_by_opening_it(
    cast: Cast,
) -> None:
    # given
    measure = measure_in(cast)
    nora = followed(cast)
    enrol(cast, measure, nora, start_now=True)
    client = sign_in(Client(), cast.coordinator)
    address = url("measure", cast, measure.pk)
    # when
    opened = client.get(address).content.decode()
    logged_on_opening = AuditEntry.objects.filter(detail__read="enrolments").exists()
    revealed = client.post(address, {"reveal": "people"}).content.decode()
    # then
    assert nora.pseudonym not in opened and not logged_on_opening
    assert nora.pseudonym in revealed
    read = AuditEntry.objects.get(action="view", detail__read="enrolments")
    assert (read.actor, read.detail["count"]) == (cast.coordinator, 1)


def test_reopening_an_old_enrolment_beside_a_newer_one_is_refused_and_nothing_changes(
    cast: Cast,
) -> None:
    # given: Nora completed the measure and was enrolled again
    measure = measure_in(cast)
    nora = followed(cast)
    old = enrol(cast, measure, nora, start_now=True)
    change_enrolment_status(
        actor=Actor.of_user(cast.guide), enrolment=old, status="completed", on=DAY
    )
    enrol(cast, measure, nora, start_now=True)
    client = sign_in(Client(), cast.guide)
    client.cookies["django_language"] = "en"
    # when
    response = client.post(
        url("enrolment_status", cast, old.public_id),
        {"status": "active", "changed_on": "2026-04-01"},
    )
    # then
    assert response.status_code == 400
    assert "has a newer enrolment in this measure" in response.content.decode()
    old.refresh_from_db()
    assert old.status == EnrolmentStatus.COMPLETED


def dropped_out_with_a_comment(cast: Cast, measure: Measure) -> Enrolment:
    enrolment = enrol(cast, measure, followed(cast), start_now=True)
    return change_enrolment_status(
        actor=Actor.of_user(cast.guide),
        enrolment=enrolment,
        status="dropped_out",
        on=DAY,
        reason_code="health",
        reason="Innlagt på sykehus",
    )


def test_the_comment_on_a_dropout_is_for_those_who_may_read_notes_and_its_read_is_logged(
    cast: Cast,
) -> None:
    # given
    measure = measure_in(cast)
    enrolment = dropped_out_with_a_comment(cast, measure)
    address = url("enrolment", cast, enrolment.public_id)
    guide = sign_in(Client(), cast.guide)
    # when
    opened = guide.get(address).content.decode()
    logged_on_opening = AuditEntry.objects.filter(detail__what="note").exists()
    as_guide = guide.post(address, {"reveal": "comments"}).content.decode()
    # then
    assert "Innlagt på sykehus" not in opened and not logged_on_opening
    assert "Innlagt på sykehus" in as_guide
    assert AuditEntry.objects.filter(
        actor=cast.guide, detail__what="note", detail__comments=1
    ).exists()


def test_another_guide_of_the_measure_sees_the_dropout_reason_but_not_the_comment(
    cast: Cast,
) -> None:
    # given: a second guide of the subproject, who neither follows Nora nor guides her place
    colleague = UserFactory(email="kollega@example.test")
    MembershipFactory(
        user=colleague, programme=cast.programme, role=Role.GUIDE, subproject=cast.subproject
    )
    enrolment = dropped_out_with_a_comment(cast, measure_in(cast))
    client = sign_in(Client(), colleague)
    client.cookies["django_language"] = "en"
    # when
    page = client.post(url("enrolment", cast, enrolment.public_id), {"reveal": "comments"})
    # then
    assert page.status_code == 200
    assert "Innlagt på sykehus" not in page.content.decode()
    assert not AuditEntry.objects.filter(actor=colleague, detail__what="note").exists()


def test_a_status_change_dated_before_the_referral_is_refused_and_nothing_changes(
    cast: Cast,
) -> None:
    # given
    enrolment = enrol(cast, measure_in(cast), followed(cast))
    # when
    with translation.override("en"), pytest.raises(EnrolmentError) as refused:
        change_enrolment_status(
            actor=Actor.of_user(cast.guide),
            enrolment=enrolment,
            status="active",
            on=DAY - dt.timedelta(days=1),
        )
    # then
    assert str(refused.value) == "The date is before the referral on 03/02/2026."
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.history.count()) == ("referred", 1)


@pytest.mark.parametrize(
    ("start_now", "wanted"), [(False, "completed"), (True, "referred"), (True, "active")]
)
def test_an_impossible_status_change_is_refused_with_a_clear_error(
    cast: Cast, start_now: bool, wanted: str
) -> None:
    # given
    enrolment = enrol(cast, measure_in(cast), followed(cast), start_now=start_now)
    before = enrolment.status
    # when
    with translation.override("en"), pytest.raises(EnrolmentError, match="cannot become"):
        change_enrolment_status(
            actor=Actor.of_user(cast.guide), enrolment=enrolment, status=wanted, on=DAY
        )
    # then
    enrolment.refresh_from_db()
    assert enrolment.status == before


def test_the_status_form_shows_why_a_change_is_refused(cast: Cast) -> None:
    # given
    enrolment = enrol(cast, measure_in(cast), followed(cast))
    client = sign_in(Client(), cast.guide)
    client.cookies["django_language"] = "en"
    # when
    response = client.post(
        url("enrolment_status", cast, enrolment.public_id),
        {"status": "completed", "changed_on": "2026-04-01"},
    )
    # then
    assert response.status_code == 400
    assert "An enrolment that is “referred” cannot become “completed”." in response.content.decode()
