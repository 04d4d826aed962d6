"""The built-in demo configuration (wwe_host.config.demo)."""

from __future__ import annotations

from wwe_host import catalog
from wwe_host.config import DEMO_LOGINS, demo_config
from wwe_host.security.origins import frame_allowed
from wwe_host.security.passwords import verify_password


def test_demo_config() -> None:
    config = demo_config("http://127.0.0.1:8081/")
    assert config.source == "<demo>"
    assert config.warnings == ()
    assert config.server.insecure_plain_password is True
    assert config.server.admin_token == "demo-admin-token"
    for username, password in DEMO_LOGINS:
        agent = config.agents[username]
        assert verify_password(agent.password, password, allow_plain=True)
        assert agent.media == ("voice", "email", "chat")
        assert "ROLE_AGENT" in agent.roles
    assert {a.number for a in config.agents.values()} == {"5001", "5002", "5003"}
    assert any("ROLE_ADMIN" in a.roles for a in config.agents.values())
    assert config.security.origins.origins() == ("http://127.0.0.1:8081",)
    assert config.web_content_origins() == ("http://127.0.0.1:8081",)
    assert config.options.not_ready_reasons == (("Break", "1511"), ("Lunch", "1512"))
    assert set(config.queues["sales"].agents) == {u for u, _ in DEMO_LOGINS}
    (tab,) = config.options.workspace_web_content
    (playground,) = config.options.interaction_web_content
    policy, dial_only = config.security.origins, config.security.dial_only
    assert frame_allowed(policy, tab.origin, agent_level=True, dial_only=dial_only) == frozenset(
        {"voice.dial", "system.getAllowedServices"}
    )
    assert frame_allowed(
        policy, playground.origin, agent_level=False, dial_only=dial_only
    ) == frozenset(catalog.REQUESTS)
    assert playground.url.startswith("http://127.0.0.1:8081/?")
    leads = config.campaigns["demo-leads"]
    assert (leads.mode, len(leads.rows)) == ("preview", 5)
    assert set(leads.agents) == {u for u, _ in DEMO_LOGINS}
