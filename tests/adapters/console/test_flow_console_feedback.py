"""Flow: in the console, a member answers "y" and then changes their mind with "n".

The core lets a member change a vote ("Changed your vote to not helpful."), and on Discord and
Slack the buttons stay on the answer. In the console the vote's reply ("Thanks! Noted as
helpful.") cleared the y/n prompt, so the second "n" was sent as a *question*: the member got
"I don't know that one" and "n" landed in the moderators' unanswered queue as something members
asked.
"""

from __future__ import annotations

from adapters.console import ConsoleSession
from bot.replies import Context

CTX = Context("console", "local", "console", "ana", "ana", True, False)


async def test_second_vote_changes_the_vote_and_is_not_asked_as_a_question(service, store):
    out: list[str] = []
    session = ConsoleSession(service, CTX, out.append, lambda prompt: None)

    await session.handle_line("are AI residencies worth it?")
    assert "Was this helpful? (y/n)" in out
    await session.handle_line("y")
    assert out[-1] == "Thanks! Noted as helpful."
    before = len(out)
    await session.handle_line("n")

    said = "\n".join(out[before:])
    assert "I don't know that one" not in said
    assert out[before:] == ["Changed your vote to not helpful."]
    await service.settle()
    assert [item.norm for item in await store.top_unanswered("local")] == []
    rows = await store.fetchall("SELECT helpful FROM feedback WHERE user_id = 'console:ana'")
    assert rows == [(0,)]
