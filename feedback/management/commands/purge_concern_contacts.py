from django.conf import settings
from django.core.management.base import BaseCommand

from feedback.services import concern_contacts_purge


class Command(BaseCommand):
    help = (
        "Erase the e-mail and phone, the text, place and internal notes of concerns closed more "
        "than FEEDBACK_CONTACT_RETENTION_DAYS days ago. The concerns, their history, public "
        "response and summary, and their statistics stay. Celery beat runs it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Override the retention (default {settings.FEEDBACK_CONTACT_RETENTION_DAYS} days).",
        )

    def handle(self, *args, **options):
        purged = concern_contacts_purge(days=options["days"])
        self.stdout.write(f"Purged contact details and text of {purged} closed concern(s).")
