"""The cluster's parts (cluster.py, deploy_files.py): the nginx configuration is valid for
the real nginx, deploy/ holds what the code makes, and a missing database is made."""

from __future__ import annotations

import subprocess
from pathlib import Path

import psycopg
import pytest
from postgres_support import SERVER

from wwe_host.cluster import NGINX, cluster_config, ensure_database, nginx_config
from wwe_host.deploy_files import deploy_files

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_the_nginx_configuration_passes_nginx_own_check(tmp_path: Path) -> None:
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_config("127.0.0.1:18080", ["127.0.0.1:18101"], str(tmp_path), "root"))
    checked = subprocess.run(
        [NGINX, "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr


def test_deploy_holds_what_the_code_makes() -> None:
    for name, text in deploy_files(DEPLOY).items():
        assert (DEPLOY / name).read_text() == text, f"deploy/{name} is stale: make it again"


def test_every_process_of_a_cluster_gets_the_shared_settings() -> None:
    text = cluster_config(
        "[wwe-host]\nadmin-token = t\n[agent:a]\nnumber = 1\n",
        public_url="http://lb:8080",
        database="postgresql://db/x",
        bus="redis://r:6379/0",
    )
    assert "public-url = http://lb:8080" in text and "bus = redis://r:6379/0" in text
    assert "admin-token = t" in text and "[agent:a]" in text


def test_a_missing_database_is_made_once() -> None:
    name = "wwe_test_cluster_made"
    url = f"{SERVER.rsplit('/', 1)[0]}/{name}"
    try:
        admin = psycopg.connect(SERVER, autocommit=True, connect_timeout=5)
    except psycopg.Error as problem:
        pytest.fail(f"this test needs PostgreSQL at {SERVER} ({problem})")
    try:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"'.encode())
        assert ensure_database(url) is True
        assert ensure_database(url) is False
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())
        admin.close()
