from django.db import models


class Dashboard(models.Model):
    """No table: carries the dashboard's permissions so roles can be granted them."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_dashboard", "Can view the commander dashboard"),
            ("export_figures", "Can export dashboard figures and contacts"),
        ]

    def __str__(self):
        return "dashboard"
