"""Install the PostgreSQL triggers that keep the running totals exact, and count the contacts
already there. Does nothing on other databases (the dashboard then counts contacts itself)."""

from django.db import migrations

from dashboard import rollup


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0003_rollup_tables"), ("liaison", "0003_roles_and_topics")]
    operations = [migrations.RunPython(rollup.install, rollup.uninstall)]
