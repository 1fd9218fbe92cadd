from __future__ import annotations

import csv
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samvirke.audit.actor import Actor
from samvirke.audit.models import AppendOnlyError, AuditEntry
from samvirke.audit.services import record_event
from samvirke.evaluation.models import ResearchExport
from samvirke.evaluation.services import record_research_export
from samvirke.participants.models import Participant
from tests.conftest import Cast, sign_in
from tests.factories import ActivityFactory, ParticipantFactory, RegistrationFactory


@pytest.mark.django_db
def test_an_audit_entry_cannot_be_changed_through_the_model(cast: Cast) -> None:
    # given
    entry = record_event(
        action="view", actor=Actor.of_user(cast.coordinator), programme=cast.programme
    )
    entry.object_label = "rewritten"
    # when / then
    with pytest.raises(AppendOnlyError):
        entry.save()


@pytest.mark.django_db
def test_an_audit_entry_cannot_be_deleted_through_the_model(cast: Cast) -> None:
    entry = record_event(
        action="view", actor=Actor.of_user(cast.coordinator), programme=cast.programme
    )
    with pytest.raises(AppendOnlyError):
        entry.delete()


@pytest.mark.django_db
def test_audit_entries_cannot_be_updated_or_deleted_in_bulk(cast: Cast) -> None:
    record_event(action="view", actor=Actor.of_user(cast.coordinator), programme=cast.programme)
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().update(object_label="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_raw_updates_and_deletes_of_audit_rows(cast: Cast) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("The append-only trigger exists on PostgreSQL only; SQLite relies on the model")
    record_event(action="view", actor=Actor.of_user(cast.coordinator), programme=cast.programme)
    for statement in (
        "UPDATE audit_auditentry SET object_label = 'x'",
        "DELETE FROM audit_auditentry",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(statement)
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db
def test_reading_who_is_registered_writes_a_view_entry(cast: Cast) -> None:
    # given
    activity = ActivityFactory(programme=cast.programme)
    RegistrationFactory(activity=activity, user=cast.participant)
    client = sign_in(Client(), cast.coordinator)
    url = reverse("activities:attendance", args=[cast.programme.slug, activity.public_id])
    # when: opening the sheet reads nothing; showing who is on it is the read
    client.get(url)
    client.post(url, {"reveal": "people"})
    # then
    entry = AuditEntry.objects.get(action="view")
    assert entry.actor == cast.coordinator
    assert entry.role == "coordinator"
    assert entry.object_id == str(activity.public_id)
    assert entry.ip_address == "127.0.0.1"


@pytest.mark.django_db
def test_a_refused_request_is_logged(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.researcher)
    # when
    client.get(reverse("audit:log", args=[cast.programme.slug]))
    # then
    entry = AuditEntry.objects.get(action="permission_denied")
    assert entry.actor == cast.researcher
    assert entry.detail == {"permission": "audit.view"}


@pytest.mark.django_db
def test_the_coordinator_can_filter_the_log_by_what_happened(cast: Cast) -> None:
    # given
    record_event(
        action="login", actor=Actor.of_user(cast.guide), programme=cast.programme, object_label="A"
    )
    record_event(
        action="update", actor=Actor.of_user(cast.guide), programme=cast.programme, object_label="B"
    )
    client = sign_in(Client(), cast.coordinator)
    # when
    response = client.get(reverse("audit:log", args=[cast.programme.slug]), {"action": "update"})
    # then
    entries = list(response.context["page"].object_list)
    assert [e.object_label for e in entries] == ["B"]


@pytest.mark.django_db
def test_the_log_shows_nothing_from_another_programme(cast: Cast) -> None:
    # given
    record_event(
        action="update", actor=Actor.of_user(cast.outsider), programme=cast.other_programme
    )
    client = sign_in(Client(), cast.coordinator)
    # when
    response = client.get(reverse("audit:log", args=[cast.programme.slug]))
    # then
    assert list(response.context["page"].object_list) == []


@pytest.mark.django_db
def test_what_samvirke_itself_names_is_shown_in_the_readers_language(cast: Cast) -> None:
    # given
    export = ResearchExport.objects.create(
        programme=cast.programme, salt="00", dataset="mapping", file_format="csv", rows=3
    )
    record_research_export(actor=Actor.of_user(cast.researcher), export=export, parameters={})
    client = sign_in(Client(), cast.coordinator)
    client.cookies["django_language"] = "sv"
    # when
    page = client.get(reverse("audit:log", args=[cast.programme.slug]))
    # then
    assert "forskningsdata: resurskartläggning" in page.content.decode()


@pytest.mark.django_db
def test_the_demo_service_map_is_named_in_the_readers_language(cast: Cast) -> None:
    # given
    record_event(
        action="create",
        actor=Actor.of_user(None),
        programme=cast.programme,
        object_type="measures.service",
        object_label="service map",
    )
    client = sign_in(Client(), cast.coordinator)
    client.cookies["django_language"] = "nb"
    # when
    page = client.get(reverse("audit:log", args=[cast.programme.slug]))
    # then
    assert "<td>tjenestekart</td>" in page.content.decode()


def reveal(cast: Cast) -> Participant:
    record = ParticipantFactory(programme=cast.programme, subprojects=[cast.subproject])
    sign_in(Client(), cast.contact).post(
        reverse("participants:identity", args=[cast.programme.slug, record.public_id]),
        {"reason": "follow_up", "purpose": '=HYPERLINK("http://x.test")'},
    )
    return record


@pytest.mark.django_db
def test_the_log_says_what_kind_of_read_it_was_why_and_links_to_the_record(cast: Cast) -> None:
    # given
    record = reveal(cast)
    client = sign_in(Client(), cast.coordinator)
    client.cookies["django_language"] = "en"
    # when
    page = client.get(reverse("audit:log", args=[cast.programme.slug]), {"kind": "identity"})
    # then
    html = page.content.decode()
    assert "identity (name and contact details)" in html
    assert "follow-up in the programme: =HYPERLINK" in html
    detail = reverse("participants:detail", args=[cast.programme.slug, record.public_id])
    assert f'<a href="{detail}">' in html
    assert [e.action for e in page.context["page"].object_list] == ["view"]


@pytest.mark.django_db
def test_the_log_is_filtered_by_participant_pseudonym(cast: Cast) -> None:
    # given
    record, other = reveal(cast), reveal(cast)
    client = sign_in(Client(), cast.coordinator)
    # when
    page = client.get(
        reverse("audit:log", args=[cast.programme.slug]), {"participant": record.pseudonym}
    )
    # then
    ids = {e.object_id for e in page.context["page"].object_list}
    assert ids == {str(record.public_id)}
    assert str(other.public_id) not in ids


@pytest.mark.django_db
def test_the_filtered_log_downloads_as_formula_safe_csv_and_the_export_is_logged(
    cast: Cast,
) -> None:
    # given
    reveal(cast)
    client = sign_in(Client(), cast.coordinator)
    client.cookies["django_language"] = "en"
    # when
    response = client.post(reverse("audit:export", args=[cast.programme.slug]) + "?kind=identity")
    # then
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:6] == ["When (UTC)", "Who", "Acting as", "What", "Kind of read", "Why"]
    assert len(rows) == 2
    assert rows[1][5:7] == ["follow-up in the programme", '\'=HYPERLINK("http://x.test")']
    assert AuditEntry.objects.filter(action="export", object_label="audit log").exists()


@pytest.mark.django_db
def test_the_log_export_refuses_a_get_and_writes_nothing(cast: Cast) -> None:
    # given
    reveal(cast)
    client = sign_in(Client(), cast.coordinator)
    before = AuditEntry.objects.count()
    # when
    response = client.get(reverse("audit:export", args=[cast.programme.slug]), {"kind": "identity"})
    # then
    assert response.status_code == 405
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_the_log_export_answers_a_csv_file_named_for_the_programme_and_day(cast: Cast) -> None:
    # given
    reveal(cast)
    client = sign_in(Client(), cast.coordinator)
    # when
    response = client.post(reverse("audit:export", args=[cast.programme.slug]))
    # then
    day = timezone.localdate().isoformat()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="audit-{cast.programme.slug}-{day}.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")


@pytest.mark.django_db
def test_the_log_page_downloads_its_filtered_entries_through_a_post_button(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.coordinator)
    # when
    page = client.get(reverse("audit:log", args=[cast.programme.slug]), {"kind": "identity"})
    # then
    html = page.content.decode()
    action = reverse("audit:export", args=[cast.programme.slug]) + "?kind=identity"
    assert f'<form method="post" action="{action}">' in html
    assert f'href="{action}"' not in html
