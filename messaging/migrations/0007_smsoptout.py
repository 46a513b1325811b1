from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0006_message_holds_secret"),
    ]

    operations = [
        migrations.CreateModel(
            name="SmsOptOut",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("phone", models.CharField(max_length=20, unique=True, verbose_name="phone (E.164)")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="replied STOP")),
            ],
            options={
                "verbose_name": "SMS opt-out",
                "verbose_name_plural": "SMS opt-outs",
            },
        ),
    ]
