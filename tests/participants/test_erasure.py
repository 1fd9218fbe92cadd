"""A participant asks for erasure; a coordinator or programme leader confirms or refuses it."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from samvirke.accounts.models import Membership, User
from samvirke.activities.models import RegistrationStatus
from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.mapping.models import Education, Mapping, MappingItem, WorkExperience
from samvirke.participants.data_rights import erase_participant, request_erasure
from samvirke.participants.models import (
    Consent,
    ErasureRequest,
    ErasureStatus,
    Participant,
    ParticipantIdentity,
)
from tests.conftest import Cast, sign_in
from tests.participants.people import FREE_TEXT, IDENTIFYING, Described, described_participant

pytestmark = pytest.mark.django_db


def in_english(client: Client) -> Client:
    """These tests read the English text of the pages."""
    client.cookies["django_language"] = "en"
    return client


def asked(cast: Cast, *, research: bool = True) -> tuple[Described, ErasureRequest]:
    person = described_participant(cast, research=research)
    erasure = request_erasure(actor=Actor.of_user(cast.participant), participant=person.participant)
    return person, erasure


def erased(cast: Cast, *, research: bool = True) -> Described:
    person, erasure = asked(cast, research=research)
    erase_participant(actor=Actor.of_user(cast.coordinator), erasure=erasure)
    return person


def participant_client(cast: Cast) -> Client:
    return in_english(sign_in(Client(), cast.participant, second_factor=False))


def text_columns_containing(values: list[str]) -> list[str]:
    """Every text column of every table except the append-only audit trail, searched."""
    found: list[str] = []
    for model in apps.get_models():
        if model._meta.label_lower == "audit.auditentry":
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            for value in values:
                lookup = {f"{field.name}__icontains": value}
                if model._default_manager.filter(**lookup).exists():
                    found.append(f"{model._meta.label}.{field.name}: {value}")
    return found


# --- Asking -----------------------------------------------------------------------------------


def test_the_participants_page_explains_erasure_before_they_ask(cast: Cast) -> None:
    # given
    described_participant(cast, research=False)
    client = participant_client(cast)
    # when
    page = client.get(reverse("participants:my_erasure", args=[cast.programme.slug]))
    # then
    text = page.content.decode()
    assert "national identity number are deleted" in text
    assert "Your mapping answers are deleted completely" in text
    assert "log of who has looked at" in text


def test_a_participant_asks_for_erasure_and_the_request_is_stored_and_audited(
    cast: Cast,
) -> None:
    # given
    person = described_participant(cast)
    client = participant_client(cast)
    # when
    response = client.post(
        reverse("participants:my_erasure", args=[cast.programme.slug]), {"understood": "on"}
    )
    # then
    assert response.status_code == 302
    erasure = ErasureRequest.objects.get(participant=person.participant)
    assert erasure.status == ErasureStatus.REQUESTED
    assert erasure.requested_by == cast.participant
    assert AuditEntry.objects.filter(detail__erasure=str(erasure.public_id)).exists()


def test_asking_without_ticking_that_they_understand_stores_nothing(cast: Cast) -> None:
    # given
    described_participant(cast)
    # when
    response = participant_client(cast).post(
        reverse("participants:my_erasure", args=[cast.programme.slug]), {}
    )
    # then
    assert response.status_code == 400
    assert not ErasureRequest.objects.exists()


def test_asking_twice_keeps_one_waiting_request(cast: Cast) -> None:
    # given
    asked(cast)
    # when
    participant_client(cast).post(
        reverse("participants:my_erasure", args=[cast.programme.slug]), {"understood": "on"}
    )
    # then
    assert ErasureRequest.objects.count() == 1


def test_the_participants_page_says_the_request_is_waiting(cast: Cast) -> None:
    # given
    asked(cast)
    # when
    page = participant_client(cast).get(reverse("participants:me", args=[cast.programme.slug]))
    # then
    assert "A coordinator will handle it" in page.content.decode()


# --- The queue --------------------------------------------------------------------------------


def test_the_register_links_managers_to_the_waiting_requests(cast: Cast) -> None:
    # given
    asked(cast)
    # when
    page = in_english(sign_in(Client(), cast.leader)).get(
        reverse("participants:list", args=[cast.programme.slug])
    )
    # then
    assert reverse("participants:erasure_requests", args=[cast.programme.slug]) in (
        page.content.decode()
    )


def test_the_register_does_not_link_guides_to_the_requests(cast: Cast) -> None:
    # given
    asked(cast)
    # when
    page = in_english(sign_in(Client(), cast.guide)).get(
        reverse("participants:list", args=[cast.programme.slug])
    )
    # then
    assert "erasure-requests" not in page.content.decode()


def test_a_coordinator_sees_the_waiting_request_and_what_erasure_will_keep(cast: Cast) -> None:
    # given
    person, _erasure = asked(cast, research=True)
    # when
    page = in_english(sign_in(Client(), cast.coordinator)).get(
        reverse("participants:erasure_requests", args=[cast.programme.slug])
    )
    # then
    text = page.content.decode()
    assert person.participant.pseudonym in text
    assert "coded mapping data will be kept" in text


@pytest.mark.parametrize("role", ["contact", "guide", "researcher", "user_rep", "participant"])
def test_only_managers_may_open_the_queue(cast: Cast, role: str) -> None:
    # given
    asked(cast)
    client = in_english(sign_in(Client(), cast.user(role), second_factor=role != "participant"))
    # when
    response = client.get(reverse("participants:erasure_requests", args=[cast.programme.slug]))
    # then
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["contact", "guide", "researcher", "participant"])
def test_only_managers_may_confirm_an_erasure(cast: Cast, role: str) -> None:
    # given
    person, _erasure = asked(cast)
    client = in_english(sign_in(Client(), cast.user(role), second_factor=role != "participant"))
    # when
    response = client.post(
        reverse(
            "participants:erasure_confirm",
            args=[cast.programme.slug, person.participant.public_id],
        )
    )
    # then
    assert response.status_code == 403
    assert ParticipantIdentity.objects.filter(participant=person.participant).exists()


# --- Deciding ---------------------------------------------------------------------------------


def test_a_programme_leader_confirms_and_the_request_is_marked_erased(cast: Cast) -> None:
    # given
    person, erasure = asked(cast)
    client = in_english(sign_in(Client(), cast.leader))
    # when
    response = client.post(
        reverse(
            "participants:erasure_confirm",
            args=[cast.programme.slug, person.participant.public_id],
        )
    )
    # then
    assert response.status_code == 302
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.CONFIRMED
    assert erasure.decided_by == cast.leader
    assert erasure.research_data_kept is True


def test_a_coordinator_refuses_with_a_reason_the_participant_can_read(cast: Cast) -> None:
    # given
    person, erasure = asked(cast)
    url = reverse(
        "participants:erasure_refuse", args=[cast.programme.slug, person.participant.public_id]
    )
    # when
    in_english(sign_in(Client(), cast.coordinator)).post(
        url, {f"refuse-{erasure.pk}-reason": "Regnskapsloven krever fem år."}
    )
    # then
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.REFUSED
    assert ParticipantIdentity.objects.filter(participant=person.participant).exists()
    page = participant_client(cast).get(reverse("participants:me", args=[cast.programme.slug]))
    assert "Regnskapsloven krever fem år." in page.content.decode()


def test_refusing_without_a_reason_is_refused(cast: Cast) -> None:
    # given
    person, erasure = asked(cast)
    url = reverse(
        "participants:erasure_refuse", args=[cast.programme.slug, person.participant.public_id]
    )
    # when
    response = in_english(sign_in(Client(), cast.coordinator)).post(url, {})
    # then
    assert response.status_code == 400
    erasure.refresh_from_db()
    assert erasure.is_open


# --- What erasure leaves ----------------------------------------------------------------------


def test_after_erasure_nothing_identifying_or_written_freely_remains(cast: Cast) -> None:
    # given
    person = described_participant(cast)
    secrets = [*IDENTIFYING, *FREE_TEXT, person.account_email, person.account_name]
    assert text_columns_containing(secrets)  # the search does find them before
    erasure = request_erasure(actor=Actor.of_user(cast.participant), participant=person.participant)
    # when
    erase_participant(actor=Actor.of_user(cast.coordinator), erasure=erasure)
    # then
    assert text_columns_containing(secrets) == []


def test_the_identity_is_deleted(cast: Cast) -> None:
    person = erased(cast)
    assert not ParticipantIdentity.objects.filter(participant=person.participant).exists()


def test_with_research_consent_coded_mapping_data_is_kept_without_free_text(cast: Cast) -> None:
    # given
    person = erased(cast, research=True)
    # when
    mapping = Mapping.objects.get(participant=person.participant)
    # then
    assert list(mapping.skills.values_list("code", flat=True)) == ["cooking"]
    assert MappingItem.objects.filter(mapping=mapping).count() == 2
    assert mapping.life_situation.count() == 2
    work = WorkExperience.objects.get(mapping=mapping)
    assert (work.title, work.occupation.code if work.occupation else "") == ("", "7512")
    education = Education.objects.get(mapping=mapping)
    assert (education.level.code, education.field, education.courses) == ("3", "", "")
    assert (mapping.goals_in_own_words, mapping.other_skills) == ("", "")


def test_without_research_consent_every_mapping_version_is_deleted(cast: Cast) -> None:
    # given
    person = erased(cast, research=False)
    # then
    assert not Mapping.objects.filter(participant=person.participant).exists()
    assert not WorkExperience.objects.exists()
    assert not Education.objects.exists()


def test_without_research_consent_the_record_keeps_only_its_pseudonym(cast: Cast) -> None:
    # given
    person = erased(cast, research=False)
    # when
    record = Participant.objects.get(pk=person.participant.pk)
    # then
    assert (record.birth_year, record.gender, record.municipality) == (None, "", None)
    assert not record.subprojects.exists()
    assert not record.guides.exists()


def test_every_consent_is_withdrawn_and_kept(cast: Cast) -> None:
    person = erased(cast)
    consents = Consent.objects.filter(participant=person.participant)
    assert consents.count() == 2
    assert not consents.filter(withdrawn_at__isnull=True).exists()


def test_the_sign_in_account_is_unlinked_deactivated_and_anonymised(cast: Cast) -> None:
    # given
    person = erased(cast)
    # when
    account = User.objects.get(pk=cast.participant.pk)
    # then
    assert Participant.objects.get(pk=person.participant.pk).account is None
    assert not account.is_active
    assert not account.has_usable_password()
    assert account.email.endswith("@erased.invalid")
    assert (account.full_name, account.phone) == ("", "")
    assert not Membership.objects.filter(user=account).exists()


def test_the_person_can_no_longer_reach_their_page(cast: Cast) -> None:
    # given
    client = participant_client(cast)
    erased(cast)
    # when
    response = client.get(reverse("participants:me", args=[cast.programme.slug]))
    # then
    assert response.status_code in (302, 404)


def test_registrations_stay_on_the_anonymised_account_and_upcoming_places_are_freed(
    cast: Cast,
) -> None:
    # given
    person = erased(cast)
    # when
    person.upcoming.refresh_from_db()
    person.past.refresh_from_db()
    # then
    assert person.upcoming.status == RegistrationStatus.CANCELLED
    assert person.past.attended is True
    assert person.past.user.email.endswith("@erased.invalid")


def test_staff_no_longer_find_the_erased_record(cast: Cast) -> None:
    # given
    person = erased(cast)
    # when
    response = in_english(sign_in(Client(), cast.guide)).get(
        reverse("participants:detail", args=[cast.programme.slug, person.participant.public_id])
    )
    # then
    assert response.status_code == 404


def test_the_erasure_is_written_to_the_audit_trail_which_stays(cast: Cast) -> None:
    # given
    person = erased(cast)
    # when
    entry = AuditEntry.objects.get(action="delete", object_id=str(person.participant.public_id))
    # then
    assert entry.actor == cast.coordinator
    assert entry.detail["research_data_kept"] is True
    assert AuditEntry.objects.filter(object_id=str(person.participant.public_id)).count() > 1
