"""auth.getJwtToken against a real ``wwe-host serve``: a frame's token is verified with
PyJWT from the JWK set the server publishes at /.well-known/jwks.json, fetched over HTTP
as any back end would fetch it."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from websockets.sync.client import ClientConnection

from wwe_host.testing import ServerProcess, config_text, wwe_host_command

APP = "http://app.example:9100"
CONFIG = f"""
[wwe-host]
insecure-plain-password = true
admin-token = jwt-token-0123456789
jwt-lifetime = 90

[interaction-workspace]
service-client-api.accepted-web-content-origins = {APP} (auth.*)
service-client-api.workspace-web-content.dial-only = false
workspace.web-content = App

[App]
url = {APP}/app.html

[agent:ann]
firstname = Ann
lastname = Lee
employeeId = E-17
password = pw
roles = ROLE_AGENT, ROLE_SUPERVISOR
number = 5001
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(CONFIG, tmp_path_factory.mktemp("jwt"))
    process.start()
    try:
        yield process
    finally:
        process.stop()


def receive(ws: ClientConnection, kind: str) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(ws.recv(timeout=10))
        if message.get("type") == kind:
            return message


def token_of_a_frame(server: ServerProcess) -> str:
    with server.desktop_socket("ann", "pw") as ws:
        ws.send(json.dumps({"type": "frame.open", "ref": "o", "section": "App", "origin": APP}))
        frame_id = receive(ws, "frame.opened")["frameId"]
        request = {"request": "auth.getJwtToken", "referenceId": "1", "userAgent": "WWE Client"}
        ws.send(
            json.dumps(
                {
                    "type": "frame.message",
                    "frameId": frame_id,
                    "origin": APP,
                    "message": json.dumps(request),
                }
            )
        )
        reply = receive(ws, "frame.message")["message"]
    assert "errorMessage" not in reply, reply
    token: str = reply["data"]
    return token


def test_a_token_verifies_with_the_published_keys(server: ServerProcess) -> None:
    token = token_of_a_frame(server)
    response = httpx.get(server.url + "/.well-known/jwks.json", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/jwk-set+json")
    assert response.headers["access-control-allow-origin"] == "*"
    [key] = response.json()["keys"]
    assert key["alg"] == "ES256" and key["use"] == "sig" and "d" not in key
    # PyJWKClient fetches the set itself, picks the key by the token's kid and verifies.
    client = jwt.PyJWKClient(server.url + "/.well-known/jwks.json")
    signing_key = client.get_signing_key_from_jwt(token)
    claims = jwt.decode(
        token, signing_key.key, algorithms=["ES256"], audience=APP, issuer=server.url
    )
    assert claims["sub"] == "ann" and claims["name"] == "Ann Lee"
    assert claims["employeeId"] == "E-17"
    assert claims["roles"] == ["ROLE_AGENT", "ROLE_SUPERVISOR"]
    assert claims["exp"] - claims["iat"] == 90
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(token, signing_key.key, algorithms=["ES256"], audience="http://other.example")


def test_the_key_survives_a_restart(server: ServerProcess) -> None:
    before = httpx.get(server.url + "/.well-known/jwks.json", timeout=10).json()
    token = token_of_a_frame(server)
    server.stop()
    server.start()
    after = httpx.get(server.url + "/.well-known/jwks.json", timeout=10).json()
    assert after == before
    [key] = jwt.PyJWKSet.from_dict(after).keys
    assert jwt.decode(token, key, algorithms=["ES256"], audience=APP)["sub"] == "ann"


def test_serve_refuses_an_unusable_key_file(tmp_path: Path) -> None:
    key = tmp_path / "jwt.pem"
    key.write_text("not a key")
    config = tmp_path / "wwe-host.ini"
    config.write_text(config_text(CONFIG.replace("jwt-lifetime = 90", f"jwt-signing-key = {key}")))
    result = subprocess.run(
        [
            *wwe_host_command(),
            "serve",
            "--config",
            str(config),
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            str(tmp_path / "var"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith(
        f"error: [wwe-host] jwt-signing-key: {key}: not a PEM private key"
    )
    assert "Traceback" not in result.stderr
