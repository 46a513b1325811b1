"""Translators review the UI catalogues (django-rosetta, which lets in superusers and this role)
and the content the public reads, in the admin: the translated texts of communities, topics,
concern categories and events. Nothing else: no contacts, no concerns, no subscribers, no
liaison profiles. A coordinator can hand the role out (it holds every permission in it)."""

from django.db import migrations

from liaison import roles


def grant(apps, schema_editor):
    roles.grant(
        apps,
        "liaison",
        {
            roles.TRANSLATOR: [
                "view_prioritycommunity",
                "change_prioritycommunity",
                "view_topic",
                "change_topic",
            ]
        },
    )
    roles.grant(apps, "feedback", {roles.TRANSLATOR: ["view_concerncategory", "change_concerncategory"]})
    roles.grant(apps, "outreach", {roles.TRANSLATOR: ["view_outreachevent", "change_outreachevent"]})


class Migration(migrations.Migration):
    dependencies = [
        ("bridge", "0002_staff_security_roles"),
        ("liaison", "0003_roles_and_topics"),
        ("feedback", "0002_categories_and_roles"),
        ("outreach", "0002_grant_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
