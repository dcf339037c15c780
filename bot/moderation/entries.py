"""Moderators' commands on entries: add and edit (forms), variants, aliases, hide, restore,
remove, history and revert."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.kb.models import MAX_QUESTION, Entry
from bot.markup import clean_text
from bot.moderation.base import ModerationBase
from bot.moderation.forms import (
    EDIT_FIELDS,
    FORM_ADD,
    FORM_ATTACH,
    FORM_EDIT,
    add_form,
    attach_form,
    edit_form,
    edit_values,
    is_number,
    norm_tag,
    problems_to_errors,
)
from bot.moderation.overlay import ChangeRefused, StaleEdit, changed_fields, not_visible, when
from bot.moderation.validate import raw_from_form, validate_entry
from bot.replies import (
    ButtonPress,
    Choice,
    Command,
    Context,
    FormSubmit,
    Reply,
    error,
)
from bot.store import UnansweredItem
from bot.text import normalise_question
from bot.views import KnowledgeView

DUP_CHOICE_GONE = ("That choice was already made, or its draft has expired. Use `faq add` "
                   "again if the question still needs an entry.")


class EntryCommands(ModerationBase):
    # -- add / edit -------------------------------------------------------------------------

    async def cmd_add(self, cmd: Command) -> Reply:
        return Reply(kind="form", form=add_form({"question": clean_text(cmd.text)[:MAX_QUESTION]}),
                     ephemeral=True)

    async def form_add(self, sub: FormSubmit) -> Reply:
        return await self._submit_add(sub, force=False)

    async def _submit_add(self, sub: FormSubmit, force: bool) -> Reply:
        ctx = sub.ctx
        raw, errors = raw_from_form(sub.values, {})
        view = await self._view(ctx)
        entry, problems = validate_entry(raw, self.kb, view.entries)
        errors = {**problems_to_errors(problems, tuple(f.id for f in add_form().fields)), **errors}
        if errors or entry is None:
            return await self._invalid(sub, "The entry was not saved: please fix the fields below.", errors)
        if not force:
            dup = await self._duplicate_of(ctx, entry)
            if dup is not None:
                draft = await self._save_draft(
                    ctx, {"form": sub.form, "values": sub.values, "state": sub.state, "dup": dup.id})
                return Reply(
                    kind="text",
                    body=(f"This looks like entry `{dup.id}`: *{dup.question}*. "
                          "Add your question as a variant of it instead?"),
                    choices=[
                        Choice(f"Add as variant of {dup.id}"[:75], "mod-dup-variant", str(draft), "primary"),
                        Choice("Save as a new entry anyway", "mod-dup-save", str(draft)),
                        Choice("Show it", "show", dup.id),
                    ],
                    ephemeral=True,
                )
        try:
            rev = await self.curator.add(ctx.community, entry, self._actor(ctx), self.now)
        except ChangeRefused as exc:
            return await self._invalid(sub, str(exc), exc.errors)
        await self._resolve_queue_item(ctx, sub.state)
        return self._saved(entry, rev, "Added")

    async def _queue_item(self, ctx: Context, token: str) -> UnansweredItem | None:
        """The queued question a button or form names, if it is still that question: a rowid
        freed by `forget-me` or a full queue is reused by the next new question, and an old
        button must not act on that one. (Plain rowids, from before tokens, are taken as is.)"""
        rowid, dot, tag = token.partition(".")
        if not is_number(rowid):
            return None
        item = await self.store.unanswered_item(ctx.community, int(rowid))
        if item is None or (dot and tag != norm_tag(item.norm)):
            return None
        return item

    async def _resolve_queue_item(self, ctx: Context, state: str) -> None:
        if not state.startswith("u:"):
            return
        item = await self._queue_item(ctx, state[2:])
        if item is not None:
            await self.store.dismiss_unanswered(ctx.community, item.rowid)

    # The near-duplicate warning offers two ways on; once one is taken the draft is dropped, so the
    # other button no longer adds the question a second time.
    async def btn_dup_save(self, press: ButtonPress) -> Reply:
        async with self._draft_lock(press.ctx):
            return await self._dup_save(press)

    async def _dup_save(self, press: ButtonPress) -> Reply:
        draft = await self._draft(press.ctx, press.payload)
        if draft is None or draft.get("form") != FORM_ADD:
            return error(DUP_CHOICE_GONE)
        sub = FormSubmit(press.ctx, FORM_ADD, draft["values"], draft.get("state", ""))
        reply = await self._submit_add(sub, force=True)
        if reply.kind != "error":
            await self._drop_draft(press.ctx, press.payload)
        return reply

    async def btn_dup_variant(self, press: ButtonPress) -> Reply:
        async with self._draft_lock(press.ctx):
            return await self._dup_variant(press)

    async def _dup_variant(self, press: ButtonPress) -> Reply:
        draft = await self._draft(press.ctx, press.payload)
        if draft is None or not draft.get("dup"):
            return error(DUP_CHOICE_GONE)
        reply = await self._add_variant(press.ctx, draft["dup"], draft["values"].get("question", ""))
        if reply.kind != "error":
            await self._drop_draft(press.ctx, press.payload)
            await self._resolve_queue_item(press.ctx, draft.get("state", ""))
        return reply

    async def cmd_edit(self, cmd: Command) -> Reply:
        if not cmd.text.strip():
            return error("Which entry? For example: `faq edit phd-needed-for-research-labs`.")
        return await self._open_edit(cmd.ctx, cmd.text.split()[0])

    async def btn_edit(self, press: ButtonPress) -> Reply:
        return await self._open_edit(press.ctx, press.payload)

    async def _open_edit(self, ctx: Context, key: str) -> Reply:
        entry_id = await self._resolve(ctx, key)
        state = await self.curator.state(ctx.community, entry_id)
        if state.entry is None:
            return error(not_visible(state))
        return Reply(kind="form", form=edit_form(entry_id, state.revision, edit_values(state.entry)),
                     ephemeral=True)

    async def form_edit(self, sub: FormSubmit) -> Reply:
        ctx = sub.ctx
        entry_id, _, rev = sub.state.rpartition("@")
        if not entry_id or not is_number(rev):
            return error("That form has expired. Please open the entry again.")
        state = await self.curator.state(ctx.community, entry_id)
        if state.entry is None:
            # Hidden or removed since the form opened: keep what the moderator typed.
            return await self._invalid(sub, not_visible(state) + " Nothing was saved; your text "
                                       "is kept: restore the entry, then fix and resubmit.", {})
        raw, errors = raw_from_form(sub.values, state.entry.to_dict())
        raw["id"] = entry_id
        view = await self._view(ctx)
        entry, problems = validate_entry(raw, self.kb, view.entries, keep=state.entry.related)
        errors = {**problems_to_errors(problems, EDIT_FIELDS), **errors}
        if errors or entry is None:
            return await self._invalid(sub, "The entry was not saved: please fix the fields below.", errors)
        try:
            new_rev = await self.curator.edit(ctx.community, entry, self._actor(ctx), self.now, int(rev))
        except StaleEdit as exc:
            # Reopening the stale form would overwrite the other change, so the moderator gets
            # their text back here and a fresh form on the current version.
            return Reply(
                kind="error", body=str(exc), ephemeral=True,
                fields=[(k.capitalize(), v) for k, v in sub.values.items() if v.strip()],
                choices=[Choice("Open the current version", "mod-edit", entry_id, "primary")],
            )
        except ChangeRefused as exc:
            if (await self.curator.state(ctx.community, entry_id)).entry is None:
                return await self._invalid(sub, str(exc), {})
            return error(str(exc))
        return self._saved(entry, new_rev, "Saved")

    async def btn_reopen(self, press: ButtonPress) -> Reply:
        draft = await self._draft(press.ctx, press.payload)
        if draft is None:
            return error("That draft has expired. Please open the form again.")
        values, state = draft["values"], draft.get("state", "")
        if draft["form"] == FORM_ADD:
            return Reply(kind="form", form=add_form(values, state), ephemeral=True)
        if draft["form"] == FORM_EDIT:
            entry_id, _, rev = state.rpartition("@")
            return Reply(kind="form", form=edit_form(entry_id, int(rev or 0), values), ephemeral=True)
        if draft["form"] == FORM_ATTACH:
            form = attach_form(state, values.get("variant", ""), values.get("entry", ""))
            return Reply(kind="form", form=form, ephemeral=True)
        return error("That draft has expired. Please open the form again.")

    # -- variants and aliases ---------------------------------------------------------------

    async def cmd_variant(self, cmd: Command) -> Reply:
        key, _, text = cmd.text.strip().partition(" ")
        if not key or not text.strip():
            return error("Usage: `faq variant <id> <another way to ask the question>`.")
        return await self._add_variant(cmd.ctx, await self._resolve(cmd.ctx, key), text)

    async def _add_variant(self, ctx: Context, entry_id: str, text: str) -> Reply:
        variant = clean_text(" ".join(text.split()))
        if not any(ch.isalnum() for ch in variant):
            # Emoji or formatting alone: no member's question could ever be matched to it.
            return error("That variant has no words once formatting is removed; nothing was "
                         "changed. Write it as a member would ask it.")
        view = await self._view(ctx)
        key = normalise_question(variant)
        for other in view.entries:
            if other.id != entry_id and key and any(
                    normalise_question(t) == key for t in (other.question, *other.variants)):
                # Matching would keep answering with the other entry: "Members see it now"
                # would be untrue.
                return error(f"`{other.id}` already has that phrasing, so members who ask it get "
                             f"`{other.id}`. Take it out there first (`faq edit {other.id}`) or "
                             "word it differently; nothing was changed.")

        def change(entry: Entry) -> Entry:
            if variant.lower() in {v.lower() for v in (entry.question, *entry.variants)}:
                return entry
            return self._checked(entry, {"variants": [*entry.variants, variant]}, view)

        return await self._modify(ctx, entry_id, change, "variant", "Added a variant to")

    async def cmd_alias(self, cmd: Command) -> Reply:
        key, _, alias = cmd.text.strip().partition(" ")
        if not key or not alias.strip():
            return error("Usage: `faq alias <id> <short-name>`.")
        entry_id = await self._resolve(cmd.ctx, key)
        view = await self._view(cmd.ctx)
        alias = alias.strip().lower()

        def change(entry: Entry) -> Entry:
            if alias in entry.aliases:
                return entry
            return self._checked(entry, {"aliases": [*entry.aliases, alias]}, view)

        return await self._modify(cmd.ctx, entry_id, change, "alias", "Added an alias to")

    def _checked(self, entry: Entry, update: dict[str, Any], view: KnowledgeView) -> Entry:
        new, problems = validate_entry({**entry.to_dict(), **update}, self.kb, view.entries,
                                       keep=entry.related)
        if new is None:
            raise ChangeRefused("Not saved: " + "; ".join(f"{p.field}: {p.reason}" for p in problems))
        return new

    async def _modify(
        self, ctx: Context, entry_id: str, change: Callable[[Entry], Entry], action: str, what: str
    ) -> Reply:
        try:
            rev, entry = await self.curator.modify(ctx.community, entry_id, change, action,
                                                   self._actor(ctx), self.now)
        except ChangeRefused as exc:
            return error(str(exc))
        return self._saved(entry, rev, what)

    # -- hide / restore / remove / history / revert -----------------------------------------

    async def _simple(self, cmd: Command, op: Callable[..., Awaitable[int]], done: str, usage: str) -> Reply:
        if not cmd.text.strip():
            return error(f"Usage: `{usage}`.")
        entry_id = await self._resolve(cmd.ctx, cmd.text.split()[0])
        try:
            rev = await op(cmd.ctx.community, entry_id, self._actor(cmd.ctx), self.now)
        except ChangeRefused as exc:
            return error(str(exc))
        return Reply(kind="text", body=f"{done} `{entry_id}` (revision {rev}).", ephemeral=True,
                     choices=[Choice("History", "mod-revert", f"{entry_id}@")])

    async def cmd_hide(self, cmd: Command) -> Reply:
        return await self._simple(cmd, self.curator.hide, "Hid", "faq hide <id>")

    async def cmd_restore(self, cmd: Command) -> Reply:
        return await self._simple(cmd, self.curator.restore, "Restored", "faq restore <id>")

    async def cmd_remove(self, cmd: Command) -> Reply:
        return await self._simple(cmd, self.curator.remove, "Removed", "faq remove <id>")

    async def cmd_history(self, cmd: Command) -> Reply:
        if not cmd.text.strip():
            return error("Usage: `faq history <id>`.")
        return await self._history(cmd.ctx, await self._resolve(cmd.ctx, cmd.text.split()[0]))

    async def _history(self, ctx: Context, entry_id: str) -> Reply:
        state = await self.curator.state(ctx.community, entry_id)
        if state.kind == "absent":
            return error(f"There is no entry `{entry_id}`.")
        revisions = await self.curator.history(ctx.community, entry_id)
        lines = []
        for r in revisions[:20]:
            fields = changed_fields(r.before, r.after)
            what = f": {', '.join(fields)}" if fields else ""
            lines.append(f"- **r{r.revision}** {r.action} by {r.actor}, {when(r.at)}{what}")
        if state.base is not None:
            lines.append("- **r0** the shared knowledge base version")
        status = {"hidden": " (hidden)", "removed": " (removed)"}.get(state.kind, "")
        choices = [
            Choice(f"Revert to r{r.revision}", "mod-revert", f"{entry_id}@{r.revision}")
            for r in revisions[1:5]
        ]
        if state.base is not None and revisions:
            choices.append(Choice("Revert to r0", "mod-revert", f"{entry_id}@0"))
        return Reply(
            kind="list",
            title=f"History of {entry_id}{status}: revision {state.revision}",
            body="\n".join(lines) or "No changes yet: this is the shared knowledge base version.",
            choices=choices[:5],
            ephemeral=True,
        )

    async def cmd_revert(self, cmd: Command) -> Reply:
        parts = cmd.text.split()
        if len(parts) != 2 or not is_number(parts[1].lstrip("r")):
            return error("Usage: `faq revert <id> <revision>`, for example `faq revert my-entry 2`.")
        entry_id = await self._resolve(cmd.ctx, parts[0])
        return await self._revert(cmd.ctx, entry_id, int(parts[1].lstrip("r")))

    async def btn_revert(self, press: ButtonPress) -> Reply:
        entry_id, _, rev = press.payload.rpartition("@")
        if not rev:
            return await self._history(press.ctx, entry_id)
        if not is_number(rev):
            return error("That button no longer does anything.")
        return await self._revert(press.ctx, entry_id, int(rev))

    async def _revert(self, ctx: Context, entry_id: str, target: int) -> Reply:
        try:
            rev = await self.curator.revert(ctx.community, entry_id, target, self._actor(ctx), self.now)
        except ChangeRefused as exc:
            return error(str(exc))
        return Reply(kind="text", ephemeral=True,
                     body=f"Reverted `{entry_id}` to revision {target}, saved as revision {rev}.")
