"""An agency's own settings, each falling back to the deployment's (bridge/settings.py) when the
agency leaves it empty: the one place code asks "which name, time zone, sender, limit... for
the agency being worked for?". Pass `agency=` to ask for a given one (a task for a row)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from agencies import context
from agencies.models import Agency
from agencies.selectors import agency_get, all_agencies, current_agency


def _agency(agency: Agency | int | None) -> Agency:
    if agency is None:
        return current_agency()
    if isinstance(agency, Agency):
        return agency
    return agency_get(int(agency))


BUILT_IN_NAME = "Community Liaison Unit"  # bridge/settings.py's BRIDGE_UNIT_NAME when unset


def unit_name(agency=None):
    """The agency's name; the deployment's default name (translated for each reader) when the
    agency still carries it untouched."""
    name = _agency(agency).name
    default = settings.BRIDGE_UNIT_NAME
    with translation.override("en"):
        untouched = {str(default), BUILT_IN_NAME}
    # The built-in name too: a deployment that names its unit later (BRIDGE_UNIT_NAME) after
    # its first agency took the built-in one shows the new name, as it did before agencies.
    return default if not name or name in untouched else name


def time_zone(agency=None) -> str:
    return _agency(agency).time_zone or settings.TIME_ZONE


def default_time_zone() -> str:
    """The time zone of the agency being worked for (a request's, a task's); outside any (a
    shell, a unit test without a database) the deployment's."""
    if context.current_id() is None:
        return settings.TIME_ZONE
    return time_zone()


def quarter_start_month(agency=None) -> int:
    return _agency(agency).quarter_start_month or int(settings.BRIDGE_FISCAL_YEAR_START_MONTH)


def languages(agency=None) -> list[str]:
    """The language codes the agency offers (all the deployment's when it chose none)."""
    declared = [code for code, _name in settings.LANGUAGES]  # the deployment's (languages.registry)
    chosen = [code for code in (_agency(agency).languages or []) if code in declared]
    return chosen or declared


def default_language(agency=None) -> str:
    offered = languages(agency)
    chosen = _agency(agency).default_language
    if chosen in offered:
        return chosen
    return settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in offered else offered[0]


def by_retention_period(run, period, *, days: int | None = None) -> int:
    """Run a retention purge, `run(days=...)`, and return what it counted: given `days`, with
    those; while working for an agency, with that agency's `period()`; with no agency (the
    daily beat sweep), inside each agency in turn with its own period."""
    if days is not None:
        return run(days=days)
    if context.current_id() is not None:
        return run(days=period())
    total = 0
    for agency in all_agencies():
        with context.use(agency):
            total += run(days=period(agency=agency))
    return total


def concern_contact_retention_days(agency=None) -> int:
    return _agency(agency).concern_contact_retention_days or settings.FEEDBACK_CONTACT_RETENTION_DAYS


def message_address_retention_days(agency=None) -> int:
    return _agency(agency).message_address_retention_days or settings.MESSAGING_ADDRESS_RETENTION_DAYS


def sender_email(agency=None) -> str:
    """The From of the agency's e-mail: its own address, shown with its name."""
    chosen = _agency(agency).sender_email
    if not chosen:
        return settings.DEFAULT_FROM_EMAIL
    from email.utils import formataddr  # noqa: PLC0415 - only when an agency has its own

    return formataddr((str(unit_name(agency)), chosen))


def host(agency=None) -> str:
    """The host name the agency answers on (agencies.selectors.agency_for_host read the other
    way): its own domain, else <slug>.<BRIDGE_AGENCY_DOMAIN>; "" when it has neither."""
    chosen = _agency(agency)
    if chosen.domain:
        return chosen.domain
    if settings.BRIDGE_AGENCY_DOMAIN:
        return f"{chosen.slug}.{settings.BRIDGE_AGENCY_DOMAIN}"
    return ""


def site_url(agency=None) -> str:
    """The address links in the agency's messages start with: SITE_URL's scheme (and port) on
    the agency's own host, where its subscribers, submitters and staff are recognised. SITE_URL
    itself for the default agency without a domain of its own, and for an agency with no host."""
    from urllib.parse import urlsplit  # noqa: PLC0415 - only here

    chosen = _agency(agency)
    name = host(chosen)
    if not name or (not chosen.domain and chosen.slug == settings.BRIDGE_DEFAULT_AGENCY):
        return settings.SITE_URL
    parts = urlsplit(settings.SITE_URL)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{name}{port}"


def sms_number(agency=None) -> str:
    return _agency(agency).sms_number or settings.TWILIO_FROM


RATE_SETTINGS = {
    "submit": ("submit_rate", "FEEDBACK_SUBMIT_RATE"),
    "track": ("track_rate", "FEEDBACK_TRACK_RATE"),
    "signup": ("signup_rate", "OUTREACH_SIGNUPS_RATE"),
}


def rate(name: str, agency=None) -> str:
    field, setting = RATE_SETTINGS[name]
    return getattr(_agency(agency), field) or getattr(settings, setting)
