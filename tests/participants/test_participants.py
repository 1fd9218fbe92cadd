from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.lib.identitycrypto import new_key
from samvirke.participants import services
from samvirke.participants.models import (
    Participant,
    ParticipantIdentity,
    new_pseudonym,
    valid_pseudonym,
)
from samvirke.participants.selectors import participants_visible_to
from tests.conftest import Cast, sign_in
from tests.factories import ParticipantFactory

# A synthetic Norwegian test number (Tenor, month + 80), never a real person.
TEST_FNR = "15838540063"


def participant_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "full_name": "Kari Testperson",
        "email": "kari@example.test",
        "phone": "+47 900 00 000",
        "national_id": "",
        "country": "NO",
        "birth_year": 1990,
        "gender": "not_said",
        "languages": "norsk",
    }
    data.update(overrides)
    return data


@given(st.sampled_from(["NO", "SE"]))
def test_pseudonyms_are_short_unambiguous_and_carry_a_check_character(country: str) -> None:
    pseudonym = new_pseudonym(country)
    assert valid_pseudonym(pseudonym)
    assert len(pseudonym) == 9
    assert not set(pseudonym[3:]) & set("01ILO")


def test_a_mistyped_pseudonym_is_recognised() -> None:
    pseudonym = new_pseudonym("NO")
    body = pseudonym[3:7]
    swapped = body[1] + body[0] + body[2:]
    assert body == swapped or not valid_pseudonym(f"NO-{swapped}-{pseudonym[-1]}")


@pytest.mark.django_db
def test_a_guide_registers_a_participant_whose_name_is_stored_encrypted(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.guide)
    # when
    response = client.post(
        reverse("participants:new", args=[cast.programme.slug]),
        participant_form(guides=[cast.guide.pk]),
    )
    # then
    participant = Participant.objects.get()
    assert response.status_code == 302
    assert valid_pseudonym(participant.pseudonym)
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name, email FROM participants_participantidentity")
        stored = " ".join(cursor.fetchone())
    assert "Kari" not in stored
    assert "kari@example.test" not in stored


@pytest.mark.django_db
def test_an_invalid_national_number_is_refused_and_nothing_saved(cast: Cast) -> None:
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.coordinator)
    response = client.post(
        reverse("participants:new", args=[cast.programme.slug]),
        participant_form(national_id="15838540064"),
    )
    assert response.status_code == 400
    assert "not a valid Norwegian fødselsnummer" in response.content.decode()
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_the_same_national_number_cannot_be_registered_twice(cast: Cast) -> None:
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.coordinator)
    url = reverse("participants:new", args=[cast.programme.slug])
    client.post(url, participant_form(national_id=TEST_FNR))
    response = client.post(url, participant_form(national_id=TEST_FNR, full_name="Another"))
    assert response.status_code == 400
    assert Participant.objects.count() == 1
    assert ParticipantIdentity.objects.get().national_id_hash != ""


@pytest.mark.django_db
def test_another_programme_cannot_learn_that_a_number_is_registered_here(cast: Cast) -> None:
    # given
    ours = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.coordinator)
    ours.post(
        reverse("participants:new", args=[cast.programme.slug]),
        participant_form(national_id=TEST_FNR),
    )
    theirs = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.outsider)
    # when: their form is otherwise wrong, so that nothing would be saved either way
    response = theirs.post(
        reverse("participants:new", args=[cast.other_programme.slug]),
        participant_form(national_id=TEST_FNR, birth_year=1700),
    )
    # then
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "birth_year" in errors
    assert "national_id" not in errors


@pytest.mark.django_db
def test_showing_who_someone_is_is_logged_with_the_reason(cast: Cast) -> None:
    # given
    record = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
    client = sign_in(Client(), cast.contact)
    # when
    response = client.post(
        reverse("participants:identity", args=[cast.programme.slug, record.public_id]),
        {"purpose": "Ringe om neste møte"},
    )
    # then
    assert "Testa Testesen" in response.content.decode()
    entry = AuditEntry.objects.get(action="view", object_id=str(record.public_id))
    assert (entry.actor, entry.detail["purpose"]) == (cast.contact, "Ringe om neste møte")


@pytest.mark.django_db
def test_identity_is_not_shown_without_a_reason(cast: Cast) -> None:
    record = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
    client = sign_in(Client(), cast.coordinator)
    response = client.post(
        reverse("participants:identity", args=[cast.programme.slug, record.public_id]),
        {"purpose": ""},
    )
    assert response.status_code == 400
    assert "Testa Testesen" not in response.content.decode()
    assert not AuditEntry.objects.filter(action="view").exists()


@pytest.mark.django_db
def test_the_participant_sees_in_plain_language_who_looked_at_them(cast: Cast) -> None:
    # given
    record = ParticipantFactory(programme=cast.programme, account=cast.participant)
    services.reveal_identity(
        actor=Actor.of_user(cast.coordinator), participant=record, purpose="Sende innkalling"
    )
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.participant, second_factor=False)
    # when
    response = client.get(reverse("participants:my_access_log", args=[cast.programme.slug]))
    # then
    body = response.content.decode()
    assert cast.coordinator.full_name in body
    assert "Sende innkalling" in body


