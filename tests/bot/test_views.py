"""Matching runs off the event loop, one message at a time per member (red-team M1, H1): a member
whose questions are slow to match holds up only their own."""

from __future__ import annotations

import asyncio
import threading

import numpy as np

from bot.views import MATCHING_THREADS, MatchingQueue, _shared_rows

WAIT = 30.0  # seconds: only reached when the behaviour under test is broken


async def test_a_slow_member_holds_up_only_their_own_questions() -> None:
    assert MATCHING_THREADS >= 2
    queue = MatchingQueue()
    release = threading.Event()
    started: list[str] = []

    def slow(label: str) -> str:
        started.append(label)
        release.wait(WAIT)
        return label

    async def ask(member: str, label: str, work=slow) -> str:
        async with queue.turn(member):
            return await queue.run(work, label)

    flood = [asyncio.create_task(ask("flooder", f"junk {i}")) for i in range(3)]
    for _ in range(200):
        if started:
            break
        await asyncio.sleep(0.01)
    assert started == ["junk 0"]
    # Another member is answered while the flooder's first question still holds a thread...
    other = await asyncio.wait_for(ask("ana", "question", lambda label: label), WAIT)
    assert other == "question"
    # ...and the flooder's next ones have not reached the threads.
    assert started == ["junk 0"] and not any(task.done() for task in flood)
    assert len(queue) == 1
    release.set()
    assert await asyncio.wait_for(asyncio.gather(*flood), WAIT) == ["junk 0", "junk 1", "junk 2"]
    assert started == ["junk 0", "junk 1", "junk 2"]
    assert len(queue) == 0


async def test_matching_does_not_run_on_the_event_loop() -> None:
    loop_thread = threading.get_ident()
    ran_on = await MatchingQueue.run(threading.get_ident)
    assert ran_on != loop_thread


async def test_the_base_view_shares_the_wellbeing_checks_vectors_and_answers_the_same(
    service,
) -> None:
    view = service.views.base
    assert view.matcher.dense is not None and service.wellbeing.semantic is not None
    phrasings = view.matcher.dense.phrasings
    assert np.shares_memory(phrasings, service.wellbeing.semantic.ordinary)
    texts = [p for e in view.entries for p in (e.question, *e.variants)]
    np.testing.assert_array_equal(phrasings, service.views.vectors.encode(texts))


def test_vectors_that_differ_are_not_shared() -> None:
    class Semantic:
        ordinary = np.eye(4, dtype=np.float32)

    class Check:
        semantic = Semantic()

    own = np.eye(4, dtype=np.float32)[[1, 0]]
    assert _shared_rows(own, Check()) is own  # type: ignore[arg-type]
    same = np.eye(4, dtype=np.float32)[:3]
    assert np.shares_memory(_shared_rows(same, Check()), Semantic.ordinary)  # type: ignore[arg-type]


async def test_a_frozen_heap_still_lets_a_reloaded_knowledge_base_go(service, kb) -> None:
    import gc
    import weakref

    old = weakref.ref(service.views.knowledge)
    try:
        service.views.freeze()
        assert service.views.frozen and gc.get_freeze_count() > 0
        # A cycle keeps the old knowledge alive until a full collection reaches it: frozen, it
        # never would be.
        service.views.knowledge.cycle = service.views.knowledge  # type: ignore[attr-defined]
        await service.reload(kb)
        gc.collect()
        assert old() is None
        assert gc.get_freeze_count() > 0  # the new one is frozen in turn
    finally:
        gc.unfreeze()


def test_a_serving_bot_lets_the_event_loop_take_the_gil_sooner(service) -> None:
    import gc
    import sys

    from bot.views import SERVING_SWITCH_INTERVAL

    before = sys.getswitchinterval()  # other tests may have served already
    try:
        sys.setswitchinterval(0.005)  # Python's default
        service.views.serve()
        assert sys.getswitchinterval() == SERVING_SWITCH_INTERVAL < 0.005
    finally:
        sys.setswitchinterval(before)
        gc.unfreeze()
