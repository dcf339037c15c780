"""The heartbeat table: one row per serving process, its start kept across beats."""

from __future__ import annotations

from bot.store import Store


async def test_beats_keep_the_start_until_a_clean_stop(store: Store):
    await store.beat("discord", 100.0, host="h", pid=7)
    await store.beat("discord", 130.0, host="h", pid=7)
    [beat] = await store.serving()
    assert (beat.started_at, beat.beat_at, beat.platforms) == (100.0, 130.0, "discord")
    await store.beat("discord,slack", 500.0, host="h", pid=8)
    assert [b.pid for b in await store.serving()] == [8, 7]  # newest first


async def test_a_clean_stop_is_recorded_and_a_restart_starts_afresh(store: Store):
    await store.beat("discord", 100.0)
    await store.stop_beating(150.0)
    assert await store.fetchall("SELECT started_at, stopped_at FROM heartbeats") == [(100.0, 150.0)]
    await store.beat("discord", 200.0)
    assert await store.fetchall("SELECT started_at, stopped_at FROM heartbeats") == [(200.0, None)]


async def test_serving_leaves_out_stopped_bots_and_this_process(store: Store):
    await store.beat("discord", 100.0)  # this test process, which serves nothing
    await store.beat("slack", 100.0, host="elsewhere", pid=1)
    await store.beat("discord", 100.0, host="stopped", pid=1)
    async with store.transaction() as db:
        await db.execute("UPDATE heartbeats SET stopped_at = 1 WHERE host = 'stopped'")
    assert [b.host for b in await store.serving()] == ["elsewhere"]
