"""A chosen id no database integer can hold is a form error, not a server error."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from samvirke.activities.models import Activity
from tests.conftest import Cast, sign_in


@pytest.mark.django_db
@pytest.mark.parametrize("chosen", ["9223372036854775808", "9" * 400, "-9223372036854775809"])
def test_a_form_refuses_a_choice_id_too_large_for_the_database(cast: Cast, chosen: str) -> None:
    # given
    client = sign_in(Client(raise_request_exception=True), cast.coordinator)
    form = {
        "type": "user_meeting",
        "title": "Brukertreff",
        "starts_at": "2030-03-05T17:00",
        "ends_at": "2030-03-05T19:00",
        "time_zone": "Europe/Oslo",
        "place": "Stjørdal",
        "status": "planned",
        "subprojects": [str(cast.subproject.pk), chosen],
    }
    # when
    response = client.post(reverse("activities:new", args=[cast.programme.slug]), form)
    # then
    assert response.status_code == 400
    assert not Activity.objects.exists()
