"""The files in deploy/ that are made from code (``python -m wwe_host.deploy_files DIR``
writes them; a test checks that the committed ones are what this makes)."""

from __future__ import annotations

import sys
from pathlib import Path

from .cluster import cluster_config, nginx_config

HEADER = "; Made by `python -m wwe_host.deploy_files deploy` from deploy/cluster.ini.\n"


def deploy_files(directory: Path) -> dict[str, str]:
    """File name → text, for the deploy/ directory."""
    cluster = (directory / "cluster.ini").read_text()
    return {
        "nginx.conf": nginx_config("0.0.0.0:8080", ["127.0.0.1:8101", "127.0.0.1:8102"]),
        "nginx-compose.conf": nginx_config(
            "0.0.0.0:8080", ["wwe-1:8101", "wwe-2:8101"], "/tmp", "nginx"
        ),
        "compose.ini": HEADER
        + cluster_config(
            cluster,
            public_url="http://localhost:8080",
            database="postgresql://postgres@postgres:5432/wwe_host",
            bus="redis://redis:6379/0",
        ),
    }


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "deploy")
    for name, text in deploy_files(target).items():
        (target / name).write_text(text)
