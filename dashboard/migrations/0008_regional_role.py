"""The read-only role the regional view reads as (agencies.rls.install_regional): it sees the
rows of the agencies that share their figures, and no other."""

from django.db import migrations

from agencies import rls

TABLES = __import__("bridge.migrations.0004_row_level_security", fromlist=["TABLES"]).TABLES


def install(apps, schema_editor):
    rls.install_regional(schema_editor, TABLES)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP POLICY IF EXISTS regional_figures ON {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0007_agency"),
        ("bridge", "0004_row_level_security"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
