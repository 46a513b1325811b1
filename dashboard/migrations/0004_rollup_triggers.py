"""Install the PostgreSQL triggers that keep the running totals exact, and count the contacts
already there. Does nothing on other databases (the dashboard then counts contacts itself)."""

from django.db import migrations

from dashboard import rollup


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0003_rollup_tables"), ("liaison", "0003_roles_and_topics")]
    # The triggers are installed (and the contacts counted) by 0005, once the delta tables they
    # write exist: rollup.install always installs the current triggers.
    operations = [migrations.RunPython(migrations.RunPython.noop, rollup.uninstall)]
