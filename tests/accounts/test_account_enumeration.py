"""Nothing tells whether an address has an account: not the answer, not the work behind it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import Cast, sign_in

pytestmark = pytest.mark.django_db


def work_for(url: str, email: str) -> tuple[int, str, list[str]]:
    """The answer to a request for a link, and the kinds of statement the server ran for it."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().post(url, {"email": email})
    kinds = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    return response.status_code, response.get("Location", ""), kinds


@pytest.mark.parametrize("page", ["accounts:password_reset", "accounts:sign_in_link_request"])
def test_a_link_request_does_the_same_work_whether_or_not_the_address_has_an_account(
    cast: Cast, page: str
) -> None:
    # given: a participant's address (gets a link) and an address nobody has
    url = reverse(page)
    # when
    known = work_for(url, cast.participant.email)
    unknown = work_for(url, "nobody.at.all@example.test")
    # then
    assert known == unknown


def test_a_sign_in_link_request_for_staff_does_the_same_work_as_for_a_participant(
    cast: Cast,
) -> None:
    url = reverse("accounts:sign_in_link_request")
    assert work_for(url, cast.guide.email) == work_for(url, cast.participant.email)


@pytest.mark.parametrize("email", ["outsider", "new"])
def test_granting_a_role_asks_for_the_name_whether_or_not_the_address_has_an_account(
    cast: Cast, email: str
) -> None:
    # given: an address with an account in another programme, and one without
    address = cast.outsider.email if email == "outsider" else "never.seen@example.test"
    client = sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), cast.coordinator)
    # when
    response = client.post(
        reverse("programmes:member_add", args=[cast.programme.slug]),
        {"email": address, "full_name": "", "role": "researcher"},
    )
    # then
    assert response.status_code == 400
    assert response.context["form"].errors == {"full_name": ["Give the person's name."]}
