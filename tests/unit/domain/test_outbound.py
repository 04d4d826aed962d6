"""The outbound book (domain/outbound.py): record order, snapshots to write, merges."""

from __future__ import annotations

from wwe_host.domain.outbound import (
    BUILT_IN_CALL_RESULTS,
    READY,
    SCHEDULED,
    Book,
    CallResult,
    Campaign,
    CampaignRecord,
    OutboundChanges,
)


def _book() -> tuple[Book, Campaign]:
    book = Book(lambda: "id")
    campaign = Campaign(
        name="c",
        mode="preview",
        status="RUNNING",
        agents=["ann", "bob"],
        call_results=[],
        loaded_at=0.0,
    )
    records = [
        CampaignRecord(campaign="c", handle=h, phone=f"+{h}", chain=f"#{h}", fields={})
        for h in (1, 2, 3)
    ]
    book.load(OutboundChanges(), campaign, records)
    return book, campaign


def _next(book: Book, campaign: Campaign, username: str, now: float) -> int:
    record = book.next_due(campaign, username, now)
    assert record is not None
    return record.handle


def test_due_callbacks_come_first_then_the_campaign_order() -> None:
    book, campaign = _book()
    assert _next(book, campaign, "ann", 100.0) == 1
    callback = book.records[("c", 3)]
    callback.status, callback.due_at, callback.personal = SCHEDULED, 50.0, "ann"
    assert _next(book, campaign, "ann", 40.0) == 1
    assert _next(book, campaign, "ann", 60.0) == 3
    assert _next(book, campaign, "bob", 60.0) == 1
    book.set_do_not_call(OutboundChanges(), "+1", True)
    returned = book.records[("c", 2)]
    book.return_to_campaign(OutboundChanges(), returned)
    assert returned.status == READY and returned.seq == 1
    # +1 is on the do-not-call list, 2 went behind: bob gets nothing else first.
    assert _next(book, campaign, "bob", 60.0) == 2


def test_a_change_records_a_snapshot_of_the_record() -> None:
    book, _ = _book()
    changes = OutboundChanges()
    record = book.records[("c", 1)]
    record.fields["note"] = "first"
    book.put(changes, record, 5.0)
    record.fields["note"] = "later"
    record.call_result = CallResult("Busy", 6)
    written = changes.records[("c", 1)]
    assert written.fields == {"note": "first"} and written.call_result is None
    assert written.updated_at == 5.0


def test_an_unload_merged_after_writes_drops_them() -> None:
    book, campaign = _book()
    first = OutboundChanges()
    book.put(first, book.records[("c", 1)], 1.0)
    book.put_campaign(first, campaign)
    later = OutboundChanges()
    book.unload(later, "c")
    first.merge(later)
    assert first.records == {} and first.campaigns == {} and first.unloaded == {"c"}
    assert book.campaigns == {} and book.records == {}
    assert bool(first) and not bool(OutboundChanges())


def test_call_results_of_the_agents_campaigns_or_the_built_in_list() -> None:
    book, campaign = _book()
    # A loaded campaign always has a list (its own or the built-in one); an agent of no
    # campaign gets the built-in list.
    assert book.call_results("zed") == list(BUILT_IN_CALL_RESULTS)
    campaign.call_results = [CallResult("Sale", 101)]
    assert book.call_results("ann") == [CallResult("Sale", 101)]
