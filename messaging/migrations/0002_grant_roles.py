from django.db import migrations

from liaison import roles


def grant(apps, schema_editor):
    roles.grant(apps, "messaging", {roles.COORDINATOR: ["view_message"]})


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial"), ("liaison", "0001_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
