"""GIN indexes for full-text search on PostgreSQL, one per text-search configuration.

The expressions must stay identical to ``samvirke.programmes.search._document_sql``.
"""

from django.db import migrations

CONFIGS = ("norwegian", "swedish", "simple")


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in CONFIGS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS search_entry_{config}_gin ON programmes_searchentry "
            f"USING gin (to_tsvector('{config}'::regconfig, title || ' ' || body))"
        )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for config in CONFIGS:
        schema_editor.execute(f"DROP INDEX IF EXISTS search_entry_{config}_gin")


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
