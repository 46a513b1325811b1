"""A trigram index on contacts' notes, so the admin's search (liaison.admin.ContactAdmin) finds
a word inside notes without scanning a million contacts. PostgreSQL only (pg_trgm, a trusted
extension a database owner may create); other databases have no such index and scan."""

from django.db import migrations

INDEX = "contact_notes_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # On PostgreSQL, Django says icontains as UPPER(notes) LIKE UPPER(%s): index that expression.
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON liaison_contact USING gin (UPPER(notes) gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("liaison", "0007_contact_list_order")]

    operations = [migrations.RunPython(forwards, backwards)]
