"""Feedback votes, the community's support line, and `stats`."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.markup import clean_text
from bot.moderation.base import (
    DAY,
    HELPLINE_MAX,
    REVIEW_MAX_RATIO,
    REVIEW_MIN_VOTES,
    ModerationBase,
)
from bot.replies import (
    ButtonPress,
    Choice,
    Command,
    Reply,
    error,
)
from bot.store import SUPPORT_LINE, Store


@dataclass
class Stats:
    window_days: int
    asked: int
    answered: int
    ambiguous: int
    unknown: int
    quiz_starts: int
    quiz_completions: int
    top_entries: list[tuple[str, int]] = field(default_factory=list)

    def rate(self, n: int) -> str:
        return f"{100 * n / self.asked:.0f}%" if self.asked else "-"


@dataclass(frozen=True)
class Helpfulness:
    entry_id: str
    yes: int
    no: int

    @property
    def ratio(self) -> float:
        total = self.yes + self.no
        return self.yes / total if total else 0.0


async def community_stats(store: Store, community: str, now: float, days: int) -> Stats:
    since = now - days * DAY
    by_status = await store.ask_counts(community, since)
    top = await store.top_served(community, since)
    quiz = await store.quiz_event_counts(community, since)
    return Stats(
        window_days=days,
        asked=sum(n for status, n in by_status.items() if status != "shown"),
        answered=by_status.get("answered", 0),
        ambiguous=by_status.get("ambiguous", 0),
        unknown=by_status.get("unknown", 0) + by_status.get("uncovered", 0),
        quiz_starts=quiz.get("start", 0),
        quiz_completions=quiz.get("complete", 0),
        top_entries=[(entry_id, n) for entry_id, n in top],
    )


async def helpfulness(store: Store, community: str) -> list[Helpfulness]:
    return [Helpfulness(*row) for row in await store.votes_by_entry(community)]


def needs_review(votes: list[Helpfulness]) -> list[Helpfulness]:
    poor = [h for h in votes if h.yes + h.no >= REVIEW_MIN_VOTES and h.ratio < REVIEW_MAX_RATIO]
    return sorted(poor, key=lambda h: (h.ratio, -(h.yes + h.no), h.entry_id))


class StatsCommands(ModerationBase):
    # -- feedback and stats -----------------------------------------------------------------

    async def btn_feedback(self, press: ButtonPress) -> Reply:
        entry_id, _, vote = press.payload.rpartition(":")
        if vote not in ("y", "n") or not entry_id:
            return error("That button no longer does anything.")
        view = await self._view(press.ctx)
        if entry_id not in view.by_id:
            return error("That entry is no longer available.")
        helpful = 1 if vote == "y" else 0
        before = await self.store.vote(press.ctx.community, entry_id, press.ctx.member_key, helpful,
                                       self.now)
        word = "helpful" if helpful else "not helpful"
        if before is None:
            body = f"Thanks! Noted as {word}."
        elif before == helpful:
            body = f"You already marked this as {word}."
        else:
            body = f"Changed your vote to {word}."
        return Reply(kind="text", body=body, ephemeral=True)

    async def cmd_helpline(self, cmd: Command) -> Reply:
        """The community's own support contact (a counselling service, a #support channel),
        shown under the fixed safety and support texts, never instead of them."""
        community, text = cmd.ctx.community, cmd.text.strip()
        if not text:
            line = await self.store.setting(community, SUPPORT_LINE)
            body = (f"This community's support line: {line}" if line else
                    "This community has no support line of its own yet. Set one with "
                    "`faq helpline <text>`, for example a university counselling service or a "
                    "support channel.")
            return Reply(kind="text", body=body, ephemeral=True)
        if text.lower() in ("clear", "remove", "none", "-"):
            await self.store.set_setting(community, SUPPORT_LINE, None, self.now)
            return Reply(kind="text", body="The support line was removed. The fixed crisis "
                         "lines are still shown.", ephemeral=True)
        line = " ".join(clean_text(text).split())
        if not any(ch.isalnum() for ch in line):
            # Only formatting (a tag, a fence, `**`): saving it would blank the contact members see.
            return error("That support line has no words or numbers once formatting is removed. "
                         "Nothing was changed; `faq helpline clear` removes the line.")
        if len(line) > HELPLINE_MAX:
            return error(f"A support line can be at most {HELPLINE_MAX} characters (this one has "
                         f"{len(line)}). Nothing was changed.")
        await self.store.set_setting(community, SUPPORT_LINE, line, self.now)
        return Reply(kind="text", body=f"Saved. Members who reach out will see, under the crisis "
                     f"and support lines:\n\n**In this community:** {line}", ephemeral=True)

    async def cmd_stats(self, cmd: Command) -> Reply:
        community = cmd.ctx.community
        view = await self._view(cmd.ctx)
        fields = []
        windows = [await community_stats(self.store, community, self.now, days) for days in (7, 30)]
        for s in windows:
            days = s.window_days
            fields.append((f"Last {days} days", (
                f"{s.asked} questions: {s.rate(s.answered)} answered, {s.rate(s.ambiguous)} ambiguous,"
                f" {s.rate(s.unknown)} unknown. Quizzes: {s.quiz_starts} started,"
                f" {s.quiz_completions} completed."
            )))
        top = windows[-1].top_entries
        if top:
            fields.append(("Top entries (30 days, answers and opens)",
                           "\n".join(f"- `{e}`: {n}" for e, n in top)))
        votes = await helpfulness(self.store, community)
        if votes:
            ranked = sorted(votes, key=lambda h: -(h.yes + h.no))[:10]
            fields.append(("Helpfulness", "\n".join(
                f"- `{h.entry_id}`: {h.yes} yes / {h.no} no ({100 * h.ratio:.0f}%)" for h in ranked)))
        review = [h for h in needs_review(votes) if h.entry_id in view.by_id]
        fields.append(("Needs review", "\n".join(
            f"- `{h.entry_id}`: {100 * h.ratio:.0f}% helpful of {h.yes + h.no} votes" for h in review
        ) or f"Nothing: no entry with {REVIEW_MIN_VOTES}+ votes is below {100 * REVIEW_MAX_RATIO:.0f}% helpful."))
        return Reply(
            kind="list", title=f"Stats for {community}", fields=fields, ephemeral=True,
            choices=[Choice(f"Edit {h.entry_id}"[:75], "mod-edit", h.entry_id) for h in review[:5]],
        )
