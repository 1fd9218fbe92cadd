"""Every import offers its template file as CSV and as an Excel workbook."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from samvirke.mapping.imports import MEMBER_COLUMNS
from tests.conftest import Cast, sign_in

pytestmark = pytest.mark.django_db


def test_the_member_survey_template_comes_as_an_excel_workbook_too(cast: Cast) -> None:
    # given
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="nb"), cast.coordinator)
    # when
    response = client.get(
        reverse("mapping:import_template", args=[cast.programme.slug]), {"format": "xlsx"}
    )
    # then
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert response.content.startswith(b"PK")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    (headers,) = list(sheet.iter_rows(values_only=True))
    assert sorted(MEMBER_COLUMNS.guess([str(h) for h in headers])) == sorted(MEMBER_COLUMNS.targets)
