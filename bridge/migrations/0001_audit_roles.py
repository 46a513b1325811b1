"""Grants that span apps: coordinators read the audit trail and see any submitter's contact
details (the assigned liaison sees their own concern's without a permission)."""

from django.db import migrations

from liaison import roles


def grant(apps, schema_editor):
    roles.grant(apps, "audit", {roles.COORDINATOR: ["view_trail"]})
    roles.grant(apps, "feedback", {roles.COORDINATOR: ["view_concern_contact"]})


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
        ("feedback", "0004_concern_contact_permission"),
        ("liaison", "0001_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
