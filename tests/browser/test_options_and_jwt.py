"""configuration.getOption and auth.getJwtToken from a real cross-origin iframe: the frame
reads the options the read list allows with the agent's overrides and never a secret, and
its JWT verifies with PyJWT from the server's /.well-known/jwks.json."""

from __future__ import annotations

from collections.abc import Callable

import jwt
import pytest
from browser_support import (
    Pages,
    WweServer,
    agent_section,
    ok,
    open_desktop,
    section_frame,
    standard_config,
)

pytestmark = pytest.mark.browser

SECRETS = ("k-0123456789", "hunter22", "browser-test-token", "pw-opts", "t-55555555")
OPTIONS = """crm.color = blue
crm.api-key = k-0123456789
crm.backend = https://svc:hunter22@crm.example/api
crm.page = https://crm.example/page
service-client-api.configuration.read-allowed = interaction-workspace/*, CRM/*, wwe-host/*,
    agent:opts/*, Widgets/*
"""
WIDGETS = """
[Widgets]
theme = dark
session-token = t-55555555
"""


@pytest.fixture(scope="module")
def own_server(
    wwe_server_factory: Callable[[Callable[[str], str]], WweServer], pages: Pages
) -> WweServer:
    def config(url: str) -> str:
        agents = agent_section("opts", "7101", "crm.color = red") + WIDGETS
        text = standard_config(url, pages, agents=agents)
        return text.replace("[interaction-workspace]\n", "[interaction-workspace]\n" + OPTIONS, 1)

    return wwe_server_factory(config)


def test_get_option_and_jwt_token(new_context, own_server, pages):
    page = open_desktop(new_context(), own_server, "opts", "pw-opts")
    assert ok(section_frame(page, "Dialer"), "voice.dial", "5550080") == {"interactionId": "1"}
    crm = section_frame(page, "CRM", "1")

    got = ok(crm, "configuration.getOption", ["crm.*", "voice.auto-answer"])
    assert got == {"crm.color": "red", "crm.page": "https://crm.example/page"}  # agent's own
    everything = ok(
        crm,
        "configuration.getOption",
        ["*", "CRM/*", "wwe-host/*", "agent:opts/*", "Widgets/*", "agent:u01/*"],
    )
    assert everything["CRM/label"] == "CRM"
    assert everything["Widgets/theme"] == "dark"
    assert everything["agent:opts/firstname"] == "Firstopts"
    assert everything["sim.voice.answer-delay"] == "0.2"
    assert not [key for key in everything if key.startswith(("wwe-host/", "agent:u01/"))]
    for key in ("crm.api-key", "crm.backend", "Widgets/session-token", "agent:opts/password"):
        assert key not in everything
    text = repr(everything)
    for secret in SECRETS:
        assert secret not in text

    token = ok(crm, "auth.getJwtToken")
    client = jwt.PyJWKClient(own_server.url + "/.well-known/jwks.json")
    claims = jwt.decode(
        token,
        client.get_signing_key_from_jwt(token).key,
        algorithms=["ES256"],
        audience=pages.a,
        issuer=own_server.url,
    )
    assert claims["sub"] == "opts" and claims["name"] == "Firstopts Lastopts"
    assert claims["employeeId"] == "E7101" and claims["roles"] == ["ROLE_AGENT"]
