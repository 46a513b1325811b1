from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0005_offline_ids"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscriber",
            name="sms_stopped_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="replied STOP"),
        ),
    ]
