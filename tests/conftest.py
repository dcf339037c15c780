from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.service import Service
from bot.store import Store

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge(KNOWLEDGE)


@pytest.fixture
async def store(tmp_path: Path):
    s = await Store.open(tmp_path / "test.db")
    yield s
    await s.close()


@pytest.fixture
async def service(kb: KnowledgeBase, store: Store) -> Service:
    return Service(kb, store)
