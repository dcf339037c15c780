"""Discord adapter: application commands, buttons and modals <-> the careerbot core.

A thin translation layer. Interactions become core events (`Command`, `ButtonPress`,
`FormSubmit`) with a `Context` read from the platform; the core's `Reply` is rendered by
`adapters.discord_render`. The only platform fact read into the context is whether the member
may moderate (Manage Server, or one of `DISCORD_MODERATOR_ROLES`); the core makes every decision.

Discord wants a first response within 3 seconds. The core usually answers in milliseconds, so
the reply itself is the first response; if it is not ready within `response_budget` the
interaction is deferred and the reply follows. A modal can only be a first response, so forms
are opened straight from the core's reply, never after a defer.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import re
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial
from typing import Any, TypeVar

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.webhook import async_ as discord_webhooks

from adapters.discord_render import (
    BUTTON_TEMPLATE,
    CHOICE_NAME_MAX,
    CHOICES_MAX,
    NO_MENTIONS,
    OVERFLOW,
    CoreButton,
    OutMessage,
    Overflow,
    build_modal,
    parse_form_custom_id,
    render,
    submitted_values,
    without_embeds,
)
from bot.commands import COMMANDS, MODERATOR_COMMANDS
from bot.config import Settings
from bot.facade import Core
from bot.kb.models import TOPICS
from bot.markup import shorten
from bot.replies import (
    NO_COMMUNITY,
    ButtonPress,
    Command,
    Context,
    Event,
    Form,
    FormSubmit,
    Reply,
    error,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

RESPONSE_BUDGET = 1.5  # seconds the core gets before we defer; Discord allows 3 in all
# Discord's 3 s run from when the interaction was made (its snowflake id), not from when the bot
# read it: one that arrives late (replayed after a RESUME) is deferred by this many seconds after
# it was made, giving the core at least DEFER_BUDGET_MIN. An age outside [0, 3) s says the
# clocks disagree, and the full budget holds.
DEFER_BY = 2.5
DEFER_BUDGET_MIN = 0.2
INTERACTION_DEADLINE = 3.0
AUTOCOMPLETE_BUDGET = 2.0  # seconds suggestions get; autocomplete has no defer, 3 s in all
DM_SENT = "I sent you a direct message: {url}"
DM_FAILED = (
    "I could not send you a direct message. Allow direct messages from server members "
    "(Privacy Settings) and try again."
)
DM_NOT_DELIVERED = "Discord would not deliver the direct message just now. Please try again."
# `/faqadmin <verb>` -> core command name, from the core's catalogue.
MODERATOR_SUBCOMMANDS = {spec.verb: spec.name for spec in MODERATOR_COMMANDS}
# Context menu: reply kinds posted under the member's message (the rest is shown privately).
REPLY_KINDS_POSTED = {"answer", "ambiguous"}
# Said in the channel when a mention's reply is private and the member's DMs are closed.
MENTION_DM_FAILED = ("I tried to answer you privately, but your direct messages are closed. "
                     "Use `/ask` and only you will see my reply.")
# The same when Discord would not deliver the DM for another reason (a long 429, an outage).
MENTION_DM_NOT_DELIVERED = ("I tried to answer you privately, but Discord would not deliver the "
                            "direct message just now. Use `/ask` and only you will see my reply.")
# What a public "thinking" placeholder says when Discord would not delete it (the reply to the
# command was private): nothing of what was asked or answered.
PLACEHOLDER_DONE = "Answered privately."
# A REST call Discord answered with 429 is tried again after the wait it names, this many times
# in all, when that wait is at most RETRY_WAIT_MAX seconds.
RETRY_TRIES = 3
RETRY_WAIT_MAX = 5.0
# The longest discord.py may hold a REST call for a rate limit before it raises instead (its
# `max_ratelimit_timeout`, 30 s at least): it waits out any 429 from Discord's front end however
# long, and Discord's own example names 1336 s, past the interaction token's 15 minutes.
RATE_LIMIT_WAIT_MAX = 30.0
UNKNOWN_MESSAGE = 10008  # Discord's JSON error codes
EMPTY_MESSAGE = 50006
# How many messages that got the wellbeing reply careerbot remembers (see _wellbeing_sent).
WELLBEING_SENT_MAX = 10_000
ALREADY_ACKNOWLEDGED = 40060
# Seconds the start-up command sync holds up connecting (and the sign of life) before it goes on
# in the background.
SYNC_HEAD_START = 3.0
STALE = "That is out of date (the bot was updated). Please run the command again."
# Interaction fields discord.py reads as required that Discord documented only lately.
INTERACTION_DEFAULTS: dict[str, Any] = {"version": 1, "attachment_size_limit": 10 * 1024 * 1024}
# How a deferred command's placeholder is shown in a server while the core works: only as a
# guess, the reply's own ephemeral flag wins when it arrives (a quiz goes to a DM, so its
# placeholder too). In careerbot's own DM replies are never ephemeral (`in_server_and_private`).
EPHEMERAL_COMMANDS = {spec.name for spec in COMMANDS if spec.private} | {"quiz"}
# Application command types discord.py can route: slash (1), user (2) and message (3) commands.
COMMAND_TYPES = {t.value for t in discord.AppCommandType}


def apply_url_overrides(settings: Settings) -> None:
    """Point discord.py at another REST base and gateway (a proxy, or the test fake)."""
    if settings.discord_api_base:
        discord.http.Route.BASE = settings.discord_api_base.rstrip("/")
    if settings.discord_gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


# -- context ----------------------------------------------------------------------------------


def is_moderator(interaction: discord.Interaction, moderator_roles: tuple[str, ...]) -> bool:
    """The platform's facts only: Manage Server (or Administrator), or a configured role."""
    member = interaction.user
    if interaction.guild_id is None or not isinstance(member, discord.Member):
        return False
    perms = interaction.permissions
    if perms.manage_guild or perms.administrator:
        return True
    if not moderator_roles:
        return False
    wanted = {r.strip().lower() for r in moderator_roles}
    # Role ids come with the interaction; names need the guild's roles in the cache.
    role_ids = {str(r) for r in getattr(member, "_roles", ())}
    role_names = {r.name.lower() for r in member.roles}
    return bool(wanted & (role_ids | role_names))


def context_from(interaction: discord.Interaction, moderator_roles: tuple[str, ...]) -> Context:
    is_dm = interaction.guild_id is None
    return Context(
        platform="discord",
        # A DM belongs to no server: the core picks the member's last server (Service.resolve).
        community=str(interaction.guild_id) if not is_dm else NO_COMMUNITY,
        channel=str(interaction.channel_id or ""),
        user=str(interaction.user.id),
        user_name=interaction.user.display_name,
        is_dm=is_dm,
        is_moderator=is_moderator(interaction, moderator_roles),
    )


# -- the client -------------------------------------------------------------------------------


