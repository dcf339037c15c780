"""The ask log keeps LOG_RETENTION_DAYS of rows in every community, not only in the one whose
question happens to trigger the trim: a server the bot left keeps no old rows either."""

from __future__ import annotations

from bot.store import Store


async def test_a_trim_removes_old_rows_of_every_community(store: Store, monkeypatch):
    from bot.store import asks

    monkeypatch.setattr(asks, "TRIM_EVERY", 1)
    await store.record_ask(community="gone", user_id="u", status="answered", entry_id="e",
                           score=1.0, norm="q", sample="q", now=0.0)
    later = asks.LOG_RETENTION_DAYS * 86400.0 + 10
    await store.record_ask(community="active", user_id="v", status="answered", entry_id="e",
                           score=1.0, norm="q", sample="q", now=later)
    rows = await store.fetchall("SELECT community, asked_at FROM ask_log")
    assert rows == [("active", later)]
