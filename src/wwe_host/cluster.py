"""Several ``wwe-host serve`` processes behind nginx, on one PostgreSQL and one Redis.

``wwe-host cluster`` (and ``make cluster``) starts them on this machine; the tests start
the same thing (tests/integration/test_cluster.py). The nginx configuration is rendered
by ``nginx_config``; ``deploy/nginx.conf`` is its output for two processes, kept equal by a
test. Processes share nothing but the database and the bus: no sticky sessions, any
process may serve any request or desktop (docs/architecture.md, "Several processes").
"""

from __future__ import annotations

import configparser
import getpass
import io
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
from psycopg import sql

from .processes import ServerProcess, free_port
from .security.secrets import mask_secrets

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_config(
    listen: str,
    backends: list[str],
    directory: str = "/var/lib/wwe-host/nginx",
    user: str = "www-data",
) -> str:
    """An nginx configuration that balances ``backends`` (host:port) round robin, passes
    WebSocket upgrades on, and never retries a request that may have changed something;
    its pid, log and temporary files go to ``directory``, its workers run as ``user``."""
    servers = "\n".join(f"        server {b} max_fails=1 fail_timeout=2s;" for b in backends)
    return f"""# wwe-host behind nginx (Debian's nginx-light is enough). No sticky sessions: any
# process serves any request and any desktop WebSocket (docs/architecture.md).
user {user};
worker_processes auto;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
daemon off;

events {{
    worker_connections 16384;
}}

http {{
    access_log off;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        '' '';
    }}

    upstream wwe_host {{
{servers}
        keepalive 64;
    }}

    server {{
        listen {listen};
        client_max_body_size 4m;

        location / {{
            proxy_pass http://wwe_host;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            # A desktop's WebSocket stays open for the working day.
            proxy_read_timeout 1d;
            proxy_send_timeout 1d;
            proxy_buffering off;
            # A process that is down is skipped; a request that reached one is never sent
            # to another (POST is not idempotent: nginx does not retry it by default).
            proxy_connect_timeout 2s;
            proxy_next_upstream error timeout http_502 http_503;
        }}
    }}
}}
"""


def cluster_config(text: str, *, public_url: str, database: str, bus: str) -> str:
    """``text`` (an INI configuration) with the settings every process of a cluster shares."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    if not parser.has_section("wwe-host"):
        parser.add_section("wwe-host")
    parser["wwe-host"]["public-url"] = public_url
    parser["wwe-host"]["database"] = database
    parser["wwe-host"]["bus"] = bus
    out = io.StringIO()
    parser.write(out)
    return out.getvalue()


class Cluster:
    """``processes`` servers and one nginx in ``directory``; ``url`` is nginx's."""

    def __init__(
        self,
        text: str,
        directory: Path,
        *,
        database: str,
        bus: str,
        processes: int = 2,
        port: int | None = None,
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.directory = directory
        config = cluster_config(text, public_url=self.url, database=database, bus=bus)
        self.servers = [
            ServerProcess(config, directory / f"process-{n + 1}", public_url=self.url)
            for n in range(processes)
        ]
        self.nginx_dir = directory / "nginx"
        self.nginx: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the processes one after the other (the first migrates the database),
        then nginx; return once nginx answers ``/healthz``."""
        for server in self.servers:
            server.start()
        self.nginx_dir.mkdir(parents=True, exist_ok=True)
        conf = self.nginx_dir / "nginx.conf"
        conf.write_text(
            nginx_config(
                f"127.0.0.1:{self.port}",
                [f"127.0.0.1:{s.port}" for s in self.servers],
                str(self.nginx_dir),
                getpass.getuser(),  # the temporary files are in a directory of ours
            )
        )
        with (self.nginx_dir / "nginx.out").open("ab") as out:
            self.nginx = subprocess.Popen(
                [NGINX, "-c", str(conf), "-p", str(self.nginx_dir)],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        self._wait_nginx()

    def _wait_nginx(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            assert self.nginx is not None
            if self.nginx.poll() is not None:
                log = (self.nginx_dir / "error.log").read_text(errors="replace")
                raise RuntimeError(f"nginx exited with {self.nginx.returncode}:\n{log}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.05)
        raise RuntimeError("nginx did not answer /healthz")

    def stop(self) -> None:
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)  # graceful: finish what is in flight
            try:
                self.nginx.wait(10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait(10)
        for server in self.servers:
            server.stop()


def ensure_database(url: str) -> bool:
    """Create the PostgreSQL database ``url`` names when it does not exist (connecting to
    the server's ``postgres`` database); True when it was made."""
    try:
        psycopg.connect(url, connect_timeout=5).close()
        return False
    except psycopg.OperationalError as problem:
        if "does not exist" not in str(problem):
            raise
    base, name = url.rsplit("/", 1)
    name = name.split("?", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def run_cluster(
    config: Path, directory: Path, *, database: str, bus: str, processes: int, port: int
) -> int:
    """``wwe-host cluster``: start the cluster, print its address, wait for Ctrl-C."""
    cluster = Cluster(
        config.read_text(),
        directory,
        database=database,
        bus=bus,
        processes=processes,
        port=port,
    )
    try:
        if ensure_database(database):
            print(f"wwe-host cluster: made the database {mask_secrets(database)}", flush=True)
        cluster.start()
    except (RuntimeError, OSError, psycopg.Error) as problem:
        cluster.stop()
        print(f"error: cannot start the cluster: {problem}", flush=True)
        return 2
    print(f"wwe-host cluster: agent desktop at {cluster.url}/ (nginx)", flush=True)
    for server in cluster.servers:
        print(f"wwe-host cluster: process at {server.url}/ (log {server.log_path})", flush=True)
    try:
        while all(s.proc is not None and s.proc.poll() is None for s in cluster.servers):
            time.sleep(0.5)
        print("error: a process of the cluster exited; stopping the others", flush=True)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop()