class CareerBot(discord.Client):
    def __init__(self, settings: Settings, service: Core, *, sync_commands: bool = True,
                 response_budget: float = RESPONSE_BUDGET, **options: Any) -> None:
        # No privileged intents: interactions carry everything the bot reads, and Discord gives
        # a bot the text of a message only when it mentions the bot or is a DM to it.
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_messages = True
        intents.dm_messages = True
        super().__init__(intents=intents, allowed_mentions=NO_MENTIONS, **options)
        self.settings = settings
        self.service = service
        self.sync_on_start = sync_commands
        self.response_budget = response_budget
        self.overflow = Overflow()
        # Ids of messages that got the private wellbeing reply, so editing one again (a typo
        # fixed, a pin, an edit after a restart of the message cache) does not send it again.
        self._wellbeing_sent: OrderedDict[int, None] = OrderedDict()
        self.forms_shown: dict[str, Form] = {}
        # What the start-up sync did, for the sign-of-life line: (count, "global" | "guild G").
        self.synced: tuple[int, str] | None = None
        self._announced = False
        self._sync_task: asyncio.Task[None] | None = None
        self.tree = CheckedTree(self)
        self.tree.on_error = self.on_command_error  # type: ignore[method-assign]
        register_commands(self)
        guard_gateway_events(self._connection.parsers)

    async def setup_hook(self) -> None:
        # Bounded only now: the login before this may wait out a rate limit, as it always did.
        self.http.max_ratelimit_timeout = RATE_LIMIT_WAIT_MAX
        self.add_dynamic_items(CoreButton)
        if self.sync_on_start:
            # discord.py connects to the gateway only once this hook returns, and Discord may
            # hold a bulk overwrite for minutes (a slow answer, a long rate limit it waits out
            # itself): the commands synced before work meanwhile, so the sync gets a head start
            # and then goes on in the background while the bot serves.
            self._sync_task = asyncio.create_task(self._sync_on_start())
            await asyncio.wait({self._sync_task}, timeout=SYNC_HEAD_START)
        # The knowledge base, indexes and libraries are loaded and live for the whole run: keep
        # them out of the cyclic collector so a full collection does not stall interactions
        # (measured: a 60-70 ms pause otherwise, which alone breaks the 50 ms p99 budget).
        gc.collect()
        gc.freeze()

    async def _sync_on_start(self) -> None:
        try:
            await self.sync_commands()
        except discord.HTTPException as exc:
            # The commands synced last time still work; serving beats not starting.
            log.warning("Discord: could not sync the commands (HTTP %s); serving the ones "
                        "synced before", exc.status)
        except (KeyError, TypeError, ValueError) as exc:
            # Discord took the commands but its answer lacks a field discord.py reads (a
            # proxy's or an echoed answer): the commands are there, so serve.
            log.warning("Discord: could not read the answer to the command sync (%s: %s); "
                        "serving", type(exc).__name__, redact(str(exc))[:80])
        except Exception as exc:  # no answer at all (a timeout, a dropped connection)
            log.warning("Discord: could not sync the commands (%s); serving the ones synced "
                        "before", type(exc).__name__)
        else:
            if self._announced:  # the sign of life said they were still syncing
                log.info("Discord: %d commands synced (%s)", *(self.synced or (0, "?")))

    async def close(self) -> None:
        if self._sync_task is not None:
            self._sync_task.cancel()
        await super().close()

    async def sync_commands(self) -> list[app_commands.AppCommand]:
        """Sync to the dev guild when one is set (instant), globally otherwise."""
        if self.settings.discord_dev_guild:
            guild = discord.Object(int(self.settings.discord_dev_guild))
            self.tree.copy_global_to(guild=guild)
            synced = await waiting_out_limits(lambda: self.tree.sync(guild=guild))
            self.synced = (len(synced), f"guild {guild.id}")
        else:
            synced = await waiting_out_limits(self.tree.sync)
            self.synced = (len(synced), "global")
        log.debug("synced %d commands (%s)", *self.synced)
        return synced

    async def on_ready(self) -> None:
        # READY comes again after every full reconnect; the admin needs the line once.
        if not self._announced:
            if self._sync_task is not None:  # a slow sync: say what it did if it does so soon
                await asyncio.wait({self._sync_task}, timeout=SYNC_HEAD_START)
            if not self._announced:
                self._announced = True
                log.info("%s", self.sign_of_life())

    def sign_of_life(self) -> str:
        """"Discord: connected as careerbot#1234 to N servers; M commands synced (global)"."""
        who = str(self.user) if self.user is not None else "?"
        servers = len(self.guilds)
        noun = "server" if servers == 1 else "servers"
        if self.synced is None and self._sync_task is not None and not self._sync_task.done():
            commands = "commands still syncing"
        elif self.synced is None:
            commands = "commands not synced"
        else:
            count, scope = self.synced
            commands = f"{count} commands synced ({scope})"
        return f"Discord: connected as {who} to {servers} {noun}; {commands}"

    async def application_info(self) -> discord.AppInfo:
        """discord.py's own, but for an application without an owner: `login` reads it, and
        discord.py takes the application's `owner` (documented optional, a partial user) as
        always there, so the bot did not start at all. careerbot never reads the owner."""
        data: dict[str, Any] = await self.http.application_info()  # type: ignore[assignment]
        fill_application(data)
        return discord.AppInfo(self._connection, data)  # type: ignore[arg-type]

    def context(self, interaction: discord.Interaction) -> Context:
        return context_from(interaction, self.settings.discord_moderator_roles)

    # -- events in ----------------------------------------------------------------------------

    async def command(self, interaction: discord.Interaction, name: str, text: str = "") -> None:
        event = Command(self.context(interaction), name, text.strip())
        # Guessed private only in a server: in careerbot's own DM every reply is a normal
        # message (see `in_server_and_private`), which an ephemeral placeholder would hide.
        private = name in EPHEMERAL_COMMANDS and interaction.guild_id is not None
        await self.respond(interaction, event, defer_ephemeral=private)

    async def on_core_button(self, interaction: discord.Interaction, action: str,
                             payload: str) -> None:
        async with self._apologising(interaction, "button"):
            if action == OVERFLOW:
                found = self.overflow.get(payload)
                if found is None:
                    await self.deliver(interaction, error("That button has expired. Try again."))
                    return
                action, payload = found
            event = ButtonPress(self.context(interaction), action, payload)
            await self.respond(interaction, event, defer_ephemeral=False)

    async def on_form_submit(self, interaction: discord.Interaction) -> None:
        # Read from the raw interaction, not a registered Modal, so forms survive a restart.
        form: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
        custom_id = str(form.get("custom_id", ""))
        async with self._apologising(interaction, "form"):
            parsed = parse_form_custom_id(custom_id, self.overflow)
            if parsed is None:
                if custom_id.startswith("cbf:"):
                    await self.deliver(interaction,
                                       error("That form has expired. Please open it again."))
                else:  # another app's, or a form from before an update
                    await self._stale(interaction)
                return
            form_id, state = parsed
            values = submitted_values(form.get("components", []))
            event = FormSubmit(self.context(interaction), form_id, values, state)
            await self.respond(interaction, event, defer_ephemeral=True, form_key=custom_id,
                               form_id=form_id)

    @contextlib.asynccontextmanager
    async def _apologising(self, interaction: discord.Interaction, what: str
                           ) -> AsyncIterator[None]:
        """What on_command_error does for commands, for clicks and forms, which no command tree
        catches: a failure would otherwise leave Discord's "This interaction failed"."""
        try:
            yield
        except Exception as exc:
            log.error("Discord: a %s failed: %s: %s", what, type(exc).__name__,
                      redact(str(exc))[:200])
            await self._apologise(interaction)

    async def on_command_error(self, interaction: discord.Interaction,
                               err: app_commands.AppCommandError) -> None:
        if interaction.type is discord.InteractionType.autocomplete:
            # An autocomplete takes only choices: discord.py raises for one with no focused
            # option, and a message (the apology) would be refused. None, rather than no answer.
            log.info("Discord: could not offer suggestions: %s", redact(str(err))[:200])
            await self._stale(interaction)
            return
        if isinstance(err, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
            # A member's client still shows a command from before an update.
            log.info("Discord: a stale command %r was used", getattr(err, "name", "?"))
            await self._stale(interaction)
            return
        log.error("Discord: a command failed: %s", redact(str(err))[:200])
        await self._apologise(interaction)

    async def _stale(self, interaction: discord.Interaction) -> None:
        with contextlib.suppress(discord.HTTPException):
            if interaction.type is discord.InteractionType.autocomplete:
                # Autocomplete takes only choices (no message): none, rather than no answer.
                if not interaction.response.is_done():
                    await interaction.response.autocomplete([])
                return
            if not interaction.response.is_done():
                await patient(lambda: interaction.response.send_message(
                    STALE, ephemeral=True, allowed_mentions=NO_MENTIONS))

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is discord.InteractionType.component:
            # A button from an older version (or another app's custom id) would otherwise get
            # no answer at all: Discord shows "This interaction failed".
            data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
            custom_id = str(data.get("custom_id", ""))
            match = re.fullmatch(BUTTON_TEMPLATE, custom_id)
            if match is None:
                await self._stale(interaction)
            elif custom_id not in _custom_ids(interaction.message):
                # discord.py routes a click to our button only when the interaction's message
                # lists that button; a trimmed or missing message would get no answer at all.
                await self.on_core_button(interaction, match["action"], match["payload"])
            return
        if interaction.type is discord.InteractionType.modal_submit:
            await self.on_form_submit(interaction)

    async def on_message(self, message: discord.Message) -> None:
        """A member mentioning careerbot, or writing to it in a DM, asks, as on Slack. An answer
        is a reply to the member's message; anything private (the safety and support replies,
        "I don't know that one", help) goes to the member's DM, and nothing to the channel."""
        await self._answer_mention(message)

    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """An edit is answered only when it turns a message to careerbot into one that reads as
        a crisis or distress: the member who wrote it over their question heard nothing, and
        only the career answer stayed under it. Any other edit (a typo fixed) is not answered
        again, nor one whose words read the same before it (when careerbot still has them)."""
        if "content" not in payload.data or not payload.data.get("edited_timestamp"):
            return  # an embed unfolded, a pin: nobody edited the words
        before = payload.cached_message
        await self._answer_mention(payload.message, edited=True,
                                   before=message_text(before) if before is not None else None)

    async def _answer_mention(self, message: discord.Message, *, edited: bool = False,
                              before: str | None = None) -> None:
        me = self.user
        # Its own messages too by id: Discord sends the bot those it posts, and a user's `bot`
        # is optional; its own answer in a DM taken for a question was answered without end.
        # An Official Discord System user (`system`) is no member asking: an answer to it is
        # refused (403) at best.
        if (me is None or message.author.bot or message.author.id == me.id
                or message.author.system or message.webhook_id is not None):
            return
        if message.type not in (discord.MessageType.default, discord.MessageType.reply):
            # A system message (a pin in the DM, a thread created, a boost): nobody asked.
            return
        guild_id = self._guild_id_of(message)
        # A server's message the bot cannot place (no `guild_id`, a channel it was never told
        # about) still has its author's `member`: a DM never does.
        in_dm = guild_id is None and not isinstance(message.author, discord.Member)
        # Asking is also a reply to careerbot's message with ping on (Discord lists the bot in
        # `mentions`, with no <@id> in the text) and a mention of the bot's managed role.
        guild = message.guild or (self.get_guild(guild_id) if guild_id is not None else None)
        own_role = guild.self_role if guild is not None else None
        asked = (me.id in message.raw_mentions or me.id in {u.id for u in message.mentions}
                 or (own_role is not None and own_role.id in message.raw_role_mentions))
        if not in_dm and not asked:
            return
        addressed = rf"<@!?{me.id}>" + (rf"|<@&{own_role.id}>" if own_role is not None else "")
        # A message forwarded to the bot's DM has empty content and its words in a snapshot.
        text = re.sub(addressed, " ", message_text(message)).strip()
        ctx = Context(
            platform="discord",
            community=str(guild_id) if guild_id is not None else NO_COMMUNITY,
            channel=str(message.channel.id), user=str(message.author.id),
            user_name=message.author.display_name, is_dm=in_dm, is_moderator=False)
        if edited:
            if message.id in self._wellbeing_sent:
                return  # the reply is already with the member: no check run again either
            found = await self._wellbeing_reply(ctx, text, before, addressed)
            if found is None:
                return
            reply = found
        else:
            reply = await self.service.handle(Command(ctx, "ask", text) if text
                                              else Command(ctx, "help"))
        if reply.kind in ("safety", "support"):
            self._wellbeing_sent[message.id] = None
            while len(self._wellbeing_sent) > WELLBEING_SENT_MAX:
                self._wellbeing_sent.popitem(last=False)
        messages = render(reply, self.overflow)
        public = reply.kind in REPLY_KINDS_POSTED and not reply.ephemeral
        try:
            if not in_dm and public:
                channel, messages = await self._post_answer(message, messages)
            else:
                channel = message.channel if in_dm else await patient(message.author.create_dm)
            for out in messages:
                await patient(partial(channel.send, **out.kwargs()))
        except discord.HTTPException as exc:
            if in_dm or public:
                log.info("Discord: could not answer a mention (HTTP %s)", exc.status)
                return
            # DMs closed (403 50007), or the DM refused another way (opening DMs is rate limited
            # hard), and the reply is private: a pointer in the channel that says nothing of
            # what was asked, so the member can still get it where only they see it.
            log.info("Discord: could not send a mention's private reply (HTTP %s)", exc.status)
            pointer = (MENTION_DM_FAILED if isinstance(exc, discord.Forbidden)
                       else MENTION_DM_NOT_DELIVERED)
            try:
                await patient(lambda: message.reply(pointer, mention_author=False))
            except discord.HTTPException:
                # A reply needs Read Message History (403 160002) and the message still there;
                # the note does not: posted plainly, naming (not pinging) the member it is for.
                with contextlib.suppress(discord.HTTPException):
                    await patient(partial(message.channel.send,
                                          f"<@{message.author.id}> {pointer}",
                                          allowed_mentions=NO_MENTIONS))

    async def _wellbeing_reply(self, ctx: Context, text: str, before: str | None,
                               addressed: str) -> Reply | None:
        """The private wellbeing reply to an edited message, or None: none for words that are
        not a crisis or distress, nor for words that already were before the edit."""
        if not text:
            return None
        cmd = Command(await self.service.resolve(ctx), "ask", text)
        reply = await self.service.wellbeing_reply(cmd)
        if reply is None or before is None:
            return reply
        earlier = re.sub(addressed, " ", before).strip()
        if earlier and await self.service.wellbeing_reply(
                Command(cmd.ctx, "ask", earlier)) is not None:
            return None
        return reply

    def _guild_id_of(self, message: discord.Message) -> int | None:
        """The server a message was posted in, or None when the bot cannot tell. Taking a
        server's message for a DM answers all its channel's talk, and a private reply lands in
        the channel. A guild discord.py has not cached still has its id on the message's
        channel; a message without `guild_id` (documented as optional, and discord.py then
        makes the channel a DM) is the server's whose channel or thread it is, from
        GUILD_CREATE."""
        if message.guild is not None:
            return message.guild.id
        guild_id: int | None = getattr(message.channel, "guild_id", None)
        if guild_id is None:
            known = self.get_channel(message.channel.id)
            guild_id = getattr(getattr(known, "guild", None), "id", None)
        return guild_id

    async def _post_answer(self, message: discord.Message, messages: list[OutMessage]
                           ) -> tuple[Any, list[OutMessage]]:
        """Post the first message of a public answer as a reply to the member's message, and
        return the channel the rest goes to, and the rest. When Discord refuses the reply, the
        answer still reaches the member: as a plain message in the channel, else in their DM."""
        channel_id = message.channel.id
        first = messages[0]
        try:
            rest = await self._embedding(
                lambda m: message.reply(**m.kwargs(), mention_author=False), messages)
            return message.channel, rest
        except discord.HTTPException as exc:
            # A reply needs Read Message History (403 160002 without it), a channel the bot can
            # see (403 50001), and a message that still exists (400 50035 on message_reference).
            if isinstance(exc, discord.Forbidden):
                log.warning("Discord: may not reply in channel %s (HTTP 403, code %s); posting "
                            "the answer without the reply", channel_id, exc.code)
            elif (exc.status == 400 and "message_reference" in exc.text) or (
                    isinstance(exc, discord.NotFound) and exc.code == UNKNOWN_MESSAGE):
                # A reply fails when its message is gone (`fail_if_not_exists` defaults to
                # true): as 400 on `message_reference`, or as 404 Unknown Message.
                log.info("Discord: the message to answer is gone; posting the answer without "
                         "the reply")
            else:
                raise
        try:
            rest = await self._embedding(lambda m: message.channel.send(**m.kwargs()), messages)
            return message.channel, rest
        except discord.Forbidden as exc:
            log.warning("Discord: may not post in channel %s (HTTP 403, code %s); sending the "
                        "answer by direct message", channel_id, exc.code)
        dm = await patient(message.author.create_dm)
        await patient(partial(dm.send, **first.kwargs()))
        return dm, messages[1:]

    async def _embedding(self, post: Callable[[OutMessage], Awaitable[discord.Message]],
                         messages: list[OutMessage]) -> list[OutMessage]:
        """`post` the first message in a server's channel; returns the messages still to send.
        Without Embed Links there, Discord drops a bot's embeds without an error: an answer (all
        embeds, its source in the footer) showed as its buttons alone, or was refused as empty
        (400 50006). Then the answer goes as plain text: the posted message is filled in."""
        try:
            sent = await patient(lambda: post(messages[0]))
        except discord.HTTPException as exc:
            if exc.code != EMPTY_MESSAGE or not messages[0].embeds:
                raise
            log.warning("Discord: may not embed links in a channel (HTTP 400, code %s); "
                        "answering in plain text", exc.code)
            plain = without_embeds(messages)
            await patient(lambda: post(plain[0]))
            return plain[1:]
        if not messages[0].embeds or sent.embeds:
            return messages[1:]
        log.warning("Discord: may not embed links in channel %s; answering in plain text",
                    sent.channel.id)
        plain = without_embeds(messages)
        await patient(lambda: sent.edit(**plain[0].edit_kwargs()))
        return plain[1:]

    async def answer_message(self, interaction: discord.Interaction,
                             message: discord.Message) -> None:
        """Context menu: answer someone's message with the best entry, as a reply to it."""
        await self._defer(interaction, ephemeral=True)
        text = message_text(message)
        # A resolved message is a documented partial message: one without `author` is taken
        # for a member's (discord.py leaves the attribute out, and the command failed).
        author = getattr(message, "author", None)
        # The member's own message is their own words, asked as `ask`: `answer-message` tells
        # the asker to reach out to the message's author, which a member in crisis applying it
        # to their own message was told about themselves.
        # A forward carries someone else's words (`message_text` reads its snapshot when the
        # message has no content of its own): only the member's own content is theirs.
        own = (author is not None and author.id == interaction.user.id
               and bool((message.content or "").strip()))
        reply = await self.service.handle(
            Command(self.context(interaction), "ask" if own else "answer-message", text))
        messages = render(reply, self.overflow)
        # Only something worth showing the channel is posted; "I don't know" stays with the
        # person who asked, rather than landing publicly under someone else's message.
        # A bot's message (careerbot's own answer included) is answered for the asker only; a
        # webhook's too (Discord documents it by `webhook_id`, its author's `bot` is optional).
        by_bot = message.webhook_id is not None or (author is not None and (
            author.bot or (self.user is not None and author.id == self.user.id)))
        if reply.ephemeral or reply.kind not in REPLY_KINDS_POSTED or not text or by_bot:
            await self._edit_original(interaction, messages[0])
            await self._followups(interaction, messages[1:], ephemeral=True)
            return
        if not interaction.app_permissions.embed_links:  # Discord would drop the embeds
            messages = without_embeds(messages)
        try:
            sent = await patient(lambda: message.reply(**messages[0].kwargs(),
                                                        mention_author=False))
            for extra in messages[1:]:
                await patient(partial(message.channel.send, **extra.kwargs()))
        except discord.HTTPException:
            log.info("could not reply in channel %s; answering privately", message.channel.id)
            await self._edit_original(interaction, messages[0])
            await self._followups(interaction, messages[1:], ephemeral=True)
            return
        # The link from the interaction's guild id: discord.py's own needs the guild cached.
        where = interaction.guild_id or "@me"
        link = f"https://discord.com/channels/{where}/{sent.channel.id}/{sent.id}"
        try:
            await patient(lambda: interaction.edit_original_response(
                content=f"Answered: {link}", allowed_mentions=NO_MENTIONS))
        except discord.HTTPException as exc:
            # The answer is in the channel: the apology's "try again" would only post it twice.
            log.warning("Discord: answered in channel %s but could not tell the member (HTTP %s)",
                        sent.channel.id, exc.status)

    # -- the 3-second rule ---------------------------------------------------------------------

    async def respond(self, interaction: discord.Interaction, event: Event, *,
                      defer_ephemeral: bool, form_key: str | None = None,
                      form_id: str | None = None) -> None:
        task = asyncio.ensure_future(self.service.handle(event))
        done, _ = await asyncio.wait({task}, timeout=self._budget(interaction))
        deferred_ephemeral = None
        if task not in done:
            await self._defer(interaction, defer_ephemeral)
            deferred_ephemeral = defer_ephemeral
        reply = await task
        try:
            await self.deliver(interaction, reply, form_key=form_key, form_id=form_id,
                               deferred_ephemeral=deferred_ephemeral)
        except discord.HTTPException as exc:
            # Discord refused what we sent; tell the member rather than leave "interaction failed".
            log.warning("Discord refused a %s reply: HTTP %s %s", reply.kind, exc.status,
                        exc.text[:200])
            if exc.status != 429:  # the apology would go to the same rate-limited token
                await self._apologise(interaction)

    def _budget(self, interaction: discord.Interaction) -> float:
        """Seconds the core gets before the interaction is deferred: `response_budget`, less
        when the interaction was made a while before it reached the bot."""
        age = (discord.utils.utcnow() - interaction.created_at).total_seconds()
        if not 0.0 <= age < INTERACTION_DEADLINE:
            return self.response_budget
        return min(self.response_budget, max(DEFER_BUDGET_MIN, DEFER_BY - age))

    async def _apologise(self, interaction: discord.Interaction) -> None:
        text = "Sorry, Discord would not show that reply. Please try again."
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True,
                                                allowed_mentions=NO_MENTIONS)
            else:
                await interaction.response.send_message(text, ephemeral=True,
                                                        allowed_mentions=NO_MENTIONS)
        except discord.HTTPException:
            log.warning("could not apologise for a refused reply either")

    async def _defer(self, interaction: discord.Interaction, ephemeral: bool) -> None:
        response = interaction.response
        try:
            if interaction.type is discord.InteractionType.component:
                await patient(response.defer)  # type 6: the clicked message stays
            else:
                await patient(lambda: response.defer(ephemeral=ephemeral, thinking=True))
        except discord.HTTPException as exc:
            if exc.code != ALREADY_ACKNOWLEDGED or response.is_done():
                raise
            # Discord took the defer but its answer was lost (a 5xx, which discord.py tries
            # again, and the second try is refused): the placeholder is there, so the reply
            # goes on to fill it rather than leave "thinking…" for good.
            log.info("Discord: a defer was already acknowledged; answering in its placeholder")
            response._response_type = (  # discord.py records it only on its own success
                discord.InteractionResponseType.deferred_message_update
                if interaction.type is discord.InteractionType.component
                else discord.InteractionResponseType.deferred_channel_message)

    # -- replies out ---------------------------------------------------------------------------

    async def deliver(self, interaction: discord.Interaction, reply: Reply, *,
                      form_key: str | None = None, form_id: str | None = None,
                      deferred_ephemeral: bool | None = None) -> None:
        labels = self._labels(form_key, form_id)
        if reply.form is not None and self._can_open_modal(interaction):
            modal = build_modal(reply.form, self.overflow)
            self._remember_form(modal.custom_id, reply.form)
            await patient(lambda: interaction.response.send_modal(modal))
            return
        if reply.form is not None and not reply.body and not reply.errors:
            reply = error("That form could not be opened here. Run the command again.")
        messages = render(reply, self.overflow, labels)
        if reply.to_dm and interaction.guild_id is not None:
            await self._deliver_dm(interaction, messages)
            return
        if reply.replace and interaction.message is not None:
            await self._replace(interaction, messages)
            return
        # The renderer makes every error private, and what a button on a private message opens
        # stays private (Discord does not carry the clicked message's flag over to the answer:
        # "Show" on the private support reply would post the entry to the channel).
        private = in_server_and_private(
            interaction, messages[0].ephemeral or on_private_message(interaction))
        await self._send(interaction, messages, ephemeral=private,
                         deferred_ephemeral=deferred_ephemeral)

    def _can_open_modal(self, interaction: discord.Interaction) -> bool:
        return (not interaction.response.is_done()
                and interaction.type is not discord.InteractionType.modal_submit
                and interaction.type is not discord.InteractionType.autocomplete)

    def _remember_form(self, custom_id: str, form: Form) -> None:
        self.forms_shown[custom_id] = form
        while len(self.forms_shown) > 1000:
            self.forms_shown.pop(next(iter(self.forms_shown)))

    def _labels(self, form_key: str | None, form_id: str | None = None) -> dict[str, str]:
        """The submitted form's field labels, to name the fields a refusal lists: from the form
        this process opened, else (opened before a restart) the core's labels for its form id,
        rather than the bare field ids ("**id**", "**sources**")."""
        form = self.forms_shown.get(form_key or "")
        if form is not None:
            return {f.id: f.label for f in form.fields}
        return self.service.field_labels(form_id) if form_id else {}

    async def _send(self, interaction: discord.Interaction, messages: list[OutMessage], *,
                    ephemeral: bool, deferred_ephemeral: bool | None = None) -> None:
        first, rest = messages[0], messages[1:]
        if not interaction.response.is_done():
            await patient(lambda: interaction.response.send_message(**first.kwargs(),
                                                                    ephemeral=ephemeral))
        elif interaction.response.type is discord.InteractionResponseType.deferred_channel_message:
            # The placeholder's visibility was fixed by the defer; a public placeholder must not
            # carry a private reply, so it goes and the reply follows privately.
            if ephemeral and deferred_ephemeral is False:
                await self._drop_placeholder(interaction)
                rest = messages
            else:
                await self._edit_original(interaction, first)
        else:
            rest = messages
        await self._followups(interaction, rest, ephemeral=ephemeral)

    async def _drop_placeholder(self, interaction: discord.Interaction) -> None:
        """Remove the public "thinking" placeholder before a private reply. When Discord will
        not (a long 429, a placeholder already deleted), it is emptied to a neutral line if it
        can be: the private reply (a safety reply among them) must follow either way."""
        try:
            await patient(interaction.delete_original_response)
        except discord.HTTPException as exc:
            log.warning("Discord: could not remove the public placeholder (HTTP %s); the reply "
                        "follows privately", exc.status)
            with contextlib.suppress(discord.HTTPException):
                await interaction.edit_original_response(
                    content=PLACEHOLDER_DONE, embeds=[], view=None, allowed_mentions=NO_MENTIONS)

    async def _replace(self, interaction: discord.Interaction, messages: list[OutMessage]) -> None:
        first, rest = messages[0], messages[1:]
        if not interaction.response.is_done():
            await patient(lambda: interaction.response.edit_message(**first.edit_kwargs()))
        else:
            await patient(lambda: interaction.edit_original_response(**first.edit_kwargs()))
        await self._followups(interaction, rest, ephemeral=in_server_and_private(
            interaction, on_private_message(interaction)))

    async def _deliver_dm(self, interaction: discord.Interaction,
                          messages: list[OutMessage]) -> None:
        # Say something first: opening the DM is two REST calls we do not want to race 3 s with.
        notice = await self._private_notice(interaction, "Opening a direct message with you…")
        try:
            channel = await patient(interaction.user.create_dm)
            sent = None
            for message in messages:
                sent = await patient(partial(channel.send, **message.kwargs()))
        except discord.Forbidden:
            await notice(DM_FAILED)
            return
        except discord.HTTPException as exc:
            log.warning("Discord: could not send a direct message (HTTP %s)", exc.status)
            await notice(DM_NOT_DELIVERED)
            return
        await notice(DM_SENT.format(url=sent.jump_url if sent is not None else ""))

    async def _private_notice(self, interaction: discord.Interaction, text: str
                              ) -> Callable[[str], Awaitable[Any]]:
        """Show `text` to the member only; returns a function that replaces it later."""
        response = interaction.response
        if not response.is_done():
            await patient(lambda: response.send_message(text, ephemeral=True,
                                                        allowed_mentions=NO_MENTIONS))
        elif response.type is not discord.InteractionResponseType.deferred_channel_message:
            # A click acknowledged in place: the original is the clicked message, keep it.
            note = await patient(lambda: interaction.followup.send(
                text, ephemeral=True, wait=True, allowed_mentions=NO_MENTIONS))
            return lambda new: patient(lambda: note.edit(content=new,
                                                         allowed_mentions=NO_MENTIONS))
        return lambda new: patient(lambda: interaction.edit_original_response(
            content=new, embeds=[], view=None, allowed_mentions=NO_MENTIONS))

    async def _edit_original(self, interaction: discord.Interaction, message: OutMessage) -> None:
        await patient(lambda: interaction.edit_original_response(**message.edit_kwargs()))

    async def _followups(self, interaction: discord.Interaction, messages: list[OutMessage], *,
                         ephemeral: bool) -> None:
        for message in messages:
            await patient(partial(interaction.followup.send, **message.kwargs(),
                                  ephemeral=ephemeral))


