"""Moderation's shared parts: constants, the permission check, and the base the command groups
build on."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from bot.host import FeatureHost
from bot.kb.models import MAX_ID, Entry, KnowledgeBase
from bot.moderation.forms import is_number
from bot.moderation.overlay import Curator
from bot.replies import (
    ButtonPress,
    Choice,
    Command,
    Context,
    FormSubmit,
    Reply,
    error,
)
from bot.views import KnowledgeView

REFUSED = "Only moderators can change this community's FAQ. Nothing was changed."
DAY = 86400.0
DRAFT_TTL = 7 * DAY
UNANSWERED_SHOWN = 8  # three buttons each: stays under Discord's 25 buttons per message
REVIEW_MIN_VOTES = 3
REVIEW_MAX_RATIO = 0.5

HELPLINE_MAX = 300


# -- the service feature ----------------------------------------------------------------------

E = TypeVar("E", Command, ButtonPress, FormSubmit)


def moderator_only(
    handler: Callable[[E], Awaitable[Reply]],
    refuse: Callable[[E], Awaitable[Reply]] | None = None,
) -> Callable[[E], Awaitable[Reply]]:
    """The permission check every moderator command, button and form goes through; `refuse`
    answers a member instead of the plain refusal."""

    async def checked(event: E) -> Reply:
        if not event.ctx.is_moderator:
            return await refuse(event) if refuse is not None else error(REFUSED)
        return await handler(event)

    checked.__name__ = getattr(handler, "__name__", "checked")
    return checked


class ModerationBase:
    """What every moderator command shares: the service, the curator, drafts and replies."""

    def __init__(self, service: FeatureHost):
        self.service = service
        self.store = service.store
        self.kb = service.kb
        self.curator = Curator(service.store, service.kb)
        # A moderator's choices on a draft run one at a time: two buttons of one warning pressed
        # together ("Add as variant" and "Save anyway") would otherwise both find the draft.
        self._draft_locks: dict[tuple[str, str], asyncio.Lock] = {}

    def _draft_lock(self, ctx: Context) -> asyncio.Lock:
        return self._draft_locks.setdefault((ctx.community, ctx.member_key), asyncio.Lock())

    def use(self, kb: KnowledgeBase) -> None:
        """A reloaded knowledge base: its entries are the base the overlays apply to."""
        self.kb = kb
        self.curator = Curator(self.store, kb)
        self.service.overlay = self.curator

    @property
    def now(self) -> float:
        return self.service.clock()

    async def refuse_member(self, cmd: Command) -> Reply:
        """A member's words after a moderators' verb (`faq remove myself from ...`) are read by
        the wellbeing check like any words they type; otherwise the plain refusal."""
        if cmd.text.strip() and (reply := await self.service.wellbeing_reply(cmd)) is not None:
            return reply
        return error(REFUSED)

    # -- helpers ----------------------------------------------------------------------------

    async def _view(self, ctx: Context) -> KnowledgeView:
        return await self.service.view(ctx.community)

    async def _resolve(self, ctx: Context, key: str) -> str:
        """An id or alias -> an entry id (a hidden or removed entry by its id or its aliases). A key
        longer than any id is cut just past the limit: still no entry, but the "There is no
        entry" reply no longer echoes thousands of characters back."""
        key = key.strip().lower()[: MAX_ID + 1]
        view = await self._view(ctx)
        if key in view.aliases or key in view.by_id:
            return view.aliases.get(key, key)
        # A hidden or removed entry keeps its aliases for `restore`, `history` and `revert`:
        # `faq hide <alias>` then `faq restore <alias>` must find the same entry.
        rows = await self.curator.overlay_rows(ctx.community)
        if any(entry_id == key for entry_id, _, _ in rows):
            return key
        for stash in self.curator.stash(rows):
            if key in stash.aliases:
                return stash.id
        return key

    def _actor(self, ctx: Context) -> str:
        name = f" ({ctx.user_name})" if ctx.user_name and ctx.user_name != ctx.user else ""
        return f"{ctx.member_key}{name}"[:120]

    async def _save_draft(self, ctx: Context, data: dict[str, Any]) -> int:
        return await self.store.save_draft(ctx.community, ctx.member_key, json.dumps(data), self.now,
                                           DRAFT_TTL)

    async def _draft(self, ctx: Context, payload: str) -> dict[str, Any] | None:
        if not is_number(payload):
            return None
        data = await self.store.draft(int(payload), ctx.community, ctx.member_key)
        return json.loads(data) if data else None

    async def _drop_draft(self, ctx: Context, payload: str) -> None:
        """Forget the draft `payload` names, so the buttons still showing it stop working."""
        if is_number(payload):
            await self.store.drop_draft(int(payload), ctx.community, ctx.member_key)

    async def _invalid(
        self, sub: FormSubmit, message: str, errors: dict[str, str], extra: list[Choice] | None = None
    ) -> Reply:
        """Refuse a submission, keeping what was typed so the moderator can fix and resubmit."""
        draft = await self._save_draft(sub.ctx, {"form": sub.form, "values": sub.values, "state": sub.state})
        choices = [Choice("Fix and resubmit", "mod-reopen", str(draft), "primary"), *(extra or [])]
        return Reply(kind="error", body=message, errors=errors, choices=choices, ephemeral=True)

    def _saved(self, entry: Entry, rev: int, what: str) -> Reply:
        return Reply(
            kind="text",
            body=f"{what} `{entry.id}` (revision {rev}). Members see it now.",
            fields=[("Question", entry.question)],
            choices=[Choice("Show", "show", entry.id), Choice("Edit", "mod-edit", entry.id)],
            entry_id=entry.id,
            ephemeral=True,
        )

    async def _duplicate_of(self, ctx: Context, entry: Entry) -> Entry | None:
        """The community's entry this new one most looks like, if the matcher would answer with it."""
        view = await self._view(ctx)
        result = view.matcher.match(entry.question)
        if result.entry is not None and result.entry.id != entry.id:
            return result.entry
        if result.status == "ambiguous" and result.suggestions:
            return view.by_id.get(result.suggestions[0].id)
        return None
