"""A real SMTP server (aiosmtpd) in a thread of the test process, counting what it accepts.

A message counts as delivered only once the server has answered 250 to its data: with
`delay`, the handler waits before answering, and a client that dies meanwhile (a killed
worker) has delivered nothing, exactly as with a real mail server."""

import asyncio
import email
import socket
import threading
from email import policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.lock = threading.Lock()
        self.accepted: list[email.message.EmailMessage] = []
        self.receiving = 0  # messages whose data arrived and are not answered yet

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.receiving += 1
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            parsed = email.message_from_bytes(envelope.content, policy=policy.default)
            with self.lock:
                self.accepted.append(parsed)
        finally:
            with self.lock:
                self.receiving -= 1
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self, delay: float = 0.0):
        self.recorder = Recorder(delay)
        self.port = free_port()
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list:
        with self.recorder.lock:
            return list(self.recorder.accepted)

    def recipients(self) -> list[str]:
        return [str(m["To"]) for m in self.messages]

    def start(self) -> "SMTPServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()
