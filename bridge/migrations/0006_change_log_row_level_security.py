"""Row-level security on django-auditlog's change log, whose rows belong to an agency through
their mirror on the audit trail (agencies.rls.install_change_log)."""

from django.db import migrations

from agencies import rls


def install(apps, schema_editor):
    rls.install_change_log(schema_editor)


def uninstall(apps, schema_editor):
    rls.uninstall_change_log(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("bridge", "0005_agency_settings_role"),
        ("audit", "0003_agency"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
