"""An interaction that reaches the bot late (replayed after a gateway RESUME, or held up on the
way) has less than Discord's 3 seconds left, counted from when it was made (its snowflake id).
The bot gave the core its full 1.5 s before deferring, counted from when the bot read it: a
question made 1.8 s before it arrived, with a core taking 1.4 s, was deferred after
Discord's deadline and the member saw "This interaction failed". Run against `docfake`."""

from __future__ import annotations

import asyncio

QUESTION = "do I need a phd to work at deepmind"


async def test_a_question_replayed_after_a_resume_is_answered_before_discords_deadline(docbot):
    fake = docbot.fake
    real = docbot.service.handle

    async def busy(event):  # a core catching up after the reconnect
        await asyncio.sleep(1.4)
        return await real(event)

    docbot.service.handle = busy
    iid = await fake.send(fake.slash("ask", [{"name": "question", "type": 3, "value": QUESTION}],
                                     age=1.8))
    await fake.settle(3.0)
    assert ("POST", "callback", 404, 10062) not in fake.refusals, "deferred after the deadline"
    assert fake.interactions[iid].acked == 5  # deferred in time, then answered
    shown = [m for m in fake.visible() if m.where == f"interaction:{iid}"]
    assert shown and "PhD" in shown[0].text


async def test_a_fresh_question_still_gets_the_reply_itself_as_the_first_response(docbot):
    fake = docbot.fake
    iid = await fake.send(fake.slash("ask", [{"name": "question", "type": 3, "value": QUESTION}],
                                     age=0.0))
    it = await fake.wait_acked(iid)
    assert it.acked == 4  # no placeholder when the core is quick
