"""Demo data for a first look, loaded idempotently: running it twice changes nothing.

The demo accounts have a published password, so the command refuses to run with DEBUG off
unless told explicitly. Each demo account gets an authenticator (the second factor every
staff account needs); the command prints its key, and `manage.py demo_code <username>`
prints the current code for a newcomer without an authenticator app at hand."""

import base64
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies import context as agency_context
from agencies import services as agency_services
from agencies.models import Agency
from dashboard import rollup
from liaison import demo as liaison_demo
from liaison import roles

DEMO_PASSWORD = "bridge-demo-login"  # noqa: S105 - demo accounts on a developer's machine only
DEMO_DOMAIN = "@bridge.example"  # marks the demo accounts: seed_demo touches no other
# A regional analyst (no role in a unit: sees the regional view only) and a second agency that
# shares its figures with it, as the demo's own agency does.
DEMO_ANALYST = ("regional", "Ruth", "Okafor")
DEMO_REGION = {"slug": "riverside", "name": "Riverside Police Department"}
DEMO_USERS = [
    # username, first, last, role, is_staff (admin access)
    ("liaison", "Amina", "Hassan", roles.LIAISON, False),
    ("commander", "Daniel", "Ortiz", roles.COMMANDER, False),
    ("coordinator", "Mei", "Chen", roles.COORDINATOR, True),
]


