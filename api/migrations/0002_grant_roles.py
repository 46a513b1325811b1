from django.db import migrations

from liaison import roles


def grant(apps, schema_editor):
    # Coordinators see and revoke every member of staff's API tokens.
    roles.grant(apps, "api", {roles.COORDINATOR: ["manage_tokens"]})


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
        ("liaison", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
