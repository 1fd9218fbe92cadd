"""A participant downloads everything Samvirke holds about them; managers can do it for them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samvirke.audit.models import AuditEntry
from tests.conftest import Cast, sign_in
from tests.participants.people import (
    EMAIL,
    FREE_TEXT,
    NAME,
    PHONE,
    TEST_FNR,
    WORK_TITLE,
    described_participant,
)

pytestmark = pytest.mark.django_db


def my_file(cast: Cast) -> dict[str, Any]:
    response = sign_in(Client(), cast.participant, second_factor=False).post(
        reverse("participants:my_data_file", args=[cast.programme.slug])
    )
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_participants_page_offers_their_data_as_a_page_and_as_a_file(cast: Cast) -> None:
    # given
    described_participant(cast)
    client = sign_in(Client(), cast.participant, second_factor=False)
    # when
    page = client.get(reverse("participants:me", args=[cast.programme.slug])).content.decode()
    # then
    assert reverse("participants:my_data", args=[cast.programme.slug]) in page
    assert reverse("participants:my_data_file", args=[cast.programme.slug]) in page


def test_the_file_is_a_json_download_named_by_pseudonym(cast: Cast) -> None:
    # given
    person = described_participant(cast)
    client = sign_in(Client(), cast.participant, second_factor=False)
    # when
    response = client.post(reverse("participants:my_data_file", args=[cast.programme.slug]))
    # then
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="samvirke-{person.participant.pseudonym}.json"'
    )


def test_the_file_holds_the_decrypted_identity_and_the_account(cast: Cast) -> None:
    # given
    described_participant(cast)
    # when
    data = my_file(cast)
    # then
    assert data["identity"] == {
        "full_name": NAME,
        "email": EMAIL,
        "phone": PHONE,
        "national_id": TEST_FNR,
        "sign_in_email": EMAIL,
        "sign_in_email_waiting_for_confirmation": "",
    }
    assert data["account"]["email"] == EMAIL


def test_the_file_holds_the_record_with_its_guides_and_subprojects(cast: Cast) -> None:
    # given
    person = described_participant(cast)
    # when
    record = my_file(cast)["participant"]
    # then
    assert record["pseudonym"] == person.participant.pseudonym
    assert record["guides"] == ["Guide Example"]
    assert record["subprojects"] == ["RSMH kartlegging"]
    assert record["organisations"] == ["RSMH Östersund"]
    assert record["birth_year"] == 1980


def test_the_file_holds_every_consent_with_its_text_and_version(cast: Cast) -> None:
    # given
    described_participant(cast)
    # when
    consents = my_file(cast)["consents"]
    # then
    assert [c["purpose"] for c in consents] == ["follow_up", "research"]
    assert all(c["text_version"] == 1 and c["texts"]["nb"] for c in consents)


def test_the_file_holds_every_part_of_the_mapping(cast: Cast) -> None:
    # given
    described_participant(cast)
    # when
    (mapping,) = my_file(cast)["mappings"]
    # then
    assert mapping["work"][0]["title"] == WORK_TITLE
    assert mapping["work"][0]["occupation_code"] == "7512"
    assert mapping["education"][0]["level_code"] == "3"
    assert [s["code"] for s in mapping["skills"]] == ["cooking"]
    assert {(i["kind"], i["code"]) for i in mapping["items"]} == {
        ("interest", "cooking"),
        ("goal", "enterprise"),
    }
    assert {r["domain"] for r in mapping["life_situation"]} == {"housing", "finances"}


def test_the_file_holds_everything_the_person_wrote_in_their_own_words(cast: Cast) -> None:
    # given
    described_participant(cast)
    # when
    text = json.dumps(my_file(cast), ensure_ascii=False)
    # then
    missing = [value for value in FREE_TEXT if value not in text]
    assert not missing


def test_the_file_holds_the_activities_the_person_signed_up_for(cast: Cast) -> None:
    # given
    described_participant(cast)
    # when
    registrations = my_file(cast)["registrations"]
    # then
    assert {(r["activity"], r["attended"]) for r in registrations} == {
        ("Bakekurs i Bergen", None),
        ("Nettverkssamling i fjor", True),
    }


def test_the_file_holds_the_access_log_including_this_export(cast: Cast) -> None:
    # given
    described_participant(cast)
    my_file(cast)
    # when
    log = my_file(cast)["access_log"]
    # then
    assert "export" in {entry["action"] for entry in log}


def test_every_download_is_written_to_the_audit_log(cast: Cast) -> None:
    # given
    person = described_participant(cast)
    client = sign_in(Client(), cast.participant, second_factor=False)
    # when
    client.post(reverse("participants:my_data", args=[cast.programme.slug]), {"reveal": "data"})
    client.post(reverse("participants:my_data_file", args=[cast.programme.slug]))
    # then
    exports = AuditEntry.objects.filter(
        action="export", object_id=str(person.participant.public_id)
    )
    assert sorted(e.detail["output"] for e in exports) == ["html", "json"]


def test_the_readable_page_shows_identity_mapping_and_consent_texts(cast: Cast) -> None:
    # given
    described_participant(cast)
    client = sign_in(Client(), cast.participant, second_factor=False)
    # when
    response = client.post(
        reverse("participants:my_data", args=[cast.programme.slug]), {"reveal": "data"}
    )
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert NAME in page
    assert TEST_FNR in page
    assert WORK_TITLE in page
    assert "Bakekurs i Bergen" in page


def test_a_coordinator_exports_a_participants_data_on_request_and_it_is_logged(cast: Cast) -> None:
    # given
    person = described_participant(cast)
    client = sign_in(Client(), cast.coordinator)
    url = reverse(
        "participants:export_file", args=[cast.programme.slug, person.participant.public_id]
    )
    # when
    response = client.post(url)
    # then
    assert json.loads(response.content)["identity"]["full_name"] == NAME
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == cast.coordinator


@pytest.mark.parametrize("role", ["contact", "guide", "researcher", "user_rep", "participant"])
def test_only_managers_may_export_someone_elses_data(cast: Cast, role: str) -> None:
    # given
    person = described_participant(cast)
    client = sign_in(Client(), cast.user(role), second_factor=role != "participant")
    # when
    response = client.post(
        reverse("participants:export", args=[cast.programme.slug, person.participant.public_id]),
        {"reveal": "data"},
    )
    # then
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="export").exists()


def test_a_guide_cannot_download_the_participants_own_file(cast: Cast) -> None:
    # given
    described_participant(cast)
    client = sign_in(Client(), cast.guide)
    # when
    response = client.post(reverse("participants:my_data_file", args=[cast.programme.slug]))
    # then
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["participants:my_data", "participants:my_data_file"])
def test_opening_the_own_data_page_or_file_by_get_writes_nothing(cast: Cast, name: str) -> None:
    # given
    described_participant(cast)
    client = sign_in(Client(), cast.participant, second_factor=False)
    # when
    response = client.get(reverse(name, args=[cast.programme.slug]))
    # then: the page answers with a button, the file is refused; nothing is logged
    assert response.status_code == (200 if name.endswith("my_data") else 405)
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_own_data_page_opens_with_a_button_and_shows_nothing_held(cast: Cast) -> None:
    # given
    described_participant(cast)
    client = sign_in(Client(), cast.participant, second_factor=False)
    # when
    page = client.get(reverse("participants:my_data", args=[cast.programme.slug])).content.decode()
    # then
    assert 'name="reveal" value="data"' in page
    assert NAME not in page and TEST_FNR not in page and WORK_TITLE not in page


def test_the_revealed_page_is_logged_once_and_downloads_its_file_by_post(cast: Cast) -> None:
    # given
    person = described_participant(cast)
    client = sign_in(Client(), cast.participant, second_factor=False)
    # when
    page = client.post(
        reverse("participants:my_data", args=[cast.programme.slug]), {"reveal": "data"}
    ).content.decode()
    # then
    entry = AuditEntry.objects.get(action="export")
    assert entry.object_id == str(person.participant.public_id)
    assert entry.detail == {"read": "all data", "output": "html"}
    action = reverse("participants:my_data_file", args=[cast.programme.slug])
    assert f'<form method="post" action="{action}">' in page
    assert f'href="{action}"' not in page


def test_the_participants_page_downloads_the_file_through_a_post_button(cast: Cast) -> None:
    # given
    described_participant(cast)
    client = sign_in(Client(), cast.participant, second_factor=False)
    # when
    page = client.get(reverse("participants:me", args=[cast.programme.slug])).content.decode()
    # then
    action = reverse("participants:my_data_file", args=[cast.programme.slug])
    assert f'<form method="post" action="{action}" class="inline-form">' in page
    assert f'href="{action}"' not in page


def test_a_coordinators_export_page_and_file_write_nothing_on_get(cast: Cast) -> None:
    # given
    person = described_participant(cast)
    client = sign_in(Client(), cast.coordinator)
    args = [cast.programme.slug, person.participant.public_id]
    # when
    page = client.get(reverse("participants:export", args=args))
    file = client.get(reverse("participants:export_file", args=args))
    # then
    assert page.status_code == 200 and 'name="reveal" value="data"' in page.content.decode()
    assert NAME not in page.content.decode()
    assert file.status_code == 405
    assert not AuditEntry.objects.filter(action="export").exists()


def test_a_coordinators_reveal_shows_the_data_and_is_logged(cast: Cast) -> None:
    # given
    person = described_participant(cast)
    client = sign_in(Client(), cast.coordinator)
    url = reverse("participants:export", args=[cast.programme.slug, person.participant.public_id])
    # when
    response = client.post(url, {"reveal": "data"})
    # then
    assert NAME in response.content.decode()
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == cast.coordinator
    assert entry.detail == {"read": "all data", "output": "html"}


def test_the_coordinators_file_is_a_json_download_named_by_pseudonym(cast: Cast) -> None:
    # given
    person = described_participant(cast)
    client = sign_in(Client(), cast.coordinator)
    args = [cast.programme.slug, person.participant.public_id]
    # when
    detail = client.get(reverse("participants:detail", args=args)).content.decode()
    response = client.post(reverse("participants:export_file", args=args))
    # then
    action = reverse("participants:export_file", args=args)
    assert f'<form method="post" action="{action}" id="export-file">' in detail
    assert 'form="export-file"' in detail
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="samvirke-{person.participant.pseudonym}.json"'
    )
