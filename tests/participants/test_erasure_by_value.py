"""Erasure and export found by value, not by foreign key.

A person with distinctive identity strings goes through every flow Samvirke has for them
(consents, mapping, enrolment, attendance, notes, activity registration, a wrong password and
a sign-in link logged by axes, their data file; a member imported from a survey file is
followed too); then every column of every table in the model registry (text, JSON, binary, IP
addresses, decoded session data) is searched for those strings. Everything found before
erasure must be in the person's export, and nothing may be found after it. A new model or
column is searched without anyone listing it.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.test import Client
from django.urls import reverse

from samvirke.audit.actor import Actor
from samvirke.measures.services import add_note, record_attendance, refer_participant
from samvirke.participants.data_rights import (
    erase_participant,
    export_participant_data,
    request_erasure,
)
from samvirke.participants.models import Participant
from tests.conftest import Cast, sign_in
from tests.factories import ActivityFactory, MeasureSessionFactory
from tests.mapping.test_member_import import classifications  # noqa: F401 - a fixture
from tests.measures.people import enrol, measure_in
from tests.participants.people import EMAIL, FREE_TEXT, IDENTIFYING, described_participant

pytestmark = pytest.mark.django_db

IP = "203.0.113.47"
NOTE = "Snakket om søsteren Ingvild Quennestad i Levanger"
REFERRAL = "Trenger ro etter bruddet med Hallstein Vrålsen"


def _texts(model: type[models.Model], field: models.Field[Any, Any]) -> list[str]:
    values = model._base_manager.values_list(field.attname, flat=True)
    texts = []
    for value in values:
        if value is None:
            continue
        if isinstance(value, bytes | memoryview):
            value = bytes(value).decode("utf-8", errors="replace")
        elif not isinstance(value, str):
            value = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
        if model._meta.label_lower == "sessions.session" and field.name == "session_data":
            value = json.dumps(SessionStore().decode(value), cls=DjangoJSONEncoder)
        texts.append(value.casefold())
    return texts


def where_found(secrets: list[str]) -> dict[str, list[str]]:
    """Which of the secrets each table column holds, for every model in the registry."""
    found: dict[str, list[str]] = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation or isinstance(
                field, models.DateField | models.IntegerField | models.BooleanField
            ):
                continue
            texts = _texts(model, field)
            hits = [s for s in secrets if any(s.casefold() in text for text in texts)]
            if hits:
                found[f"{model._meta.label}.{field.name}"] = hits
    return found


def lived(cast: Cast, captured: Any) -> tuple[Participant, list[str]]:
    """The person, after every flow; and the strings that identify them."""
    person = described_participant(cast)
    participant = person.participant
    secrets = [*IDENTIFYING, *FREE_TEXT, NOTE, REFERRAL, IP]
    secrets += [person.account_email, person.account_name]
    # Staff: an enrolment with attendance and a note.
    measure = measure_in(cast)
    enrolment = enrol(cast, measure, participant, start_now=True)
    session = MeasureSessionFactory(measure=measure)
    record_attendance(
        actor=Actor.of_user(cast.guide), session=session, marks={enrolment.pk: (True, "")}
    )
    add_note(actor=Actor.of_user(cast.guide), enrolment=enrolment, text=NOTE)
    # A referral to another subproject's measure, with its sensitive reason.
    elsewhere = measure_in(cast, subproject=cast.other_subproject)
    refer_participant(
        actor=Actor.of_user(cast.guide), participant=participant, measure=elsewhere, reason=REFERRAL
    )
    # The person, from their own address: a wrong password, then a sign-in link.
    own = Client(REMOTE_ADDR=IP, HTTP_USER_AGENT="Quennestad-laptop")
    with captured(execute=True):
        own.post(reverse("accounts:sign_in_link_request"), {"email": EMAIL})
    link = next(w for w in mail.outbox[-1].body.split() if "/accounts/login/link/" in w)
    own.post(urlsplit(link).path)
    Client(REMOTE_ADDR=IP).post(
        reverse("accounts:login"), {"username": EMAIL.upper(), "password": "not-it"}
    )
    slug = cast.programme.slug
    activity = ActivityFactory(programme=cast.programme, open_to_participants=True)
    own.post(reverse("activities:register", args=[slug, activity.public_id]))
    own.post(reverse("participants:my_data_file", args=[slug]))
    return participant, secrets


def test_everything_held_about_a_person_is_in_their_export(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    participant, secrets = lived(cast, django_capture_on_commit_callbacks)
    held = where_found(secrets)
    assert held  # the search does find the person before erasure
    # when
    export = json.dumps(
        export_participant_data(participant), cls=DjangoJSONEncoder, ensure_ascii=False
    ).casefold()
    # then
    missing = {
        column: [s for s in hits if s.casefold() not in export] for column, hits in held.items()
    }
    assert {column: hits for column, hits in missing.items() if hits} == {}


def test_after_erasure_no_table_holds_anything_of_the_person(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    participant, secrets = lived(cast, django_capture_on_commit_callbacks)
    erasure = request_erasure(actor=Actor.of_user(cast.participant), participant=participant)
    # when
    erase_participant(actor=Actor.of_user(cast.coordinator), erasure=erasure)
    # then
    assert where_found(secrets) == {}


def test_the_search_reaches_the_sign_in_logs_and_sessions(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    lived(cast, django_capture_on_commit_callbacks)
    sign_in(Client(), cast.coordinator)
    # when
    held = where_found([IP, EMAIL, str(cast.coordinator.pk)])
    # then
    assert any(column.startswith("axes.") for column in held)
    assert "sessions.Session.session_data" in held


@pytest.mark.usefixtures("classifications")
def test_after_erasure_nothing_of_a_member_imported_from_a_survey_file_remains(
    cast: Cast,
) -> None:
    # given
    from samvirke.mapping.models import ImportedMember
    from tests.mapping.test_member_import import run, survey

    row = (
        "Q-77;Tormund Quisling-Aase;tormund.qa@example.test;1979;man;2380;kock;5120;3;"
        "Matlagning;musik;10;2023-09-01;ja;ja"
    )
    run(cast, survey(row))
    member = ImportedMember.objects.get(source_key="Q-77").participant
    secrets = ["Tormund Quisling-Aase", "tormund.qa@example.test", "Q-77"]
    assert where_found(secrets)  # the member id is held until erasure
    erasure = request_erasure(actor=Actor.of_user(cast.coordinator), participant=member)
    # when
    erase_participant(actor=Actor.of_user(cast.coordinator), erasure=erasure)
    # then
    assert where_found(secrets) == {}
