"""web/snapshot.py: dialogs with their field codes filled, and the tab that shows them."""

from __future__ import annotations

from pathlib import Path

from engine_support import CRM, DIALER, Agent, make_config, started_engine

from wwe_host.web.snapshot import snapshot


async def test_a_dialog_shows_in_its_openers_tab_then_in_the_leaders(tmp_path: Path) -> None:
    engine = await started_engine(tmp_path, make_config(write="Pub*", read="Pub*"))
    agent = await Agent.login(engine)
    sid = agent.session_id
    await engine.tabs.join(sid, "one")
    await engine.tabs.join(sid, "two")
    dialer = await engine.open_frame(sid, "Dialer", DIALER, tab="one")
    iid = (await agent.ok(dialer, "voice.dial", "noanswer-1"))["interactionId"]
    crm = await engine.open_frame(sid, "CRM", CRM, iid, tab="two")
    await agent.ok(crm, "interaction.setUserData", iid, {"PubKey": "a&b"})
    url = f"{CRM}/d?k=$AttachedData.PubKey$&s=$AttachedData.Secret$&d=$Dialog.Id$"
    await agent.ok(crm, "system.openDialog", url, {"label": "$AttachedData.PubKey$"})
    (dialog,) = snapshot(engine, agent.session)["dialogs"]
    assert dialog["url"] == f"{CRM}/d?k=a%26b&s=&d=wweCustomDialog1"
    assert dialog["label"] == "a&b"
    assert dialog["tab"] == "two"
    await engine.tabs.leave(sid, "two")
    assert snapshot(engine, agent.session)["dialogs"][0]["tab"] == "one"  # the leader
    assert snapshot(engine, agent.session)["tabs"] == {"one": "LEADING"}
