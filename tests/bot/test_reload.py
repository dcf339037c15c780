"""A knowledge-base edit reaches a running bot without a restart (`careerbot kb reload`, or
SIGHUP), and a broken edit is refused while answers keep coming (issue 17, item 4)."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
from pathlib import Path

import pytest

from bot.app import open_service, watch_reload
from bot.config import Settings
from bot.replies import Command, Context
from tests import REPO

MEMBER = Context("console", "local", "console", "ana", "ana", True, False)
QUESTION = "when does the zorblax reading circle meet?"
NEW_ENTRY = """
  - id: community-zorblax-reading-circle
    topic: research-life
    question: When does the zorblax reading circle meet?
    variants:
      - zorblax reading circle schedule
      - what time is the zorblax reading circle
    answer: >-
      It meets whenever its members agree to, which is a placeholder answer written for a test
      of reloading; what research feels like is covered elsewhere in this knowledge base.
    sources:
      - source: ml-research-challenges
        where: the whole article
"""


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", knowledge)
    return Settings(db_path=tmp_path / "bot.db", knowledge_dir=knowledge)


def add_entry(settings: Settings) -> None:
    path = settings.knowledge_dir / "faq" / "research-life.yaml"
    path.write_text(path.read_text(encoding="utf-8").rstrip() + "\n" + NEW_ENTRY, encoding="utf-8")


async def until(condition, *, within: float = 60.0) -> None:
    """Wait for a background reload (generous: this is a correctness test, not a speed one)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        assert loop.time() < deadline, "the reload never happened"
        await asyncio.sleep(0.02)


async def test_a_reload_request_reaches_the_running_bot(settings):
    service = await open_service(settings)
    watcher = asyncio.create_task(watch_reload(settings, service, poll=0.02))
    try:
        before = await service.handle(Command(MEMBER, "ask", QUESTION))
        assert before.entry_id != "community-zorblax-reading-circle"
        add_entry(settings)
        await service.store.request_reload(1.0)
        await until(lambda: "community-zorblax-reading-circle" in {e.id for e in service.kb.entries})
        after = await service.handle(Command(MEMBER, "ask", QUESTION))
        assert after.entry_id == "community-zorblax-reading-circle"
    finally:
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        await service.store.close()


async def test_a_broken_edit_is_refused_and_the_old_knowledge_keeps_answering(settings, caplog):
    service = await open_service(settings)
    watcher = asyncio.create_task(watch_reload(settings, service, poll=0.02))
    try:
        kb_before = service.kb
        (settings.knowledge_dir / "faq" / "phd.yaml").write_text("entries: [oops: {", encoding="utf-8")
        await service.store.request_reload(1.0)
        await until(lambda: "reload refused" in caplog.text)
        assert service.kb is kb_before
        reply = await service.handle(Command(MEMBER, "ask", "do I need a PhD to work at DeepMind?"))
        assert reply.kind == "answer"
    finally:
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        await service.store.close()


async def test_sighup_reloads_in_process(settings):
    service = await open_service(settings)
    watcher = asyncio.create_task(watch_reload(settings, service, poll=30.0))
    try:
        await asyncio.sleep(0)  # the watcher installs its signal handler
        add_entry(settings)
        os.kill(os.getpid(), signal.SIGHUP)
        await until(lambda: "community-zorblax-reading-circle" in {e.id for e in service.kb.entries})
    finally:
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        await service.store.close()


def test_kb_reload_checks_the_files_before_asking_the_bot(settings, tmp_path):
    import subprocess
    import sys

    env = {**os.environ, "CAREERBOT_DB": str(settings.db_path),
           "CAREERBOT_KNOWLEDGE_DIR": str(settings.knowledge_dir)}
    command = [sys.executable, "-m", "bot", "kb", "reload"]
    ok = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True)
    assert ok.returncode == 0 and "reloads it" in ok.stdout

    async def requested() -> float:
        from bot.store import Store

        store = await Store.open(settings.db_path)
        try:
            return await store.reload_requested()
        finally:
            await store.close()

    first = asyncio.run(requested())
    assert first > 0
    (settings.knowledge_dir / "faq" / "phd.yaml").write_text("entries: [oops: {", encoding="utf-8")
    broken = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True)
    assert broken.returncode == 2 and "phd.yaml" in broken.stderr
    assert "Traceback" not in broken.stderr
    assert asyncio.run(requested()) == first  # nothing reached the bot
