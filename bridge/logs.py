"""Keep concern tracking codes out of logs.

A tracking code is the only key to a concern's status, so it must not be readable in a log a
contractor or a log shipper can see. The printed address /<lang>/concerns/track/<code>/ puts it
in the request path, which Django logs on every 404 ("Not Found: ...") and runserver or
gunicorn on every request. `redact` replaces it (and any ?code= or admin search ?q= value, and
a code written out as K7QM-4XPT-9H anywhere in a message) with a fixed marker.

Used by RedactTrackingCodes (a logging filter, configured in settings.LOGGING) and by the
gunicorn access logger in bridge/gunicorn_conf.py.
"""

import logging
import re

MARK = "[code]"

# The segment after /concerns/track/, up to the next slash, query, space or quote: whatever it
# holds (a code, a mistyped code, an escaped NUL), it may be someone's code.
# Open311's /open311/v2/requests/<code>.json holds it the same way.
# The "was it resolved?" link (/concerns/followup/<token>/) answers for a concern the same way.
_TRACK_PATH = re.compile(
    r"(/concerns/track/|/concerns/followup/|/open311/v2/requests/)[^/?#\s\"']+", re.IGNORECASE
)
# ?code=... or &code=... (old bookmarks and links from before the look-up became a POST), and
# the admin's searches (?q=...), where staff type codes without dashes, addresses and keys.
# Open311 looks requests up by ?service_request_id=<codes>.
_CODE_QUERY = re.compile(r"([?&;](?:code|q|service_request_id)=)[^&#\s\"']*", re.IGNORECASE)
# A code as printed (K7QM-4XPT-9H): Crockford's base32, grouped four, four and two.
_SYMBOL = "[0-9A-HJKMNP-TV-Z]"
_PRINTED = re.compile(
    rf"(?<![0-9A-Z]){_SYMBOL}{{4}}-{_SYMBOL}{{4}}-{_SYMBOL}{{2}}(?![0-9A-Z])", re.IGNORECASE
)


def redact(text: str) -> str:
    text = _TRACK_PATH.sub(rf"\g<1>{MARK}", text)
    text = _CODE_QUERY.sub(rf"\g<1>{MARK}", text)
    return _PRINTED.sub(MARK, text)


class RedactTrackingCodes(logging.Filter):
    """Rewrites the record in place, so every handler and formatter after it sees the
    redacted message, including a traceback's text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is logging's to report, not ours
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
