"""The catalog of request names: the vendor's current library's further requests
(api-9.md) are names the origin filters, wildcards and rate limits know; one without a
handler answers UNKNOWN_REQUEST."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_support import DIALER, Agent, make_config, started_engine

from wwe_host import catalog
from wwe_host.api import HANDLERS
from wwe_host.security import OriginPolicy
from wwe_host.security.ratelimit import RateLimitPolicy

API_9 = [
    "interaction.accept",
    "interaction.reject",
    "interaction.consult",
    "interaction.completeTransfer",
    "interaction.completeConference",
    "interaction.singleStepTransfer",
    "interaction.singleStepConference",
    "voice.dialEx",
    "outbound.getCampaigns",
    "outbound.getPreviewRecord",
    "outbound.getChainedRecords",
    "outbound.getRecordFields",
    "outbound.updateRecordFields",
    "outbound.callPreviewRecord",
    "outbound.rejectPreviewRecord",
    "outbound.cancelPreviewRecord",
    "outbound.startDirectPushPreview",
    "outbound.stopDirectPushPreview",
    "outbound.rescheduleRecord",
    "outbound.cancelReschedule",
    "outbound.getListOfCallResults",
    "outbound.setCallResult",
    "outbound.getCallResult",
    "outbound.setDoNotCall",
    "outbound.removeDoNotCall",
    "system.openDialog",
    "system.closeDialog",
    "system.updateViewInApplicationMenuBar",
    "system.closeViewInApplicationMenuBar",
    "system.amIVisible",
    "system.isFrameLeading",
    "system.isFrameFollowing",
    "system.isFrameNegotiating",
    "system.isFrameLeadingOrNegotiating",
    "system.isLastActiveFrame",
    "messenger.broadcastMessage",
    "configuration.getOption",
    "auth.getJwtToken",
]


def test_the_requests_of_api_9_are_in_the_catalog() -> None:
    # The issue says 37; its own list (and api-9.md's tables) name 38.
    assert len(API_9) == 38
    assert set(API_9) <= set(catalog.REQUESTS)
    assert len(catalog.REQUESTS) == len(set(catalog.REQUESTS))
    for name in API_9:
        assert catalog.canonical(name) == name
    for namespace in ("outbound", "messenger", "configuration", "auth"):
        assert namespace in catalog.NAMESPACES


def test_wildcards_and_names_in_origin_filters() -> None:
    policy = OriginPolicy.parse(
        "http://dialer.example (outbound.*, messenger.*), http://crm.example (auth.getJwtToken)"
    )
    dialer = policy.allowed("http://dialer.example")
    assert dialer is not None
    assert dialer == frozenset(n for n in API_9 if n.startswith(("outbound.", "messenger.")))
    assert len(dialer) == 18
    assert policy.allowed("http://crm.example") == frozenset({"auth.getJwtToken"})


def test_rate_limit_options_name_the_new_requests() -> None:
    policy = RateLimitPolicy.from_options(
        {
            "service-client-api.rate-limit.messenger.broadcastMessage": "7",
            "service-client-api.rate-limit.outbound.getCampaigns": "3",
        }
    )
    assert policy.limit_for("messenger.broadcastMessage") == 7
    assert policy.limit_for("outbound.getCampaigns") == 3


async def test_a_catalog_name_without_a_handler_answers_unknown_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A request not built yet: known to the filters, answered UNKNOWN_REQUEST all the same,
    # and not listed by system.getAllowedServices.
    monkeypatch.delitem(HANDLERS, "messenger.broadcastMessage")
    engine = await started_engine(tmp_path, make_config(extra=_NO_DIAL_ONLY))
    agent = await Agent.login(engine)
    dialer = await agent.frame("Dialer", DIALER)
    reply = await agent.fails(dialer, "messenger.broadcastMessage", "chan", {"a": 1})
    assert reply["errorCode"] == "UNKNOWN_REQUEST"
    assert reply["errorMessage"] == "Unknown request 'messenger.broadcastMessage'."
    allowed = await agent.ok(dialer, "system.getAllowedServices")
    assert "messenger.broadcastMessage" not in allowed and "agent.get" in allowed
    await engine.stop()


_NO_DIAL_ONLY = "service-client-api.workspace-web-content.dial-only = false"
