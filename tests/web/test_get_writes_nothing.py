"""No GET writes to the audit log: a read of sensitive data is logged only through an explicit
reveal (a POST), so opening a page, a prefetch or a crawler leaves no entry in anyone's log.

Built from the route table (tests/web/routes.py): every route answering GET, as every role the
table lets in (200).
"""

from __future__ import annotations

import pytest
from django.test import Client

from samvirke.audit.models import AuditEntry
from tests.conftest import Cast, sign_in
from tests.web.routes import ROUTES, Scene, names_answering


def get_cases() -> list[tuple[str, str]]:
    answering = names_answering("GET")
    cases = []
    for name, route in sorted(ROUTES.items()):
        if name not in answering or route.method != "get":
            continue
        cases += [(name, role) for role, code in route.expect.items() if code == 200]
    return cases


def test_the_guard_covers_the_pages_that_read_sensitive_data() -> None:
    covered = {name for name, _ in get_cases()}
    assert {"measures:notes", "participants:edit", "mapping:participant"} <= covered
    # The pages that once wrote their read on opening: the reveal is a POST now.
    assert {"mapping:new", "participants:my_data", "participants:export"} <= covered


@pytest.mark.parametrize(("name", "role"), get_cases())
def test_get_writes_no_audit_entry(cast: Cast, name: str, role: str) -> None:
    # given
    route = ROUTES[name]
    url = Scene(cast).url(name, route.kind, route.query)
    client = Client()
    if role != "anonymous":
        sign_in(client, cast.user(role), second_factor=role not in {"participant", "user_rep"})
    before = AuditEntry.objects.count()
    # when
    response = client.get(url)
    # then
    assert response.status_code == 200, (name, role, response.status_code)
    written = list(AuditEntry.objects.order_by("pk")[before:].values_list("action", "detail"))
    assert written == [], (name, role, written)
