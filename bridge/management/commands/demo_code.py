"""Print the current second-factor code of a demo account (DEBUG only): a newcomer trying
Bridge on their own machine needs no authenticator app."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .seed_demo import DEMO_ANALYST, DEMO_USERS


class Command(BaseCommand):
    help = "Print the current authenticator code of a demo account (only with DEBUG on)."

    def add_arguments(self, parser):
        parser.add_argument("username", choices=[u[0] for u in DEMO_USERS] + [DEMO_ANALYST[0]])

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_code works only with DEBUG on: real accounts use their own authenticator."
            )
        user = get_user_model().objects.get(username=username)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no authenticator yet: run seed_demo first.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
