"""Coordinators see sign-in attempts and lift locks (django-axes); nobody but a superuser
touches second-factor devices."""

from django.db import migrations

from liaison import roles


def grant(apps, schema_editor):
    roles.grant(
        apps,
        "axes",
        {
            roles.COORDINATOR: [
                "view_accessattempt",
                "delete_accessattempt",
                "view_accessfailurelog",
                "view_accesslog",
            ]
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("bridge", "0001_audit_roles"),
        ("axes", "0010_accessattemptexpiration"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
