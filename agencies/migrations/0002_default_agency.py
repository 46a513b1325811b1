"""The upgrade to many agencies: the deployment's existing records all belong to one first
agency, named as the deployment named its unit, and every existing account works for it."""

from django.conf import settings
from django.db import migrations
from django.utils import translation


def create_default(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    Membership = apps.get_model("agencies", "Membership")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    with translation.override(settings.LANGUAGE_CODE):  # stored in the default language
        name = str(settings.BRIDGE_UNIT_NAME)
    agency, _ = Agency.objects.get_or_create(slug=settings.BRIDGE_DEFAULT_AGENCY, defaults={"name": name})
    have = set(Membership.objects.values_list("user_id", flat=True))
    Membership.objects.bulk_create(
        Membership(user_id=pk, agency=agency)
        for pk in User.objects.values_list("pk", flat=True)
        if pk not in have
    )


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
