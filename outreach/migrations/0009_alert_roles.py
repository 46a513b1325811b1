from django.db import migrations

from liaison import roles

DRAFT = ["add_safetyalert", "change_safetyalert", "view_safetyalert"]


def grant(apps, schema_editor):
    # Liaisons draft alerts and send them for approval; only a coordinator approves and sends.
    roles.grant(
        apps,
        "outreach",
        {
            roles.LIAISON: DRAFT,
            roles.COMMANDER: ["view_safetyalert"],
            roles.COORDINATOR: [*DRAFT, "delete_safetyalert", "approve_alert"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("outreach", "0008_safety_alerts"), ("liaison", "0001_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
