"""Make an account a regional analyst of an agency: it may open the regional view (the summed
figures of the agencies that share theirs). A new account is made without a usable password:
set one with `manage.py changepassword <username>` (or a reset link), then the second factor
at the first sign-in, like every staff account."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agencies import services as agency_services
from agencies.models import Agency


class Command(BaseCommand):
    help = "Create or mark an account as a regional analyst of an agency."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--agency", required=True, help="The slug of the agency the account belongs to.")
        parser.add_argument(
            "--remove", action="store_true", help="Take the regional view away (the account stays)."
        )

    def handle(self, *args, username, agency, remove, **options):
        found = Agency.objects.filter(slug=agency).first()
        if found is None:
            slugs = ", ".join(Agency.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f"No agency {agency!r}. Agencies: {slugs or 'none'}.")
        User = get_user_model()
        with transaction.atomic():
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            agency_services.member_set(user=user, agency=found, regional_analyst=not remove)
        if remove:
            self.stdout.write(f"{username} is no longer a regional analyst ({found.name}).")
            return
        self.stdout.write(self.style.SUCCESS(f"{username} is a regional analyst of {found.name}."))
        if created:
            self.stdout.write(
                f"New account without a password: run `manage.py changepassword {username}`; "
                "the second factor is set up at the first sign-in."
            )
