"""Flow: a member with an unfinished quiz runs `quiz ml-path` again and double-clicks
"Start over" (or clicks it on an old offer after the run was cancelled).

The second click is refused, rightly, but the refusal read "That quiz was cancelled or
restarted; nothing was changed. Nothing was changed.": `btn_restart` appended its own
"Nothing was changed." to refusals that already say so.
"""

from __future__ import annotations

from bot.replies import ButtonPress, Command, Context

DM = Context("discord", "", "dm", "ana", "ana", True, False)


async def test_a_second_start_over_says_nothing_was_changed_once(service):
    first = await service.handle(Command(DM, "quiz", "ml-path"))
    await service.handle(ButtonPress(DM, "quiz", first.choices[0].payload))
    offer = await service.handle(Command(DM, "quiz", "ml-path"))
    (restart,) = [c for c in offer.choices if c.action == "quiz-restart"]

    assert (await service.handle(ButtonPress(DM, "quiz-restart", restart.payload))).kind == "quiz"
    again = await service.handle(ButtonPress(DM, "quiz-restart", restart.payload))

    assert again.kind == "error"
    assert again.body.lower().count("nothing was changed") == 1, again.body
