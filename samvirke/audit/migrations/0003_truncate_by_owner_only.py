"""On PostgreSQL, only the audit table's owner (the migration role) may empty it.

Migration 0002 let any connection that set ``samvirke.allow_audit_truncate`` empty the table:
a custom setting that every role may set, so the application's own role could lift the guard.
Now the TRUNCATE trigger asks who is asking instead: a member of the role that owns the table
(which could drop the trigger anyway) may, as the test runner does between tests; anyone else,
whatever they SET, may not. In production the application connects as a role that holds only
SELECT and INSERT on the table (docs/operations.md), so it cannot UPDATE, DELETE or TRUNCATE
it, cannot ALTER it to disable the triggers, and may not SET session_replication_role.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_entry_no_truncate() RETURNS trigger AS $$
DECLARE
    owner name;
BEGIN
    SELECT pg_get_userbyid(relowner) INTO owner FROM pg_class WHERE oid = TG_RELID;
    IF pg_has_role(current_user, owner, 'MEMBER') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit_auditentry is append-only: TRUNCATE refused';
END;
$$ LANGUAGE plpgsql;
"""

PREVIOUS = """
CREATE OR REPLACE FUNCTION audit_entry_no_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('samvirke.allow_audit_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit_auditentry is append-only: TRUNCATE refused';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [migrations.RunPython(forwards, backwards)]
