from django.db import migrations

from liaison import roles


def grant(apps, schema_editor):
    # Commanders ask and follow; the coordinator assigns; liaisons work the requests they are
    # assigned (engagement.services checks the assignment, not a permission).
    roles.grant(
        apps,
        "engagement",
        {
            roles.COMMANDER: ["raise_request", "view_all_requests"],
            roles.COORDINATOR: ["raise_request", "assign_request", "view_all_requests"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("engagement", "0001_initial"), ("liaison", "0001_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
