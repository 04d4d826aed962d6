"""Secrets never appear in output (security/secrets.py): URL passwords and known secrets are
masked by the one function that check-config, serve and the log filter use."""

from __future__ import annotations

import io
import logging

import pytest

from wwe_host.security.secrets import (
    MASK,
    SecretFilter,
    install_log_masking,
    mask_secrets,
    url_secrets,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("postgresql://u:secret@h/db", "postgresql://u:***@h/db"),
        ("postgres://wwe:s3cr%40t@db.example:5432/wwe", "postgres://wwe:***@db.example:5432/wwe"),
        ("redis://:secret@127.0.0.1:6379/0", "redis://:***@127.0.0.1:6379/0"),
        ("rediss://user:pw@cache/1", "rediss://user:***@cache/1"),
        ("smtp://mailer:pa55@mail.example:587", "smtp://mailer:***@mail.example:587"),
        # A raw '@' inside the password: the last '@' ends the user information.
        ("postgresql://u:p@ss@h/db", "postgresql://u:***@h/db"),
        (
            "postgresql://h/db?user=u&password=secret&x=1",
            "postgresql://h/db?user=u&password=***&x=1",
        ),
        ("bus = 'redis://:secret@h' refused", "bus = 'redis://:***@h' refused"),
        # Nothing to mask: no password, a user alone, a plain path.
        ("postgresql://wwe@db/wwe", "postgresql://wwe@db/wwe"),
        ("sqlite:///./var/wwe-host.db", "sqlite:///./var/wwe-host.db"),
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        ("http://127.0.0.1:9001/crm.html#/case/$Interaction.CaseId$", None),
    ],
)
def test_url_passwords_are_masked(text: str, expected: str | None) -> None:
    assert mask_secrets(text) == (text if expected is None else expected)


def test_known_secrets_are_masked_wherever_they_appear() -> None:
    text = "token abcd-1234 sent, again abcd-1234; short ab stays"
    assert mask_secrets(text, ["abcd-1234", "ab", None, ""]) == (
        f"token {MASK} sent, again {MASK}; short ab stays"
    )


def test_url_secrets_are_the_passwords_as_written_and_decoded() -> None:
    assert url_secrets("postgresql://u:s3cr%40t@h/db", "memory", None, "redis://h") == [
        "s3cr%40t",
        "s3cr@t",
    ]


def test_the_log_filter_masks_messages_arguments_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(SecretFilter(["the-admin-token"]))
    logger = logging.getLogger("wwe_host.test_secrets")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("cannot reach %s", "redis://:hunter22@cache:6379/0")
        logger.warning("header Bearer the-admin-token")
        try:
            raise ConnectionError("postgresql://wwe:hunter22@db/wwe refused")
        except ConnectionError:
            logger.exception("store down")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "hunter22" not in text and "the-admin-token" not in text
    assert "redis://:***@cache:6379/0" in text
    assert "Bearer ***" in text
    assert "postgresql://wwe:***@db/wwe refused" in text  # the traceback's last line


def test_install_reaches_the_handlers_of_other_loggers() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    other = logging.getLogger("wwe_host.test_secrets.other")
    other.addHandler(handler)
    other.propagate = False
    try:
        mask = install_log_masking(["sekrit-token"])
        other.error("token sekrit-token")
    finally:
        other.removeHandler(handler)
        for logger in [logging.getLogger(), *logging.root.manager.loggerDict.values()]:
            if isinstance(logger, logging.Logger):
                for each in logger.handlers:
                    each.removeFilter(mask)
    assert stream.getvalue() == f"token {MASK}\n"
