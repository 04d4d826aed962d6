"""Two real ``wwe-host serve`` processes behind a real nginx, on a throwaway PostgreSQL
database and the machine's Redis (operations.md, "Several server processes"): a desktop
connected to one process hears what the other did; ``kill -9`` of the process that holds
the desktop loses nothing acknowledged, the desktop carries on through nginx, and a toast's
auto-close armed on the dead process still fires once."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from postgres_support import throwaway_database_sync
from redis_support import redis_url
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from wwe_host.cluster import Cluster
from wwe_host.testing import DEFAULT_ADMIN_TOKEN, config_text

APP = "http://app.example:9001"
CONFIG = {
    "interaction-workspace": {
        "service-client-api.accepted-web-content-origins": f"{APP} (*)",
        "service-client-api.rate-limit.voice.dial": "3",
    },
    "agent:ann": {
        "firstname": "Ann",
        "lastname": "Lee",
        "employeeId": "1",
        "password": "pw",
        "number": "5001",
    },
}


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    with throwaway_database_sync() as database:
        made = Cluster(config_text(CONFIG), tmp_path, database=database, bus=redis_url())
        try:
            made.start()
            yield made
        finally:
            made.stop()


class Desktop:
    """The desktop page's side of its WebSocket (docs/desktop-protocol.md), as the page's
    relay speaks it for one frame of the embedding kind."""

    def __init__(self, url: str, public_url: str, cookie: str) -> None:
        self.ws: ClientConnection = connect(
            url.replace("http", "ws", 1) + "/desktop/ws",
            origin=Origin(public_url),
            additional_headers={"Cookie": f"wwe_session={cookie}"},
        )
        self.seen: list[dict[str, Any]] = []
        self.ref = 0

    def send(self, message: dict[str, Any]) -> None:
        self.ws.send(json.dumps(message))

    def until(self, wanted: Callable[[dict[str, Any]], bool], timeout: float = 10) -> Any:
        for message in self.seen:
            if wanted(message):
                self.seen.remove(message)
                return message
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self.ws.recv(timeout=max(0.01, deadline - time.monotonic())))
            if wanted(message):
                return message
            self.seen.append(message)

    def hello(self, frames: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        self.send({"type": "hello", "frames": frames or []})
        return self.until(lambda m: m["type"] == "snapshot")  # type: ignore[no-any-return]

    def open_frame(self) -> str:
        self.send({"type": "frame.open", "ref": "f", "section": "@embedder", "origin": APP})
        return str(self.until(lambda m: m["type"] == "frame.opened")["frameId"])

    def request(self, frame_id: str, name: str, *params: Any) -> Any:
        self.ref += 1
        ref = str(self.ref)
        body: dict[str, Any] = {"request": name, "referenceId": ref, "protocolVersion": 2}
        if params:
            body["parameters"] = list(params)
        self.frame_message(frame_id, body)
        reply = self.until(lambda m: _frame_payload(m).get("referenceId") == ref)
        payload = _frame_payload(reply)
        assert "errorMessage" not in payload, payload
        return payload.get("data", payload.get("subscriptionId"))

    def action(self, op: str, **args: Any) -> Any:
        """One of the agent's own operations (the desktop's buttons)."""
        self.ref += 1
        ref = f"a{self.ref}"
        self.send({"type": "action", "ref": ref, "op": op, "args": args})
        result = self.until(lambda m: m["type"] == "action.result" and m["ref"] == ref)
        assert result["ok"], result
        return result.get("data")

    def frame_message(self, frame_id: str, body: dict[str, Any]) -> None:
        self.send(
            {
                "type": "frame.message",
                "frameId": frame_id,
                "origin": APP,
                "message": json.dumps(body),
            }
        )

    def subscribe(self, frame_id: str, *topics: str) -> None:
        self.ref += 1
        ref = str(self.ref)
        self.frame_message(
            frame_id, {"event": "subscribe", "data": list(topics), "referenceId": ref}
        )
        self.until(lambda m: _frame_payload(m).get("referenceId") == ref)

    def event(self, topic: str, event_type: str, timeout: float = 10) -> dict[str, Any]:
        def wanted(m: dict[str, Any]) -> bool:
            payload = _frame_payload(m)
            data = payload.get("data")
            return (
                payload.get("event") == topic
                and isinstance(data, dict)
                and data.get("eventType") == event_type
            )

        return _frame_payload(self.until(wanted, timeout))

    def close(self) -> None:
        self.ws.close()


def _frame_payload(message: dict[str, Any]) -> dict[str, Any]:
    if message.get("type") != "frame.message":
        return {}
    payload = message["message"]
    return json.loads(payload) if isinstance(payload, str) else dict(payload)


def rest(url: str, method: str, path: str, body: Any = None) -> Any:
    request = urllib.request.Request(
        url + "/api/v1" + path,
        data=None if body is None else json.dumps(body).encode(),
        headers={
            "content-type": "application/json",
            "authorization": f"Bearer {DEFAULT_ADMIN_TOKEN}",
        },
        method=method,
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as refused:
        raise AssertionError(f"{method} {path}: {refused.code} {refused.read()!r}") from None


def test_an_event_on_one_process_reaches_the_desktop_on_the_other(cluster: Cluster) -> None:
    first, second = cluster.servers
    cookie = first.login("ann", "pw")  # through the process: its Origin is nginx's URL
    desktop = Desktop(cluster.url, cluster.url, cookie)  # through nginx, on either process
    try:
        desktop.hello()
        frame = desktop.open_frame()
        desktop.subscribe(frame, "interaction")
        # A REST push on either process rings in the frame; a hang-up through the other
        # ends it there.
        for pushing, ending in ((first, second), (second, first)):
            pushed = rest(pushing.url, "POST", "/sim/calls", {"to": "ann", "from": "5550100"})
            ringing = desktop.event("interaction", "RINGING")
            assert ringing["data"]["interaction"]["callUuid"] == pushed["callUuid"]
            rest(ending.url, "POST", f"/sim/calls/{pushed['callUuid']}/hangup")
            desktop.event("interaction", "RELEASED")
            interaction_id = ringing["data"]["interaction"]["interactionId"]
            desktop.action("markDone", interactionId=interaction_id)
    finally:
        desktop.close()


def test_kill_9_of_the_desktops_process_loses_nothing_and_timers_fire_once(
    cluster: Cluster,
) -> None:
    first, second = cluster.servers
    cookie = first.login("ann", "pw")
    desktop = Desktop(first.url, cluster.url, cookie)  # on the first process
    desktop.hello()
    frame = desktop.open_frame()
    desktop.subscribe(frame, "interaction", "system")
    call = rest(second.url, "POST", "/sim/calls", {"to": "ann", "from": "5550100"})
    interaction_id = desktop.event("interaction", "RINGING")["data"]["interaction"]["interactionId"]
    desktop.request(frame, "interaction.setUserData", interaction_id, {"Order": "A-17"})
    desktop.request(frame, "system.popupToast", {"title": "Soon gone", "autoCloseTimeout": 3000})

    first.kill()  # the desktop's process dies; the toast's timer was armed there
    desktop.close()
    again = Desktop(cluster.url, cluster.url, cookie)  # the page reconnects through nginx
    try:
        snapshot = again.hello([{"frameId": frame, "section": "@embedder", "origin": APP}])
        (shown,) = snapshot["data"]["interactions"]
        assert shown["userData"]["Order"] == "A-17"  # acknowledged before the kill
        assert [t["title"] for t in snapshot["data"]["toasts"]] == ["Soon gone"], (
            snapshot["data"]["toasts"],
            snapshot["data"].get("tabs"),
            snapshot["data"].get("frames"),
        )
        rest(second.url, "POST", f"/sim/calls/{call['callUuid']}/hangup")
        # The frame's subscription still delivers, from the surviving process.
        assert again.event("interaction", "RELEASED")["data"]["interaction"]["state"] == "IDLE"
        deadline = time.monotonic() + 10
        while True:  # the auto-close fires on the surviving process (3 s after it opened)
            message = again.until(lambda m: m["type"] == "snapshot")
            if message["data"]["toasts"] == []:
                break
            assert time.monotonic() < deadline, "the toast was never closed"
        listed = rest(second.url, "GET", "/interactions")
        assert [i["userData"].get("Order") for i in listed["interactions"]] == ["A-17"]
    finally:
        again.close()


def test_a_rate_limit_holds_across_two_tabs_on_two_processes(cluster: Cluster) -> None:
    first, second = cluster.servers
    cookie = first.login("ann", "pw")
    tabs = [Desktop(server.url, cluster.url, cookie) for server in (first, second)]
    try:
        frames = []
        for tab in tabs:
            tab.hello()
            frames.append(tab.open_frame())
        answers = []
        for n in range(4):  # alternate: tab on the first process, then on the second
            tab, frame = tabs[n % 2], frames[n % 2]
            tab.ref += 1
            ref = str(tab.ref)
            tab.frame_message(
                frame,
                {"request": "voice.dial", "referenceId": ref, "parameters": [f"noanswer-{n}"]},
            )
            reply = tab.until(lambda m, ref=ref: _frame_payload(m).get("referenceId") == ref)
            answers.append(_frame_payload(reply).get("errorCode", "ok"))
        assert answers == ["ok", "ok", "ok", "RATE_LIMITED"]
    finally:
        for tab in tabs:
            tab.close()


def _refused_at_once(url: str, public_url: str, cookie: str) -> int | None:
    """Open a desktop; the close code if the server refused it, None if it was taken."""
    from websockets.exceptions import ConnectionClosed

    desktop = Desktop(url, public_url, cookie)
    try:
        desktop.hello()
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None
    desktop.close()
    return None


def test_the_desktop_limit_counts_the_desktops_of_both_processes(cluster: Cluster) -> None:
    first, second = cluster.servers
    cookie = first.login("ann", "pw")
    # max-desktop-connections is 4 (the default): two on each process take them all.
    tabs = [Desktop(server.url, cluster.url, cookie) for server in (first, first, second, second)]
    try:
        for tab in tabs:
            tab.hello()
        assert _refused_at_once(first.url, cluster.url, cookie) == 4429
        assert _refused_at_once(second.url, cluster.url, cookie) == 4429
        tabs.pop().close()  # a tab on the second process goes: its place is free again
        deadline = time.monotonic() + 10
        while (code := _refused_at_once(first.url, cluster.url, cookie)) is not None:
            assert code == 4429 and time.monotonic() < deadline
    finally:
        for tab in tabs:
            tab.close()


def test_one_tab_leads_across_the_processes(cluster: Cluster) -> None:
    first, second = cluster.servers
    cookie = first.login("ann", "pw")
    one = Desktop(first.url, cluster.url, cookie)
    two = Desktop(second.url, cluster.url, cookie)
    try:
        one.send({"type": "hello", "tabId": "tab-one", "frames": []})
        assert one.until(lambda m: m["type"] == "snapshot")["data"]["tabs"] == {
            "tab-one": "LEADING"
        }
        two.send({"type": "hello", "tabId": "tab-two", "frames": []})
        assert two.until(lambda m: m["type"] == "snapshot")["data"]["tabs"] == {
            "tab-two": "FOLLOWING"
        }
        one.close()  # the leading tab goes: the tab on the other process takes over
        two.until(lambda m: m["type"] == "snapshot" and m["data"]["tabs"] == {"tab-two": "LEADING"})
    finally:
        two.close()


def test_a_campaign_is_run_by_both_processes_and_no_record_goes_to_two_agents(
    tmp_path: Path,
) -> None:
    """The administrator loads a campaign through one process and starts it through the
    other; two agents, each on one process, ask for a record at the same moment: each
    gets a different one, and both processes (and the database) say so."""
    leads = tmp_path / "leads.csv"
    leads.write_text("phone,name\n+15550101,Ada\n+15550102,Ben\n+15550103,Cy\n")
    config = {
        **CONFIG,
        "agent:bob": {**CONFIG["agent:ann"], "firstname": "Bob", "number": "5002"},
        "campaign:leads": {"agents": "ann, bob", "records": str(leads)},
    }
    with throwaway_database_sync() as database:
        made = Cluster(
            config_text(config), tmp_path / "cluster", database=database, bus=redis_url()
        )
        try:
            made.start()
            first, second = made.servers
            rest(first.url, "POST", "/campaigns/leads/load")
            assert rest(second.url, "POST", "/campaigns/leads/start")["status"] == "RUNNING"
            assert rest(first.url, "GET", "/campaigns")["campaigns"][0]["status"] == "RUNNING"
            desktops = [
                Desktop(server.url, made.url, server.login(name, "pw"))
                for server, name in ((first, "ann"), (second, "bob"))
            ]
            for desktop in desktops:
                desktop.hello()
            for desktop in desktops:  # both asked before either is answered
                desktop.send(
                    {
                        "type": "action",
                        "ref": "take",
                        "op": "outbound",
                        "args": {"request": "getPreviewRecord", "params": ["leads"]},
                    }
                )
            for desktop in desktops:
                taken = desktop.until(lambda m: m["type"] == "action.result" and m["ref"] == "take")
                assert taken["ok"], taken
            for server in (first, second):
                shown = [
                    (r["agent"], r["phone"])
                    for r in rest(server.url, "GET", "/campaigns/leads/records")["records"]
                    if r["status"] == "PREVIEW"
                ]
                assert sorted(agent for agent, _ in shown) == ["ann", "bob"], shown
                assert len({phone for _, phone in shown}) == 2, shown
            for desktop in desktops:
                desktop.close()
        finally:
            made.stop()
