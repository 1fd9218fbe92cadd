"""Documents attached to a venture: checked by content, stored privately, served after a check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from samvirke.audit.models import AuditEntry
from samvirke.ventures.models import Document, NoPublicAddress, Venture, private_storage
from tests.conftest import Cast, sign_in
from tests.factories import SubprojectFactory, VentureFactory, venture_document
from tests.ventures import files


def venture_of(cast: Cast, **values: object) -> Venture:
    return VentureFactory(
        programme=cast.programme, subproject=cast.subproject, created_by=cast.contact, **values
    )


def upload(client: Client, venture: Venture, name: str, content: bytes) -> object:
    url = reverse("ventures:document_new", args=[venture.programme.slug, venture.public_id])
    return client.post(url, {"file": SimpleUploadedFile(name, content), "title": "Forretningsplan"})


def download_url(document: Document) -> str:
    venture = document.venture
    return reverse(
        "ventures:document_download",
        args=[venture.programme.slug, venture.public_id, document.public_id],
    )


def stored_files() -> list[Path]:
    root = Path(private_storage().path(""))
    return [path for path in root.rglob("*") if path.is_file()]


def test_an_attached_pdf_is_stored_outside_the_web_root_under_no_name_of_its_own(
    cast: Cast,
) -> None:
    # given
    venture = venture_of(cast)
    client = sign_in(Client(), cast.contact)
    # when
    response = upload(client, venture, "Forretningsplan Ola Nordmann.pdf", files.PDF)
    # then
    assert response.status_code == 302  # type: ignore[attr-defined]
    document = Document.objects.get(venture=venture)
    path = Path(private_storage().path(document.file.name))
    assert path.read_bytes() == files.PDF
    assert Path(settings.STATIC_ROOT) not in path.parents
    assert "Nordmann" not in str(path)
    assert (document.file_type, document.size) == ("pdf", len(files.PDF))


def test_a_download_is_a_post_a_get_answers_405_and_logs_nothing(cast: Cast) -> None:
    # given
    document = venture_document(venture_of(cast))
    client = sign_in(Client(), cast.contact)
    # when
    response = client.get(download_url(document))
    # then
    assert response.status_code == 405
    assert not AuditEntry.objects.filter(action="view", object_id=str(document.public_id)).exists()


def test_a_download_is_an_attachment_with_nosniff_and_is_logged(cast: Cast) -> None:
    # given
    document = venture_document(venture_of(cast), name="Forretningsplan utkast.pdf")
    client = sign_in(Client(), cast.contact)
    # when
    response = client.post(download_url(document))
    # then
    assert response.status_code == 200
    assert response.content == document.file.open("rb").read()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Forretningsplan utkast.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    logged = AuditEntry.objects.filter(action="view", object_id=str(document.public_id)).get()
    assert (logged.actor, logged.detail["read"]) == (cast.contact, "document_download")
    assert "Forretningsplan" not in logged.object_label


@pytest.mark.parametrize(
    ("name", "content"),
    [("plan.pdf", files.HTML), ("plan.pdf", files.EXE), ("plan.docx", files.plain_zip())],
)
def test_a_disguised_file_is_refused_with_a_translated_error_and_nothing_is_kept(
    cast: Cast, name: str, content: bytes
) -> None:
    # given
    venture = venture_of(cast)
    client = sign_in(Client(), cast.contact)
    # when
    response = upload(client, venture, name, content)
    # then
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Denne filtypen tas ikke imot." in response.content.decode()  # type: ignore[attr-defined]
    assert not Document.objects.exists()
    assert stored_files() == []


def test_an_image_named_as_a_pdf_is_refused_with_what_it_really_is(cast: Cast) -> None:
    # given
    venture = venture_of(cast)
    client = sign_in(Client(), cast.contact)
    # when
    response = upload(client, venture, "kontrakt.pdf", files.image("PNG"))
    # then
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Innholdet i filen er PNG" in response.content.decode()  # type: ignore[attr-defined]
    assert not Document.objects.exists()


def test_an_office_file_with_macros_is_refused(cast: Cast) -> None:
    # given
    venture = venture_of(cast)
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="sv"), cast.contact)
    # when
    response = upload(client, venture, "plan.docx", files.ooxml(files.WORD_MACROS, macros=True))
    # then
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "makron" in response.content.decode()  # type: ignore[attr-defined]
    assert not Document.objects.exists()


def test_a_file_over_the_size_limit_is_refused(cast: Cast, settings: object) -> None:
    # given
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024  # type: ignore[attr-defined]
    venture = venture_of(cast)
    client = sign_in(Client(), cast.contact)
    big = files.PDF[:-6] + b" " * (1024 * 1024) + b"%%EOF\n"
    # when
    response = upload(client, venture, "stor.pdf", big)
    # then
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Filen er større enn 1 MB." in response.content.decode()  # type: ignore[attr-defined]
    assert not Document.objects.exists()


def test_a_spreadsheet_and_a_photo_are_accepted(cast: Cast) -> None:
    # given
    venture = venture_of(cast)
    client = sign_in(Client(), cast.contact)
    # when
    upload(client, venture, "budsjett.xlsx", files.ooxml(files.SHEET_MAIN, "xl/workbook.xml"))
    upload(client, venture, "lokalet.jpg", files.image("JPEG"))
    # then
    assert sorted(Document.objects.values_list("file_type", flat=True)) == ["jpeg", "xlsx"]


def test_a_user_of_another_programme_gets_404_on_a_document(cast: Cast) -> None:
    # given
    document = venture_document(venture_of(cast))
    venture = document.venture
    client = sign_in(Client(), cast.outsider)
    own_slug = cast.other_programme.slug
    # when
    direct = client.post(download_url(document))
    through_own = client.post(
        reverse(
            "ventures:document_download",
            args=[own_slug, venture.public_id, document.public_id],
        )
    )
    # then
    assert (direct.status_code, through_own.status_code) == (404, 404)


def test_a_document_of_another_venture_is_404_under_this_ventures_address(cast: Cast) -> None:
    # given
    document = venture_document(venture_of(cast))
    other = venture_of(cast)
    client = sign_in(Client(), cast.contact)
    # when
    response = client.post(
        reverse(
            "ventures:document_download",
            args=[cast.programme.slug, other.public_id, document.public_id],
        )
    )
    # then
    assert response.status_code == 404


def test_a_contact_person_of_another_subproject_cannot_download(cast: Cast) -> None:
    # given
    elsewhere = VentureFactory(
        programme=cast.programme,
        subproject=SubprojectFactory(programme=cast.programme),
        created_by=cast.coordinator,
    )
    document = venture_document(elsewhere)
    # when
    response = sign_in(Client(), cast.contact).post(download_url(document))
    # then
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="view", object_id=str(document.public_id)).exists()


def test_a_researcher_sees_no_documents_and_cannot_download_one(cast: Cast) -> None:
    # given
    document = venture_document(venture_of(cast), name="plan.pdf")
    client = sign_in(Client(), cast.researcher)
    # when
    page = client.get(document.venture.get_absolute_url()).content.decode()
    response = client.post(download_url(document))
    # then
    assert download_url(document) not in page
    assert response.status_code == 403


def test_deleting_a_document_removes_the_file(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    document = venture_document(venture_of(cast))
    path = Path(private_storage().path(document.file.name))
    venture = document.venture
    url = reverse(
        "ventures:document_delete",
        args=[cast.programme.slug, venture.public_id, document.public_id],
    )
    # when
    client = sign_in(Client(), cast.contact)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    # then
    assert response.status_code == 302
    assert not Document.objects.exists()
    assert not path.exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(document.public_id)).exists()


def test_a_guide_may_attach_but_not_delete(cast: Cast) -> None:
    # given
    venture = venture_of(cast)
    venture.members.create(kind="guide", user=cast.guide)
    client = sign_in(Client(), cast.guide)
    upload(client, venture, "plan.pdf", files.PDF)
    document = Document.objects.get(venture=venture)
    url = reverse(
        "ventures:document_delete",
        args=[cast.programme.slug, venture.public_id, document.public_id],
    )
    # when
    response = client.post(url)
    # then
    assert response.status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_private_folder_inside_the_static_root_fails_the_system_check(settings: Any) -> None:
    # given
    from samvirke.ventures.checks import check_private_files_outside_web_root

    settings.PRIVATE_FILES_DIR = Path(settings.STATIC_ROOT) / "documents"
    # when
    errors = check_private_files_outside_web_root(None)
    # then
    assert [error.id for error in errors] == ["samvirke.E101"]


def test_the_configured_private_folder_passes_the_system_check() -> None:
    from samvirke.ventures.checks import check_private_files_outside_web_root

    assert check_private_files_outside_web_root(None) == []


def test_a_private_file_has_no_web_address() -> None:
    # when / then: only the download view, after its permission check, hands a document out
    with pytest.raises(NoPublicAddress):
        private_storage().url("documents/anything.pdf")
