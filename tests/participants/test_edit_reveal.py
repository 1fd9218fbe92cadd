"""Editing a record opens without the identity; the identity is filled in only through an
explicit reveal, which is logged, and a save without it keeps the identity."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from samvirke.audit.models import AuditEntry
from samvirke.participants.models import Participant
from samvirke.participants.services import Identity, _decrypted_identity
from tests.conftest import Cast, sign_in
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
NAME = "Kari Testperson"


def followed(cast: Cast) -> Participant:
    record: Participant = ParticipantFactory(
        programme=cast.programme,
        subprojects=[cast.subproject],
        identity=Identity(full_name=NAME, email="kari@example.test", national_id="15076500565"),
    )
    record.guides.set([cast.guide])
    return record


def edit_url(cast: Cast, record: Participant) -> str:
    return reverse("participants:edit", args=[cast.programme.slug, record.public_id])


def identity_reads(record: Participant) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            action="view", object_id=str(record.public_id), detail__read="identity"
        ).values_list("detail__purpose", flat=True)
    )


def test_opening_the_edit_form_shows_no_identity_and_logs_nothing(cast: Cast) -> None:
    # given
    record = followed(cast)
    # when
    page = sign_in(Client(), cast.guide).get(edit_url(cast, record)).content.decode()
    # then
    assert NAME not in page and 'name="full_name"' not in page
    assert 'name="reveal" value="identity"' in page
    assert identity_reads(record) == []


def test_the_reveal_fills_in_the_identity_and_is_logged_for_editing(cast: Cast) -> None:
    # given
    record = followed(cast)
    # when
    page = sign_in(Client(), cast.guide).post(edit_url(cast, record), {"reveal": "identity"})
    # then
    assert page.status_code == 200
    assert f'value="{NAME}"' in page.content.decode()
    assert identity_reads(record) == ["editing"]


def test_a_save_without_the_identity_changes_the_record_and_keeps_the_identity(cast: Cast) -> None:
    # given
    record = followed(cast)
    form = {"country": "NO", "birth_year": 1985, "subprojects": [cast.subproject.pk]}
    # when
    saved = sign_in(Client(), cast.guide).post(edit_url(cast, record), form)
    # then
    record.refresh_from_db()
    assert saved.status_code == 302
    assert record.birth_year == 1985
    kept = _decrypted_identity(record)
    assert (kept.full_name, kept.national_id) == (NAME, "15076500565")


def test_a_refused_reveal_writes_nothing(cast: Cast) -> None:
    # given
    record = followed(cast)
    # when
    refused = sign_in(Client(), cast.researcher).post(
        edit_url(cast, record), {"reveal": "identity"}
    )
    # then
    assert refused.status_code in {403, 404}
    assert identity_reads(record) == []
