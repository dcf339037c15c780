"""A private reply to a command typed in careerbot's own DM. Only the member reads that DM, and
an ephemeral message there vanishes when their client reloads ("Only you can see this"): a
member in crisis who used `/ask` in the DM lost the emergency numbers and crisis lines on the
next reload. (Slack keeps a private reply in careerbot's own DM as a normal message for the same
reason; a quiz question in the DM was already kept.) In a server they stay ephemeral.
Run against `docfake`, a fake Discord written from the API documentation."""

from __future__ import annotations

import asyncio

from tests.adapters.discord.docfake_fixtures import slow_core

CRISIS = "I want to kill myself, there is no reason to keep going"


def asked(fake, text: str, *, dm: bool):
    return fake.slash("ask", [{"name": "question", "type": 3, "value": text}], dm=dm)


async def reply_to(fake, payload) -> list:
    iid = await fake.send(payload)
    await fake.wait_acked(iid)
    for _ in range(100):
        shown = [m for m in fake.visible() if m.id and iid in m.where and m.text]
        if shown:
            return shown
        await asyncio.sleep(0.05)
    raise AssertionError("no reply")


async def test_a_crisis_reply_in_the_bots_dm_stays_in_the_dm_after_a_reload(docbot):
    shown = await reply_to(docbot.fake, asked(docbot.fake, CRISIS, dm=True))
    assert "988" in shown[0].text
    assert not any(m.ephemeral for m in shown), "the crisis lines vanish on the next reload"


async def test_help_in_the_bots_dm_stays_in_the_dm(docbot):
    shown = await reply_to(docbot.fake, docbot.fake.slash("help", dm=True))
    assert not any(m.ephemeral for m in shown)


async def test_a_slow_crisis_reply_in_the_bots_dm_stays_in_the_dm(docbot):
    slow_core(docbot)
    shown = await reply_to(docbot.fake, asked(docbot.fake, CRISIS, dm=True))
    await asyncio.sleep(0.5)
    shown = [m for m in docbot.fake.visible() if m.where == shown[0].where or "followup" in m.where]
    assert any("988" in m.text for m in shown)
    assert not any(m.ephemeral for m in shown)


async def test_a_crisis_reply_in_a_server_is_still_ephemeral(docbot):
    shown = await reply_to(docbot.fake, asked(docbot.fake, CRISIS, dm=False))
    assert all(m.ephemeral for m in shown)
