"""The sentence-vector cache cannot be written (disk full, a read-only volume, a folder the
bot's user may not write) when a moderator adds a variant.

The moderator's change was committed, yet they were told "Sorry, something went wrong ...
Nothing was changed", and from then on every member's question in that community failed the
same way: each rebuild of the community's index tried to append the new phrasing's vector to
the cache journal and raised. The cache is an optimisation; losing a write of it must cost at
most a re-encode at the next start, never answers.
"""

from __future__ import annotations

import errno
import uuid

from bot.vectors import CachedEncoder
from tests.bot.moderation.test_moderation import MEMBER, MOD, cmd

BASE_ID = "phd-needed-for-research-labs"
# A phrasing no earlier run put in the shared on-disk cache.
ODD = f"is a doctorate mandatory for zebra-striped frontier labs {uuid.uuid4().hex[:8]}"


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


async def test_a_full_disk_under_the_vector_cache_costs_no_answers(clocked_service, monkeypatch):
    monkeypatch.setattr(CachedEncoder, "_write_journal", _disk_full)
    monkeypatch.setattr(CachedEncoder, "_save", _disk_full)

    saved = await cmd(clocked_service, MOD, "faq-variant", f"{BASE_ID} {ODD}")
    assert saved.kind == "text", saved.body
    assert ODD in (await clocked_service.view("guild-a")).by_id[BASE_ID].variants

    answer = await cmd(clocked_service, MEMBER, "ask", "do I need a PhD to work at DeepMind?")
    assert answer.kind == "answer", answer.body
    assert (await cmd(clocked_service, MEMBER, "ask", ODD)).entry_id == BASE_ID
