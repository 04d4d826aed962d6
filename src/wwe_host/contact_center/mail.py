"""Outbound e-mail over real SMTP, when ``[wwe-host] smtp`` is set.

smtplib runs in a worker thread: a mail server may be slow, and the event loop must not
wait for it. A failure is reported back; the message stays in the outbox either way.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit


class SmtpSender:
    def __init__(self, url: str, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        self.secure = parts.scheme == "smtps"
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or (465 if self.secure else 25)
        self.username = parts.username
        self.password = parts.password
        self.timeout = timeout

    def _send(self, mail: dict[str, Any]) -> None:
        message = EmailMessage()
        message["From"] = str(mail.get("from") or "")
        message["To"] = str(mail.get("to") or "")
        message["Subject"] = str(mail.get("subject") or "")
        message["Message-ID"] = f"<{mail.get('messageId')}@wwe-host>"
        message.set_content(str(mail.get("body") or ""))
        client: smtplib.SMTP
        if self.secure:
            client = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            if self.username:
                client.login(self.username, self.password or "")
            client.send_message(message)

    async def send(self, mail: dict[str, Any]) -> None:
        """Send one message; raises ``OSError`` / ``smtplib.SMTPException`` on failure."""
        await asyncio.to_thread(self._send, mail)
