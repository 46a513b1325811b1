from django.core.management.base import BaseCommand

from languages.status import status_table


class Command(BaseCommand):
    help = "Per declared language: how much of the UI catalogue is translated and reviewed (Markdown)."

    def handle(self, *args, **options):
        self.stdout.write(status_table())
