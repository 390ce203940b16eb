"""A local SMTP server (aiosmtpd) on loopback that keeps the messages it receives."""

from __future__ import annotations

import re
import socket
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Collector:
    def __init__(self, messages: list[EmailMessage]) -> None:
        self.messages = messages

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = _free_port()
        self._controller = Controller(
            _Collector(self.messages), hostname="127.0.0.1", port=self.port
        )

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]

    def wait_for(self, address: str, count: int = 1, timeout: float = 15.0) -> list[EmailMessage]:
        """The messages to `address` once there are `count` of them. A password-reset answer
        waits a fixed time for its e-mail and no longer (the send goes on after it), so a busy
        machine may deliver it after the response: poll with a deadline, never sleep blind."""
        deadline = time.monotonic() + timeout
        while len(found := self.to(address)) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return found

    def link_in(self, message: EmailMessage) -> str:
        """The first local path of a link in the message's text."""
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        match = re.search(r"https?://[^/\s]+(/\S+)", body.get_content())
        assert match is not None, "no link in the message"
        return match.group(1)