@pytest.mark.django_db
def test_a_guide_sees_only_the_participants_they_guide(cast: Cast) -> None:
    # given
    mine = ParticipantFactory(programme=cast.programme)
    mine.guides.set([cast.guide])
    ParticipantFactory(programme=cast.programme)
    client = sign_in(Client(), cast.guide)
    # when
    response = client.get(reverse("participants:list", args=[cast.programme.slug]))
    # then
    assert [p.pseudonym for p in response.context["page"].object_list] == [mine.pseudonym]


@pytest.mark.django_db
def test_a_contact_person_sees_their_subprojects_participants(cast: Cast) -> None:
    from samvirke.accounts.permissions import access_for

    theirs = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
    ParticipantFactory(programme=cast.programme, subprojects=[cast.other_subproject])
    visible = participants_visible_to(access_for(cast.contact, cast.programme))
    assert list(visible) == [theirs]


@pytest.mark.django_db
def test_a_researcher_cannot_open_a_participant_record(cast: Cast) -> None:
    record = ParticipantFactory(programme=cast.programme)
    client = sign_in(Client(), cast.researcher)
    response = client.get(
        reverse("participants:detail", args=[cast.programme.slug, record.public_id])
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_participant_gives_and_withdraws_research_consent(cast: Cast) -> None:
    # given
    record = ParticipantFactory(programme=cast.programme, account=cast.participant)
    client = sign_in(Client(), cast.participant, second_factor=False)
    # when
    client.post(
        reverse("participants:my_consent_give", args=[cast.programme.slug]),
        {"purpose": "research"},
    )
    consent = record.consents.get()
    client.post(reverse("participants:my_consent_withdraw", args=[cast.programme.slug, consent.pk]))
    # then
    consent.refresh_from_db()
    assert consent.method == "self"
    assert consent.withdrawn_at is not None
    assert not Participant.objects.filter(
        consents__purpose="research", consents__withdrawn_at__isnull=True
    ).exists()


@pytest.mark.django_db
def test_a_consent_cannot_be_given_twice(cast: Cast) -> None:
    record = ParticipantFactory(programme=cast.programme)
    services.give_consent(
        actor=Actor.of_user(cast.coordinator),
        participant=record,
        purpose="research",
        method="paper",
    )
    with pytest.raises(services.ConsentError):
        services.give_consent(
            actor=Actor.of_user(cast.coordinator),
            participant=record,
            purpose="research",
            method="paper",
        )


@pytest.mark.django_db
def test_a_16_year_old_consents_to_the_text_written_for_their_age(cast: Cast) -> None:
    record = ParticipantFactory(
        programme=cast.programme,
        birth_year=dt.date.today().year - 16,  # noqa: DTZ011
        account=cast.participant,
    )
    consent = services.give_consent(
        actor=Actor.of_user(cast.participant),
        participant=record,
        purpose="research",
        method="self",
    )
    assert consent.text.for_youth
    assert record.is_youth


@pytest.mark.django_db
def test_under_16_consent_is_recorded_on_paper_only(cast: Cast) -> None:
    record = ParticipantFactory(
        programme=cast.programme,
        birth_year=dt.date.today().year - 14,  # noqa: DTZ011
    )
    with pytest.raises(services.ConsentError):
        services.give_consent(
            actor=Actor.of_user(cast.coordinator),
            participant=record,
            purpose="research",
            method="self",
        )


@pytest.mark.django_db
def test_under_16_consent_on_paper_is_recorded(cast: Cast) -> None:
    # given
    record = ParticipantFactory(
        programme=cast.programme,
        birth_year=dt.date.today().year - 14,  # noqa: DTZ011
    )
    # when
    consent = services.give_consent(
        actor=Actor.of_user(cast.coordinator),
        participant=record,
        purpose="research",
        method="paper",
    )
    # then
    assert consent.method == "paper"
    assert record.consents.filter(purpose="research").count() == 1


@pytest.mark.django_db
def test_sharing_with_a_partner_needs_the_partner_named(cast: Cast) -> None:
    record = ParticipantFactory(programme=cast.programme)
    with pytest.raises(services.ConsentError):
        services.give_consent(
            actor=Actor.of_user(cast.coordinator),
            participant=record,
            purpose="share_partner",
            method="paper",
        )


@pytest.mark.django_db
def test_rotating_the_identity_key_keeps_every_identity_readable(cast: Cast) -> None:
    # given
    from django.conf import settings

    record = ParticipantFactory(programme=cast.programme)
    old_keys = list(settings.IDENTITY_KEYS)
    fresh = new_key()
    # when
    with override_settings(IDENTITY_KEYS=[fresh, *old_keys]):
        services.cipher.cache_clear()
        rewritten = services.rotate_identity_keys()
    # then: only the new key is needed now
    with override_settings(IDENTITY_KEYS=[fresh]):
        services.cipher.cache_clear()
        identity = services.reveal_identity(
            actor=Actor.of_user(cast.coordinator), participant=record, purpose="test"
        )
    services.cipher.cache_clear()
    assert rewritten == 1
    assert identity.full_name == "Testa Testesen"


def reveal_for_questionnaire(cast: Cast, record: Participant) -> Any:
    client = sign_in(Client(), cast.guide)
    return client.post(
        reverse("participants:identity", args=[cast.programme.slug, record.public_id]),
        {"reason": "questionnaire", "purpose": "Spørreskjema etter seks måneder"},
    )


@pytest.mark.django_db
def test_contact_details_are_not_opened_for_a_questionnaire_without_consent(cast: Cast) -> None:
    # given
    record = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
    record.guides.set([cast.guide])
    # when
    response = reveal_for_questionnaire(cast, record)
    # then
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action="view", object_id=str(record.public_id)).exists()


