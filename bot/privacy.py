"""`forget-me`: a member deletes everything the bot stored about them, and is told what went."""

from __future__ import annotations

from bot.host import FeatureHost
from bot.replies import Command, Reply


async def cmd_forget_me(service: FeatureHost, cmd: Command) -> Reply:
    gone = await service.store.forget_member(cmd.ctx.member_key)
    service.forget_home(cmd.ctx.member_key)
    counts = [
        (gone.sessions, "quiz session", "quiz sessions"),
        (gone.results, "quiz result", "quiz results"),
        (gone.quiz_events, "quiz event", "quiz events"),
        (gone.asks, "logged question", "logged questions"),
        (gone.unanswered_askers, "unanswered-question record", "unanswered-question records"),
        (gone.unanswered_items, "unanswered question only you asked",
         "unanswered questions only you asked"),
        (gone.feedback, "feedback vote", "feedback votes"),
        (gone.drafts, "unsaved moderator form", "unsaved moderator forms"),
        (gone.revisions, "FAQ change you made as a moderator, now credited to \"a former "
         "moderator\"", "FAQ changes you made as a moderator, now credited to \"a former "
         "moderator\""),
    ]
    lines = "\n".join(f"- {n} {one if n == 1 else many}" for n, one, many in counts)
    total = sum(n for n, _, _ in counts)
    head = "I deleted everything I stored about you:" if total else "I had nothing stored about you."
    return Reply(kind="text", title="Forgotten", body=f"{head}\n{lines}", ephemeral=True)