class CheckedTree(app_commands.CommandTree["CareerBot"]):
    """A command tree that refuses, with the out-of-date note, a command whose options do not
    have the types the bot registered: a client holding an older definition (or a malformed
    payload) would otherwise hand a number where the code expects text, and the member would
    get an apology for a failure that was not theirs."""

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.type not in (discord.InteractionType.application_command,
                                    discord.InteractionType.autocomplete):
            return True
        data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
        if data.get("type", 1) not in COMMAND_TYPES:
            # Discord documents more command types than discord.py reads (4, an Activity's
            # PRIMARY_ENTRY_POINT): discord.py's own "not found" raised a ValueError for one,
            # and the member got no answer. careerbot registers none of them.
            log.info("Discord: a command of type %r was used", data.get("type"))
            await self.client._stale(interaction)
            return False
        if data.get("type", 1) != 1:
            return True  # a context-menu command has no options
        try:
            command, options = self._get_app_command_options(data)  # type: ignore[arg-type]
        except app_commands.AppCommandError:
            return True  # unknown or mismatched: on_error answers it as stale
        if interaction.type is discord.InteractionType.autocomplete:
            return await self._suggests(interaction, command, options)
        for option in options:
            parameter = command.get_parameter(str(option.get("name", "")))
            if parameter is None or parameter.type.value != option.get("type"):
                log.info("Discord: /%s came with an option of another type",
                         command.qualified_name)
                await self.client._stale(interaction)
                return False
        return True

    async def _suggests(self, interaction: discord.Interaction,
                        command: app_commands.Command[Any, ..., Any],
                        options: list[Any]) -> bool:
        """An autocomplete for an option that offers no suggestions (a client holding an older
        definition): discord.py logged a traceback and answered nothing, and the member saw
        "Loading options failed". It gets an empty list instead."""
        focused = next((o for o in options if o.get("focused")), None)
        if focused is None:
            return True  # discord.py raises; on_error answers it with an empty list
        parameter = command.get_parameter(str(focused.get("name", "")))
        if parameter is not None and parameter.autocomplete:
            return True
        log.info("Discord: /%s asked for suggestions it does not offer", command.qualified_name)
        await self.client._stale(interaction)
        return False


