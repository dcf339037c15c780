"""Moderation: per-community overlays on the YAML base, revisions, permissions, the unanswered
queue, feedback and stats.

A community (a Discord server, a Slack workspace, the console's `local`) sees the YAML entries
plus its own overlay rows from the store. One row per entry the community touched:

- kind `entry`: the community's version of the entry (its own entry, or an override of a base one);
- kind `hidden`: a base entry the community hid; `data` keeps what `restore` brings back;
- kind `removed`: the community's own entry, removed; `data` keeps its last content.

Every change writes the row, a revision (who, when, before, after) and bumps the community's
version in one transaction, so `Service.view` rebuilds that community's index on the next
question and no other community is touched. Permissions are decided here, from
`ctx.is_moderator`, on every command, button and form submission.

Modules: `overlay` (the rules), `validate` (what is accepted), `forms`, and the command groups
`entries`, `queue` and `stats` on the shared `base`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.moderation.base import moderator_only
from bot.moderation.forms import FORM_ADD, FORM_ATTACH, FORM_EDIT
from bot.moderation.queue import QueueCommands
from bot.moderation.stats import StatsCommands
from bot.replies import ButtonPress, Command, FormSubmit, Reply


class Moderation(QueueCommands, StatsCommands):
    """Every moderator command, button and form, registered with the service."""

    def register(self) -> None:
        s = self.service
        s.overlay = self.curator
        commands: dict[str, Callable[[Command], Awaitable[Reply]]] = {
            "faq-add": self.cmd_add, "faq-edit": self.cmd_edit, "faq-variant": self.cmd_variant,
            "faq-alias": self.cmd_alias, "faq-hide": self.cmd_hide, "faq-restore": self.cmd_restore,
            "faq-remove": self.cmd_remove, "faq-history": self.cmd_history,
            "faq-revert": self.cmd_revert, "unanswered": self.cmd_unanswered, "stats": self.cmd_stats,
            "faq-helpline": self.cmd_helpline,
        }
        s.commands.update({name: moderator_only(h, self.refuse_member) for name, h in commands.items()})
        buttons: dict[str, Callable[[ButtonPress], Awaitable[Reply]]] = {
            "mod-edit": self.btn_edit, "mod-reopen": self.btn_reopen,
            "mod-dup-save": self.btn_dup_save, "mod-dup-variant": self.btn_dup_variant,
            "mod-revert": self.btn_revert, "unanswered-new": self.btn_unanswered_new,
            "unanswered-attach": self.btn_unanswered_attach,
            "unanswered-dismiss": self.btn_unanswered_dismiss,
        }
        s.buttons.update({name: moderator_only(h) for name, h in buttons.items()})
        # Voting is for everyone.
        s.buttons["feedback"] = self.btn_feedback
        forms: dict[str, Callable[[FormSubmit], Awaitable[Reply]]] = {
            FORM_ADD: self.form_add, FORM_EDIT: self.form_edit, FORM_ATTACH: self.form_attach,
        }
        s.forms.update({name: moderator_only(h) for name, h in forms.items()})
