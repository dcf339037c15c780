from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.kb.loader import load_knowledge
from bot.kb.models import KnowledgeBase
from bot.service import Service
from bot.store import Store
from bot.wellbeing import Wellbeing
from tests import REPO

ROOT = REPO
KNOWLEDGE = ROOT / "knowledge"
# One embedding cache for the whole run, subprocesses included: the knowledge base is embedded
# once per checkout, not once per test database.
os.environ.setdefault("CAREERBOT_EMBEDDING_CACHE", str(ROOT / "data" / "embeddings"))


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge(KNOWLEDGE)


@pytest.fixture(scope="session")
def wellbeing(kb: KnowledgeBase) -> Wellbeing:
    """The wellbeing check alone, patterns only (no sentence model), for the family tests."""
    return Wellbeing(kb.safety)


@pytest.fixture
async def store(tmp_path: Path):
    s = await Store.open(tmp_path / "test.db")
    yield s
    await s.close()


@pytest.fixture
async def service(kb: KnowledgeBase, store: Store) -> Service:
    return Service(kb, store)