def message_text(message: discord.Message) -> str:
    """The words of a message to answer: its own, or a forwarded message's (Discord puts those
    in `message_snapshots` and leaves `content` empty)."""
    if message.content:
        return message.content
    for snapshot in getattr(message, "message_snapshots", None) or []:
        if getattr(snapshot, "content", ""):
            return str(snapshot.content)
    return ""


def _custom_ids(message: discord.Message | None) -> set[str]:
    """Every custom id on a message's components, nested ones (rows, containers) included."""
    found: set[str] = set()
    stack: list[Any] = list(message.components) if message is not None else []
    while stack:
        item = stack.pop()
        if getattr(item, "custom_id", None):
            found.add(item.custom_id)
        stack.extend(getattr(item, "children", None) or getattr(item, "components", None) or [])
    return found


def in_server_and_private(interaction: discord.Interaction, private: bool) -> bool:
    """Whether a private reply is sent ephemeral: in a server, where others read the channel.
    Only the member reads careerbot's own DM, and an ephemeral message there vanishes at their
    client's next reload: a crisis reply's emergency numbers and crisis lines with it."""
    return private and interaction.guild_id is not None


def on_private_message(interaction: discord.Interaction) -> bool:
    """The interaction came from a button or form on a message only this member sees."""
    return interaction.message is not None and interaction.message.flags.ephemeral


