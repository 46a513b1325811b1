"""SMTP that knows how far a message got, so a failure can be told apart from a delivery.

A failed send is one of three things, and only the connection can tell which:
- the data never fully went out (refused, dropped or interrupted before the final CRLF.CRLF):
  nothing was delivered, so trying again is safe;
- the server answered the data with 4xx or 5xx: it said no, and said whether to try again;
- the data and its terminator went out but no readable answer came back (the connection
  dropped, the answer timed out, the task was interrupted while waiting): the server may well
  have delivered it. Sending it again could deliver it twice, so the outbox does not.

TrackingSMTP notes the moment the terminator leaves and the first answer read after it;
EmailBackend is Django's SMTP backend using it (connection_class).
"""

import smtplib

from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend

TERMINATOR = b"\r\n.\r\n"

TRANSIENT, PERMANENT, UNCONFIRMED = "transient", "permanent", "unconfirmed"


class _Tracking:
    data_sent = False  # the whole message and its terminator were handed to the socket
    data_reply: int | None = None  # the code the server answered the data with

    def sendmail(self, *args, **kwargs):
        self.data_sent, self.data_reply = False, None  # one mail transaction at a time
        return super().sendmail(*args, **kwargs)

    def send(self, s):
        ends_data = isinstance(s, bytes | bytearray) and s.endswith(TERMINATOR)
        super().send(s)
        # Only after sendall returned: if it raised, the terminator never went out and the
        # server cannot have taken the message.
        if ends_data:
            self.data_sent = True

    def getreply(self):
        reply = super().getreply()
        if self.data_sent and self.data_reply is None:
            self.data_reply = reply[0]
        return reply


class TrackingSMTP(_Tracking, smtplib.SMTP):
    pass


class TrackingSMTP_SSL(_Tracking, smtplib.SMTP_SSL):  # noqa: N801 - named after smtplib's class
    pass


class EmailBackend(DjangoSMTPBackend):
    """Django's SMTP backend on TrackingSMTP: EMAIL_BACKEND may name either."""

    @property
    def connection_class(self):
        return TrackingSMTP_SSL if self.use_ssl else TrackingSMTP


def data_state_clear(backend) -> None:
    """Forget the previous message's state before a new one (sendmail clears it too, but a
    failure before sendmail, building the message, must not read the last one's)."""
    conn = getattr(backend, "connection", None)
    if conn is not None:
        conn.data_sent, conn.data_reply = False, None


def data_state(backend) -> tuple[bool, int | None]:
    """(data sent, the code it was answered with) for the backend's last message."""
    conn = getattr(backend, "connection", None)
    return bool(getattr(conn, "data_sent", False)), getattr(conn, "data_reply", None)


def _code_kind(code: int) -> str:
    if 400 <= code < 500:
        return TRANSIENT
    if 500 <= code < 600:
        return PERMANENT
    return ""  # 250 where 354 was due, -1 for an unreadable line: a confused exchange


def classify(exc: BaseException, *, data_sent: bool = False, data_reply: int | None = None) -> str:
    """TRANSIENT, PERMANENT or UNCONFIRMED for an exception raised while sending one message."""
    if data_sent:
        # The server has the message. Only a clear 4xx/5xx answer to it says it did not
        # take it; silence, a lost connection or a code that means neither may be a delivery.
        return (data_reply is not None and _code_kind(data_reply)) or UNCONFIRMED
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        # We send to one recipient; several would all have to be temporary to retry.
        kinds = {_code_kind(code) for code, _ in exc.recipients.values()}
        return TRANSIENT if kinds and kinds <= {TRANSIENT, ""} else PERMANENT
    if isinstance(exc, smtplib.SMTPResponseException):
        # A code that is neither 4xx nor 5xx before the data went out (SMTPDataError(250) at
        # the DATA command: a stale answer read on a confused connection) delivered nothing.
        return _code_kind(exc.smtp_code) or TRANSIENT
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return TRANSIENT
    if isinstance(exc, smtplib.SMTPException):
        return PERMANENT  # no suitable authentication, an extension missing: retrying won't help
    if isinstance(exc, OSError):
        return TRANSIENT  # refused, no route, timed out
    return PERMANENT  # a message that cannot be encoded and the like
