"""A random unsubscribe token per subscriber, for the e-mail links that never expire.

Three steps, because a callable default on AddField is evaluated once, and every existing row
would share one token: add the column empty, give each row its own, then make it unique."""

import secrets

from django.db import migrations, models

import outreach.models


def fill_tokens(apps, schema_editor):
    Subscriber = apps.get_model("outreach", "Subscriber")
    todo = Subscriber.objects.filter(unsubscribe_token__isnull=True).only("pk")
    while batch := list(todo[:2000]):
        for subscriber in batch:
            subscriber.unsubscribe_token = secrets.token_urlsafe(32)
        Subscriber.objects.bulk_update(batch, ["unsubscribe_token"])


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0006_subscriber_sms_stopped_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscriber",
            name="unsubscribe_token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="subscriber",
            name="unsubscribe_token",
            field=models.CharField(
                default=outreach.models._unsubscribe_token, editable=False, max_length=64, unique=True
            ),
        ),
    ]
