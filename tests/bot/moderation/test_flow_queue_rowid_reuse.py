"""Flow: a moderator lists the unanswered queue; the member who asked the newest question runs
`forget-me`; another member asks something new; the moderator presses "dismiss" on the old list.

The queue's buttons carry the row's SQLite rowid. `forget-me` deletes the row with the highest
rowid, and SQLite hands that rowid to the next new question, so the old button dismissed a
question no moderator had seen ("Dismissed: it leaves the queue"), and it was gone from the queue.
"Attach" and "new entry" on the old list likewise opened a form for the other question.
"""

from __future__ import annotations

from bot.replies import ButtonPress, Command, Context
from bot.service import Service

MOD = Context("slack", "T1", "C1", "UMOD", "mod", False, True)
ANA = Context("slack", "T1", "C1", "UANA", "ana", False, False)
BOB = Context("slack", "T1", "C1", "UBOB", "bob", False, False)
CAT = Context("slack", "T1", "C1", "UCAT", "cat", False, False)

CUDA = "how do I fix CUDA out of memory errors?"
PIZZA = "what is the best pizza topping in naples?"
TICKETS = "where can I buy cheap concert tickets in berlin?"


async def queued(service: Service) -> list[str]:
    await service.settle()
    return [item.sample for item in await service.store.top_unanswered("T1")]


async def test_an_old_dismiss_button_never_dismisses_another_question(service: Service):
    await service.handle(Command(ANA, "ask", CUDA))
    await service.handle(Command(BOB, "ask", PIZZA))
    listing = await service.handle(Command(MOD, "unanswered"))
    assert PIZZA in listing.body
    position = next(line.split(".")[0] for line in listing.body.splitlines() if PIZZA in line)
    (dismiss_pizza,) = [c for c in listing.choices
                        if c.action == "unanswered-dismiss" and c.label == f"{position}: dismiss"]
    (new_from_pizza,) = [c for c in listing.choices
                         if c.action == "unanswered-new" and c.label == f"{position}: new entry"]

    await service.handle(Command(BOB, "forget-me"))  # takes PIZZA off the queue
    await service.handle(Command(CAT, "ask", TICKETS))
    assert sorted(await queued(service)) == sorted([CUDA, TICKETS])

    # The form the old "new entry" button opens is not pre-filled with someone else's question.
    opened = await service.handle(ButtonPress(MOD, "unanswered-new", new_from_pizza.payload))
    assert opened.form is None or all(TICKETS != f.value for f in opened.form.fields)

    await service.handle(ButtonPress(MOD, "unanswered-dismiss", dismiss_pizza.payload))
    assert TICKETS in await queued(service)  # nobody has seen it yet: it must stay queued
