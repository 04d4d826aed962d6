"""The PostgreSQL store (store/postgresql.py) on a real, throwaway database: what the
contract test does not show — SQL clients read its records and audit rows, hostile text is
stored as it is, and a server it cannot use is one line without the URL's password."""

from __future__ import annotations

from collections.abc import AsyncIterator

import psycopg
import pytest
from postgres_support import throwaway_database

from wwe_host.domain.model import AgentSession
from wwe_host.store.base import AuditRow, Changes
from wwe_host.store.health import StoreError
from wwe_host.store.postgresql import SCHEMA, PostgresStore


@pytest.fixture
async def url() -> AsyncIterator[str]:
    async with throwaway_database() as made:
        yield made


def session(session_id: str = "s1", username: str = "jdoe") -> AgentSession:
    return AgentSession(
        session_id=session_id, username=username, started_at=0.0, last_activity=0.0, media={}
    )


def entry(at: float, request: str, outcome: str = "allowed") -> AuditRow:
    return (at, "jdoe", "f-1", "http://crm.example", request, outcome, "", 0.1)


async def test_sql_clients_read_sessions_as_json_and_the_audit_as_rows(url: str) -> None:
    store = PostgresStore(url)
    await store.open()
    hostile = session("s2", "asmith")
    hostile.my_messages.append({"text": "nul \x00 and 'quotes' \"; DROP TABLE sessions; --"})
    await store.commit(
        Changes(
            sessions=[session(), hostile],
            audit=[entry(1.0, "agent.getState"), entry(2.0, "voice.dial", "refused:origin")],
        )
    )
    await store.commit(Changes(audit=[entry(3.0, "agent.setState")]))
    # json (not jsonb) keeps \u0000 (PostgreSQL's text cannot: ->> on such a record fails).
    stored = await store.load_session("s2")
    assert stored is not None and stored.session.my_messages == hostile.my_messages
    await store.close()

    async with await psycopg.AsyncConnection.connect(url) as conn:
        users = await (
            await conn.execute(
                "SELECT data->>'username', version FROM sessions WHERE session_id = 's1'"
            )
        ).fetchall()
        assert users == [("jdoe", 1)]
        rows = await (
            await conn.execute(
                "SELECT at, agent, request, outcome FROM audit_log ORDER BY batch, position"
            )
        ).fetchall()
        assert rows == [
            (1.0, "jdoe", "agent.getState", "allowed"),
            (2.0, "jdoe", "voice.dial", "refused:origin"),
            (3.0, "jdoe", "agent.setState", "allowed"),
        ]


async def test_a_server_it_cannot_reach_is_one_line_without_the_password() -> None:
    store = PostgresStore("postgresql://wwe:hunter2secret@127.0.0.1:1/wwe")
    with pytest.raises(StoreError) as refused:
        await store.open()
    reason = refused.value.reason
    assert reason.startswith("PostgreSQL postgresql://wwe:***@127.0.0.1:1/wwe cannot connect (")
    assert "hunter2secret" not in reason and "\n" not in reason


async def test_a_newer_schema_is_refused_naming_both_and_two_processes_migrate_once(
    url: str,
) -> None:
    first, second = PostgresStore(url), PostgresStore(url)
    await first.open()
    await second.open()  # the schema is there: nothing to do
    await first.close()
    await second.close()
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        await conn.execute("UPDATE schema_version SET version = %s", (SCHEMA + 1,))
    with pytest.raises(StoreError) as refused:
        await PostgresStore(url).open()
    assert f"has schema version {SCHEMA + 1}, newer than this wwe-host knows ({SCHEMA})" in (
        refused.value.reason
    )
