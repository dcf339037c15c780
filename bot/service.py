"""The one facade adapters call: events in, neutral replies out.

`Service.handle(event)` never raises: bad input gets a clear message and changes nothing, and an
unexpected failure is logged and answered with an apology rather than crashing the adapter.

The features (quizzes in `bot.quiz.sessions`, moderation in `bot.moderation`, `forget-me` in
`bot.privacy`) register their commands, button actions and forms in the tables below; this module
itself carries asking and browsing the knowledge base. Which replies are private is decided by
the command catalogue (`bot.commands`), not by the handlers or the adapters.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from functools import partial

from rapidfuzz import process

from bot.commands import help_lines, is_private, route
from bot.config import Settings
from bot.embeddings import first_line
from bot.kb.models import TOPICS, Entry, KnowledgeBase
from bot.limits import RateLimits, slow_down
from bot.moderation import Moderation, forms
from bot.privacy import cmd_forget_me
from bot.quiz.sessions import QuizFeature
from bot.render import WELLBEING, entry_reply, result_reply, topic_reply, topics_reply
from bot.replies import (
    NO_COMMUNITY,
    ButtonPress,
    Command,
    Context,
    Event,
    FormSubmit,
    Reply,
    error,
)
from bot.results import MatchResult
from bot.scoring import Thresholds
from bot.store import SUPPORT_LINE, Store, StoreError
from bot.store.database import StoreUnavailable
from bot.text import Analyzer, has_surrogates, normalise_question, without_surrogates
from bot.views import KnowledgeView, MatchingQueue, Overlay, Views, embedding_cache_dir
from bot.wellbeing import Wellbeing

log = logging.getLogger(__name__)

Clock = Callable[[], float]
CommandHandler = Callable[[Command], Awaitable[Reply]]
ButtonHandler = Callable[[ButtonPress], Awaitable[Reply]]
FormHandler = Callable[[FormSubmit], Awaitable[Reply]]

MAX_QUESTION_CHARS = 4000


# How a member can ask without a command, per platform.
TYPED_QUESTIONS = {
    "slack": "You can also mention @careerbot with your question, or write to it in a direct "
             "message.",
    "discord": "You can also mention @careerbot with your question, or write to it in a direct "
               "message.",
    "console": "You can also just type your question.",
}

# Question logs that may wait for the database at once (see `Service._record_later`).
MAX_RECORDING = 256


def _is_members_question(event: Event) -> bool:
    """A member's typed question, which only adds to the ask log; everything else may read it."""
    return (isinstance(event, Command) and not event.ctx.is_moderator
            and event.name in ("ask", "answer-message"))


