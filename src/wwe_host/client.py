"""A Python client of the wwe-host admin and simulation API (docs/simulator.md).

    from wwe_host.client import WweHostClient

    with WweHostClient("http://127.0.0.1:8080", token="...") as sim:
        call = sim.call("5001", "+15550100", user_data={"Customer": "Ada"})
        sim.wait_for_interaction(agent="agent1", state="RINGING")
        sim.hangup(call["callUuid"])

Every method returns the decoded JSON answer; a refusal raises ``WweHostError`` with the
HTTP status and the server's code and message, and a server that cannot be reached raises
``WweHostUnreachable``. The same module reads and runs scenario files (``sim run``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx

DEFAULT_URL = "http://127.0.0.1:8080"
API = "/api/v1"

Json = dict[str, Any]
UserData = Mapping[str, str | int | float | bool]


CAMPAIGN_ACTIONS = ("load", "start", "stop", "unload")


class WweHostError(Exception):
    """The server refused a request (``status`` ≥ 400), or could not be reached (0)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}" if status else message)
        self.status = status
        self.code = code
        self.message = message


class WweHostUnreachable(WweHostError):
    """No answer at all: nothing listens at the URL, a bad URL, or a timeout."""

    def __init__(self, message: str) -> None:
        super().__init__(0, "UNREACHABLE", message)


def _segment(value: str) -> str:
    return quote(value, safe="")


