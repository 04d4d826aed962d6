"""Secrets never appear in output (security.md): one masking function for ``check-config``,
``serve``'s messages and the server log.

Two kinds of secret are masked as ``***``:

- a password inside any URL in the text (``postgresql://u:secret@h/db``,
  ``redis://:secret@h``, ``smtp://u:secret@h:25``, and ``?password=secret``);
- the values given as known secrets (the admin token, the passwords of the configured URLs),
  wherever they appear.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

MASK = "***"
# A known secret shorter than this is not searched for in text: masking every "ab" of a log
# line would make it unreadable, and a secret that short protects nothing anyway.
MIN_SECRET_LENGTH = 4

# scheme://netloc, the netloc up to the path, query, fragment, white space or a quote.
_URL = re.compile(r"\b([A-Za-z][A-Za-z0-9+.\-]*://)([^\s/?#'\"<>]*)")
_QUERY_PASSWORD = re.compile(r"(?i)([?&](?:password|passwd|pwd)=)[^&#\s'\"<>]*")


def _mask_userinfo(match: re.Match[str]) -> str:
    scheme, netloc = match.group(1), match.group(2)
    # The last '@' ends the user information (what urlsplit does): a raw '@' in a password
    # is masked along with the rest of it.
    userinfo, at, host = netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    if not at or not colon or not password:
        return match.group(0)
    return f"{scheme}{user}:{MASK}@{host}"


def mask_secrets(text: str, secrets: Iterable[str | None] = ()) -> str:
    """``text`` with every URL password and every known secret replaced by ``***``."""
    masked = _QUERY_PASSWORD.sub(lambda m: m.group(1) + MASK, _URL.sub(_mask_userinfo, text))
    # Longest first, so that a secret containing another is masked whole.
    known = {s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH}
    for secret in sorted(known, key=len, reverse=True):
        masked = masked.replace(secret, MASK)
    return masked


# Option names that hold a secret, whatever their value looks like: passwords, tokens,
# keys, credentials, and where the database and the bus are (their URLs carry credentials).
_SECRET_OPTION = re.compile(
    r"(?i)(pass(word|wd|phrase)?|pwd|secret|token|credential|private|signing|"
    r"(^|[._-])(api|access)?[._-]?keys?($|[._-])|apikey|database|(^|[._-])(db|dsn|bus)($|[._-]))"
)
# Values that are such URLs, whatever the option's name.
_SECRET_URL = re.compile(
    r"(?i)^\s*(postgres(ql)?|mysql|mariadb|sqlite|redis|rediss|amqps?|nats|kafka|mongodb"
    r"(\+srv)?|smtps?)://"
)


def is_secret_option(option: str, value: str) -> bool:
    """Whether an option is a secret never shown to a frame (configuration.getOption):
    by its name (password, token, key, database, bus...), or by its value (a URL with a
    password, or a database, bus or mail server URL)."""
    return (
        _SECRET_OPTION.search(option) is not None
        or _SECRET_URL.match(value) is not None
        or mask_secrets(value) != value
    )


def url_password(url: str | None) -> str | None:
    """The password inside ``url`` (raw and decoded forms are both secrets), if any."""
    if not url:
        return None
    try:
        return urlsplit(url).password
    except ValueError:
        return None


def url_secrets(*urls: str | None) -> list[str]:
    """The passwords of ``urls``, in the forms they may be printed in (as written, decoded)."""
    found: list[str] = []
    for url in urls:
        password = url_password(url)
        if password:
            found += [password, unquote(password)]
    return found


class SecretFilter(logging.Filter):
    """A log filter that masks secrets in the message and in the traceback of a record."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message, self.secrets)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            text = self._formatter.formatException(record.exc_info)
            record.exc_text = mask_secrets(text, self.secrets)
        return True


def install_log_masking(secrets: Iterable[str | None] = ()) -> SecretFilter:
    """Add one ``SecretFilter`` to every handler configured now (the root logger's and those
    of loggers with their own handlers, such as uvicorn's)."""
    mask = SecretFilter(secrets)
    loggers: list[logging.Logger] = [logging.getLogger()]
    loggers += [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if mask not in handler.filters:
                handler.addFilter(mask)
    return mask
