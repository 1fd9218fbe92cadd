"""A research file as a background job: its progress page, one download, and its deletion."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.evaluation import export_jobs, formats
from samvirke.evaluation.export_tasks import run_research_export
from samvirke.evaluation.models import ExportStatus, ResearchExport
from samvirke.evaluation.tasks import questionnaire_round
from samvirke.participants.services import withdraw_consent
from tests.conftest import Cast, sign_in
from tests.evaluation.export_data import CONTENT, finished_export
from tests.evaluation.test_research_export import ask, research_consent
from tests.factories import MembershipFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def page_url(cast: Cast, export: ResearchExport, what: str = "") -> str:
    name = f"evaluation:research_export_{what}" if what else "evaluation:research_export"
    return reverse(name, args=[cast.programme.slug, export.public_id])


def on_disk(export: ResearchExport) -> Path:
    return Path(settings.STORAGES["private"]["OPTIONS"]["location"]) / (
        f"{export_jobs.FOLDER}/{export.public_id}"
    )


def consenting(cast: Cast, count: int) -> list[object]:
    from samvirke.participants.services import give_consent

    people = []
    for _ in range(count):
        record = ParticipantFactory(programme=cast.programme)
        give_consent(
            actor=Actor.of_user(cast.coordinator),
            participant=record,
            purpose="research",
            method="paper",
        )
        people.append(record)
    return people


def ask_outcomes(client: Client, cast: Cast) -> ResearchExport:
    url = reverse("evaluation:research_data_file", args=[cast.programme.slug])
    response = ask(client, url, {"dataset": "outcomes", "file_format": "csv"})
    assert response.status_code == 302
    return ResearchExport.objects.get()


def test_a_running_export_shows_rows_done_of_rows_expected(cast: Cast) -> None:
    # given
    export = finished_export(
        cast.programme, cast.researcher, status=ExportStatus.RUNNING, rows_expected=200
    )
    ResearchExport.objects.filter(pk=export.pk).update(rows=50)
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.researcher)
    # when
    page = client.get(page_url(cast, export)).content.decode()
    fragment = client.get(page_url(cast, export, "progress")).content.decode()
    # then
    for html in (page, fragment):
        assert '<progress id="export-progress-bar" max="200" value="50">25 %</progress>' in html
        assert "50 of 200 rows (25 %)" in html
        assert 'hx-trigger="every 2s"' in html
    assert "Download the file" not in page


def test_the_polled_fragment_asks_for_the_whole_page_once_the_file_is_done(cast: Cast) -> None:
    # given
    export = finished_export(cast.programme, cast.researcher)
    client = sign_in(Client(), cast.researcher)
    # when
    response = client.get(page_url(cast, export, "progress"), HTTP_HX_REQUEST="true")
    # then
    assert response["HX-Refresh"] == "true"


def test_a_finished_export_shows_its_checksum_a_download_button_and_when_it_is_deleted(
    cast: Cast,
) -> None:
    # given
    consenting(cast, 5)
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.researcher)
    export = ask_outcomes(client, cast)
    # when
    page = client.get(page_url(cast, export)).content.decode()
    # then
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    assert export.sha256 in page
    assert page_url(cast, export, "download") in page
    assert "deleted as soon as you have downloaded it once" in page
    assert on_disk(export).stat().st_mode & 0o077 == 0  # readable by the app only


def test_the_file_is_handed_out_once_as_an_attachment_and_then_deleted(cast: Cast) -> None:
    # given
    export = finished_export(cast.programme, cast.researcher)
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.researcher)
    # when
    first = client.post(page_url(cast, export, "download"))
    content = b"".join(first.streaming_content)  # type: ignore[attr-defined]
    second = client.post(page_url(cast, export, "download"))
    page = client.get(page_url(cast, export)).content.decode()
    # then
    assert content == CONTENT
    assert first["Content-Disposition"] == 'attachment; filename="samvirke-research.csv"'
    assert first["X-Content-Type-Options"] == "nosniff"
    assert second.status_code == 404
    assert not on_disk(export).exists()
    assert "You downloaded the file" in page


def test_a_download_broken_off_keeps_the_file_for_another_try(cast: Cast) -> None:
    # given
    export = finished_export(cast.programme, cast.researcher)
    client = sign_in(Client(), cast.researcher)
    # when: the browser took the first chunk, then the connection broke
    response = client.post(page_url(cast, export, "download"))
    next(iter(response.streaming_content))  # type: ignore[attr-defined]
    # then
    assert on_disk(export).exists()
    assert client.post(page_url(cast, export, "download")).status_code == 200


def test_each_download_is_in_the_audit_log_with_its_checksum_and_no_one_in_it(
    cast: Cast,
) -> None:
    # given
    export = finished_export(cast.programme, cast.researcher)
    client = sign_in(Client(), cast.researcher)
    # when
    client.post(page_url(cast, export, "download"))
    # then
    entry = AuditEntry.objects.get(action="view", object_type="evaluation.research_data")
    assert (entry.actor, entry.programme, entry.object_id) == (
        cast.researcher,
        cast.programme,
        str(export.pk),
    )
    assert entry.detail["sha256"] == export.sha256


def test_another_researcher_of_the_programme_gets_the_404_of_a_file_that_does_not_exist(
    cast: Cast,
) -> None:
    # given
    export = finished_export(cast.programme, cast.researcher)
    colleague = UserFactory()
    MembershipFactory(user=colleague, programme=cast.programme, role="researcher")
    client = sign_in(Client(), colleague)
    # when
    answers = [
        client.get(page_url(cast, export)).status_code,
        client.post(page_url(cast, export, "download")).status_code,
    ]
    # then
    assert answers == [404, 404]
    assert on_disk(export).exists()


def test_the_daily_round_deletes_a_file_older_than_24_hours(cast: Cast) -> None:
    # given
    old = finished_export(cast.programme, cast.researcher)
    new = finished_export(cast.programme, cast.researcher)
    ResearchExport.objects.filter(pk=old.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    # when
    done = questionnaire_round.enqueue().return_value
    # then
    assert done["research_files_deleted"] == 1
    assert not on_disk(old).exists()
    assert on_disk(new).exists()
    old.refresh_from_db()
    assert (old.file_name, old.sha256) == ("", new.sha256)  # the checksum stays


def test_the_round_deletes_what_a_job_stopped_halfway_a_day_ago_left_and_says_it_failed(
    cast: Cast,
) -> None:
    # given: the worker was stopped while it wrote the file
    export = finished_export(cast.programme, cast.researcher, status=ExportStatus.RUNNING)
    on_disk(export).parent.mkdir(parents=True, exist_ok=True)
    on_disk(export).write_bytes(b"study_id\r\n")
    ResearchExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    # when
    questionnaire_round.enqueue()
    # then
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert not on_disk(export).exists()


def test_a_file_past_its_24_hours_is_deleted_when_asked_for(cast: Cast) -> None:
    # given
    export = finished_export(cast.programme, cast.researcher)
    ResearchExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.researcher)
    # when
    download = client.post(page_url(cast, export, "download"))
    page = client.get(page_url(cast, export)).content.decode()
    # then
    assert download.status_code == 404
    assert not on_disk(export).exists()
    assert "not downloaded within 24 hours" in page


def test_a_consent_withdrawn_before_the_job_runs_leaves_the_person_out(cast: Cast) -> None:
    # given: six asked for; one withdraws before the worker gets to the file
    people = consenting(cast, 6)
    client = sign_in(Client(), cast.researcher)
    url = reverse("evaluation:research_data_file", args=[cast.programme.slug])
    client.post(url, {"dataset": "outcomes"})  # queued: the on-commit never runs here
    export = ResearchExport.objects.get()
    withdraw_consent(actor=Actor.of_user(cast.coordinator), consent=research_consent(people[0]))
    # when
    run_research_export.enqueue(export.pk)
    # then
    export.refresh_from_db()
    assert (export.status, export.participants, export.rows) == (ExportStatus.DONE, 5, 5)


def test_a_job_left_with_fewer_than_five_people_fails_with_the_refusal_and_writes_nothing(
    cast: Cast,
) -> None:
    # given
    people = consenting(cast, 5)
    client = sign_in(Client(), cast.researcher)
    url = reverse("evaluation:research_data_file", args=[cast.programme.slug])
    client.post(url, {"dataset": "outcomes"})
    export = ResearchExport.objects.get()
    withdraw_consent(actor=Actor.of_user(cast.coordinator), consent=research_consent(people[0]))
    # when
    run_research_export.enqueue(export.pk)
    page = client.get(page_url(cast, export)).content.decode()
    # then
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert "Denne eksporten ville hatt 4 personer" in page
    assert not on_disk(export).exists()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_a_job_that_breaks_shows_a_translated_error_and_keeps_no_file(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    consenting(cast, 5)

    def broken(*args: object, **kwargs: object) -> object:
        yield b"study_id\r\n"
        raise OSError("disk full")

    monkeypatch.setattr(formats, "csv_file", broken)
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.researcher)
    export = ask_outcomes(client, cast)
    # when
    response = client.get(page_url(cast, export))
    # then
    assert response.status_code == 200
    assert "Something went wrong while the file was written" in response.content.decode()
    assert not on_disk(export).exists()
    assert client.post(page_url(cast, export, "download")).status_code == 404


def test_a_job_already_started_is_not_written_twice(cast: Cast) -> None:
    # given
    export = finished_export(cast.programme, cast.researcher, status=ExportStatus.RUNNING)
    # when
    result = run_research_export.enqueue(export.pk).return_value
    # then
    assert result == ExportStatus.RUNNING
    assert not on_disk(export).exists()