@pytest.mark.django_db
def test_contact_details_are_opened_for_a_questionnaire_with_consent(cast: Cast) -> None:
    # given
    record = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
    record.guides.set([cast.guide])
    services.give_consent(
        actor=Actor.of_user(cast.guide),
        participant=record,
        purpose="questionnaire_contact",
        method="paper",
    )
    # when
    response = reveal_for_questionnaire(cast, record)
    # then
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="view", object_id=str(record.public_id))
    assert entry.detail["reason"] == "questionnaire"


@pytest.mark.django_db
def test_a_withdrawn_questionnaire_consent_closes_the_contact_details_again(cast: Cast) -> None:
    # given
    record = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
    record.guides.set([cast.guide])
    consent = services.give_consent(
        actor=Actor.of_user(cast.guide),
        participant=record,
        purpose="questionnaire_contact",
        method="paper",
    )
    # when
    services.withdraw_consent(actor=Actor.of_user(cast.guide), consent=consent)
    # then
    assert reveal_for_questionnaire(cast, record).status_code == 400


@pytest.mark.django_db
def test_the_participant_list_needs_the_same_number_of_queries_for_more_people(
    cast: Cast,
) -> None:
    def queries() -> int:
        client = sign_in(Client(), cast.coordinator)
        url = reverse("participants:list", args=[cast.programme.slug])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"subproject": cast.subproject.pk})
        assert response.status_code == 200
        return len(captured)

    def add(count: int) -> None:
        for _ in range(count):
            record = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
            record.guides.set([cast.guide])
            services.give_consent(
                actor=Actor.of_user(cast.guide),
                participant=record,
                purpose="follow_up",
                method="paper",
            )

    add(2)
    few = queries()
    add(20)
    assert queries() == few


@pytest.mark.django_db
def test_an_email_address_longer_than_an_account_can_hold_is_refused(cast: Cast) -> None:
    # given: 258 characters, which Django's e-mail check alone would let through
    address = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".example.no"
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.coordinator)
    # when
    response = client.post(
        reverse("participants:new", args=[cast.programme.slug]), participant_form(email=address)
    )
    # then
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_the_identity_hash_key_can_be_rotated_without_losing_duplicates(cast: Cast) -> None:
    # given: a participant hashed with the old key
    from django.conf import settings

    from samvirke.participants.services import Identity

    ParticipantFactory(
        programme=cast.programme,
        country="NO",
        identity=Identity(full_name="Testa Testesen", national_id=TEST_FNR),
    )
    old = list(settings.IDENTITY_HASH_KEYS)
    fresh = "a-new-hash-key-for-this-test-only-0123456789"

    def duplicate() -> bool:
        services.cipher.cache_clear()
        return services.find_duplicate(programme=cast.programme, national_id=TEST_FNR, country="NO")

    # when: the new key goes first, the old one stays until the rows are rehashed
    with override_settings(IDENTITY_HASH_KEYS=[fresh, *old]):
        found_meanwhile = duplicate()
        services.cipher.cache_clear()
        services.rotate_identity_keys()
    # then: only the new key is needed now
    with override_settings(IDENTITY_HASH_KEYS=[fresh]):
        found_after = duplicate()
    with override_settings(IDENTITY_HASH_KEYS=old):
        found_with_old_only = duplicate()
    services.cipher.cache_clear()
    assert (found_meanwhile, found_after, found_with_old_only) == (True, True, False)


def test_every_field_on_a_participants_page_has_an_id_of_its_own(cast: Cast) -> None:
    # given
    record = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
    client = sign_in(Client(), cast.contact)
    # when
    page = client.get(reverse("participants:detail", args=[cast.programme.slug, record.public_id]))
    # then
    ids = re.findall(r'\sid="([^"]+)"', page.content.decode())
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
