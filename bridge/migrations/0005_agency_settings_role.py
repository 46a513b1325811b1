"""Coordinators edit their own agency's settings (agencies.views.settings_edit). Granted here,
not in agencies: the ground floor imports no app, and liaison creates the roles."""

from django.db import migrations

from liaison import roles


def grant(apps, schema_editor):
    roles.grant(apps, "agencies", {roles.COORDINATOR: ["change_own_agency"]})


class Migration(migrations.Migration):
    dependencies = [
        ("bridge", "0004_row_level_security"),
        ("agencies", "0003_own_agency_permission"),
        ("liaison", "0001_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
