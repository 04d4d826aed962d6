"""The desktop WebSocket of a real server at its edges: what is over every limit is
answered, only what is over the WebSocket's own limit closes it, and the log says why."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from websockets.exceptions import ConnectionClosedError
from websockets.sync.client import ClientConnection

from wwe_host.message_limits import desktop_message_limit, websocket_max_size
from wwe_host.testing import ServerProcess
from wwe_host.web.desktop_ws import BINARY_FRAME

CONFIG = """
[wwe-host]
insecure-plain-password = true
admin-token = edge-token

[agent:edge]
firstname = Edge
lastname = Case
employeeId = 1
password = pw
number = 5001
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    process = ServerProcess(CONFIG, tmp_path_factory.mktemp("edge"))
    process.start()
    try:
        yield process
    finally:
        process.stop()


def open_desktop(server: ServerProcess) -> ClientConnection:
    return server.desktop_socket("edge", "pw")


def log_lines(server: ServerProcess, pattern: str) -> list[str]:
    deadline = time.monotonic() + 10
    while True:
        text = server.log_path.read_text(errors="replace")
        found = [line for line in text.splitlines() if re.search(pattern, line)]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_over_the_limits_is_answered_and_only_the_websocket_limit_closes(
    server: ServerProcess,
) -> None:
    """Messages over 16 MiB closed the socket (1009) without a word in the log; a binary
    frame logged a traceback."""
    limit = desktop_message_limit(65536)
    with open_desktop(server) as ws:
        ws.send(b"\x00binary")
        assert '"message":"' + BINARY_FRAME + '"' in str(ws.recv(timeout=10))
        ws.send('{"type":"action","ref":"big","pad":"' + "x" * limit + '"}')
        answer = str(ws.recv(timeout=10))
        assert '"ref":"big"' in answer and f"the limit is {limit} bytes" in answer
        ws.send('{"type":"ping"}')
        assert str(ws.recv(timeout=10)) == '{"type":"pong"}'
        with pytest.raises(ConnectionClosedError) as closed:
            # The server may close while the message is still being sent (send raises then).
            ws.send("x" * (websocket_max_size(65536) + 1))
            while True:
                ws.recv(timeout=10)
        # The close frame may be lost when the socket is reset under our send; the server's
        # log line below says which code it closed with.
        assert closed.value.rcvd is None or closed.value.rcvd.code == 1009
    (line,) = log_lines(server, r"desktop connection of session \w+ closed: code 1009")
    assert "WARNING" in line and "a message over the WebSocket limit" in line
    assert "Traceback" not in server.log_path.read_text()


def test_a_page_that_leaves_is_one_line_in_the_log(server: ServerProcess) -> None:
    with open_desktop(server) as ws:
        ws.send('{"type":"ping"}')
        ws.recv(timeout=10)
    lines = log_lines(server, r"closed: code 1000 \(normal closure\)")
    assert len(lines) == 1 and "INFO" in lines[0]
