"""A guide refers their participant to a measure of another subproject; its staff answer.

Subproject A (the cast's) follows Nora; the measure belongs to subproject B, whose contact
person and guide answer. Until they accept they know Nora by pseudonym only, and accepting does
not open her record or A's notes to them; the referring guide sees the answer and nothing more
of B's measure than Nora's enrolment.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samvirke.accounts.models import Role, User
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.measures.models import Enrolment, Measure, Referral, ReferralStatus
from samvirke.measures.services import (
    ReferralError,
    accept_referral,
    add_note,
    decline_referral,
    refer_participant,
    withdraw_referral,
)
from samvirke.participants.models import Participant
from samvirke.participants.services import (
    Identity,
    _store_identity,
    give_consent,
    withdraw_consent,
)
from tests.conftest import Cast, sign_in
from tests.factories import EnrolmentFactory, MembershipFactory, ReferralFactory, UserFactory
from tests.measures.people import enrol, followed, measure_in, url

pytestmark = pytest.mark.django_db

REASON = "Ønsker arbeidstrening med faste rammer."


@dataclass
class Setting:
    nora: Participant
    measure: Measure  # subproject B's
    b_contact: User
    b_guide: User


def member_of_b(cast: Cast, name: str, role: str) -> User:
    user: User = UserFactory(email=f"{name}@example.test", full_name=f"{name.title()} Example")
    MembershipFactory(
        user=user, programme=cast.programme, role=role, subproject=cast.other_subproject
    )
    return user


@pytest.fixture
def setting(cast: Cast) -> Setting:
    nora = followed(cast)
    _store_identity(nora, Identity(full_name="Nora Prøvesen"))
    return Setting(
        nora=nora,
        measure=measure_in(cast, subproject=cast.other_subproject, name_nb="Kafé Kirkens hus"),
        b_contact=member_of_b(cast, "bcontact", Role.CONTACT_PERSON),
        b_guide=member_of_b(cast, "bguide", Role.GUIDE),
    )


def refer(cast: Cast, setting: Setting) -> Referral:
    return refer_participant(
        actor=Actor.of_user(cast.guide),
        participant=setting.nora,
        measure=setting.measure,
        reason=REASON,
    )


def referral_entries(action: str) -> int:
    return AuditEntry.objects.filter(action=action, detail__what="referral").count()


# --- Referring ---------------------------------------------------------------------------------


def test_the_guide_refers_from_the_participants_page_and_the_referral_waits(
    cast: Cast, setting: Setting
) -> None:
    # given
    client = sign_in(Client(), cast.guide)
    address = url("referrals", cast, setting.nora.public_id)
    # when
    response = client.post(address, {"measure": setting.measure.pk, "reason": REASON})
    # then
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.status, referral.referred_by, referral.reason) == (
        "pending",
        cast.guide,
        REASON,
    )
    assert referral_entries("create") == 1
    assert REASON not in str(AuditEntry.objects.values_list("detail", flat=True))


def test_the_referral_form_offers_only_measures_of_other_subprojects(
    cast: Cast, setting: Setting
) -> None:
    # given
    own = measure_in(cast, name_nb="Eget tiltak i A")
    # when
    page = sign_in(Client(), cast.guide).get(url("referrals", cast, setting.nora.public_id))
    # then
    text = page.content.decode()
    assert "Kafé Kirkens hus" in text
    assert f'value="{own.pk}"' not in text


def test_a_measure_of_the_participants_own_subproject_is_refused(
    cast: Cast, setting: Setting
) -> None:
    # when / then
    with pytest.raises(ReferralError):
        refer_participant(
            actor=Actor.of_user(cast.guide),
            participant=setting.nora,
            measure=measure_in(cast),
            reason=REASON,
        )
    assert not Referral.objects.exists()


def test_a_second_referral_to_the_same_measure_is_refused_while_one_waits(
    cast: Cast, setting: Setting
) -> None:
    # given
    refer(cast, setting)
    # when / then
    with pytest.raises(ReferralError):
        refer(cast, setting)
    assert Referral.objects.count() == 1


def test_after_a_withdrawal_of_consent_nobody_is_referred(cast: Cast, setting: Setting) -> None:
    # given
    consent = give_consent(
        actor=Actor.of_user(cast.guide),
        participant=setting.nora,
        purpose="follow_up",
        method="paper",
    )
    withdraw_consent(actor=Actor.of_user(cast.guide), consent=consent)
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="nb"), cast.guide)
    # when
    response = client.post(
        url("referrals", cast, setting.nora.public_id),
        {"measure": setting.measure.pk, "reason": REASON},
    )
    # then
    assert response.status_code == 400
    assert "trukket tilbake samtykket til oppfølging" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_referral_without_a_reason_is_refused(cast: Cast, setting: Setting) -> None:
    # when
    response = sign_in(Client(), cast.guide).post(
        url("referrals", cast, setting.nora.public_id), {"measure": setting.measure.pk}
    )
    # then
    assert response.status_code == 400
    assert not Referral.objects.exists()


# --- The receiving staff -----------------------------------------------------------------------


def test_the_receiving_staff_see_the_referral_by_pseudonym_only(
    cast: Cast, setting: Setting
) -> None:
    # given
    refer(cast, setting)
    client = sign_in(Client(), setting.b_contact)
    # when
    page = client.get(url("measure_referrals", cast, setting.measure.pk)).content.decode()
    # then: the pseudonym, no name, no way to her record, and no reason read on a GET
    assert setting.nora.pseudonym in page
    assert "Nora Prøvesen" not in page and REASON not in page
    assert str(setting.nora.public_id) not in page
    assert referral_entries("view") == 0


def test_the_reasons_are_shown_by_an_explicit_reveal_that_is_logged(
    cast: Cast, setting: Setting
) -> None:
    # given
    refer(cast, setting)
    client = sign_in(Client(), setting.b_contact)
    # when
    response = client.post(
        url("measure_referrals", cast, setting.measure.pk), {"reveal": "reasons"}
    )
    # then
    assert response.status_code == 200
    assert REASON in response.content.decode()
    assert referral_entries("view") == 1


def test_the_incoming_list_takes_the_same_queries_for_two_and_twelve_referrals(
    cast: Cast, setting: Setting
) -> None:
    # given
    client = sign_in(Client(), setting.b_contact)
    small, large = (measure_in(cast, subproject=cast.other_subproject) for _ in range(2))
    for measure, size in ((small, 2), (large, 12)):
        for _ in range(size):
            ReferralFactory(measure=measure, participant=followed(cast))

    def queries(measure: Measure) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                url("measure_referrals", cast, measure.pk), {"reveal": "reasons"}
            )
        assert response.status_code == 200
        return len(captured)

    # when / then
    assert queries(large) == queries(small)


def test_the_measure_page_tells_its_staff_how_many_referrals_wait(
    cast: Cast, setting: Setting
) -> None:
    # given
    refer(cast, setting)
    # when
    page = sign_in(Client(), setting.b_guide).get(url("measure", cast, setting.measure.pk))
    # then
    assert url("measure_referrals", cast, setting.measure.pk) in page.content.decode()


def test_accepting_enrols_the_participant_through_the_normal_enrolment(
    cast: Cast, setting: Setting
) -> None:
    # given
    referral = refer(cast, setting)
    client = sign_in(Client(), setting.b_contact)
    # when
    response = client.post(
        url("referral_answer", cast, referral.public_id), {"decision": "accept", "start_now": "on"}
    )
    # then
    assert response.status_code == 302
    referral.refresh_from_db()
    enrolment = Enrolment.objects.get(measure=setting.measure)
    assert referral.status == ReferralStatus.ACCEPTED and referral.enrolment == enrolment
    assert (enrolment.participant, enrolment.status) == (setting.nora, "active")
    assert (enrolment.referral_source, enrolment.guide) == ("subproject", setting.b_contact)
    assert AuditEntry.objects.filter(detail__what="enrolment", action="create").count() == 1


def test_a_referral_is_not_accepted_after_the_participant_withdrew_follow_up(
    cast: Cast, setting: Setting
) -> None:
    # given
    referral = refer(cast, setting)
    consent = give_consent(
        actor=Actor.of_user(cast.guide),
        participant=setting.nora,
        purpose="follow_up",
        method="paper",
    )
    withdraw_consent(actor=Actor.of_user(cast.guide), consent=consent)
    # when / then: the enrolment's rule refuses, and the referral still waits
    with pytest.raises(ReferralError, match="oppfølging"):
        accept_referral(actor=Actor.of_user(setting.b_contact), referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING
    assert not Enrolment.objects.exists()


def test_declining_says_why_and_the_referring_guide_reads_it(cast: Cast, setting: Setting) -> None:
    # given
    referral = refer(cast, setting)
    b = sign_in(Client(), setting.b_guide)
    # when
    response = b.post(
        url("referral_answer", cast, referral.public_id),
        {"decision": "decline", "reason": "Ingen ledige plasser før høsten."},
    )
    # then
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED and referral.decided_by == setting.b_guide
    page = sign_in(Client(), cast.guide).post(
        url("referrals", cast, setting.nora.public_id), {"reveal": "reasons"}
    )
    assert "Ingen ledige plasser før høsten." in page.content.decode()
    assert not Enrolment.objects.exists()


def test_declining_without_a_reason_is_refused_and_the_referral_waits(
    cast: Cast, setting: Setting
) -> None:
    # given
    referral = refer(cast, setting)
    # when
    response = sign_in(Client(), setting.b_contact).post(
        url("referral_answer", cast, referral.public_id), {"decision": "decline"}
    )
    # then
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING


def test_the_referring_guide_withdraws_a_waiting_referral(cast: Cast, setting: Setting) -> None:
    # given
    referral = refer(cast, setting)
    # when
    response = sign_in(Client(), cast.guide).post(
        url("referral_withdraw", cast, referral.public_id)
    )
    # then
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    assert referral_entries("update") == 1


def test_a_withdrawn_referral_cannot_be_accepted(cast: Cast, setting: Setting) -> None:
    # given
    referral = withdraw_referral(actor=Actor.of_user(cast.guide), referral=refer(cast, setting))
    # when / then
    with pytest.raises(ReferralError):
        accept_referral(actor=Actor.of_user(setting.b_contact), referral=referral)
    assert not Enrolment.objects.exists()


def test_an_answered_referral_cannot_be_answered_again_or_withdrawn(
    cast: Cast, setting: Setting
) -> None:
    # given
    referral = decline_referral(
        actor=Actor.of_user(setting.b_contact), referral=refer(cast, setting), reason="Full."
    )
    # when / then
    with pytest.raises(ReferralError):
        accept_referral(actor=Actor.of_user(setting.b_contact), referral=referral)
    with pytest.raises(ReferralError):
        withdraw_referral(actor=Actor.of_user(cast.guide), referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED


# --- Boundaries ----------------------------------------------------------------------------------


def test_the_referring_guide_cannot_answer_their_own_referral(cast: Cast, setting: Setting) -> None:
    # given
    referral = refer(cast, setting)
    client = sign_in(Client(), cast.guide)
    # when
    answer = client.post(url("referral_answer", cast, referral.public_id), {"decision": "accept"})
    incoming = client.get(url("measure_referrals", cast, setting.measure.pk))
    # then
    assert answer.status_code == 404
    assert incoming.status_code == 403
    assert not Enrolment.objects.exists()


def test_the_receiving_staff_cannot_withdraw_a_referral(cast: Cast, setting: Setting) -> None:
    # given
    referral = refer(cast, setting)
    # when
    response = sign_in(Client(), setting.b_contact).post(
        url("referral_withdraw", cast, referral.public_id)
    )
    # then
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.is_pending


def test_after_acceptance_the_guide_sees_their_participants_enrolment_and_no_other(
    cast: Cast, setting: Setting
) -> None:
    # given: someone of B's own in the measure, and Nora accepted into it
    other = EnrolmentFactory(measure=setting.measure)
    enrolment = accept_referral(
        actor=Actor.of_user(setting.b_contact), referral=refer(cast, setting)
    )
    client = sign_in(Client(), cast.guide)
    # when
    own = client.get(enrolment.get_absolute_url())
    foreign = client.get(other.get_absolute_url())
    measure_page = client.post(
        url("measure", cast, setting.measure.pk), {"reveal": "people"}
    ).content.decode()
    referrals_page = client.get(url("referrals", cast, setting.nora.public_id)).content.decode()
    # then
    assert own.status_code == 200
    assert foreign.status_code == 404
    assert other.participant.pseudonym not in measure_page
    assert enrolment.get_absolute_url() in referrals_page


def test_after_acceptance_the_receiving_staff_cannot_read_the_other_subprojects_notes(
    cast: Cast, setting: Setting
) -> None:
    # given: Nora's enrolment in A's own measure has a note; B accepts her referral
    at_home = enrol(cast, measure_in(cast), setting.nora)
    add_note(actor=Actor.of_user(cast.guide), enrolment=at_home, text="Sover dårlig.")
    accept_referral(actor=Actor.of_user(setting.b_contact), referral=refer(cast, setting))
    client = sign_in(Client(), setting.b_contact)
    # when
    notes = client.get(url("notes", cast, at_home.public_id))
    record = client.get(setting.nora.get_absolute_url())
    journey = client.get(url("journey", cast, setting.nora.public_id))
    # then
    assert notes.status_code == 404
    assert record.status_code == 404
    assert journey.status_code == 404


def test_the_participant_reads_in_their_access_log_that_they_were_referred(
    cast: Cast, setting: Setting
) -> None:
    # given
    setting.nora.account = cast.participant
    setting.nora.save(update_fields=["account"])
    refer(cast, setting)
    me = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.participant, second_factor=False)
    me.cookies["django_language"] = "en"
    # when
    log = me.get(reverse("participants:my_access_log", args=[cast.programme.slug]))
    # then
    assert "referred you to a measure in another subproject" in log.content.decode()
