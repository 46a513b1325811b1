from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agencies import conf
from languages import registry
from liaison import queue

from . import offline


def language_choices(agency=None) -> list[dict]:
    """The languages the agency offers, each named in itself, for the language switcher."""
    offered = set(conf.languages(agency=agency))
    return [
        {"code": lang.code, "name_local": lang.name_local, "direction": lang.direction}
        for lang in registry.LANGUAGES
        if lang.code in offered
    ]


def site(request):
    script = registry.get(translation.get_language()).script
    agency = getattr(request, "agency", None)  # already loaded: no look-up per page
    unit_name = conf.unit_name(agency=agency)
    return {
        "language_choices": language_choices(agency),
        "language_script": script,
        "font_stylesheets": registry.font_stylesheets(script),
        "unit_name": unit_name,
        "agency_logo": agency.logo.name if agency is not None and agency.logo else "",
        # The header names an agency that has its own name or logo; a one-agency deployment
        # that set neither keeps the header it always had.
        "agency_branded": agency is not None
        and (bool(agency.logo) or unit_name is not settings.BRIDGE_UNIT_NAME),
        "emergency_number": settings.EMERGENCY_NUMBER,
        "offline_config": offline_config(request),
    }


def offline_config(request) -> dict | None:
    """What static/js/offline.js needs on a signed-in, verified staff page: the account's
    device store and every text it shows, in the page's language."""
    user = getattr(request, "user", None)
    if not offline.verified(user):
        return None
    days = settings.BRIDGE_OFFLINE_STALE_DAYS
    return {
        "store": offline.store_id(user),
        # What the server has just taken from a form the device kept a copy of.
        "sent": request.session.pop(queue.SENT_KEY, None),
        "staleDays": days,
        # "Today" is the unit's day, as the server counts it (a date in the future is refused).
        "timeZone": conf.time_zone(agency=getattr(request, "agency", None)),
        "text": {
            "offline": _(
                "You are offline. What you save stays on this device and is sent when you are back online."
            ),
            "waiting": _("Waiting to send: %(count)s"),
            "unsent": _("Not sent yet: %(count)s"),
            "sending": _("Sending…"),
            "sent": _("Sent: %(count)s. Everything saved on this device is on the server."),
            "savedHere": _("Saved on this device. It is sent as soon as you are back online."),
            "retry": _("The server could not be reached. Bridge tries again by itself."),
            "signin": _("Sign in again"),
            "mfa": _("Enter your sign-in code"),
            "refused": _("Not accepted"),
            "toCorrect": _("To correct before it can be sent: %(count)s"),
            "correct": _("Correct it"),
            "edit": _("Edit"),
            "remove": _("Remove"),
            "removeConfirm": _("Delete this from the device? It will never be sent."),
            "editing": _("You are changing something saved on this device. Save it to keep the change."),
            "stale": ngettext(
                "Saved more than %(days)d day ago: check that it is still right before it is sent.",
                "Saved more than %(days)d days ago: check that it is still right before it is sent.",
                days,
            )
            % {"days": days},
            "savedOn": _("Saved %(when)s"),
            "contact": _("Contact"),
            "attendance": _("Attendance"),
        },
    }