class Service:
    def __init__(
        self,
        kb: KnowledgeBase,
        store: Store,
        clock: Clock = time.time,
        thresholds: Thresholds | None = None,
        settings: Settings | None = None,
    ):
        self.store = store
        self.settings = settings
        self.clock = clock
        self.thresholds = thresholds or Thresholds()
        self.overlay: Overlay | None = None
        self.commands: dict[str, CommandHandler] = {}
        self.buttons: dict[str, ButtonHandler] = {}
        self.forms: dict[str, FormHandler] = {}
        self.views = Views(kb, self.thresholds, embedding_cache_dir(settings))
        self.limits = RateLimits.configured(settings)
        self.matching = MatchingQueue()
        self._record_warned = -60.0
        # Questions being logged in the background (see `_record_later`).
        self._recording: set[asyncio.Task[None]] = set()
        # member key -> the community last written to member_home, to skip redundant writes
        self._homes: dict[str, str] = {}

        self.commands.update(
            {"ask": self._cmd_ask, "answer-message": self._cmd_answer_message,
             "faq": self._cmd_faq, "topics": self._cmd_topics, "help": self._cmd_help}
        )
        self.commands["forget-me"] = partial(cmd_forget_me, self)
        self.buttons.update({"show": self._btn_show, "topics": self._btn_topics})
        # The features: quizzes, then moderation (which installs the community overlay).
        self.quiz = QuizFeature(self, (settings or Settings()).quiz_idle_seconds)
        self.quiz.register()
        self.moderation = Moderation(self)
        self.moderation.register()

    # -- the knowledge base, and reloading it -----------------------------------------------------

    @property
    def kb(self) -> KnowledgeBase:
        return self.views.knowledge.kb

    @property
    def wellbeing(self) -> Wellbeing:
        return self.views.knowledge.wellbeing

    @property
    def analyzer(self) -> Analyzer:
        return self.views.knowledge.analyzer

    @property
    def _base_view(self) -> KnowledgeView:
        return self.views.base

    async def reload(self, kb: KnowledgeBase) -> None:
        """Serve `kb` from now on (`careerbot kb reload`, SIGHUP): see `Views.reload`."""
        await self.views.reload(kb)
        self.moderation.use(kb)

    async def view(self, community: str, *, fresh: bool = False) -> KnowledgeView:
        """The community's knowledge view (see `Views.view`)."""
        return await self.views.view(community, self.overlay, fresh=fresh)

    # -- dispatch -------------------------------------------------------------------------------

    async def resolve(self, ctx: Context) -> Context:
        """A context with its community known: a message from a community records it as the
        member's home; a direct message from no community gets that home, so Discord DMs (quiz
        results, asks, feedback) see the member's server's answers rather than the bare base."""
        if ctx.community != NO_COMMUNITY:
            if self._homes.get(ctx.member_key) != ctx.community:
                try:
                    await self.store.set_home(ctx.member_key, ctx.community, self.clock())
                    self._homes[ctx.member_key] = ctx.community
                except (sqlite3.Error, OSError, StoreError) as exc:
                    # Remembering the home is a convenience for later DMs: never worth an answer.
                    log.warning("could not record a member's home community: %s", first_line(exc))
            return ctx
        home = await self.store.home(ctx.member_key)
        return replace(ctx, community=home) if home else ctx

    def forget_home(self, member_key: str) -> None:
        """Drop the cached home after the member's rows were deleted."""
        self._homes.pop(member_key, None)

    async def settle(self) -> None:
        """Wait until every question logged in the background is written."""
        while self._recording:
            await asyncio.gather(*list(self._recording), return_exceptions=True)

    async def close(self) -> None:
        """Finish logging, then close the database."""
        await self.settle()
        await self.store.close()

    async def handle(self, event: Event) -> Reply:
        try:
            if self._recording and not _is_members_question(event):
                # Anything that reads or deletes what asks wrote (the unanswered queue, stats,
                # forget-me) sees every question asked before it.
                await self.settle()
            if isinstance(event, Command) and has_surrogates(event.text):
                # A broken paste (lone UTF-16 halves) is answered and logged like any text.
                event = replace(event, text=without_surrogates(event.text))
            if isinstance(event, FormSubmit) and any(
                    has_surrogates(str(v)) for v in event.values.values()):
                # The same in a form: saved with "?" rather than refused in pydantic's words.
                event = replace(event, values={k: without_surrogates(str(v))
                                               for k, v in event.values.items()})
            event = replace(event, ctx=await self.resolve(event.ctx))
            wait = await self._rate_limited(event)
            if wait:
                return Reply(kind="error", body=slow_down(wait), ephemeral=True)
            reply = await self._dispatch(event)
            if event.ctx.is_moderator and self.overlay is not None:
                # A moderator's change is live for members before the moderator hears "saved".
                await self.view(event.ctx.community, fresh=True)
            return reply
        except StoreUnavailable as exc:
            log.warning("could not handle %s: %s", type(event).__name__, exc)
            return error("I can't save anything right now: my database is unavailable. Nothing was "
                         "changed; please try again in a moment.")
        except Exception:
            log.exception("failed to handle %s", type(event).__name__)
            return error("Sorry, something went wrong on my side. Nothing was changed; please try again.")

    async def _rate_limited(self, event: Event) -> float:
        """Seconds a member must wait before this command is handled (0.0: go ahead). Typed
        commands only (buttons answer what the bot offered), never for moderators or the local
        console, and never when the words alone say the member is not okay (unless the member
        is plainly a script: see `RateLimits.flooding`).

        The words are read on a matching thread, in the member's turn: on a long paste they take
        tens of ms, which a flood would otherwise take from everyone's event loop; and a member
        found flooding by the time their turn comes is refused without reading anything."""
        ctx = event.ctx
        if not isinstance(event, Command) or not event.typed or ctx.is_moderator \
                or ctx.platform == "console":
            return 0.0
        channel = f"{ctx.community}/{ctx.channel}"
        async with self.matching.turn(ctx.member_key):
            now = self.clock()
            if event.text and not self.limits.flooding(ctx.member_key, now):
                if await self.matching.run(self.wellbeing.check_words, event.text) is not None:
                    return 0.0
            return self.limits.wait(ctx.member_key, channel, now)

    async def _dispatch(self, event: Event) -> Reply:
        if isinstance(event, Command):
            name, text = route(event.name, event.text)
            event = replace(event, name=name, text=text)
            handler = self.commands.get(event.name)
            if handler is None:
                return await self._unknown_command(event)
            reply = await handler(event)
            # Privacy is the catalogue's decision (bot.commands), the same on every platform.
            return replace(reply, ephemeral=True) if is_private(event.name) else reply
        if isinstance(event, ButtonPress):
            button = self.buttons.get(event.action)
            if button is None:
                return error("That button no longer does anything. Try the command again.")
            return await button(event)
        if isinstance(event, FormSubmit):
            form = self.forms.get(event.form)
            if form is None:
                return error("That form has expired. Please open it again.")
            return await form(event)
        return error("I did not understand that.")

    async def _unknown_command(self, cmd: Command) -> Reply:
        reply = await self._cmd_help(cmd)
        reply.body = f"I don't know the command `{cmd.name[:40]}`.\n\n" + reply.body
        return reply

    # -- asking ---------------------------------------------------------------------------------

    async def match(self, community: str, question: str) -> MatchResult:
        view = await self.view(community)
        return await self.matching.run(view.matcher.match, question[: MAX_QUESTION_CHARS * 25])

    async def ask(self, cmd: Command, *, someone_else: bool = False) -> tuple[MatchResult, Reply]:
        """Answer a question; `someone_else` when a member asked about another person's message."""
        question = cmd.text.strip()
        view = await self.view(cmd.ctx.community)
        async with self.matching.turn(cmd.ctx.member_key):
            result = await self.matching.run(view.matcher.match, question[: MAX_QUESTION_CHARS * 25])
        if result.status in WELLBEING:
            # Private, never queued or logged: the member's words stay theirs.
            line = await self.store.setting(cmd.ctx.community, SUPPORT_LINE)
            reply = self.render_result(result, view.by_id, community_line=line,
                                       someone_else=someone_else)
            return result, reply
        if result.status != "chitchat":
            self._record_later(cmd, result, question)
        return result, self.render_result(result, view.by_id)

    def _record_later(self, cmd: Command, result: MatchResult, question: str) -> None:
        """Log the question without making the member wait for the database: under load each
        statement of the write waits its turn on the database thread (up to ~0.5 s in
        `make bench` abuse), and the answer is worth more than the log line. A database too slow
        to keep up loses log lines, never answers: at most MAX_RECORDING writes wait."""
        if len(self._recording) >= MAX_RECORDING:
            now = time.monotonic()
            if now - self._record_warned >= 60.0:
                self._record_warned = now
                log.warning("the database is not keeping up: not logging some questions "
                            "(answering anyway)")
            return
        task = asyncio.create_task(self._record(cmd, result, question, self.clock()))
        self._recording.add(task)
        task.add_done_callback(self._recording.discard)

    async def _record(self, cmd: Command, result: MatchResult, question: str, now: float) -> None:
        """Log the question for `stats` and the unanswered queue. Best effort: a full disk or a
        locked database costs the log line, never the member's answer."""
        try:
            await self.store.record_ask(
                community=cmd.ctx.community,
                user_id=cmd.ctx.member_key,
                status=result.status,
                entry_id=result.entry.id if result.entry else None,
                score=result.score,
                norm=normalise_question(question),
                sample=question,
                now=now,
            )
        except Exception as exc:  # in the background: nobody else would hear of it
            mono = time.monotonic()
            if mono - self._record_warned >= 60.0:
                self._record_warned = mono
                log.warning("could not log a question (answering anyway): %s", first_line(exc))

    async def wellbeing_reply(self, cmd: Command) -> Reply | None:
        """The wellbeing reply for text typed where a name was expected (`faq kms`, `quiz ...`)
        when the check reads a crisis or distress in it; None otherwise."""
        if await self.matching.run(self.wellbeing.check, cmd.text) is None:
            return None
        return (await self.ask(cmd))[1]

    async def _cmd_ask(self, cmd: Command) -> Reply:
        if not cmd.text.strip():
            return error("Ask me a question, for example: `ask do I need a PhD to work at DeepMind?`")
        bare = cmd.text.strip().lower().strip("!?. ")
        if bare in ("help", "topics"):
            # Someone typing just "help" wants the help, not an FAQ entry about it.
            return await self.commands[bare](Command(cmd.ctx, bare))
        _, reply = await self.ask(cmd)
        return reply

    async def _cmd_answer_message(self, cmd: Command) -> Reply:
        """"Answer with careerbot" on someone's message: like `ask`, but a crisis or distress
        message is answered only to the member who asked, with a nudge to reach out."""
        if not cmd.text.strip():
            return error("That message has no text I can answer.")
        _, reply = await self.ask(cmd, someone_else=True)
        return reply

    def render_result(self, result: MatchResult, by_id: dict[str, Entry] | None = None, *,
                      community_line: str | None = None, someone_else: bool = False) -> Reply:
        """A match as a reply (see `bot.render.result_reply`)."""
        return result_reply(self.kb, result, by_id if by_id is not None else self._base_view.by_id,
                            community_line=community_line, someone_else=someone_else)

    def render_entry(self, entry: Entry, related: dict[str, Entry] | None = None) -> Reply:
        return entry_reply(self.kb, entry, related if related is not None else self._base_view.by_id)

    # -- browsing -------------------------------------------------------------------------------

    def field_labels(self, form_id: str) -> dict[str, str]:
        """A form's field labels by field id (see `bot.moderation.forms.field_labels`)."""
        return forms.field_labels(form_id)

    def quiz_titles(self) -> dict[str, str]:
        return {quiz_id: quiz.title for quiz_id, quiz in self.kb.quizzes.items()}

    async def suggest(self, community: str, text: str, limit: int = 25) -> list[Entry]:
        """Entries for autocomplete as a member types: ranked, forgiving, never abstaining.
        With nothing typed yet, the community's entries in order."""
        view = await self.view(community)
        if not text.strip():
            return list(view.entries[:limit])
        found = await self.matching.run(view.matcher.search, text[:MAX_QUESTION_CHARS], limit)
        return [entry for entry, _ in found]

    async def suggest_hidden(self, community: str, text: str, limit: int = 25) -> list[Entry]:
        """The hidden and removed entries `restore` takes, for its autocomplete."""
        return (await self.moderation.curator.stashed(community, text))[:limit]

    async def lookup(self, community: str, key: str) -> Entry | None:
        view = await self.view(community)
        key = key.strip().lower()
        entry_id = view.aliases.get(key, key)
        return view.by_id.get(entry_id)

    async def _cmd_faq(self, cmd: Command) -> Reply:
        key = cmd.text.strip().lower()
        if not key:
            return await self._cmd_topics(cmd)
        view = await self.view(cmd.ctx.community)
        entry = await self.lookup(cmd.ctx.community, key)
        if entry is not None:
            return self.render_entry(entry, view.by_id)
        if key in TOPICS:
            return topic_reply(key, view.entries)
        if len(key.split()) >= 3:
            # A question typed after `faq` is answered as one (the wellbeing check first).
            return (await self.ask(cmd))[1]
        if (reply := await self.wellbeing_reply(cmd)) is not None:
            return reply
        names = list(view.by_id) + list(view.aliases) + list(TOPICS)
        close = [m[0] for m in process.extract(key, names, limit=3, score_cutoff=70)]
        hint = f" Did you mean {', '.join(f'`{c}`' for c in close)}?" if close else ""
        return error(f"There is no entry or topic called `{key[:60]}`.{hint} Try `topics`.")

    async def _cmd_topics(self, cmd: Command) -> Reply:
        return topics_reply((await self.view(cmd.ctx.community)).entries)

    async def _cmd_help(self, cmd: Command) -> Reply:
        lines = help_lines(moderator=cmd.ctx.is_moderator)
        body = "\n".join(f"- `{h.usage}`: {h.summary}" for h in lines)
        # Where a question needs no command at all, say so (a mention or a DM on Discord and
        # Slack: the bots read no other messages).
        typed = TYPED_QUESTIONS.get(cmd.ctx.platform)
        return Reply(
            kind="help",
            title="careerbot help",
            body="I answer questions about careers in machine learning, with sources.\n\n" + body
            + (f"\n\n{typed}" if typed else ""),
            ephemeral=True,
        )

    async def _btn_show(self, press: ButtonPress) -> Reply:
        view = await self.view(press.ctx.community)
        entry = view.by_id.get(press.payload)
        if entry is None:
            return error("That entry is no longer available. Try asking again.")
        # A click is a read, not a question: `stats` counts it among the entries served but not
        # among the questions asked.
        await self.store.record_ask(
            community=press.ctx.community, user_id=press.ctx.member_key, status="shown",
            entry_id=entry.id, score=1.0, norm="", sample="", now=self.clock(),
        )
        return self.render_entry(entry, view.by_id)

    async def _btn_topics(self, press: ButtonPress) -> Reply:
        return await self._cmd_topics(Command(press.ctx, "topics"))

