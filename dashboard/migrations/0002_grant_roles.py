from django.db import migrations

from liaison import roles


def grant(apps, schema_editor):
    roles.grant(
        apps,
        "dashboard",
        {
            roles.COMMANDER: ["view_dashboard", "export_figures"],
            roles.COORDINATOR: ["view_dashboard", "export_figures"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0001_initial"), ("liaison", "0001_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
