"""Guides' notes are sensitive: every read is logged and shown to the participant; researchers
and user representatives never see notes or who anyone is."""

from __future__ import annotations

import pytest
from django.test import Client

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.measures.models import EnrolmentNote
from samvirke.measures.services import add_note
from samvirke.participants.services import Identity, _store_identity
from tests.conftest import Cast, sign_in
from tests.factories import MeasureSessionFactory
from tests.measures.people import enrol, followed, measure_in, url

pytestmark = pytest.mark.django_db
NOTE = "Sover dårlig, har avtale hos fastlegen."


@pytest.fixture
def enrolment(cast: Cast):  # type: ignore[no-untyped-def]
    nora = followed(cast, account=cast.participant)
    _store_identity(nora, Identity(full_name="Nora Prøvesen"))
    enrolment = enrol(cast, measure_in(cast), nora, start_now=True)
    add_note(actor=Actor.of_user(cast.guide), enrolment=enrolment, text=NOTE)
    return enrolment


def test_a_guide_writes_a_note_and_nothing_is_saved_when_it_is_empty(cast: Cast, enrolment) -> None:  # type: ignore[no-untyped-def]
    # given
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="nb"), cast.guide)
    address = url("notes", cast, enrolment.public_id)
    # when
    empty = client.post(address, {"text": ""})
    written = client.post(address, {"text": "Møtte presis hele uka."})
    # then
    assert empty.status_code == 400
    assert "Feltet er påkrevet." in empty.content.decode()
    assert written.status_code == 302
    assert EnrolmentNote.objects.filter(enrolment=enrolment).count() == 2


def test_opening_the_notes_page_shows_no_note_and_logs_nothing(cast: Cast, enrolment) -> None:  # type: ignore[no-untyped-def]
    # given
    guide = sign_in(Client(), cast.guide)
    # when
    response = guide.get(url("notes", cast, enrolment.public_id))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert NOTE not in html and 'name="reveal" value="notes"' in html
    assert not AuditEntry.objects.filter(action="view", detail__what="note").exists()


def test_reading_notes_is_logged_and_shown_in_the_participants_access_log(
    cast: Cast, enrolment
) -> None:  # type: ignore[no-untyped-def]
    # given
    guide = sign_in(Client(), cast.guide)
    participant = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.participant, second_factor=False)
    # when
    response = guide.post(url("notes", cast, enrolment.public_id), {"reveal": "notes"})
    log = participant.get(f"/p/{cast.programme.slug}/me/access-log/")
    # then
    assert response.status_code == 200
    assert NOTE in response.content.decode()
    read = AuditEntry.objects.get(action="view", detail__what="note")
    assert read.actor == cast.guide
    assert read.object_id == str(enrolment.participant.public_id)
    assert "read the notes about you" in log.content.decode()


@pytest.mark.parametrize("role", ["researcher", "user_rep"])
def test_researchers_and_user_representatives_never_see_notes_or_identities(
    cast: Cast, enrolment, role: str
) -> None:  # type: ignore[no-untyped-def]
    # given
    client = sign_in(Client(), cast.user(role), second_factor=role == "researcher")
    measure = enrolment.measure
    session = MeasureSessionFactory(measure=measure)
    pages = [
        url("notes", cast, enrolment.public_id),
        url("enrolment", cast, enrolment.public_id),
        url("attendance", cast, session.pk),
        url("journey", cast, enrolment.participant.public_id),
    ]
    # when
    answers = [client.get(page) for page in pages]
    detail = client.post(url("measure", cast, measure.pk), {"reveal": "people"})
    # then
    assert [a.status_code for a in answers] == [404, 404, 403, 404]
    html = detail.content.decode()
    assert detail.status_code == 200
    assert enrolment.participant.pseudonym not in html
    assert NOTE not in html and "Nora" not in html
    assert not AuditEntry.objects.filter(action="view", detail__what="note").exists()


def test_a_guide_of_another_subproject_cannot_read_the_notes(cast: Cast, enrolment) -> None:  # type: ignore[no-untyped-def]
    # given
    from samvirke.accounts.models import Role
    from tests.factories import MembershipFactory, UserFactory

    other = UserFactory()
    MembershipFactory(
        user=other, programme=cast.programme, role=Role.GUIDE, subproject=cast.other_subproject
    )
    client = sign_in(Client(), other)
    # when
    notes = client.get(url("notes", cast, enrolment.public_id))
    revealed = client.post(url("notes", cast, enrolment.public_id), {"reveal": "notes"})
    measure = client.post(url("measure", cast, enrolment.measure.pk), {"reveal": "people"})
    # then
    assert notes.status_code == 404
    assert revealed.status_code == 404
    assert not AuditEntry.objects.filter(action="view", detail__what="note").exists()
    assert enrolment.participant.pseudonym not in measure.content.decode()


def test_the_guide_sees_the_enrolments_of_their_subprojects_measures(cast: Cast) -> None:
    # given
    mine, theirs = measure_in(cast), measure_in(cast, subproject=cast.other_subproject)
    someone = followed(cast)
    someone.guides.clear()
    enrolment = enrol(cast, mine, someone)
    client = sign_in(Client(), cast.guide)
    # when
    own_page = client.post(url("measure", cast, mine.pk), {"reveal": "people"})
    other_page = client.post(url("measure", cast, theirs.pk), {"reveal": "people"})
    enrol_elsewhere = client.get(url("enrol", cast, theirs.pk))
    # then
    assert someone.pseudonym in own_page.content.decode()
    assert client.get(url("enrolment", cast, enrolment.public_id)).status_code == 200
    assert "people-heading" not in other_page.content.decode()
    assert enrol_elsewhere.status_code == 403


def test_a_note_is_corrected_and_the_earlier_version_is_kept_as_history(  # type: ignore[no-untyped-def]
    cast: Cast, enrolment
) -> None:
    # given
    original = enrolment.notes.get()
    client = sign_in(Client(), cast.guide)
    address = url("notes", cast, enrolment.public_id)
    # when
    saved = client.post(
        address, {"corrects": original.pk, "text": "Sover bedre, har avtale hos fastlegen."}
    )
    page = client.post(address, {"reveal": "notes"})
    # then
    assert saved.status_code == 302
    [(current, earlier)] = page.context["notes"]
    assert current.text == "Sover bedre, har avtale hos fastlegen."
    assert [note.text for note in earlier] == [NOTE]
    assert AuditEntry.objects.filter(action="update", detail__corrects=original.pk).exists()


def test_a_note_already_corrected_cannot_be_corrected_again(  # type: ignore[no-untyped-def]
    cast: Cast, enrolment
) -> None:
    # given
    original = enrolment.notes.get()
    add_note(
        actor=Actor.of_user(cast.guide), enrolment=enrolment, text="Rettet.", corrects=original.pk
    )
    client = sign_in(Client(), cast.guide)
    client.cookies["django_language"] = "en"
    # when
    response = client.post(
        url("notes", cast, enrolment.public_id), {"corrects": original.pk, "text": "Igjen."}
    )
    # then
    assert response.status_code == 400
    assert "has been corrected already" in response.content.decode()
    assert EnrolmentNote.objects.filter(enrolment=enrolment).count() == 2
