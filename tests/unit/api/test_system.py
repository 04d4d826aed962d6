"""system.openDialog / closeDialog, the menu bar items and the tab requests (api-9.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from engine_support import CRM, DIALER, NOTES, Agent, make_config, started_engine

from wwe_host.api.desktop import ACTIONS
from wwe_host.engine import Engine
from wwe_host.web.snapshot import snapshot

# Notes is web content whose origin is not listed: it loads, and every request fails.
ORIGINS = f"{CRM} (*), {DIALER} (agent.*, interaction.*, voice.dial)"


async def setup(tmp_path: Path) -> tuple[Engine, Agent, Any, str]:
    engine = await started_engine(tmp_path, make_config(origins=ORIGINS))
    agent = await Agent.login(engine)
    dialer = await agent.frame("Dialer", DIALER)
    iid = (await agent.ok(dialer, "voice.dial", "noanswer-1"))["interactionId"]
    crm = await agent.frame("CRM", CRM, iid)
    return engine, agent, crm, iid


async def act(agent: Agent, op: str, **args: Any) -> Any:
    return await agent.engine.agent_operation(agent.session_id, lambda c: ACTIONS[op](c, args))


# --------------------------------------------------------------------------- dialogs


async def test_open_dialog_fills_field_codes_and_the_dialog_id(tmp_path: Path) -> None:
    engine, agent, crm, iid = await setup(tmp_path)
    url = "http://crm.example:9001/d.html?id=$Dialog.Id$&u=$Agent.UserName$&c=$Interaction.Id$"
    options = {"label": "For $Agent.FullName$ & co", "width": 430, "height": "40%"}
    dialog_id = await agent.ok(crm, "system.openDialog", url, options)
    assert dialog_id == "wweCustomDialog1"
    assert await agent.ok(crm, "system.openDialog", url) == "wweCustomDialog2"
    assert ("dialog", {"action": "open", "id": dialog_id}) in agent.desktop.ui_events
    shown = snapshot(engine, agent.session)["dialogs"]
    assert shown[0] == {
        "id": "wweCustomDialog1",
        "frameId": crm.record.frame_id,
        "section": "@dialog:wweCustomDialog1",
        "url": f"http://crm.example:9001/d.html?id=wweCustomDialog1&u=jdoe&c={iid}",
        "label": "For John Doe & co",  # text, not URL-encoded
        "width": "430px",
        "height": "40%",
        "tab": None,
    }
    assert shown[1]["label"] == "" and shown[1]["width"] is None


@pytest.mark.parametrize(
    ("params", "named"),
    [
        (["javascript:alert(1)"], "Parameter 1 'url' of 'system.openDialog' must be an http"),
        ([f"{CRM}/?a=$Nope$"], "Parameter 1 'url' of 'system.openDialog' may hold"),
        ([f"{CRM}/$"], "'$' is unbalanced"),
        (["http://$Agent.UserName$.example/"], "field codes only after its host"),
        (["http://evil.example/"], "not 'http://evil.example'"),
        ([], "Parameter 1 'url' of 'system.openDialog' is missing"),
        ([f"{CRM}/", "big"], "Parameter 2 'options' of 'system.openDialog' must be"),
        ([f"{CRM}/", {"title": "x"}], "does not know the option(s) 'title'"),
        ([f"{CRM}/", {"label": 5}], "Option 'label' of 'system.openDialog' must be"),
        ([f"{CRM}/", {"width": "wide"}], "Option 'width' of 'system.openDialog'"),
        ([f"{CRM}/", {"height": -3}], "Option 'height' of 'system.openDialog'"),
        ([f"{CRM}/", {"width": True}], "Option 'width'"),
    ],
)
async def test_open_dialog_refuses_bad_input(tmp_path: Path, params: list[Any], named: str) -> None:
    _, agent, crm, _ = await setup(tmp_path)
    failure = await agent.fails(crm, "system.openDialog", *params)
    assert failure["errorCode"] == "INVALID_PARAMETER"
    assert named in failure["errorMessage"]
    assert agent.session.dialogs == {}


async def test_a_dialogs_frame_is_a_frame_under_its_origins_filter(tmp_path: Path) -> None:
    engine, agent, crm, _ = await setup(tmp_path)
    await agent.subscribe(crm, "system")
    first = await agent.ok(crm, "system.openDialog", f"{DIALER}/d.html")
    second = await agent.ok(crm, "system.openDialog", f"{NOTES}/d.html")
    own = await agent.ok(crm, "system.openDialog", f"{CRM}/d.html?d=$Dialog.Id$")
    # The Dialer's origin may use agent.*, interaction.* and voice.dial (in a dialog, not
    # bound to dial-only as the agent-level Dialer tab is).
    dialer = await agent.frame(f"@dialog:{first}", DIALER)
    assert dialer.record.interaction_id is None and not dialer.record.agent_level
    assert (await agent.ok(dialer, "agent.get"))["username"] == "jdoe"
    refused = await agent.fails(dialer, "system.closeDialog", first)
    assert refused["errorCode"] == "NOT_ALLOWED"
    # An unlisted origin loads, and every request fails.
    unlisted = await agent.frame(f"@dialog:{second}", NOTES)
    assert (await agent.fails(unlisted, "agent.get"))["errorCode"] == "NOT_ALLOWED"
    # The dialog's own frame closes it; its opener hears of it.
    mine = await agent.frame(f"@dialog:{own}", CRM)
    assert await agent.ok(mine, "system.closeDialog", own) is True
    assert await agent.ok(mine, "system.closeDialog", own) is False
    assert await agent.ok(crm, "system.closeDialog", "wweCustomDialog99") is False
    closed = [m["data"] for m in agent.desktop.events_for(crm.record.frame_id, "system")]
    assert closed == [{"eventType": "CUSTOM_DIALOG_CLOSED", "dialogId": own, "closedBy": "frame"}]
    assert set(agent.session.dialogs) == {first, second}
    # The agent closes one from the desktop.
    await act(agent, "closeDialog", dialogId=first)
    assert set(agent.session.dialogs) == {second}
    with pytest.raises(Exception, match="No open dialog"):
        await act(agent, "closeDialog", dialogId=first)
    # A frame for a dialog that is not open is refused.
    with pytest.raises(Exception, match="No open dialog 'wweCustomDialog1'"):
        await agent.frame("@dialog:wweCustomDialog1", NOTES)
    # Dialogs survive a restart of the engine (they are part of the session).
    await engine.stop()
    again = await started_engine(tmp_path, make_config(origins=ORIGINS))
    session = again.live_session("jdoe")
    assert session is not None and set(session.dialogs) == {second}
    await again.stop()


async def test_dialogs_are_bounded(tmp_path: Path) -> None:
    _, agent, crm, _ = await setup(tmp_path)
    for _ in range(8):
        await agent.ok(crm, "system.openDialog", f"{CRM}/d.html")
    failure = await agent.fails(crm, "system.openDialog", f"{CRM}/d.html")
    assert failure["errorCode"] == "INVALID_STATE" and "8 dialogs" in failure["errorMessage"]


# --------------------------------------------------------------------------- menu bar


MENU = "system.updateViewInApplicationMenuBar"


async def test_menu_bar_items_belong_to_their_frame(tmp_path: Path) -> None:
    engine, agent, crm, iid = await setup(tmp_path)
    other = await agent.frame("CRM", "http://crm.example:9001", iid)
    await agent.subscribe(crm, "system")
    await agent.subscribe(other, "system")
    item = {
        "name": "view0",
        "label": "<b>Time</b> left",
        "shortLabel": "4:46",
        "iconUrl": "https://icons.example/rss.png",
        "tooltip": "End of shift",
        "backgroundColor": "#FFFFFF",
        "labelColor": "#000",
    }
    assert await agent.ok(crm, MENU, item) is None
    wire = snapshot(engine, agent.session)["menuItems"]
    assert wire == [{"frameId": crm.record.frame_id, **item}]
    # An update changes the fields it names and keeps the others.
    await agent.ok(crm, MENU, {"name": "view0", "label": "Later", "labelColor": "#123456"})
    (updated,) = snapshot(engine, agent.session)["menuItems"]
    assert (updated["label"], updated["labelColor"], updated["tooltip"]) == (
        "Later",
        "#123456",
        "End of shift",
    )
    # Another frame's item of the same name is its own; it cannot close CRM's.
    await agent.ok(other, MENU, {"name": "view0", "label": "Other"})
    assert len(agent.session.menu_items) == 2
    assert await agent.ok(other, "system.closeViewInApplicationMenuBar", "view0") is True
    assert await agent.ok(other, "system.closeViewInApplicationMenuBar", "view0") is False
    assert len(agent.session.menu_items) == 1
    # A click reaches the owner only.
    await act(agent, "menuItemClick", frameId=crm.record.frame_id, name="view0")
    click = {"eventType": "APPLICATION_MENU_BAR_VIEW_CLICK", "name": "view0"}
    assert [m["data"] for m in agent.desktop.events_for(crm.record.frame_id, "system")] == [click]
    assert agent.desktop.events_for(other.record.frame_id, "system") == []
    with pytest.raises(Exception, match="No menu bar item 'nope'"):
        await act(agent, "menuItemClick", frameId=crm.record.frame_id, name="nope")
    # The item goes with its frame.
    await engine.close_frame(agent.session_id, crm.record.frame_id)
    assert agent.session.menu_items == {}


async def test_a_frame_that_navigates_to_another_origin_loses_its_items(tmp_path: Path) -> None:
    engine, agent, crm, _ = await setup(tmp_path)
    await agent.ok(crm, MENU, {"name": "a", "label": "A"})
    assert len(agent.session.menu_items) == 1
    await engine.frame_navigated(crm, NOTES)
    assert agent.session.menu_items == {}


@pytest.mark.parametrize(
    ("item", "named"),
    [
        ({"label": "x"}, "Parameter 'name' of '" + MENU + "' is required"),
        ({"name": "a"}, "Parameter 'label' of '" + MENU + "' is required to create"),
        ({"name": "a", "label": "x", "backgroundColor": "red"}, "'backgroundColor'"),
        ({"name": "a", "label": "x", "labelColor": "#12345"}, "'labelColor'"),
        ({"name": "a", "label": "x", "labelColor": "#1234567"}, "#rgb or #rrggbb"),
        ({"name": "a", "label": "x", "iconUrl": "javascript:x"}, "'iconUrl'"),
        ({"name": "a", "label": "x", "iconUrl": "data:image/png,1"}, "http: or https: URL"),
        ({"name": "a", "label": 3}, "Parameter 'label' of '" + MENU + "' must be a string"),
        ({"name": "a", "label": "x" * 129}, "'label' of '" + MENU + "' is longer than 128"),
        ({"name": "a", "label": "x", "html": "<b>"}, "does not know the parameter(s) 'html'"),
    ],
)
async def test_menu_items_refuse_bad_fields_naming_them(
    tmp_path: Path, item: dict[str, Any], named: str
) -> None:
    _, agent, crm, _ = await setup(tmp_path)
    failure = await agent.fails(crm, MENU, item)
    assert failure["errorCode"] == "INVALID_PARAMETER"
    assert named in failure["errorMessage"]
    assert agent.session.menu_items == {}


# --------------------------------------------------------------------------- tabs


async def test_tab_requests_answer_for_the_frames_tab(tmp_path: Path) -> None:
    engine, agent, crm, iid = await setup(tmp_path)
    # No desktop tab holds the frame (no desktop said hello): a lone tab's answers.
    assert await agent.ok(crm, "system.isFrameLeading") is True
    assert await agent.ok(crm, "system.amIVisible") is False
    sid = agent.session_id
    await engine.tabs.join(sid, "one")
    await engine.tabs.join(sid, "two")
    first = await engine.open_frame(sid, "CRM", CRM, iid, tab="one")
    second = await engine.open_frame(sid, "CRM", CRM, iid, tab="two")
    names = ("Leading", "Following", "Negotiating", "LeadingOrNegotiating")
    answers = {
        frame.record.frame_id: [await agent.ok(frame, f"system.isFrame{n}") for n in names]
        for frame in (first, second)
    }
    assert answers == {
        first.record.frame_id: [True, False, False, True],
        second.record.frame_id: [False, True, False, False],
    }
    # The newest tab is the one the agent used last, until the first is used.
    assert await agent.ok(second, "system.isLastActiveFrame") is True
    engine.tabs.report(sid, "one", active=True)
    assert await agent.ok(first, "system.isLastActiveFrame") is True
    assert await agent.ok(second, "system.isLastActiveFrame") is False
    # Visible: the window shown and the frame among those the tab shows.
    assert await agent.ok(first, "system.amIVisible") is False
    engine.tabs.report(sid, "one", visible=True, shown=frozenset({first.record.frame_id}))
    assert await agent.ok(first, "system.amIVisible") is True
    engine.tabs.report(sid, "one", visible=False)
    assert await agent.ok(first, "system.amIVisible") is False
    failure = await agent.fails(first, "system.amIVisible", "extra")
    assert failure["errorCode"] == "INVALID_PARAMETER"
