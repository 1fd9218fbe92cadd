"""On PostgreSQL the application's role cannot lift the audit log's append-only guard.

The role here is the one docs/operations.md creates for the application: SELECT and INSERT on
the audit table and nothing else. A second role is granted everything on it, as a careless
setup might, to show that the triggers still hold for anyone who does not own the table.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connection, transaction

from samvirke.audit.actor import Actor
from samvirke.audit.models import AuditEntry
from samvirke.audit.services import record_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles() -> Iterator[tuple[str, str]]:
    if connection.vendor != "postgresql":
        pytest.skip("The append-only guard of roles and triggers exists on PostgreSQL only")
    suffix = connection.settings_dict["NAME"].replace("-", "_")[:40]
    app, careless = f"audit_app_{suffix}", f"audit_careless_{suffix}"
    with connection.cursor() as cur:
        for role in (app, careless):
            cur.execute(f'CREATE ROLE "{role}" NOLOGIN')  # rolled back with the test
            cur.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
        cur.execute(f'GRANT SELECT, INSERT ON audit_auditentry TO "{app}"')
        cur.execute(f'GRANT ALL ON audit_auditentry TO "{careless}"')
    yield app, careless


def refused(role: str, *statements: str) -> bool:
    """Whether PostgreSQL refuses the statements when run as ``role``."""
    try:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(f'SET LOCAL ROLE "{role}"')
            for statement in statements:
                cur.execute(statement)
    except DatabaseError:
        return True
    return False


def test_the_application_role_can_neither_update_nor_delete_an_entry(
    roles: tuple[str, str],
) -> None:
    # given
    app, _careless = roles
    record_event(action="login", actor=Actor.of_user(None), object_label="kept")
    # when / then
    assert refused(app, "UPDATE audit_auditentry SET object_label = 'changed'")
    assert refused(app, "DELETE FROM audit_auditentry")
    assert refused(app, "TRUNCATE audit_auditentry")
    assert list(AuditEntry.objects.values_list("object_label", flat=True)) == ["kept"]


def test_the_application_role_can_still_write_and_read_the_log(roles: tuple[str, str]) -> None:
    app, _careless = roles
    assert not refused(
        app,
        "INSERT INTO audit_auditentry (at, action, actor_label, role, object_type, object_id, "
        "object_label, detail) VALUES (now(), 'login', '', '', '', '', 'x', '{}')",
        "SELECT count(*) FROM audit_auditentry",
    )


def test_no_setting_lifts_the_guard_for_a_role_that_does_not_own_the_table(
    roles: tuple[str, str],
) -> None:
    # given: a role granted every privilege on the table, but not its owner
    _app, careless = roles
    record_event(action="login", actor=Actor.of_user(None), object_label="kept")
    # when / then
    assert refused(careless, "UPDATE audit_auditentry SET object_label = 'changed'")
    assert refused(careless, "DELETE FROM audit_auditentry")
    assert refused(careless, "SET LOCAL samvirke.allow_audit_truncate = 'on'",
                   "TRUNCATE audit_auditentry")  # fmt: skip
    assert refused(careless, "SET LOCAL session_replication_role = 'replica'")
    assert refused(careless, "ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
    assert AuditEntry.objects.count() == 1
