"""Group commit: the changes of every operation that finished in the same event-loop turn
are written in one transaction, and each operation still waits for its own commit."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from .base import Changes, Store
from .health import StoreError, StoreHealth

log = logging.getLogger("wwe_host.store")

FailureHook = Callable[[Changes, BaseException], None]
WrittenHook = Callable[[Changes], None]


class GroupCommit:
    """Commit the changes of every operation that finished in the same loop turn together.

    Each caller still waits for its own changes to be durable before it replies; callers
    that arrive while a commit is being written join the next one. Each outcome goes to
    ``health`` (what ``/healthz`` reports).

    One batch is written at a time: a batch gathered while one is being written starts once
    that one is done, so it knows the versions the store now holds.

    It also knows what is durable: ``durable`` holds each stored session's record as last
    written (or loaded), ``versions`` the version the store holds it at, and
    ``outbound_version`` the outbound state's. When a commit fails, ``on_failure`` is
    called with the failed batch before any caller resumes, so that the caller of the
    failure can put memory back to what is durable; when one is written, ``on_written``,
    at the moment the versions move (parts that keep their own durable copies update them).
    A batch that was being gathered while the failed one was written is failed with it: its
    operations may have read what the failed batch changed.
    """

    def __init__(
        self,
        store: Store,
        *,
        on_failure: FailureHook | None = None,
        health: StoreHealth | None = None,
    ) -> None:
        self.store = store
        self.on_failure = on_failure
        self.on_written: WrittenHook | None = None
        self.health = health or StoreHealth()
        self.durable: dict[str, bytes] = {}
        self.versions: dict[str, int] = {}
        self.outbound_version = 0
        self._batch: Changes | None = None
        self._done: asyncio.Future[Changes] | None = None
        self._writing: asyncio.Future[Changes] | None = None
        self._writing_batch: Changes | None = None

    def adopt(self, session_id: str, record: bytes | None, version: int = 0) -> None:
        """Take ``record`` at ``version`` as what the store holds (loaded at start or after
        a conflict); ``None``: the store holds no such session."""
        if record is None:
            self.durable.pop(session_id, None)
            self.versions.pop(session_id, None)
        else:
            self.durable[session_id] = record
            self.versions[session_id] = version

    def pending_sessions(self) -> set[str]:
        """The sessions with changes not yet durable (gathered or being written)."""
        found: set[str] = set()
        for batch in (self._batch, self._writing_batch):
            if batch is not None:
                found.update(s.session_id for s in batch.sessions)
                found.update(batch.ended)
        return found

    def queue_pending(self) -> bool:
        """Whether changes not yet durable (gathered or being written) touch the queue."""
        return any(b is not None and bool(b.queued or b.dequeued) for b in self._batches())

    def outbound_pending(self) -> bool:
        """Whether changes not yet durable touch the outbound campaigns."""
        return any(b is not None and bool(b.outbound) for b in self._batches())

    def _batches(self) -> tuple[Changes | None, Changes | None]:
        return self._batch, self._writing_batch

    def pending(self) -> asyncio.Future[Changes] | None:
        """What a reader must wait for so that it never reports an uncommitted change."""
        return self._done or self._writing

    async def commit(self, changes: Changes) -> Changes:
        """Wait until ``changes`` are durable; the batch they were written in (with every
        change of the operations that shared it)."""
        if self._batch is None:
            self._batch = Changes()
            self._done = asyncio.get_running_loop().create_future()
            asyncio.get_running_loop().call_soon(self._start)
        self._batch.merge(changes)
        done = self._done
        assert done is not None
        return await asyncio.shield(done)

    def _start(self) -> None:
        batch, done = self._batch, self._done
        if batch is None or done is None:
            return  # failed together with the batch before it, or already started
        if self._writing is not None:
            return  # started when the batch being written is done
        self._batch, self._done = None, None
        self._writing, self._writing_batch = done, batch
        batch.freeze(self.versions)
        batch.outbound_version = self.outbound_version
        task = asyncio.ensure_future(self.store.commit(batch))

        def finished(task: asyncio.Task[None]) -> None:
            if self._writing is done:
                self._writing, self._writing_batch = None, None
            problem = asyncio.CancelledError() if task.cancelled() else task.exception()
            if problem is None:
                self.health.wrote()
                self.durable.update(batch.frozen)
                for session_id in batch.frozen:
                    self.versions[session_id] = batch.versions.get(session_id, 0) + 1
                for session_id in batch.ended:
                    self.durable.pop(session_id, None)
                    self.versions.pop(session_id, None)
                if batch.outbound:
                    self.outbound_version = batch.outbound_version + 1
                if self.on_written is not None:
                    try:
                        self.on_written(batch)
                    except Exception:  # the callers must still get their answer
                        log.exception("keeping a written batch failed")
                done.set_result(batch)
                if self._batch is not None:
                    asyncio.get_running_loop().call_soon(self._start)
                return
            if isinstance(problem, StoreError):
                self.health.failed(problem)
            failed = [(batch, done)]
            if self._batch is not None and self._done is not None:
                failed.append((self._batch, self._done))
                self._batch, self._done = None, None
            for lost, _ in failed:
                if self.on_failure is not None:
                    try:
                        self.on_failure(lost, problem)
                    except Exception:  # the callers must still get their answer
                        log.exception("undoing a failed commit failed")
            for _, future in failed:
                if isinstance(problem, asyncio.CancelledError):
                    future.cancel()
                else:
                    future.set_exception(problem)

        task.add_done_callback(finished)
