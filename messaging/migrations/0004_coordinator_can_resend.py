from django.db import migrations

from liaison import roles


def grant(apps, schema_editor):
    # "Send again" on failed messages in the admin.
    roles.grant(apps, "messaging", {roles.COORDINATOR: ["view_message", "change_message"]})


class Migration(migrations.Migration):
    dependencies = [("messaging", "0003_outbox_sweep"), ("liaison", "0001_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
