"""Add an agency to a running deployment, and optionally its first coordinator.

Lives in the wiring floor, not in agencies/: the coordinator's "choose your password" e-mail
is the staff invitation (bridge.staff.forms.NewAccountPasswordForm), and agencies imports no app.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.http.request import validate_host

from agencies import conf as agency_conf
from agencies import context
from agencies.services import agency_create, member_set
from bridge.staff.forms import NewAccountPasswordForm
from liaison import roles


class Command(BaseCommand):
    help = (
        "Add an agency (its slug is also its sub-domain under BRIDGE_AGENCY_DOMAIN) and optionally "
        "its first coordinator, who gets a 'choose your password' e-mail."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="e.g. storm-lake")
        parser.add_argument("name", help='e.g. "Storm Lake Police Community Liaison Unit"')
        parser.add_argument("--domain", default="", help="its own host name, e.g. liaison.stormlake.gov")
        parser.add_argument(
            "--sender-email", default="", help="the From of its e-mail (else DEFAULT_FROM_EMAIL)"
        )
        parser.add_argument("--coordinator", default="", help="username of its first coordinator")
        parser.add_argument("--email", default="", help="the coordinator's e-mail address")

    def handle(self, *args, slug, name, domain, sender_email, coordinator, email, **options):
        if bool(coordinator) != bool(email):
            raise CommandError("--coordinator and --email go together.")
        User = get_user_model()
        if coordinator:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise CommandError(f"--email: {exc.messages[0]}") from exc
            if User.objects.filter(username__iexact=coordinator).exists():
                raise CommandError(
                    f"An account named {coordinator!r} exists already; choose another username."
                )
        try:
            with transaction.atomic():
                agency = agency_create(
                    slug=slug, name=name, domain=domain.lower().strip("."), sender_email=sender_email
                )
                user = self._coordinator(agency, coordinator, email) if coordinator else None
        except ValidationError as exc:
            problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
            raise CommandError(f"The agency was not added: {problems}") from exc
        self._report(agency, user)

    def _coordinator(self, agency, username: str, email: str):
        """An account with no usable password, in the Coordinator group, working for the new
        agency; the invitation goes through the outbox as the new agency's mail."""
        user = get_user_model().objects.create_user(username=username, email=email, is_staff=True)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=roles.COORDINATOR))
        member_set(user=user, agency=agency)
        host = agency_conf.host(agency)
        site_url = agency_conf.site_url(agency) if host else None
        with context.use(agency):  # its row, its sender
            link = NewAccountPasswordForm(user)
            if link.is_valid():
                link.save(site_url=site_url)
        return user

    def _report(self, agency, user) -> None:
        write = self.stdout.write
        write(self.style.SUCCESS(f"Added agency {agency.slug!r} ({agency.name}), id {agency.pk}."))
        if user is not None:
            write(f"Coordinator {user.username!r}: a 'choose your password' link was sent to {user.email}.")
            write(
                "  It works once, for "
                f"{settings.PASSWORD_RESET_TIMEOUT // 60} minutes; at the first sign-in they set up "
                "their authenticator. If it expires: the sign-in page's 'Forgot your password?'."
            )
        write("Next:")
        host = agency_conf.host(agency)
        if not host:
            write(
                "  - It has no host name yet: set BRIDGE_AGENCY_DOMAIN (it then answers on "
                f"{agency.slug}.<that domain>) or give it a domain in the admin (Agencies). "
                "Until then its host is the default agency's."
            )
            return
        write(
            f"  - Point DNS for {host} at the proxy in front of the application servers (and its TLS certificate)."
        )
        if validate_host(host, settings.ALLOWED_HOSTS):
            write(f"  - ALLOWED_HOSTS already admits {host}.")
        else:
            base = settings.BRIDGE_AGENCY_DOMAIN
            hint = (
                f" (or .{base} once, for every agency's sub-domain)"
                if base and host.endswith("." + base)
                else ""
            )
            write(f"  - Add {host} to ALLOWED_HOSTS{hint} on every application server, then restart them.")
        write(
            "  - In the admin (Agencies) set its languages, time zone, quarter start, retention periods, "
            "SMS number and rate limits; empty ones follow the deployment's settings."
        )