class WweHostClient:
    """A synchronous client (httpx). Use it as a context manager, or call ``close()``."""

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        token: str | None = None,
        *,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        headers = {"accept": "application/json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=self.base_url, headers=headers, timeout=timeout, transport=transport
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> WweHostClient:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    # --- transport -----------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        json: object = None,
        params: Mapping[str, str | int] | None = None,
    ) -> Any:
        """One call of the API (``path`` below ``/api/v1``); the decoded JSON answer."""
        try:
            response = self._http.request(
                method,
                API + path,
                json=json,
                params={k: v for k, v in (params or {}).items() if v is not None} or None,
            )
        except httpx.ConnectError as exc:
            raise WweHostUnreachable(f"cannot connect to {self.base_url}: {exc}") from None
        except httpx.TimeoutException:
            raise WweHostUnreachable(f"{self.base_url} did not answer in time") from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise WweHostUnreachable(f"bad URL {self.base_url!r}: {exc}") from None
        except httpx.TransportError as exc:
            raise WweHostUnreachable(f"cannot talk to {self.base_url}: {exc}") from None
        if response.status_code >= 400:
            raise _refusal(response)
        try:
            return response.json()
        except ValueError:
            raise WweHostError(
                response.status_code, "BAD_RESPONSE", "The server's answer is not JSON."
            ) from None

    # --- simulation ----------------------------------------------------------------------

    def call(
        self,
        to: str,
        from_: str,
        dnis: str | None = None,
        user_data: UserData | None = None,
    ) -> Json:
        """An inbound call to a username, a DN or ``queue:<name>``:
        ``{callUuid, state, interactionUUID?, agent?, queue?}``."""
        body: Json = {"to": to, "from": from_}
        if dnis is not None:
            body["dnis"] = dnis
        if user_data:
            body["userData"] = dict(user_data)
        result: Json = self.request("POST", "/sim/calls", json=body)
        return result

    def answer(self, call_uuid: str) -> Json:
        """The far end of an outbound call answers now; the interaction."""
        result: Json = self.request("POST", f"/sim/calls/{_segment(call_uuid)}/answer")
        return result

    def hangup(self, call_uuid: str) -> Json:
        """The far end releases the call; the interaction."""
        result: Json = self.request("POST", f"/sim/calls/{_segment(call_uuid)}/hangup")
        return result

    def email(
        self,
        to: str,
        from_: str,
        subject: str,
        body: str = "",
        user_data: UserData | None = None,
    ) -> Json:
        """An inbound e-mail: ``{state, interactionUUID?, agent?, queue?}``."""
        payload: Json = {"to": to, "from": from_, "subject": subject, "body": body}
        if user_data:
            payload["userData"] = dict(user_data)
        result: Json = self.request("POST", "/sim/emails", json=payload)
        return result

    def chat(self, to: str, from_: str, message: str, user_data: UserData | None = None) -> Json:
        """An inbound chat: ``{chatId, state, interactionUUID?, agent?, queue?}``."""
        payload: Json = {"to": to, "from": from_, "message": message}
        if user_data:
            payload["userData"] = dict(user_data)
        result: Json = self.request("POST", "/sim/chats", json=payload)
        return result

    def chat_message(self, chat_id: str, message: str) -> Json:
        """The customer writes in the chat; the interaction."""
        result: Json = self.request(
            "POST", f"/sim/chats/{_segment(chat_id)}/messages", json={"message": message}
        )
        return result

    def end_chat(self, chat_id: str) -> Json:
        """The customer leaves the chat; the interaction."""
        result: Json = self.request("POST", f"/sim/chats/{_segment(chat_id)}/end")
        return result

    # --- administration ------------------------------------------------------------------

    def agents(self) -> list[Json]:
        result: list[Json] = self.request("GET", "/agents")["agents"]
        return result

    def interactions(self, agent: str | None = None) -> list[Json]:
        params = {"agent": agent} if agent is not None else None
        result: list[Json] = self.request("GET", "/interactions", params=params)["interactions"]
        return result

    def call_legs(self, call_uuid: str) -> list[Json]:
        """The agents' live legs of one call: whom a customer is with now. Transfers and
        conferences keep the customer's ``callUuid``, so after a transfer this is the new
        agent's leg, in a conference one leg per agent."""
        return [
            i
            for i in self.interactions()
            if i.get("callUuid") == call_uuid and i.get("state") not in ("IDLE", None)
        ]

    def set_user_data(
        self, interaction_uuid: str, values: Mapping[str, str | int | float | bool | None]
    ) -> Json:
        """Set keys (and delete those given as None) on an interaction; the interaction."""
        result: Json = self.request(
            "PATCH", f"/interactions/{_segment(interaction_uuid)}/user-data", json=dict(values)
        )
        return result

    def outbox(self) -> list[Json]:
        result: list[Json] = self.request("GET", "/outbox")["messages"]
        return result

    def audit(
        self, agent: str | None = None, outcome: str | None = None, limit: int | None = None
    ) -> list[Json]:
        params: dict[str, str | int] = {}
        if agent is not None:
            params["agent"] = agent
        if outcome is not None:
            params["outcome"] = outcome
        if limit is not None:
            params["limit"] = limit
        result: list[Json] = self.request("GET", "/audit", params=params)["entries"]
        return result

    # --- outbound campaigns ---------------------------------------------------------------

    def campaigns(self) -> list[Json]:
        """Every configured or loaded campaign with its status and record counts."""
        result: list[Json] = self.request("GET", "/campaigns")["campaigns"]
        return result

    def campaign(self, name: str, action: str) -> Json:
        """``load``, ``start``, ``stop`` or ``unload`` a campaign; the campaign after."""
        if action not in CAMPAIGN_ACTIONS:
            raise ValueError(f"action must be one of {', '.join(CAMPAIGN_ACTIONS)}: {action!r}")
        result: Json = self.request("POST", f"/campaigns/{_segment(name)}/{action}")
        return result

    def campaign_records(self, name: str) -> list[Json]:
        """A loaded campaign's records with their outcomes (status, call result, ...)."""
        result: list[Json] = self.request("GET", f"/campaigns/{_segment(name)}/records")["records"]
        return result

    def openapi(self) -> Json:
        result: Json = self.request("GET", "/openapi.json")
        return result

    def wait_for_interaction(
        self,
        predicate: Callable[[Json], bool] | None = None,
        *,
        agent: str | None = None,
        state: str | None = None,
        media: str | None = None,
        timeout: float = 10.0,
        interval: float = 0.1,
    ) -> Json:
        """Poll ``interactions`` until one matches ``predicate`` and the given agent, state
        and media; return it. Raises ``TimeoutError`` naming what it waited for."""
        if predicate is None and agent is None and state is None and media is None:
            raise ValueError("give a predicate, or at least one of agent, state, media")

        def matches(interaction: Json) -> bool:
            if state is not None and interaction.get("state") != state:
                return False
            if media is not None and interaction.get("media") != media:
                return False
            return predicate is None or predicate(interaction)

        deadline = time.monotonic() + timeout
        seen: list[Json] = []
        while True:
            seen = self.interactions(agent)
            for interaction in seen:
                if matches(interaction):
                    return interaction
            if time.monotonic() >= deadline:
                wanted = ", ".join(
                    f"{name}={value}"
                    for name, value in (("agent", agent), ("state", state), ("media", media))
                    if value is not None
                )
                states = [f"{i.get('media')}:{i.get('state')}" for i in seen] or ["none"]
                raise TimeoutError(
                    f"no interaction matched ({wanted or 'predicate'}) within {timeout} s; "
                    f"seen: {', '.join(states)}"
                )
            time.sleep(interval)