# -- faults from the platform -----------------------------------------------------------------


class Throttled(discord.HTTPException):
    """discord.RateLimited (a rate limit that would hold a call past RATE_LIMIT_WAIT_MAX), which
    is no HTTPException, as the 429 every caller here already answers the member for."""

    def __init__(self, retry_after: float) -> None:
        self.response = None
        self.status, self.code, self.retry_after = 429, 0, retry_after
        self.text = f"rate limited for {retry_after:.0f} s"
        Exception.__init__(self, f"429 Too Many Requests: {self.text}")


async def patient(call: Callable[[], Awaitable[T]]) -> T:
    """`call()`, tried again when Discord answers 429. discord.py retries a 429 only when it
    carries Cloudflare's `Via` header and raises on the 429 Discord's documentation describes
    (`Retry-After` and a JSON `retry_after`), which would lose the reply."""
    for attempt in range(1, RETRY_TRIES + 1):
        try:
            return await call()
        except discord.RateLimited as exc:
            raise Throttled(exc.retry_after) from None
        except discord.HTTPException as exc:
            wait = _retry_after(exc)
            if wait is None or wait > RETRY_WAIT_MAX or attempt == RETRY_TRIES:
                raise
            log.warning("Discord: %s; trying again in %.1f s",
                        "rate limited" if exc.status == 429 else f"HTTP {exc.status}", wait)
            await asyncio.sleep(wait)
    raise AssertionError("unreachable")


