"""The template file of each measures import, and what the measure import refuses."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from samvirke.accounts.permissions import access_for
from samvirke.audit.actor import Actor
from samvirke.measures import catalogue_import, imports
from samvirke.measures.models import Enrolment, Measure, MeasureSession
from samvirke.participants.models import Participant
from samvirke.participants.services import give_consent, withdraw_consent
from tests.conftest import Cast, sign_in
from tests.factories import MunicipalityFactory
from tests.measures.people import followed, measure_in, url

pytestmark = pytest.mark.django_db


def staff(cast: Cast, language: str = "en") -> Client:
    return sign_in(Client(HTTP_ACCEPT_LANGUAGE=language), cast.coordinator)


def with_session(cast: Cast) -> Measure:
    measure = measure_in(cast)
    start = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    MeasureSession.objects.create(
        measure=measure, starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    return measure


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_enrolment_template_has_headers_the_import_recognises_in_swedish(
    cast: Cast, fmt: str
) -> None:
    # given
    measure = with_session(cast)
    # when
    response = staff(cast, "sv").get(
        url("measure_import_template", cast, measure.pk), {"format": fmt}
    )
    # then
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    table = imports.read_table(response.content)
    with translation.override("sv"):
        assert translation.gettext("pseudonym").capitalize() in table.headers
    guessed = imports.guess_columns(table.headers)
    assert sorted(guessed) == sorted(value for value in imports.Column.values if value)
    assert len(table.rows) == 1
    assert "2026-03-02" in table.rows[0][1]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_catalogue_template_has_headers_the_import_recognises_in_norwegian(
    cast: Cast, fmt: str
) -> None:
    # given
    client = staff(cast, "nb")
    # when
    response = client.get(url("measures_import_template", cast), {"format": fmt})
    # then
    assert response.status_code == 200
    table = imports.read_table(response.content)
    with translation.override("nb"):
        assert translation.gettext("responsible subproject").capitalize() in table.headers
    guessed = catalogue_import.CATALOGUE_COLUMNS.guess(table.headers)
    assert sorted(guessed) == sorted(v for v in catalogue_import.CatalogueColumn.values if v)
    assert len(table.rows) == 1


def test_the_catalogue_templates_example_row_imports_as_a_measure(cast: Cast) -> None:
    # given: the example's municipality exists
    MunicipalityFactory(country="NO", code="0301", name="Oslo")
    client = staff(cast, "sv")
    template = client.get(url("measures_import_template", cast)).content
    # when
    page = client.post(
        url("measures_import", cast), {"file": SimpleUploadedFile("t.csv", template)}
    )
    token = re.search(r'name="upload" value="([^"]+)"', page.content.decode())
    assert token
    data = {"upload": token.group(1), "action": "import"}
    for match in re.finditer(
        r'name="(column_\d+)"[^>]*>(.*?)</select>', page.content.decode(), re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected', match.group(2))
        data[match.group(1)] = chosen.group(1) if chosen else ""
    response = client.post(url("measures_import", cast), data)
    # then
    assert response.status_code == 302
    measure = Measure.objects.get(programme=cast.programme)
    assert (measure.name_en, measure.kind, measure.capacity) == ("Job club", "course", 12)


def test_the_import_pages_link_to_their_templates(cast: Cast) -> None:
    # given
    measure = with_session(cast)
    client = staff(cast)
    # when
    people = client.get(url("measure_import", cast, measure.pk)).content.decode()
    catalogue = client.get(url("measures_import", cast)).content.decode()
    # then
    assert url("measure_import_template", cast, measure.pk) in people
    assert url("measures_import_template", cast) in catalogue


def test_only_those_who_may_import_download_the_catalogue_template(cast: Cast) -> None:
    # given
    client = sign_in(Client(), cast.guide)
    # when
    response = client.get(url("measures_import_template", cast))
    # then
    assert response.status_code == 403


def withdrawn(cast: Cast, participant: Participant) -> None:
    consent = give_consent(
        actor=Actor.of_user(cast.guide),
        participant=participant,
        purpose="follow_up",
        method="paper",
    )
    withdraw_consent(actor=Actor.of_user(cast.guide), consent=consent)


def test_a_row_of_someone_who_withdrew_follow_up_is_refused_and_nothing_is_imported(
    cast: Cast,
) -> None:
    # given: two rows, the second about a participant who withdrew their consent to follow-up
    measure = with_session(cast)
    nora, ola = followed(cast), followed(cast)
    withdrawn(cast, ola)
    content = "\n".join(
        [
            "Pseudonym;Referred by;Referred on;Status",
            f"{nora.pseudonym};nav;2026-02-20;active",
            f"{ola.pseudonym};nav;2026-02-20;active",
        ]
    ).encode()
    table = imports.read_table(content)
    columns = imports.guess_columns(table.headers)
    access = access_for(cast.guide, cast.programme)
    # when
    with translation.override("nb"):
        plan = imports.run(
            access=access,
            actor=Actor.of_user(cast.guide),
            measure=measure,
            table=table,
            columns=columns,
        )
    # then
    assert [(error.row, error.column) for error in plan.errors] == [(3, "Pseudonym")]
    assert "trukket tilbake samtykket til oppfølging" in plan.errors[0].message
    assert not Enrolment.objects.filter(measure=measure).exists()
