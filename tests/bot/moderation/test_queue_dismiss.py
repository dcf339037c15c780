"""Dismissing one question of the unanswered list gives the list back in place, without that
question, with the other questions' buttons still there: the moderator goes on down the list
instead of running `unanswered` again."""

from __future__ import annotations

from bot.replies import ButtonPress, Command, Context
from bot.service import Service

MOD = Context("slack", "T1", "C1", "UMOD", "mod", False, True)
ANA = Context("slack", "T1", "C1", "UANA", "ana", False, False)

CUDA = "how do I fix CUDA out of memory errors?"
PIZZA = "what is the best pizza topping in naples?"


async def test_dismissing_one_question_keeps_the_rest_of_the_list(service: Service):
    await service.handle(Command(ANA, "ask", CUDA))
    await service.handle(Command(ANA, "ask", PIZZA))
    await service.settle()
    listing = await service.handle(Command(MOD, "unanswered"))
    position = next(line.split(".")[0] for line in listing.body.splitlines() if PIZZA in line)
    (dismiss,) = [c for c in listing.choices
                  if c.action == "unanswered-dismiss" and c.label == f"{position}: dismiss"]

    after = await service.handle(ButtonPress(MOD, "unanswered-dismiss", dismiss.payload))

    assert after.kind == "list" and after.replace and after.ephemeral
    done, rest = after.body.split("\n\n", 1)
    assert done.startswith("Dismissed") and "pizza" in done
    assert PIZZA not in rest and CUDA in rest
    assert [c.action for c in after.choices] == [
        "unanswered-new", "unanswered-attach", "unanswered-dismiss"]
    again = await service.handle(ButtonPress(MOD, "unanswered-dismiss", dismiss.payload))
    assert again.kind == "error" and "no longer in the queue" in again.body


async def test_an_old_list_cannot_act_on_a_question_already_dismissed(service: Service):
    await service.handle(Command(ANA, "ask", PIZZA))
    await service.settle()
    listing = await service.handle(Command(MOD, "unanswered"))
    buttons = {c.action: c for c in listing.choices}
    await service.handle(ButtonPress(MOD, "unanswered-dismiss", buttons["unanswered-dismiss"].payload))
    for action in ("unanswered-new", "unanswered-attach"):
        stale = await service.handle(ButtonPress(MOD, action, buttons[action].payload))
        assert stale.kind == "error" and "no longer in the queue" in stale.body, action