def _retry_after(exc: discord.HTTPException) -> float | None:
    """Seconds to wait before trying the call again, or None not to. Besides a 429, a 503:
    Discord could not process the call, and discord.py's HTTP client, which tries a 500, 502,
    504 or 524 again itself, raised at once on it: the reply (a DM answer) was lost."""
    unavailable = exc.status == 503 and not _retried_by_discord_py(exc)
    if (exc.status != 429 and not unavailable) or isinstance(exc, Throttled):
        return None
    headers = getattr(exc.response, "headers", None) or {}
    try:
        return max(0.0, float(headers.get("Retry-After", 1.0)))
    except ValueError:
        return 1.0


async def waiting_out_limits(call: Callable[[], Awaitable[T]]) -> T:
    """`patient(call)` that waits out a long rate limit too, as discord.py did before its waits
    were bounded: the command sync runs in the background (or is the whole of `careerbot
    discord sync`), where waiting keeps no member waiting."""
    while True:
        try:
            return await patient(call)
        except Throttled as exc:
            log.info("Discord: the command sync is rate limited for %.0f s; waiting",
                     exc.retry_after)
            await asyncio.sleep(exc.retry_after)


def _retried_by_discord_py(exc: discord.HTTPException) -> bool:
    """Interaction responses and follow-ups (the webhook routes) are tried again by discord.py
    after any 5xx, five times over: once more from here would only keep the member waiting."""
    path = str(getattr(getattr(exc.response, "url", None), "path", ""))
    return "/webhooks/" in path or "/interactions/" in path


def guard_gateway_events(parsers: dict[str, Callable[[Any], None]]) -> None:
    """Make every gateway event's parser skip, with one log line, a payload discord.py cannot
    read: its exception would otherwise end the connection loop and stop the bot."""
    for name, parse in list(parsers.items()):
        parsers[name] = _guarded(name, parse)


def _guarded(name: str, parse: Callable[[Any], None]) -> Callable[[Any], None]:
    def guarded(data: Any) -> None:
        if name == "INTERACTION_CREATE" and isinstance(data, dict):
            for key, value in INTERACTION_DEFAULTS.items():
                data.setdefault(key, value)
            fill_partials(data)
        if name in ("MESSAGE_CREATE", "MESSAGE_UPDATE") and isinstance(data, dict):
            fill_message_users(data)
        if isinstance(data, dict):
            fill_server_channels(name, data)
        try:
            parse(data)
        except Exception as exc:  # a shape discord.py does not expect, never a reason to stop
            # Only the exception's type and first words: the payload holds interaction tokens.
            log.warning("Discord: skipped a %s event it could not read (%s: %s)", name,
                        type(exc).__name__, redact(str(exc))[:80])
    return guarded


# Thread channel types: public, private and announcement threads.
_THREADS = {10, 11, 12}
# Voice and stage channels (their text chat can run commands too).
_VOICE = {2, 13}
# Gateway events whose payload is one channel or thread.
_CHANNEL_EVENTS = {"CHANNEL_CREATE", "CHANNEL_UPDATE", "THREAD_CREATE", "THREAD_UPDATE"}
_THREAD_METADATA = {"archived": False, "auto_archive_duration": 1440,
                    "archive_timestamp": "1970-01-01T00:00:00+00:00", "locked": False}


def fill_partials(data: dict[str, Any]) -> None:
    """Give the partial objects of an interaction the fields discord.py reads without a default.

    Discord documents the interaction's `channel` as a partial channel and its users as partial
    users; discord.py builds full objects from them when the channel is not in its cache (a
    thread, or a guild whose channels it was never sent), and a missing `position`, `owner_id`
    or `discriminator` made the whole command fail with "This interaction failed". Only missing
    keys are added; nothing Discord sent is changed. An interaction with `channel_id` alone gets
    a partial channel of that id: discord.py reads the id only from `channel`."""
    if "channel" not in data and data.get("channel_id"):
        data["channel"] = {"id": data["channel_id"], "type": 0 if data.get("guild_id") else 1}
    invoker = data.get("user") or (data.get("member") or {}).get("user") or {}
    fill_channel(data.get("channel"), owner_id=invoker.get("id", "0"))
    member = data.get("member")
    if isinstance(member, dict):
        # Both documented as always there, but a member without them got no answer at all.
        member.setdefault("roles", [])
        member.setdefault("flags", 0)
    resolved = (data.get("data") or {}).get("resolved") or {}
    # "Answer with careerbot" gets its message as a documented *partial* message object; so
    # may a click its message. discord.py drops a clicked message it cannot read, and with it
    # the EPHEMERAL flag that keeps what the click opens private.
    messages = [data.get("message"), *(resolved.get("messages") or {}).values()]
    for message in messages:
        fill_partial_message(message, data.get("channel_id"))
    users = [data.get("user"), member.get("user") if isinstance(member, dict) else None]
    users += list((resolved.get("users") or {}).values())
    for user in users:
        fill_user(user)


def fill_partial_message(message: Any, channel_id: str | None) -> None:
    """A message's fields discord.py reads without a default (or leaves unset and reads later)
    that a partial message may lack, and the users in it."""
    if not isinstance(message, dict):
        return
    message.setdefault("type", 0)
    message.setdefault("content", "")
    message.setdefault("components", [])
    if channel_id:
        message.setdefault("channel_id", channel_id)
    fill_message_users(message)
    for key in ("interaction_metadata", "interaction"):
        if isinstance(message.get(key), dict):
            fill_user(message[key].get("user"))


def fill_channel(channel: Any, *, owner_id: str = "0") -> None:
    """A channel's fields discord.py reads without a default that Discord documents as optional
    (`position`, `permission_overwrites`, a thread's counts and metadata)."""
    if not isinstance(channel, dict) or not isinstance(channel.get("type"), int):
        return
    channel.setdefault("name", "")
    channel.setdefault("position", 0)
    channel.setdefault("permission_overwrites", [])
    if channel["type"] in _VOICE:
        channel.setdefault("bitrate", 64000)
        channel.setdefault("user_limit", 0)
    if channel["type"] in _THREADS:
        channel.setdefault("parent_id", "0")
        channel.setdefault("owner_id", owner_id)
        channel.setdefault("message_count", 0)
        channel.setdefault("member_count", 0)
        metadata = channel.setdefault("thread_metadata", {})
        if isinstance(metadata, dict):
            for key, value in _THREAD_METADATA.items():
                metadata.setdefault(key, value)


def fill_server_channels(name: str, data: dict[str, Any]) -> None:
    """The same for the channels a server's events carry: a GUILD_CREATE with one channel
    without `position` was skipped whole, and the bot never knew the server's channels."""
    if name == "GUILD_CREATE":
        for channel in [*(data.get("channels") or []), *(data.get("threads") or [])]:
            fill_channel(channel)
    elif name in _CHANNEL_EVENTS:
        fill_channel(data)


