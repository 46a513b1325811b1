"""Recount the dashboard's running totals from the contacts (PostgreSQL only).

Not needed in normal running: triggers keep the totals exact in every write's own
transaction. Use it after contacts were changed with the triggers disabled, or after restoring
a backup that left out the dashboard's tables."""

import time

from django.core.management.base import BaseCommand

from dashboard import rollup


class Command(BaseCommand):
    help = "Recount the dashboard's running totals from the contacts."

    def handle(self, *args, **options):
        if not rollup.enabled():
            self.stdout.write("This database is not PostgreSQL: the dashboard counts contacts directly.")
            return
        started = time.monotonic()
        rollup.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Totals recounted in {time.monotonic() - started:.1f} s."))
