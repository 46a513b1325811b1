from django.core.management.base import BaseCommand, CommandError

from bridge import health


class Command(BaseCommand):
    help = "Check that the database and the broker are reachable; one line per problem."

    def handle(self, *args, **options):
        problems = [msg for ok, msg in (health.database_state(), health.broker_state()) if not ok]
        if problems:
            raise CommandError("Bridge cannot start: " + "; ".join(problems))
        _, broker = health.broker_state()
        self.stdout.write(f"Services: database ok, broker {broker}.")