def fill_message_users(message: dict[str, Any]) -> None:
    """The same for a message's author and mentioned users: discord.py drops an author it
    cannot read (no `avatar` or `discriminator`), and the mention went unanswered."""
    fill_user(message.get("author"))
    for user in message.get("mentions") or []:
        fill_user(user)


def fill_application(data: dict[str, Any]) -> None:
    """The application object's partial users as discord.py reads them; with no owner, the
    application stands in for its own (a bot's owner is nothing careerbot uses)."""
    owner = data.setdefault("owner", {"id": data.get("id", "0"),
                                      "username": data.get("name") or "careerbot"})
    fill_user(owner)
    team = data.get("team")
    for team_member in (team.get("members") or []) if isinstance(team, dict) else []:
        if isinstance(team_member, dict):
            fill_user(team_member.get("user"))


def fill_user(user: Any) -> None:
    if isinstance(user, dict):
        user.setdefault("discriminator", "0")
        user.setdefault("username", user.get("global_name") or "member")
        user.setdefault("avatar", None)


# -- commands ---------------------------------------------------------------------------------


def _choice(name: str, value: str) -> app_commands.Choice[str]:
    return app_commands.Choice(name=shorten(name, CHOICE_NAME_MAX) or value[:CHOICE_NAME_MAX],
                               value=value[:CHOICE_NAME_MAX])


async def in_time(suggest: Awaitable[list[app_commands.Choice[str]]]
                  ) -> list[app_commands.Choice[str]]:
    """Suggestions while the member types. Autocomplete cannot be deferred and Discord drops an
    answer after 3 seconds, and discord.py answers nothing at all when the callback raises: a
    slow or failing core gets an empty list in time rather than "Loading options failed"."""
    try:
        return await asyncio.wait_for(suggest, AUTOCOMPLETE_BUDGET)
    except TimeoutError:
        log.info("Discord: suggestions took longer than %.1f s; offered none",
                 AUTOCOMPLETE_BUDGET)
    except Exception as exc:  # the member can still type the whole value
        log.warning("Discord: suggestions failed (%s)", type(exc).__name__)
    return []


async def hidden_choices(client: CareerBot, interaction: discord.Interaction, current: str
                         ) -> list[app_commands.Choice[str]]:
    """`/faqadmin restore`: the server's hidden and removed entries, the only ones it takes (the
    visible entries `entry_choices` offers would each be refused as "not hidden or removed").
    Only a moderator is shown what the server hid."""
    async def suggest() -> list[app_commands.Choice[str]]:
        ctx = await client.service.resolve(client.context(interaction))
        if not ctx.is_moderator:
            return []
        found = await client.service.suggest_hidden(ctx.community, current, CHOICES_MAX)
        return [_choice(entry.question, entry.id) for entry in found]
    return await in_time(suggest())


async def entry_choices(client: CareerBot, interaction: discord.Interaction, current: str, *,
                        by_id: bool, topics: bool = False) -> list[app_commands.Choice[str]]:
    return await in_time(_entry_choices(client, interaction, current, by_id=by_id,
                                        topics=topics))


async def _entry_choices(client: CareerBot, interaction: discord.Interaction, current: str, *,
                         by_id: bool, topics: bool) -> list[app_commands.Choice[str]]:
    ctx = await client.service.resolve(client.context(interaction))
    community = ctx.community
    out: list[app_commands.Choice[str]] = []
    if topics:
        needle = current.strip().lower()
        out += [_choice(f"Topic: {t} ({summary})", t) for t, summary in TOPICS.items()
                if needle in t or needle in summary.lower()]
    found = (await client.service.suggest(community, current, CHOICES_MAX)
             if current.strip() or by_id else [])
    for entry in found:
        value = entry.id if by_id else shorten(entry.question, CHOICE_NAME_MAX)
        out.append(_choice(entry.question, value))
    return out[:CHOICES_MAX]


def register_commands(client: CareerBot) -> None:
    tree = client.tree
    anywhere = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=False)
    guild_install = app_commands.AppInstallationType(guild=True, user=False)

    def member_command(name: str, description: str):
        def wrap(func):
            command: app_commands.Command[Any, Any, Any] = app_commands.Command(
                name=name, description=description, callback=func,
                allowed_contexts=anywhere, allowed_installs=guild_install)
            tree.add_command(command)
            return command
        return wrap

    @member_command("ask", "Ask a question about careers in machine learning")
    @app_commands.describe(question="Your question, for example: do I need a PhD for DeepMind?")
    async def ask(interaction: discord.Interaction, question: str) -> None:
        await client.command(interaction, "ask", question)

    @ask.autocomplete("question")
    async def ask_suggest(interaction: discord.Interaction, current: str
                          ) -> list[app_commands.Choice[str]]:
        return await entry_choices(client, interaction, current, by_id=False)

    @member_command("faq", "Show one entry, or every entry in a topic")
    @app_commands.describe(entry="An entry id or alias, or a topic")
    async def faq(interaction: discord.Interaction, entry: str) -> None:
        await client.command(interaction, "faq", entry)

    @faq.autocomplete("entry")
    async def faq_suggest(interaction: discord.Interaction, current: str
                          ) -> list[app_commands.Choice[str]]:
        return await entry_choices(client, interaction, current, by_id=True, topics=True)

    @member_command("topics", "List the topics careerbot knows about")
    async def topics(interaction: discord.Interaction) -> None:
        await client.command(interaction, "topics")

    @member_command("quiz", "Take a short profile quiz (in a direct message)")
    @app_commands.describe(quiz="Which quiz (leave empty to see the list)")
    async def quiz(interaction: discord.Interaction, quiz: str | None = None) -> None:
        await client.command(interaction, "quiz", quiz or "")

    @quiz.autocomplete("quiz")
    async def quiz_suggest(interaction: discord.Interaction, current: str
                           ) -> list[app_commands.Choice[str]]:
        async def suggest() -> list[app_commands.Choice[str]]:
            needle = current.strip().lower()
            return [_choice(title, quiz_id)
                    for quiz_id, title in client.service.quiz_titles().items()
                    if needle in quiz_id.lower() or needle in title.lower()][:CHOICES_MAX]
        return await in_time(suggest())

    @member_command("profile", "What careerbot remembers about you")
    async def profile(interaction: discord.Interaction) -> None:
        await client.command(interaction, "profile")

    @member_command("forget-me", "Delete everything careerbot stored about you")
    async def forget_me(interaction: discord.Interaction) -> None:
        await client.command(interaction, "forget-me")

    @member_command("help", "What careerbot can do")
    async def help_(interaction: discord.Interaction) -> None:
        await client.command(interaction, "help")

    async def answer(interaction: discord.Interaction, message: discord.Message) -> None:
        await client.answer_message(interaction, message)

    tree.add_command(app_commands.ContextMenu(
        name="Answer with careerbot", callback=answer,
        allowed_contexts=app_commands.AppCommandContext(guild=True),
        allowed_installs=guild_install,
    ))
    tree.add_command(moderator_group(client))


