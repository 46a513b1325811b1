"""SMS backends, chosen by settings.SMS_BACKEND (a dotted path)."""

import json
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class FileSMSBackend:
    """Writes each SMS as a JSON line under var/sms/ (the local default)."""

    def send(self, *, to: str, body: str, sender: str = "") -> None:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "outbox.jsonl", "a", encoding="utf-8") as fh:
            fh.write(
                json.dumps(
                    {"to": to, "from": sender, "body": body, "at": timezone.now().isoformat()},
                    ensure_ascii=False,
                )
            )
            fh.write("\n")


class TwilioSMSBackend:
    """Sends through Twilio's REST API (settings TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN), from
    the message's agency's number (agencies.conf.sms_number: its own, else TWILIO_FROM)."""

    def send(self, *, to: str, body: str, sender: str = "") -> None:
        from twilio.base.exceptions import TwilioRestException
        from twilio.rest import Client

        from agencies.conf import sms_number

        from .services import TransientError

        client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)
        try:
            client.messages.create(to=to, from_=sender or sms_number(), body=body)
        except TwilioRestException as exc:
            if exc.status == 429 or exc.status >= 500:
                raise TransientError(str(exc)) from exc
            raise
        except OSError as exc:
            raise TransientError(str(exc)) from exc


def get_sms_backend():
    return import_string(settings.SMS_BACKEND)()