class Command(BaseCommand):
    help = "Load demo users and records (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Load the demo accounts even with DEBUG off (a demonstration server, never a real unit's).",
        )
        parser.add_argument(
            "--contacts",
            type=int,
            default=0,
            help="Also top benchmark data up to N contacts (200 liaisons, 40 communities, three years).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "seed_demo creates accounts with a published password and refuses to run with DEBUG off. "
                "On a demonstration server, pass --allow-without-debug."
            )
        with transaction.atomic():
            users = self.seed_users()
            # The demo's records are its own agency's: read and written as that agency, so the
            # second agency's communities (seed_region) are never taken for them.
            with agency_context.use(agency_context.default_agency_id()):
                self.seed_records(users, options)
            users["regional"] = self.seed_region()
        if options["contacts"]:
            started = time.monotonic()
            # The benchmark's contacts are the demo agency's (not the second agency's communities).
            with agency_context.use(agency_context.default_agency_id()):
                added = liaison_demo.seed_bulk_contacts(total=options["contacts"], stdout=self.stdout)
            self.stdout.write(f"Added {added:,} benchmark contacts in {time.monotonic() - started:.1f} s.")
            # Fold the running totals' deltas now rather than at the first beat: a million
            # contacts leave millions of delta rows that every dashboard view would add up.
            started = time.monotonic()
            folded = rollup.compact()["folded"]
            self.stdout.write(f"Folded {folded:,} running-total rows in {time.monotonic() - started:.1f} s.")
        if not options["quiet_logins"]:
            self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
            for username, _first, _last, role, _staff in DEMO_USERS:
                key = base64.b32encode(users[username].totpdevice_set.get(confirmed=True).bin_key).decode()
                self.stdout.write(f"  {role:<16} {username:<12} authenticator key {key.rstrip('=')}")
            key = base64.b32encode(users["regional"].totpdevice_set.get(confirmed=True).bin_key).decode()
            self.stdout.write(
                f"  {'Regional analyst':<16} {DEMO_ANALYST[0]:<12} authenticator key {key.rstrip('=')}"
                f"  (figures of {DEMO_REGION['name']} and this agency: /en/regional/)"
            )
            self.stdout.write(
                "Every staff account needs a code from an authenticator app after the password: add the key "
                "above to one, or run `.venv/bin/python manage.py demo_code <username>` for the current code."
            )
            others = ", ".join(f"/{code}/" for code, _name in settings.LANGUAGES[1:])
            self.stdout.write(
                f"Open {settings.SITE_URL}/{settings.LANGUAGES[0][0]}/ (or {others}); "
                f"staff sign in at {settings.SITE_URL}/en/accounts/login/"
            )

    def seed_users(self):
        User = get_user_model()
        users = {}
        for username, first, last, role, is_staff in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "is_staff": is_staff,
                    "email": f"{username}{DEMO_DOMAIN}",
                },
            )
            if not created and not user.email.endswith(DEMO_DOMAIN):
                # A real person's account with a demo name: never give it the published password.
                raise CommandError(
                    f"An account named {username!r} exists and is not a demo account; seed_demo leaves "
                    "real accounts alone. Rename it, or load the demo into another database."
                )
            if created or not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=role))
            if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                TOTPDevice.objects.create(user=user, name="Demo authenticator", confirmed=True)
            users[username] = user
        return users

    def _demo_user(self, username: str, first: str, last: str):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}{DEMO_DOMAIN}"},
        )
        if not created and not user.email.endswith(DEMO_DOMAIN):
            raise CommandError(
                f"An account named {username!r} exists and is not a demo account; seed_demo leaves it alone."
            )
        return user, created

    def seed_region(self):
        """The regional analyst, and Riverside: a second agency sharing its figures, with two of
        the demo's communities (the same slugs, so they add up with this agency's) and a few
        contacts this quarter and last. The demo's own agency shares its figures too."""
        import datetime as dt  # noqa: PLC0415 - only the demo's dates need it

        from django.utils import timezone  # noqa: PLC0415

        from liaison.models import Contact, Liaison, PriorityCommunity  # noqa: PLC0415

        home = Agency.objects.get(pk=agency_context.default_agency_id())
        if not home.shares_regional_figures:
            home.shares_regional_figures = True
            agency_services.agency_update(agency=home, fields=["shares_regional_figures"])
        region = Agency.objects.filter(slug=DEMO_REGION["slug"]).first() or agency_services.agency_create(
            shares_regional_figures=True, **DEMO_REGION
        )
        analyst, created = self._demo_user(*DEMO_ANALYST)
        if created or not analyst.check_password(DEMO_PASSWORD):
            analyst.set_password(DEMO_PASSWORD)
            analyst.save(update_fields=["password"])
        if not TOTPDevice.objects.filter(user=analyst, confirmed=True).exists():
            TOTPDevice.objects.create(user=analyst, name="Demo authenticator", confirmed=True)
        agency_services.member_set(user=analyst, agency=home, regional_analyst=True)

        today = timezone.localdate()
        with agency_context.use(region):
            officer, _created = self._demo_user("riverside-liaison", "Sam", "Rivers")
            if officer.has_usable_password():
                officer.set_unusable_password()  # figures only: this account never signs in here
                officer.save(update_fields=["password"])
            agency_services.member_set(user=officer, agency=region)
            liaison, _created = Liaison.objects.get_or_create(
                user=officer, defaults={"badge_number": "R-001"}
            )
            communities = []
            for slug, name in (("bhutanese", "Bhutanese"), ("congolese", "Congolese")):
                comm, _created = PriorityCommunity.objects.get_or_create(
                    slug=slug,
                    defaults={
                        "name": name,
                        "name_en": name,
                        "languages": ["en"],
                        "active_from": today - dt.timedelta(days=400),
                    },
                )
                communities.append(comm)
            if not Contact.objects.filter(liaison=liaison).exists():
                for i in range(12):
                    contact = Contact.objects.create(
                        liaison=liaison,
                        date=today - dt.timedelta(days=9 * i),
                        kind=Contact.Kind.INFORMAL_VISIT,
                        people_reached=1 + i % 4,
                        language="en",
                    )
                    contact.communities.set([communities[i % 2]])
        return analyst

    def seed_records(self, users, options):
        """Each app's demo records, in the order the apps depend on each other."""
        liaison_demo.seed(users=users)
        from outreach import demo as outreach_demo

        outreach_demo.seed(users=users)
        from feedback import demo as feedback_demo

        feedback_demo.seed(users=users)
        from surveys import demo as surveys_demo

        surveys_demo.seed(users=users)
        from policies import demo as policies_demo

        policies_demo.seed(users=users)
        from engagement import demo as engagement_demo

        engagement_demo.seed(users=users)
