"""Shared set-up for outbound campaign tests: a configuration with campaigns and CSV files."""

from __future__ import annotations

from pathlib import Path

from engine_support import base_ini

from wwe_host.config import Config, parse_config

CSV = """phone,chain,name,balance
+15550001,c1,Ann Lee,120
+15550002,c1,Ann Lee (work),120
+15550003,,Bob Ray,80
+15550004,,Cy Dee,10
"""

CAMPAIGNS = """
[campaign:spring]
mode = preview
agents = jdoe, asmith
records = spring.csv

[campaign:push]
mode = push-preview
agents = jdoe
records = push.csv
call-results = Sale = 101, No Sale = 102, Busy = 6
"""


def outbound_config(tmp_path: Path, delay: float = 0.05, server: str = "") -> Config:
    """The engine tests' configuration plus two campaigns, written next to their CSVs."""
    (tmp_path / "spring.csv").write_text(CSV)
    (tmp_path / "push.csv").write_text("phone,name\n+15559001,Pia\n+15559002,Quinn\n")
    text = base_ini(
        extra="service-client-api.workspace-web-content.dial-only = false",
        delay=delay,
        server=server,
    )
    path = tmp_path / "wwe-host.ini"
    path.write_text(text + CAMPAIGNS)
    return parse_config(path.read_text(), str(path))
