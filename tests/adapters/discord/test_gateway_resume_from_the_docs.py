"""The gateway as Discord documents it, from `docfake` (zlib-stream transport compression, a
RECONNECT answered by RESUME and a replay of the events missed, an INVALID_SESSION that will not
resume): every question is answered exactly once, before and after."""

from __future__ import annotations

import asyncio

from tests.adapters.discord.docfake import BOT_ID, CHANNEL, GUILD, snowflake

QUESTION = "do I need a phd to work at deepmind"
LATER = "what does a research engineer do"


def ask(fake, text: str):
    return fake.slash("ask", [{"name": "question", "type": 3, "value": text}])


def mention(text: str) -> dict:
    author = {"id": "1400000000000000500", "username": "member", "discriminator": "0",
              "avatar": None}
    return {"id": snowflake(), "channel_id": CHANNEL, "guild_id": GUILD, "type": 0,
            "content": f"<@{BOT_ID}> {text}", "author": author,
            "member": {"roles": [], "joined_at": "2025-01-01T00:00:00+00:00", "deaf": False,
                       "mute": False, "flags": 0},
            "mentions": [{"id": BOT_ID, "username": "careerbot", "discriminator": "0",
                          "avatar": None, "bot": True}],
            "mention_roles": [], "mention_everyone": False, "attachments": [], "embeds": [],
            "pinned": False, "tts": False, "timestamp": "2025-01-01T00:00:00+00:00",
            "edited_timestamp": None, "flags": 0, "components": []}


def answers(fake) -> list[str]:
    return [m.text.split("\n")[0] for m in fake.visible() if m.text]


async def drop(fake) -> None:
    fake.ready.clear()
    for ws in list(fake.sockets):
        await ws.close(code=4000)


async def test_questions_around_a_resume_are_each_answered_once(docbot):
    fake = docbot.fake
    await fake.wait_acked(await fake.send(ask(fake, QUESTION)))
    await fake.dispatch("MESSAGE_CREATE", mention(QUESTION))
    await fake.settle(1.0)
    await fake.reconnect()  # opcode 7: resume
    await asyncio.wait_for(fake.ready.wait(), 20)
    await drop(fake)  # and a dropped connection, with a question asked meanwhile
    missed = ask(fake, LATER)
    await fake.dispatch("INTERACTION_CREATE", missed, send=False)
    await asyncio.wait_for(fake.ready.wait(), 30)
    await fake.wait_acked(missed["id"])
    await fake.settle(1.5)
    assert fake.identifies == 1 and len(fake.resumes) == 2
    shown = answers(fake)
    assert len(shown) == 3, shown  # the slash answer, the mention's reply, the missed one
    assert sum("research engineer" in s for s in shown) == 1


async def test_after_a_session_that_will_not_resume_the_bot_identifies_and_answers(docbot):
    fake = docbot.fake
    fake.refuse_resume = True
    await drop(fake)
    await asyncio.wait_for(fake.ready.wait(), 30)
    await fake.settle(0.5)
    assert fake.identifies == 2
    await fake.wait_acked(await fake.send(ask(fake, QUESTION)))
    await fake.dispatch("MESSAGE_CREATE", mention(QUESTION))
    await fake.settle(1.5)
    assert len(answers(fake)) == 2
