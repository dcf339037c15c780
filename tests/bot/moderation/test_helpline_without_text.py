"""`faq helpline <text>` whose text is only formatting (an HTML tag, a code fence, bold markers):
once the markup is neutralised nothing readable is left. Before, the moderator was told "Saved"
while an existing support line was silently replaced by an empty one (members in crisis no
longer saw the community's contact), or by stray `**` shown under the crisis lines."""

from __future__ import annotations

import pytest

from bot.replies import Command, Context
from bot.service import Service
from bot.store import SUPPORT_LINE
from tests.wellbeing_quotes import CRISIS

MEMBER = Context("console", "local", "c", "alice", "alice", True, False)
MODERATOR = Context("console", "local", "c", "mo", "mo", True, True)
LINE = "Uni counselling: 01 23 45 67"


@pytest.mark.parametrize("markup", ["<b></b>", "**", "``` ```", "<br/>", "*** ___", "## "])
async def test_a_support_line_of_only_markup_is_refused_and_keeps_the_old_one(
        service: Service, markup: str):
    saved = await service.handle(Command(MODERATOR, "faq", f"helpline {LINE}"))
    assert saved.kind == "text"

    refused = await service.handle(Command(MODERATOR, "faq", f"helpline {markup}"))

    assert refused.kind == "error" and "Nothing was changed" in refused.body
    assert await service.store.setting("local", SUPPORT_LINE) == LINE
    crisis = await service.handle(Command(MEMBER, "ask", CRISIS[0]))
    assert crisis.kind == "safety" and LINE in crisis.body


async def test_a_support_line_with_words_in_markup_is_saved_as_text(service: Service):
    saved = await service.handle(Command(MODERATOR, "faq", "helpline **Counselling**: <b>0123</b>"))
    assert saved.kind == "text"
    assert await service.store.setting("local", SUPPORT_LINE) == "**Counselling**: 0123"
