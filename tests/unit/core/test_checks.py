"""The security checks as one table (core/checks.py): in security.md's order, walked by
the pipeline, each refusing with its own error and outcome."""

from __future__ import annotations

from pathlib import Path

from engine_support import DIALER, NOTES, Agent, make_config, started_engine

from wwe_host.core import checks, pipeline
from wwe_host.core.checks import CHECKS, STEPS, Pending

# security.md: "enforced by the server, per agent session, for every request, in this
# order: 1. origin and filter 2. rate limit 3. parameters".
SECURITY_MD_ORDER = ("origin and filter", "rate limit", "parameters")


def test_the_steps_are_security_md_s_in_its_order() -> None:
    assert STEPS == SECURITY_MD_ORDER
    steps = [check.step for check in CHECKS]
    assert list(dict.fromkeys(steps)) == list(SECURITY_MD_ORDER)  # each step, none out of place
    assert steps == sorted(steps, key=SECURITY_MD_ORDER.index)


def test_the_table_names_each_check_in_the_order_it_runs() -> None:
    assert [check.name for check in CHECKS] == [
        "origin",
        "known request",
        "filter",
        "rate limit",
        "parameters",
    ]


def test_the_pipeline_walks_the_table() -> None:
    assert tuple(check.run for check in CHECKS) == pipeline._CHECKS


async def test_each_check_passes_or_refuses_with_its_own_outcome(tmp_path: Path) -> None:
    extra = (
        "service-client-api.rate-limit.agent.get = 1\n"
        "service-client-api.rate-limit-quarantine-delay = 30"
    )
    engine = await started_engine(tmp_path, make_config(origins=DIALER, extra=extra))
    agent = await Agent.login(engine)
    dialer = await agent.frame("Dialer", DIALER)
    unlisted = await agent.frame("Dialer", NOTES)
    state = engine.state

    def pending(frame: object, message: dict[str, object]) -> Pending:
        found = Pending()
        found.frame = frame  # type: ignore[assignment]
        found.message = message
        found.request = str(message["request"])
        return found

    refused = checks.origin(state, pending(unlisted, {"request": "voice.dial"}))
    assert refused is not None and refused.outcome.outcome == "refused:origin"
    unknown = pending(dialer, {"request": "agent.nothing"})
    refused = checks.known_request(state, unknown)
    assert refused is not None and refused.code is not None
    assert refused.code.value == "UNKNOWN_REQUEST"
    alias = pending(dialer, {"request": "agent.get"})
    assert checks.known_request(state, alias) is None and alias.name == "agent.get"
    refused = checks.request_filter(state, alias)
    assert refused is not None and refused.outcome.outcome == "refused:filter"
    assert checks.rate_limit(state, alias) is None
    refused = checks.rate_limit(state, alias)
    assert refused is not None and refused.outcome.outcome == "refused:rate-limit"
    ignored = checks.rate_limit(state, alias)
    assert ignored is not None and ignored.code is None  # quarantined: no answer
    assert ignored.outcome.outcome == "quarantined"
    bad = pending(dialer, {"request": "voice.dial", "parameters": {"to": "1"}})
    refused = checks.parameters(state, bad)
    assert refused is not None and refused.text == (
        "'parameters' of 'voice.dial' must be an array of positional parameters."
    )
    none = pending(dialer, {"request": "voice.dial"})
    assert checks.parameters(state, none) is None and none.params == []
    await engine.stop()
