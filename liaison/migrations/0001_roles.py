from django.db import migrations

from liaison import roles


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in roles.ROLES:
        Group.objects.get_or_create(name=role)
    # Coordinators manage users and roles.
    roles.grant(
        apps,
        "auth",
        {roles.COORDINATOR: ["add_user", "change_user", "view_user", "view_group", "change_group"]},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