def _refusal(response: httpx.Response) -> WweHostError:
    try:
        error = response.json()["error"]
        return WweHostError(response.status_code, str(error["code"]), str(error["message"]))
    except (ValueError, KeyError, TypeError):
        text = response.text.strip()[:200] or response.reason_phrase
        return WweHostError(response.status_code, f"HTTP_{response.status_code}", text)


# --------------------------------------------------------------------------- scenarios

MAX_REPEAT = 10_000
MAX_STEPS = 100_000
MAX_WAIT = 3600.0


class ScenarioError(ValueError):
    """A scenario file that cannot be run; the message names the step and the field."""


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a validated scenario, repeats unrolled. ``where`` is its place in the
    file (``3``, or ``5.2`` for the second step of the repeat at step 5)."""

    kind: str  # call, email, chat, hangup, wait
    where: str
    args: Json

    def describe(self) -> str:
        a = self.args
        if self.kind == "wait":
            return f"wait {a['seconds']:g} s"
        if self.kind == "hangup":
            return f"hangup {a['call']}"
        if self.kind == "call":
            return f"call {a['to']} from {a['from']}"
        if self.kind == "email":
            return f"email {a['to']} from {a['from']}: {a['subject']!r}"
        return f"chat {a['to']} from {a['from']}"


_STEP_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # kind: (required, optional)
    "call": (("to", "from"), ("dnis", "data")),
    "email": (("to", "from", "subject"), ("body", "data")),
    "chat": (("to", "from", "message"), ("data",)),
}
_KINDS = ("call", "email", "chat", "hangup", "wait", "repeat")


def _kind_of(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.steps: list[Step] = []
        self.calls = 0

    def fail(self, where: str, message: str) -> ScenarioError:
        place = f"step {where}: " if where else ""
        return ScenarioError(f"{self.source}: {place}{message}")

    def document(self, data: object) -> list[Step]:
        if not isinstance(data, dict):
            raise self.fail("", f"expected a mapping with 'steps:', got {_kind_of(data)}")
        unknown = [str(k) for k in data if k not in ("steps", "description")]
        if unknown:
            raise self.fail("", f"unknown key(s) {', '.join(unknown)}; expected 'steps'")
        self.block(data.get("steps"), "")
        return self.steps

    def block(self, steps: object, parent: str) -> None:
        label = f"step {parent}: 'steps'" if parent else "'steps'"
        if not isinstance(steps, list) or not steps:
            raise ScenarioError(
                f"{self.source}: {label} must be a non-empty list, got {_kind_of(steps)}"
            )
        for index, step in enumerate(steps, 1):
            where = f"{parent}.{index}" if parent else str(index)
            self.step(step, where)

    def step(self, step: object, where: str) -> None:
        if not isinstance(step, dict) or not step:
            raise self.fail(where, f"expected a mapping like 'call: {{...}}', got {_kind_of(step)}")
        keys = [str(k) for k in step]
        kinds = [k for k in keys if k in _KINDS]
        if "repeat" in keys:
            extra = [k for k in keys if k not in ("repeat", "steps")]
            if extra:
                raise self.fail(where, f"a repeat takes 'repeat' and 'steps' only, not {extra[0]}")
            self.repeat(step, where)
            return
        if len(keys) != 1 or not kinds:
            raise self.fail(
                where,
                f"expected exactly one of {', '.join(_KINDS)}; got {', '.join(keys)}",
            )
        kind = kinds[0]
        value = step[kind]
        if kind == "wait":
            self.add(Step("wait", where, {"seconds": self.seconds(value, where)}))
        elif kind == "hangup":
            if not isinstance(value, str) or not value.strip():
                raise self.fail(
                    where, f"hangup: expected 'last' or a call UUID, got {_kind_of(value)}"
                )
            if value == "last" and not self.calls:
                raise self.fail(where, "hangup: last, but no call step comes before it")
            self.add(Step("hangup", where, {"call": value.strip()}))
        else:
            self.add(Step(kind, where, self.fields(kind, value, where)))
            if kind == "call":
                self.calls += 1

    def add(self, step: Step) -> None:
        if len(self.steps) >= MAX_STEPS:
            raise self.fail(step.where, f"the scenario has more than {MAX_STEPS} steps")
        self.steps.append(step)

    def seconds(self, value: object, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(where, f"wait: expected a number of seconds, got {_kind_of(value)}")
        if not math.isfinite(value) or not 0 <= value <= MAX_WAIT:
            raise self.fail(where, f"wait: expected 0 to {MAX_WAIT:g} seconds, got {value}")
        return float(value)

    def repeat(self, step: dict[Any, Any], where: str) -> None:
        times = step["repeat"]
        if isinstance(times, bool) or not isinstance(times, int) or not 1 <= times <= MAX_REPEAT:
            raise self.fail(where, f"repeat: expected a whole number from 1 to {MAX_REPEAT}")
        if "steps" not in step:
            raise self.fail(where, "repeat: 'steps' is missing")
        for _ in range(times):
            self.block(step["steps"], where)

    def fields(self, kind: str, value: object, where: str) -> Json:
        required, optional = _STEP_FIELDS[kind]
        if not isinstance(value, dict):
            raise self.fail(where, f"{kind}: expected a mapping of fields, got {_kind_of(value)}")
        unknown = [str(k) for k in value if k not in required and k not in optional]
        if unknown:
            raise self.fail(
                where,
                f"{kind}: unknown field(s) {', '.join(unknown)}; "
                f"fields: {', '.join((*required, *optional))}",
            )
        args: Json = {}
        for name in (*required, *optional):
            item = value.get(name)
            if item is None:
                if name in required:
                    raise self.fail(where, f"{kind}: '{name}' is required")
                continue
            if name == "data":
                args[name] = self.data(kind, item, where)
                continue
            # YAML reads 5001 as a number: a DN or a number-like name is meant as text.
            if isinstance(item, int) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str) or (name != "body" and not item.strip()):
                raise self.fail(where, f"{kind}: '{name}' must be a text, got {_kind_of(item)}")
            args[name] = item
        return args

    def data(self, kind: str, value: object, where: str) -> Json:
        if not isinstance(value, dict):
            raise self.fail(where, f"{kind}: 'data' must be a mapping, got {_kind_of(value)}")
        for key, item in value.items():
            if not isinstance(key, str) or not key:
                raise self.fail(where, f"{kind}: 'data' keys must be non-empty texts")
            if not isinstance(item, str | int | float):
                raise self.fail(
                    where,
                    f"{kind}: 'data.{key}' must be a text, number or boolean, got {_kind_of(item)}",
                )
        return dict(value)


def parse_scenario(data: object, source: str = "<scenario>") -> list[Step]:
    """Validate a scenario (as loaded from YAML) and unroll its repeats."""
    return _Parser(source).document(data)


def load_scenario(path: str | Path) -> list[Step]:
    """Read and validate a scenario file; ``ScenarioError`` says what is wrong and where."""
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not UTF-8 text") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path}: not valid YAML: {exc}") from None
    return parse_scenario(data, str(path))


class StepFailed(Exception):
    """A step the server refused; ``error`` is the refusal."""

    def __init__(self, number: int, step: Step, error: WweHostError) -> None:
        super().__init__(f"step {step.where} ({step.describe()}): {error}")
        self.number = number
        self.step = step
        self.error = error


def run_scenario(
    client: WweHostClient,
    steps: list[Step],
    *,
    before: Callable[[int, int, Step], None] | None = None,
    after: Callable[[int, Step, Json | None], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Run validated steps in order; ``before``/``after`` see each one (``after`` gets the
    server's answer, None for a wait). The first refusal raises ``StepFailed``."""
    last_call: str | None = None
    total = len(steps)
    for number, step in enumerate(steps, 1):
        if before is not None:
            before(number, total, step)
        a = step.args
        result: Json | None = None
        try:
            if step.kind == "wait":
                sleep(a["seconds"])
            elif step.kind == "call":
                result = client.call(a["to"], a["from"], a.get("dnis"), a.get("data"))
                last_call = str(result["callUuid"])
            elif step.kind == "email":
                result = client.email(
                    a["to"], a["from"], a["subject"], a.get("body", ""), a.get("data")
                )
            elif step.kind == "chat":
                result = client.chat(a["to"], a["from"], a["message"], a.get("data"))
            else:
                target = last_call if a["call"] == "last" else a["call"]
                assert target is not None  # validation: a call step comes first
                result = client.hangup(target)
        except WweHostUnreachable:
            raise
        except WweHostError as error:
            raise StepFailed(number, step, error) from error
        if after is not None:
            after(number, step, result)
