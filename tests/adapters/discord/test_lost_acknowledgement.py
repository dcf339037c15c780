"""Discord takes an interaction's defer, but its answer is lost on the way back (a 502 from the
edge). discord.py tries the callback again, and Discord refuses the second with 40060
("Interaction has already been acknowledged"). The bot took that refusal for a failed defer:
the member's "careerbot is thinking…" placeholder stayed empty for good, though the answer was
ready. Run against `docfake`, a fake Discord written from the API documentation."""

from __future__ import annotations

import asyncio

from tests.adapters.discord.docfake import CHANNEL, snowflake
from tests.adapters.discord.docfake_fixtures import slow_core

DEFERRED = 5
QUESTION = "do I need a phd to work at deepmind"


async def answer_in(fake, iid: str, within: float = 6.0) -> str:
    for _ in range(int(within / 0.05)):
        shown = [m for m in fake.visible() if iid in m.where and m.text]
        if shown:
            return shown[0].text
        await asyncio.sleep(0.05)
    return ""


async def test_a_slow_answer_fills_its_placeholder_when_the_defers_acknowledgement_was_lost(
        docbot):
    fake = docbot.fake
    slow_core(docbot)
    fake.lose_answer_to.add(DEFERRED)
    iid = await fake.send(fake.slash("ask", [{"name": "question", "type": 3,
                                              "value": QUESTION}]))
    text = await answer_in(fake, iid)
    assert "PhD" in text, "the placeholder stayed empty"


async def test_answer_with_careerbot_answers_when_the_defers_acknowledgement_was_lost(docbot):
    fake = docbot.fake
    fake.lose_answer_to.add(DEFERRED)
    target = snowflake()
    message = {"id": target, "channel_id": CHANNEL, "type": 0, "content": "what is cifre",
               "author": {"id": "1400000000000000600", "username": "writer",
                          "discriminator": "0", "avatar": None},
               "attachments": [], "embeds": [], "mentions": [], "mention_roles": [],
               "mention_everyone": False, "pinned": False, "tts": False,
               "timestamp": "2025-01-01T00:00:00+00:00", "edited_timestamp": None,
               "flags": 0, "components": []}
    payload = fake._base(2, {"id": snowflake(), "name": "Answer with careerbot", "type": 3,
                             "target_id": target, "resolved": {"messages": {target: message}}},
                         "1400000000000000500", False)
    iid = await fake.send(payload)
    text = await answer_in(fake, iid)
    assert text, "the member's placeholder stayed empty"
