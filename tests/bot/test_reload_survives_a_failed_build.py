"""A reload whose build fails for a reason other than a broken file (a worker error, memory) is
logged, the old knowledge keeps answering, and later reload requests still work: the watcher
must not die silently on the first such failure."""

from __future__ import annotations

import asyncio

from bot.app import open_service, watch_reload
from tests.bot.test_reload import add_entry, settings, until  # noqa: F401 - the fixture

NEW_ID = "community-zorblax-reading-circle"


async def test_a_failed_reload_build_is_logged_and_the_next_request_still_reloads(settings, caplog):  # noqa: F811
    service = await open_service(settings)
    prepare = service.views.prepare
    calls = []

    def failing_once(kb):
        calls.append(kb)
        if len(calls) == 1:
            raise RuntimeError("the new indexes could not be built")
        return prepare(kb)

    service.views.prepare = failing_once  # type: ignore[method-assign]
    watcher = asyncio.create_task(watch_reload(settings, service, poll=0.02))
    try:
        kb_before = service.kb
        add_entry(settings)
        await service.store.request_reload(1.0)
        await until(lambda: "reload failed" in caplog.text, within=20)
        assert service.kb is kb_before and not watcher.done()
        await service.store.request_reload(2.0)
        await until(lambda: NEW_ID in {e.id for e in service.kb.entries}, within=20)
    finally:
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        await service.store.close()
