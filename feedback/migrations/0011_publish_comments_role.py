from django.db import migrations

from liaison import roles


def grant(apps, schema_editor):
    # Coordinators publish survey comments on "You said, we did", after editing them.
    roles.grant(apps, "feedback", {roles.COORDINATOR: ["add_publishedcomment", "view_publishedcomment"]})


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0010_followup_publishedcomment"),
        ("liaison", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