def moderator_group(client: CareerBot) -> app_commands.Group:
    group = app_commands.Group(
        name="faqadmin", description="Curate this server's answers (moderators)",
        allowed_contexts=app_commands.AppCommandContext(guild=True),
        allowed_installs=app_commands.AppInstallationType(guild=True, user=False),
        default_permissions=discord.Permissions(manage_guild=True),
    )

    async def entries(interaction: discord.Interaction, current: str
                      ) -> list[app_commands.Choice[str]]:
        return await entry_choices(client, interaction, current, by_id=True)

    def sub(name: str, description: str):
        return group.command(name=name, description=description)

    @sub("add", "Add an entry (opens a form)")
    @app_commands.describe(question="The question, to pre-fill the form")
    async def add(interaction: discord.Interaction, question: str | None = None) -> None:
        await client.command(interaction, "faq-add", question or "")

    @sub("edit", "Edit an entry (opens a form)")
    @app_commands.autocomplete(entry=entries)
    async def edit(interaction: discord.Interaction, entry: str) -> None:
        await client.command(interaction, "faq-edit", entry)

    @sub("variant", "Add another phrasing of an entry")
    @app_commands.autocomplete(entry=entries)
    async def variant(interaction: discord.Interaction, entry: str, phrasing: str) -> None:
        await client.command(interaction, "faq-variant", f"{entry} {phrasing}")

    @sub("alias", "Add a short name for an entry")
    @app_commands.autocomplete(entry=entries)
    async def alias(interaction: discord.Interaction, entry: str, alias: str) -> None:
        await client.command(interaction, "faq-alias", f"{entry} {alias}")

    async def hidden(interaction: discord.Interaction, current: str
                     ) -> list[app_commands.Choice[str]]:
        return await hidden_choices(client, interaction, current)

    for verb, description, suggest in (("hide", "Hide an entry in this server", entries),
                                       ("restore", "Bring back a hidden entry", hidden),
                                       ("remove", "Remove an entry this server added", entries),
                                       ("history", "List an entry's revisions", entries)):
        group.add_command(_entry_command(client, verb, description, suggest))

    @sub("revert", "Restore an earlier revision of an entry")
    @app_commands.autocomplete(entry=entries)
    async def revert(interaction: discord.Interaction, entry: str, revision: str) -> None:
        await client.command(interaction, "faq-revert", f"{entry} {revision}")

    @sub("unanswered", "The most-asked questions careerbot could not answer")
    async def unanswered(interaction: discord.Interaction) -> None:
        await client.command(interaction, "unanswered")

    @sub("stats", "Questions, answer rates, top entries, feedback and quizzes")
    async def stats(interaction: discord.Interaction) -> None:
        await client.command(interaction, "stats")

    @sub("helpline", "Show or set this server's own support contact (shown under wellbeing replies)")
    @app_commands.describe(text="e.g. your university's counselling service or a #support channel;"
                                " 'clear' removes it")
    async def helpline(interaction: discord.Interaction, text: str | None = None) -> None:
        await client.command(interaction, "faq-helpline", text or "")

    return group


def _entry_command(client: CareerBot, verb: str, description: str, autocomplete: Any
                   ) -> app_commands.Command[Any, Any, None]:
    core_name = MODERATOR_SUBCOMMANDS[verb]

    async def callback(interaction: discord.Interaction, entry: str) -> None:
        await client.command(interaction, core_name, entry)

    command: app_commands.Command[Any, Any, None] = app_commands.Command(
        name=verb, description=description, callback=callback)
    command.autocomplete("entry")(autocomplete)
    return command


# -- entry points -----------------------------------------------------------------------------


def quiet_third_party() -> None:
    """careerbot never joins voice: drop discord.py's one-time "voice will NOT be supported"
    warnings, which an admin would otherwise read as a problem at every start."""
    for flag in ("warn_nacl", "warn_dave"):
        if hasattr(discord.VoiceClient, flag):
            setattr(discord.VoiceClient, flag, False)


async def json_or_text(response: aiohttp.ClientResponse) -> dict[str, Any] | str:
    """discord.py's reading of a REST answer, but by media type: it compared the whole
    Content-Type header with "application/json", so `application/json; charset=utf-8` (what
    many servers and proxies send) was read as text and the first answer, the login's, failed:
    the bot did not start."""
    text = await response.text(encoding="utf-8")
    if response.content_type == "application/json" and text:
        return discord.utils._from_json(text)  # type: ignore[no-any-return]
    return text


def read_json_by_media_type() -> None:
    """Where discord.py looks the reader up: its HTTP client, and its webhook adapter, which
    carries the interaction responses and follow-ups."""
    discord.http.json_or_text = json_or_text
    discord_webhooks.json_or_text = webhook_json_or_text  # type: ignore[attr-defined]


async def webhook_json_or_text(response: aiohttp.ClientResponse) -> dict[str, Any] | str:
    """The same for the webhook adapter (interaction responses, edits, follow-ups), which has no
    `max_ratelimit_timeout`: it waited out any 429 from Discord's front end, 1336 s as readily
    as 1, and the token was dead by then; the member saw half a reply, or a notice that never
    changed. A 429 naming a longer wait than RATE_LIMIT_WAIT_MAX is raised at once, as
    discord.py raises a 429 it will not wait for."""
    data = await json_or_text(response)
    if response.status == 429 and isinstance(data, dict):
        try:
            wait = float(data.get("retry_after", 0))
        except (TypeError, ValueError):
            wait = 0.0
        if wait > RATE_LIMIT_WAIT_MAX:
            raise discord.HTTPException(response, data)
    return data


def read_empty_callback_answers() -> None:
    """discord.py asks for the interaction callback object (`with_response`) and reads its
    `interaction` unguarded, after Discord has already shown the response. Discord documents
    204 No Content for the callback, and an answer without the object (204, or a 200 with no
    body) raised a TypeError: the member saw the reply and then "Sorry, Discord would not show
    that reply", a deferred reply was lost behind that apology, and an opened form was followed
    by the apology too. Such an answer is read as the bare callback object: the response was
    accepted, and nothing else of the object is read."""
    adapter = discord_webhooks.AsyncWebhookAdapter
    create = adapter.create_interaction_response
    if getattr(create, "reads_empty_answers", False):
        return

    async def create_interaction_response(self: Any, interaction_id: int, token: str,
                                          **kwargs: Any) -> Any:
        data = await create(self, interaction_id, token, **kwargs)
        if isinstance(data, dict) and isinstance(data.get("interaction"), dict):
            return data
        return {"interaction": {"id": str(interaction_id)}}

    create_interaction_response.reads_empty_answers = True  # type: ignore[attr-defined]
    adapter.create_interaction_response = create_interaction_response  # type: ignore[method-assign]


_RESUMED_EVENT = re.compile(r'"t"\s*:\s*"RESUMED"')


def read_resumed_without_data() -> None:
    """discord.py writes a key into the RESUMED event's data before any parser (the guarded
    ones included) sees it. Discord documents no fields for RESUMED and a payload's `d` as
    nullable: a RESUMED with `"d": null` raised a TypeError out of the connection loop, and the
    bot stopped at its first resume (after every RECONNECT). Such a payload is read with empty
    data instead; every other message goes through untouched."""
    socket = discord.gateway.DiscordWebSocket
    read = socket.received_message
    if getattr(read, "reads_resumed_without_data", False):
        return

    async def received_message(self: discord.gateway.DiscordWebSocket, msg: Any, /) -> None:
        if type(msg) is bytes:  # zlib-stream: decompressed here, once, as discord.py would
            msg = self._decompressor.decompress(msg)
            if msg is None:
                return
        if isinstance(msg, str) and _RESUMED_EVENT.search(msg):
            payload = discord.utils._from_json(msg)
            if isinstance(payload, dict) and payload.get("t") == "RESUMED" and not isinstance(
                    payload.get("d"), dict):
                payload["d"] = {}
                msg = discord.utils._to_json(payload)
        await read(self, msg)

    received_message.reads_resumed_without_data = True  # type: ignore[attr-defined]
    socket.received_message = received_message  # type: ignore[method-assign]


def create_client(settings: Settings, service: Core, **options: Any) -> CareerBot:
    apply_url_overrides(settings)
    quiet_third_party()
    read_json_by_media_type()
    read_resumed_without_data()
    read_empty_callback_answers()
    return CareerBot(settings, service, **options)


async def run(settings: Settings, service: Core) -> None:
    """`careerbot run` with DISCORD_TOKEN set: connect and serve until stopped."""
    client = create_client(settings, service)
    async with client:
        await client.start(settings.discord_token.get_secret_value())


async def sync(settings: Settings, service: Core) -> list[str]:
    """Log in, sync the commands (dev guild or global) and log out; returns their names."""
    client = create_client(settings, service, sync_commands=False)
    async with client:
        await client.login(settings.discord_token.get_secret_value())
        synced = await client.sync_commands()
    return [c.name for c in synced]


_TOKEN_SHAPE = re.compile(r"[\w-]{20,}\.[\w-]{5,}\.[\w-]{20,}")


def redact(text: str) -> str:
    """Hide anything shaped like a bot token in text that may be printed."""
    return _TOKEN_SHAPE.sub("[token]", text)
