"""Forget-me means forgotten on disk (red-team M5): after it, the database file and its
write-ahead log hold no trace of the member's id, display name or words, and their moderator
history is credited to a neutral label."""

from __future__ import annotations

from pathlib import Path

from bot.replies import ButtonPress, Command, Context
from bot.service import Service
from bot.store import Store

VICTIM = "U0VICTIM7734"
NAME = "victimdisplayname"
WORDS = "fluffernutter telescope grommet"


def files_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*") if p.is_file())


async def test_forget_me_leaves_no_trace_in_the_database_files(kb, tmp_path: Path):
    db = tmp_path / "careerbot.db"
    store = await Store.open(db)
    service = Service(kb, store)
    member = Context("slack", "T1", "C1", VICTIM, NAME, False, False)
    moderator = Context("slack", "T2", "C9", VICTIM, NAME, False, True)
    other = Context("slack", "T1", "C1", "UOTHER", "other", False, False)
    try:
        await service.handle(Command(member, "ask", f"how do i {WORDS}?"))
        await service.handle(Command(member, "ask", "what about quantum basket weaving"))
        await service.handle(Command(other, "ask", "what about quantum basket weaving"))
        answer = await service.handle(Command(member, "ask", "what is an AI residency?"))
        await service.handle(ButtonPress(member, "feedback", f"{answer.entry_id}:y"))
        await service.handle(Command(moderator, "faq-variant",
                                     "roles-research-engineer what do REs do all day"))
        await service.handle(Command(moderator, "faq-hide", "industry-phd-cifre"))
        assert VICTIM.encode() in files_bytes(db) and WORDS.encode() in files_bytes(db)

        reply = await service.handle(Command(member, "forget-me", ""))
        assert "former moderator" in reply.body

        data = files_bytes(db)
        assert VICTIM.encode() not in data
        assert NAME.encode() not in data
        assert WORDS.encode() not in data
        history = await store.revision_rows("T2", "industry-phd-cifre")
        assert [r[3] for r in history] == ["a former moderator"]
        # The other member's identical question stays, in their words.
        queued = await store.top_unanswered("T1")
        assert [i.sample for i in queued] == ["what about quantum basket weaving"]
    finally:
        await store.close()
    assert VICTIM.encode() not in files_bytes(db)
