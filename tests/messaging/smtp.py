"""A real SMTP server (aiosmtpd) in a thread of the test process, counting what it accepts.

A message counts as delivered only once the server has answered 250 to its data: with
`delay`, the handler waits before answering, and a client that dies meanwhile (a killed
worker) has delivered nothing, exactly as with a real mail server. A message whose client
gave up waiting for that answer is still counted: the server did take it.

`faults` makes it misbehave the way real servers do, once per entry, in order:
{("RCPT", "a@example.org"): ["451 4.7.1 Greylisted, try again later"]} answers that to the
first RCPT for the address and 250 after. The stage is "MAIL", "RCPT", "DATA" (the DATA
command itself, before any data is sent) or "END" (the answer to the whole message); the
address is the recipient ("*" for any; MAIL only knows "*"). An entry is an SMTP answer,
"drop" (close the connection instead of answering), "sleep <seconds>" (answer late; at END,
a client that hangs up meanwhile has delivered nothing) or, at END only, "late <seconds>"
(take the message at once, answer late: the client may give up, the message is delivered)."""

import asyncio
import email
import socket
import threading
from email import policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


DROP = "drop"


class Recorder:
    def __init__(self, delay: float = 0.0, faults: dict | None = None):
        self.delay = delay
        self.lock = threading.Lock()
        self.accepted: list[email.message.EmailMessage] = []
        self.peers: list[tuple] = []  # the client's (host, port) per accepted message: its connection
        self.receiving = 0  # messages whose data arrived and are not answered yet
        self.faults = {key: list(actions) for key, actions in (faults or {}).items()}
        self.faulted: list[tuple[str, str, str]] = []  # (stage, address, action) as they happened
        self.faulted_peers: list[tuple] = []  # the client's (host, port) of each, in the same order

    def add_fault(self, stage: str, address: str, *actions: str) -> None:
        with self.lock:
            self.faults.setdefault((stage, address), []).extend(actions)

    def _next_fault(self, stage: str, address: str) -> str | None:
        with self.lock:
            for key in ((stage, address), (stage, "*")):
                if self.faults.get(key):
                    action = self.faults[key].pop(0)
                    self.faulted.append((stage, address, action))
                    return action
        return None

    async def fault(self, server, stage: str, address: str) -> str | None:
        """The answer to give instead of the normal one, or None to go on as normal."""
        action = self._next_fault(stage, address)
        if action is None:
            return None
        with self.lock:
            self.faulted_peers.append(server.session.peer)
        if action.startswith("sleep "):
            await asyncio.sleep(float(action.split()[1]))
            return None
        if action == DROP:
            server.transport.abort()  # no answer at all: the client reads end-of-file
            return DROP
        return action

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802 - aiosmtpd's hook name
        answer = await self.fault(server, "MAIL", "*")
        if answer:
            return answer
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        answer = await self.fault(server, "RCPT", address)
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.lock:
            self.receiving += 1
        try:
            answer = await self.fault(server, "END", envelope.rcpt_tos[0])
            late = answer.split()[1] if answer and answer.startswith("late ") else None
            if answer and not late:
                return answer
            if self.delay:
                await asyncio.sleep(self.delay)
            parsed = email.message_from_bytes(envelope.content, policy=policy.default)
            with self.lock:
                self.accepted.append(parsed)
                self.peers.append(session.peer)
            if late:
                await asyncio.sleep(float(late))
        finally:
            with self.lock:
                self.receiving -= 1
        return "250 Message accepted for delivery"


class FaultySMTP(SMTP):
    """aiosmtpd's server, able to answer the DATA command itself wrongly (no hook for that)."""

    async def smtp_DATA(self, arg: str) -> None:  # noqa: N802 - aiosmtpd's command method name
        rcpt = self.envelope.rcpt_tos[0] if self.envelope and self.envelope.rcpt_tos else ""
        answer = await self.event_handler.fault(self, "DATA", rcpt)
        if answer == DROP:
            return
        if answer:
            await self.push(answer)
            return
        await super().smtp_DATA(arg)


class FaultyController(Controller):
    def factory(self):
        return FaultySMTP(self.handler, **self.SMTP_kwargs)


class SMTPServer:
    def __init__(self, delay: float = 0.0, faults: dict | None = None):
        self.recorder = Recorder(delay, faults)
        self.port = free_port()
        self.controller = FaultyController(self.recorder, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list:
        with self.recorder.lock:
            return list(self.recorder.accepted)

    def recipients(self) -> list[str]:
        return [str(m["To"]) for m in self.messages]

    def connections(self) -> dict[str, tuple]:
        """Recipient -> the client's (host, port) it came in on: same port, same connection."""
        with self.recorder.lock:
            return {
                str(m["To"]): peer
                for m, peer in zip(self.recorder.accepted, self.recorder.peers, strict=True)
            }

    def start(self) -> "SMTPServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()
