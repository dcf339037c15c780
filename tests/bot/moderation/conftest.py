from __future__ import annotations

import pytest

from bot.service import Service
from bot.store import Store
from tests.bot.moderation.test_moderation import KB, Clock


@pytest.fixture
async def clocked_service(tmp_path):
    """A service over the moderation tests' knowledge base with a clock the test moves, closed
    (store included) at the end."""
    store = await Store.open(tmp_path / "bot.db")
    svc = Service(KB, store, clock=Clock())
    yield svc
    await svc.close()
