"""The built-in demo configuration (``wwe_host/demo.ini``), used when no ``--config`` is given."""

from __future__ import annotations

from importlib import resources
from typing import Final

from wwe_host.settings import Config

from .parser import parse_config

__all__ = ["DEMO_APP_PLACEHOLDER", "DEMO_LOGINS", "demo_config"]

DEMO_LOGINS: Final[tuple[tuple[str, str], ...]] = (
    ("agent1", "agent1"),
    ("agent2", "agent2"),
    ("supervisor", "supervisor"),
)
DEMO_APP_PLACEHOLDER: Final = "{demo_app}"
# The folder of the package's demo files (the demo campaign's CSV).
DEMO_DATA_PLACEHOLDER: Final = "{demo_data}"


def demo_config(demo_app_url: str) -> Config:
    """The built-in demo (no ``--config``), with the demo app served at ``demo_app_url``."""
    base = demo_app_url.strip().rstrip("/")
    package = resources.files("wwe_host")
    text = package.joinpath("demo.ini").read_text(encoding="utf-8")
    text = text.replace(DEMO_DATA_PLACEHOLDER, str(package))
    return parse_config(text.replace(DEMO_APP_PLACEHOLDER, base), "<demo>")
