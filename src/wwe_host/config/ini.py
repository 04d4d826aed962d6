"""Reading the INI text: a file's bytes to text, the text to sections of options."""

from __future__ import annotations

import codecs
import configparser
from pathlib import Path

from .values import ConfigError

__all__ = ["read_ini", "read_text"]


def read_ini(text: str, source: str) -> dict[str, dict[str, str]]:
    parser = configparser.ConfigParser(
        interpolation=None,
        delimiters=("=",),
        comment_prefixes=("#", ";"),
        inline_comment_prefixes=("#", ";"),  # configparser needs white space before these
        empty_lines_in_values=False,
        default_section="",  # `[DEFAULT]` is an ordinary (unknown) section, no magic
        strict=True,
    )
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    try:
        parser.read_string(text, source=source)
    except configparser.DuplicateSectionError as exc:
        raise ConfigError(
            f"{source}, line {exc.lineno}: section [{exc.section}] appears twice"
        ) from None
    except configparser.DuplicateOptionError as exc:
        raise ConfigError(
            f"{source}, line {exc.lineno}: [{exc.section}] {exc.option} is set twice"
        ) from None
    except configparser.MissingSectionHeaderError as exc:
        raise ConfigError(
            f"{source}, line {exc.lineno}: an option before any [section]: {exc.line.strip()!r}"
        ) from None
    except configparser.ParsingError as exc:
        text_lines = text.splitlines()
        lines = "; ".join(f"line {n}: {text_lines[n - 1].strip()!r}" for n, _ in exc.errors)
        raise ConfigError(f"{source}: expected 'option = value' lines: {lines}") from None
    except configparser.Error as exc:
        raise ConfigError(f"{source}: {exc.message}") from None
    return {name: dict(parser.items(name)) for name in parser.sections()}


def read_text(path: str | Path) -> str:
    """A file's text; an unreadable or non-UTF-8 file is a ConfigError (one error path)."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    try:
        # utf-8-sig: a file saved with a byte-order mark (Windows editors) reads the same.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        at = exc.start + (len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0)
        line = data.count(b"\n", 0, at) + 1
        raise ConfigError(
            f"{path}, line {line}: not UTF-8 text ({exc.reason} at byte {at}); "
            "save the file as UTF-8"
        ) from None
    return text
