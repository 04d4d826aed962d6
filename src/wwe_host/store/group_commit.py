"""Group commit: the changes of every operation that finished in the same event-loop turn
are written in one transaction, and each operation still waits for its own commit."""

from __future__ import annotations

import asyncio

from .base import Changes, Store
from .health import StoreError, StoreHealth


class GroupCommit:
    """Commit the changes of every operation that finished in the same loop turn together.

    Each caller still waits for its own changes to be durable before it replies; callers
    that arrive while a commit is being written join the next one. Each outcome goes to
    ``health`` (what ``/healthz`` reports).
    """

    def __init__(self, store: Store, health: StoreHealth | None = None) -> None:
        self.store = store
        self.health = health or StoreHealth()
        self._batch: Changes | None = None
        self._done: asyncio.Future[None] | None = None
        self._writing: asyncio.Future[None] | None = None

    def pending(self) -> asyncio.Future[None] | None:
        """What a reader must wait for so that it never reports an uncommitted change."""
        return self._done or self._writing

    async def commit(self, changes: Changes) -> None:
        if self._batch is None:
            self._batch = Changes()
            self._done = asyncio.get_running_loop().create_future()
            asyncio.get_running_loop().call_soon(self._start)
        self._batch.merge(changes)
        done = self._done
        assert done is not None
        await asyncio.shield(done)

    def _start(self) -> None:
        batch, done = self._batch, self._done
        assert batch is not None and done is not None
        self._batch, self._done = None, None
        self._writing = done
        task = asyncio.ensure_future(self.store.commit(batch))

        def finished(task: asyncio.Task[None]) -> None:
            if self._writing is done:
                self._writing = None
            if task.cancelled():
                done.cancel()
            elif (problem := task.exception()) is not None:
                if isinstance(problem, StoreError):
                    self.health.failed(problem)
                done.set_exception(problem)
            else:
                self.health.wrote()
                done.set_result(None)

        task.add_done_callback(finished)
