"""The unit's three roles. Each app grants its own models' permissions to them in a data
migration of its own (liaison creates the groups; later apps only add permissions)."""

LIAISON = "Liaison officer"
COMMANDER = "Commander"
COORDINATOR = "Coordinator"
ROLES = (LIAISON, COMMANDER, COORDINATOR)
# Not one of the unit's own roles above: whoever reviews the UI catalogues (django-rosetta) and
# the content translations in the admin; bridge/migrations/0003_translator_role.py creates it.
TRANSLATOR = "Translator"


def grant(apps, app_label: str, grants: dict[str, list[str]]) -> None:
    """Give each role the listed permission codenames of one app. For data migrations:
    permissions are normally created after migrate, so create this app's first."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    # The real app config passes create_permissions' models_module guard; the models it
    # creates permissions for come from the migration state (apps=apps).
    create_permissions(global_apps.get_app_config(app_label), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in grants.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Unknown permissions for {app_label}: {sorted(missing)}")
        group.permissions.add(*perms)
