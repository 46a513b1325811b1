from django.db import migrations

from liaison import roles

EVENT = ["add_outreachevent", "change_outreachevent", "view_outreachevent"]
ATTENDANCE = ["add_eventattendance", "change_eventattendance", "view_eventattendance"]


def grant(apps, schema_editor):
    every = [
        f"{action}_{model}"
        for model in ["outreachevent", "eventattendance", "communityattendance", "subscriber"]
        for action in ["add", "change", "delete", "view"]
    ]
    roles.grant(
        apps,
        "outreach",
        {
            # Liaisons plan, publish and record their own events; subscribers' addresses are
            # for the coordinator only.
            roles.LIAISON: [*EVENT, *ATTENDANCE],
            roles.COMMANDER: ["view_outreachevent", "view_eventattendance"],
            roles.COORDINATOR: [*every, "manage_all_events"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_initial"), ("liaison", "0001_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
