from django.db import migrations

from liaison import roles


def grant(apps, schema_editor):
    # Staff read the comments; only coordinators publish an edited copy (or set one aside).
    roles.grant(
        apps,
        "surveys",
        {
            roles.LIAISON: ["read_comments"],
            roles.COMMANDER: ["read_comments"],
            roles.COORDINATOR: ["read_comments", "publish_comment"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
        ("liaison", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
