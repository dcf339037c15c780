"""The unanswered queue: what members asked that the bot could not answer, and the buttons
that turn a question into an entry or a variant, or dismiss it."""

from __future__ import annotations

from bot.kb.models import MAX_QUESTION
from bot.markup import clean_text
from bot.moderation.base import UNANSWERED_SHOWN
from bot.moderation.entries import EntryCommands
from bot.moderation.forms import add_form, attach_form, item_token
from bot.moderation.overlay import when
from bot.replies import (
    ButtonPress,
    Choice,
    Command,
    FormSubmit,
    Reply,
    error,
)
from bot.store import UnansweredItem


class QueueCommands(EntryCommands):
    """Built on the entry commands: a queued question becomes a new entry or a variant."""

    # -- unanswered queue -------------------------------------------------------------------

    async def queue(self, community: str, limit: int = UNANSWERED_SHOWN) -> list[UnansweredItem]:
        return await self.store.top_unanswered(community, limit)

    async def cmd_unanswered(self, cmd: Command) -> Reply:
        return await self._queue_list(cmd.ctx.community)

    async def _queue_list(self, community: str, done: str = "") -> Reply:
        """The queue with its buttons; `done` (what a button just did) goes above it."""
        items = await self.queue(community)
        if not items:
            body = "Nothing waiting: every recent question found an answer."
            return Reply(kind="list", title="Unanswered questions", ephemeral=True,
                         body=f"{done}\n\n{body}" if done else body)
        lines, choices = [], []
        for i, item in enumerate(items, 1):
            people = f", {item.askers} people" if item.askers > 1 else ""
            lines.append(f"{i}. *{clean_text(item.sample)[:200]}*: asked {item.count}x{people}, "
                         f"last {when(item.last_asked)}")
            token = item_token(item.rowid, item.norm)
            choices += [
                Choice(f"{i}: new entry", "unanswered-new", token, "primary"),
                Choice(f"{i}: attach to entry", "unanswered-attach", token),
                Choice(f"{i}: dismiss", "unanswered-dismiss", token, "danger"),
            ]
        body = "\n".join(lines)
        return Reply(kind="list", title="Most-asked unanswered questions",
                     body=f"{done}\n\n{body}" if done else body, choices=choices, ephemeral=True)

    async def btn_unanswered_new(self, press: ButtonPress) -> Reply:
        item = await self._queue_item(press.ctx, press.payload)
        if item is None:
            return error("That question is no longer in the queue.")
        question = clean_text(" ".join(item.sample.split()))[:MAX_QUESTION]
        form = add_form({"question": question}, f"u:{item_token(item.rowid, item.norm)}")
        return Reply(kind="form", form=form, ephemeral=True)

    async def btn_unanswered_attach(self, press: ButtonPress) -> Reply:
        item = await self._queue_item(press.ctx, press.payload)
        if item is None:
            return error("That question is no longer in the queue.")
        view = await self._view(press.ctx)
        found = view.matcher.search(item.sample, limit=1)
        guess = found[0][0].id if found else ""
        form = attach_form(item_token(item.rowid, item.norm), clean_text(item.sample), guess)
        return Reply(kind="form", form=form, ephemeral=True)

    async def form_attach(self, sub: FormSubmit) -> Reply:
        item = await self._queue_item(sub.ctx, sub.state)
        if item is None:
            return error("That question is no longer in the queue.")
        key = sub.values.get("entry", "").strip()
        text = sub.values.get("variant", "").strip()
        errors = {}
        if not key:
            errors["entry"] = "which entry should this phrasing point to?"
        if not text:
            errors["variant"] = "the phrasing to add is empty"
        if errors:
            return await self._invalid(sub, "Not attached: please fix the fields below.", errors)
        entry_id = await self._resolve(sub.ctx, key)
        reply = await self._add_variant(sub.ctx, entry_id, text)
        if reply.kind == "error":
            return await self._invalid(sub, reply.body, {"entry": reply.body})
        await self.store.dismiss_unanswered(sub.ctx.community, item.rowid)
        return reply

    async def btn_unanswered_dismiss(self, press: ButtonPress) -> Reply:
        item = await self._queue_item(press.ctx, press.payload)
        if item is None or not await self.store.dismiss_unanswered(press.ctx.community, item.rowid):
            return error("That question is no longer in the queue.")
        # The list the button was on comes back without that question, its other buttons intact.
        reply = await self._queue_list(
            press.ctx.community, f"Dismissed *{clean_text(item.sample)[:80]}*: it leaves the queue "
            "until someone asks it again.")
        reply.replace = True
        return reply
