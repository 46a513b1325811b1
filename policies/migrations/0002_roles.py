from django.db import migrations

from liaison import roles


def grant(apps, schema_editor):
    # Coordinators publish the unit's policies; everyone reads them on the public pages.
    roles.grant(
        apps,
        "policies",
        {
            roles.COORDINATOR: [
                "add_policy",
                "change_policy",
                "view_policy",
                "add_policyversion",
                "view_policyversion",
                "publish_policy",
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial"), ("liaison", "0001_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
