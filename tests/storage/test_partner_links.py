"""Partner links as a transaction sees them: read once, and its own changes seen at once."""

from __future__ import annotations

from storage.case_store import CaseStore
from storage.database import Database
from tests.storage.builders import START


async def test_a_transaction_reads_the_links_once_and_sees_its_own_changes(db: Database) -> None:
    async with db.transaction() as session:
        store = CaseStore(session)
        assert await store.links() == {}
        await store.link("politie", -1001, 42, START)
        assert await store.links() == {"politie": -1001}
        links = await store.links()
        links["handhaving"] = -1002  # a caller's copy: the transaction's memo is its own
        assert await store.links() == {"politie": -1001}
        await store.link("handhaving", -1001, 42, START)
        assert await store.links() == {"handhaving": -1001}, "the chat moved to handhaving"
        assert await store.unlink("handhaving")
        assert await store.links() == {}
    async with db.transaction() as session:
        assert await CaseStore(session).links() == {}
