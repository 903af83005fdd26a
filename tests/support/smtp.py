"""A real SMTP server (aiosmtpd) for tests: messages are parsed and kept in memory."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import time
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Delivered:
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part else ""

    def links(self) -> list[str]:
        return re.findall(r"https?://[^\s<>\"]+", self.text)


class _Handler:
    def __init__(self) -> None:
        self.messages: list[Delivered] = []
        self.refused: set[str] = set()  # addresses answered with 550, to test retries

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address.lower() in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(Delivered(list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """Start, stop and restart on a fixed port, so an outage can be simulated."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.handler = _Handler()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[Delivered]:
        return self.handler.messages

    def start(self) -> SmtpServer:
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def refuse(self, address: str) -> None:
        """Answer 550 to RCPT TO for this address (a permanent-looking recipient error)."""
        self.handler.refused.add(address.lower())

    def to(self, address: str) -> list[Delivered]:
        return [m for m in self.messages if address.lower() in [r.lower() for r in m.recipients]]

    def wait_for(self, address: str, count: int = 1, timeout: float = 5.0) -> list[Delivered]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(address)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        got = len(self.to(address))
        raise AssertionError(f"expected {count} message(s) to {address}, got {got}")
