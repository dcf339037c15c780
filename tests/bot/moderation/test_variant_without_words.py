"""`faq variant <id> 🙂🙂🙂` or `faq variant <id> ** **` said "Members see it now", but a phrasing
with no words can never match a member's question. It is refused and nothing changes; a
variant in another script is still saved."""

from __future__ import annotations

import pytest

from bot.replies import Command, Context
from bot.service import Service

MODERATOR = Context("console", "local", "c", "mo", "mo", True, True)
ENTRY = "phd-needed-for-research-labs"


@pytest.mark.parametrize("text", ["🙂🙂🙂", "** **", "<b></b>", "``` ```"])
async def test_a_variant_with_no_words_is_refused(service: Service, text: str):
    before = (await service.view("local")).by_id[ENTRY].variants
    reply = await service.handle(Command(MODERATOR, "faq", f"variant {ENTRY} {text}"))
    assert reply.kind == "error" and "nothing was changed" in reply.body
    assert (await service.view("local")).by_id[ENTRY].variants == before


async def test_a_variant_in_another_script_is_saved(service: Service):
    reply = await service.handle(Command(MODERATOR, "faq", f"variant {ENTRY} нужна ли аспирантура для работы в лаборатории"))
    assert reply.kind != "error"
    assert "нужна ли аспирантура для работы в лаборатории" in (await service.view("local")).by_id[ENTRY].variants
