from django.db import migrations, models

# Rows written before the flag existed: password-reset and "choose your password" mails.
RESET_KEY_PREFIX = "auth:password-reset:"
LINK_REMOVED = "(removed after sending: it held a sign-in link)"


def mark_and_erase_reset_links(apps, schema_editor):
    """Flag the reset mails already in the outbox and erase the links of the finished ones:
    their bodies are credentials that staff with view_message could read."""
    Message = apps.get_model("messaging", "Message")
    resets = Message.objects.filter(key__startswith=RESET_KEY_PREFIX)
    resets.update(holds_secret=True)
    resets.filter(status__in=["sent", "failed", "unconfirmed"]).update(body=LINK_REMOVED, html_body="")


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0005_unconfirmed_status"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="holds_secret",
            field=models.BooleanField(default=False, verbose_name="holds a secret"),
        ),
        migrations.RunPython(mark_and_erase_reset_links, migrations.RunPython.noop),
    ]
