"""Slack adapter: slack-bolt listeners <-> core events and replies.

A thin translation layer. Slack payloads become `Command`, `ButtonPress` or `FormSubmit` events
with a `Context`; the core's `Reply` comes back and is rendered as Block Kit by
`adapters.slack_render`. The only decision made here is reading platform facts into
`ctx.is_moderator` (workspace admin or owner, or a configured user or user group); the core
checks permissions on every operation.

Every listener acknowledges first and then does its work in a background task, so Slack always
gets its answer within three seconds. The one exception is a modal submission, whose
acknowledgement carries the validation errors and so waits for the core.

Where a reply goes: a form opens a modal (`views.open`); `to_dm` (and anything from App Home)
goes to the member's DM (`conversations.open`, then `chat.postMessage`); `replace` updates the
message that carried the button (`chat.update`, or the response URL for an ephemeral message);
`ephemeral`, and any answer to a click on an ephemeral message, uses the response URL or
`chat.postEphemeral` (in a thread only once it has replies: Slack does not show an ephemeral
message in a thread that has not started); the rest is posted in the channel or thread with
`chat.postMessage`, through the response URL when the bot is not in the channel. Only
careerbot's own DM with the member is a DM to the core: a DM between two people gets what a
channel gets. When Slack will not open the DM or the modal, the member is told privately through
the response URL (from App Home, which has none, in a small modal); when it refuses a reply's
blocks (`invalid_blocks`), the same reply goes again as text alone.

Modes: Socket Mode when `SLACK_APP_TOKEN` is set (no public URL needed), otherwise an HTTP
endpoint at `/slack/events` on `SLACK_PORT`, verified with `SLACK_SIGNING_SECRET`.
"""

from __future__ import annotations

import asyncio
import difflib
import hashlib
import hmac
import html
import json
import logging
import math
import random
import re
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine, Hashable
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qs, parse_qsl

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.middleware.authorization.async_single_team_authorization import (
    AsyncSingleTeamAuthorization,
)
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.slack_render import (
    BUTTON_PREFIX,
    COMMAND_PREFIX,
    FORM_CALLBACK_ID,
    FormOrigin,
    Message,
    blocks_text,
    clean,
    decode_metadata,
    field_errors,
    form_values,
    link_text,
    parse_action_id,
    render_home,
    render_message,
    render_modal,
    render_notice,
)
from bot.commands import BY_NAME, COMMANDS, MODERATOR_COMMANDS, CommandSpec
from bot.config import Settings
from bot.facade import Core, Health, HealthProbe
from bot.replies import ButtonPress, Choice, Command, Context, Event, FormSubmit, Reply, error

log = logging.getLogger(__name__)

SLASH_COMMAND = "/careerbot"
SHORTCUT_ID = "answer_with_careerbot"
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MODERATOR_CACHE_SECONDS = 300.0
# How long a moderator check may wait on Slack: a form submission must be acknowledged within
# 3 s, and it needs the check first.
MODERATOR_LOOKUP_SECONDS = 1.5
NOT_IN_CHANNEL = frozenset({"not_in_channel", "channel_not_found"})
# Slack will not show the blocks themselves (or not so many of them: `msg_blocks_too_long`); the
# same reply as text alone still gets through.
BLOCKS_REFUSED = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"})
# A Web API call Slack answers with 429 is tried again after its Retry-After, this many times.
RATE_LIMIT_RETRIES = 2
# The longest wait a Retry-After may ask for before the call is tried again.
RETRY_AFTER_MAX = 60.0
# How often the Socket Mode client pings Slack, and waits before trying to connect again.
SOCKET_PING_SECONDS = 10.0
# Mentions that are a member asking: plain, sent to the channel from a thread, with a file, or
# written with `/me` ("/me wonders whether a PhD is worth it"). Others ("document_mention" from a
# canvas, "bot_message") are not questions.
ASKING_SUBTYPES = frozenset({"", "thread_broadcast", "file_share", "me_message"})

# The bot scopes the manifest asks for, and what careerbot cannot do in a workspace that did not
# grant one (an admin may untick any of them when installing). `usergroups:read` matters only
# with SLACK_MODERATOR_GROUPS.
SCOPE_USES: dict[str, str] = {
    "chat:write": "it cannot post any answer",
    "commands": "/careerbot and the 'Answer with careerbot' shortcut do not reach it",
    "app_mentions:read": "@careerbot mentions do not reach it",
    "im:history": "questions written in its Messages tab do not reach it",
    "im:write": "it cannot open a direct message (quizzes, App Home replies)",
    "users:read": "workspace admins and owners are not moderators",
    "usergroups:read": "members of SLACK_MODERATOR_GROUPS are not moderators",
}

# `/careerbot <word>` -> core command name, from the core's catalogue: every command by its own
# name, and moderators' commands by their short verb too (`/careerbot add` is `faq-add`).
SUBCOMMANDS: dict[str, str] = {
    **{spec.name: spec.name for spec in COMMANDS if spec.in_help and " " not in spec.name},
    **{spec.verb: spec.name for spec in MODERATOR_COMMANDS},
}



# -- requests that are malformed or seen before ---------------------------------------------------

SIGNATURE_WINDOW = 300  # seconds either side of now, as Slack and bolt allow
# A request stamped up to five minutes ahead stays valid for ten; retries come within five.
RECENT_TTL = 2 * SIGNATURE_WINDOW + 60
RECENT_MAX = 10_000
# How long a message that got the wellbeing reply is not sent it again when edited.
WELLBEING_SENT_TTL = 24 * 3600.0
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


class RecentKeys:
    """Keys seen in the last `ttl` seconds, at most `max_size` of them (the oldest go first)."""

    def __init__(self, ttl: float = RECENT_TTL, max_size: int = RECENT_MAX,
                 clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self.max_size = max_size
        self.clock = clock
        self._seen: OrderedDict[Hashable, float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    def __contains__(self, key: Hashable) -> bool:
        """Whether `key` was seen within `ttl`, without remembering it."""
        self._expire(self.clock())
        return key in self._seen

    def _expire(self, now: float) -> None:
        while self._seen and next(iter(self._seen.values())) <= now - self.ttl:
            self._seen.popitem(last=False)

    def seen(self, key: Hashable) -> bool:
        """True if `key` was seen within `ttl`; otherwise remember it and return False."""
        now = self.clock()
        self._expire(now)
        if key in self._seen:
            return True
        self._seen[key] = now
        while len(self._seen) > self.max_size:
            self._seen.popitem(last=False)
        return False


def signature_problem(secret: str, raw: bytes, headers: Any, now: float) -> int | None:
    """None when `raw` is signed with `secret` inside the window, else the status to refuse with.

    Checked on the raw bytes before anything is parsed, so unsigned junk costs one HMAC.
    """
    timestamp = headers.get("X-Slack-Request-Timestamp") or ""
    signature = headers.get("X-Slack-Signature") or ""
    if not secret or not timestamp or not signature:
        return 401
    if not _TIMESTAMP.fullmatch(timestamp):
        return 400
    if abs(now - int(timestamp)) > SIGNATURE_WINDOW:
        return 401
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256)
    expected = ("v0=" + digest.hexdigest()).encode()
    if not hmac.compare_digest(expected, signature.encode("utf-8", "replace")):
        return 401
    return None


_Shape = tuple[tuple[str, type | tuple[type, ...], bool], ...]
_OPT_STR = (str, type(None))
# What the listeners (and bolt before them) read from each payload, and its type; the flag says
# whether it must be there. A signed payload that breaks these is refused with 400.
_SHAPES: dict[str, _Shape] = {
    "url_verification": (("challenge", str, True),),
    "event_callback": (("event", dict, True), ("event.type", str, True), ("event_id", str, False)),
    "app_mention": (
        # No user (or a null one) on a mention from a webhook or an old-style bot, or null text:
        # acknowledged and ignored, since Slack retries a 400 and counts it against the app.
        ("event.user", _OPT_STR, False), ("event.channel", str, True),
        ("event.text", _OPT_STR, False),
        ("event.ts", str, False), ("event.thread_ts", str, False), ("event.channel_type", str, False),
    ),
    "app_home_opened": (("event.user", str, True), ("event.tab", str, False), ("event.channel", str, False)),
    "block_actions": (
        ("user", dict, True), ("user.id", str, True), ("actions", list, True),
        ("container", dict, False), ("container.message_ts", str, False),
        ("container.channel_id", str, False), ("container.thread_ts", str, False),
        ("channel", dict, False), ("channel.id", str, False), ("channel.name", str, False),
        ("message", dict, False), ("message.ts", str, False), ("message.thread_ts", str, False),
        ("trigger_id", str, False), ("response_url", str, False),
        ("user.username", str, False), ("user.name", str, False),
    ),
    "view_submission": (
        ("user", dict, True), ("user.id", str, True), ("view", dict, True),
        ("view.callback_id", str, False), ("view.private_metadata", str, False),
        ("view.state", dict, False), ("view.state.values", dict, False),
        ("user.username", str, False), ("user.name", str, False),
    ),
    "message_action": (
        ("user", dict, True), ("user.id", str, True), ("message", dict, True),
        ("message.text", str, False), ("message.ts", str, False), ("message.thread_ts", str, False),
        ("channel", dict, False), ("channel.id", str, False), ("channel.name", str, False),
        ("trigger_id", str, False), ("response_url", str, False),
    ),
}


def _at(body: dict[str, Any], path: str) -> tuple[bool, Any]:
    value: Any = body
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return False, None
        value = value[key]
    return True, value


def shape_problem(body: Any) -> str | None:
    """Why a parsed request cannot be one Slack sends us, or None when its shape is sound."""
    if not isinstance(body, dict):
        return "the body is not an object"
    if "ssl_check" in body:
        return None
    if "command" in body:  # a slash command: a form, so every value is already a string
        return None if body.get("user_id") else "a command without user_id"
    kind = body.get("type")
    if not isinstance(kind, str):
        return "no type"
    shapes = _SHAPES.get(kind, ())
    if kind == "event_callback" and isinstance(body.get("event"), dict):
        shapes += _SHAPES.get(str(body["event"].get("type")), ())
    for path, expected, required in shapes:
        present, value = _at(body, path)
        if not present:
            if required:
                return f"{kind} without {path}"
        elif not isinstance(value, expected):
            return f"{kind} with {path} of type {type(value).__name__}"
    if kind == "block_actions":
        actions = body["actions"]
        if not actions or not all(
            isinstance(a, dict) and isinstance(a.get("action_id"), str)
            and isinstance(a.get("value", ""), _OPT_STR) for a in actions
        ):
            return "block_actions with actions that are not buttons"
    if kind == "view_submission":
        for elements in ((body["view"].get("state") or {}).get("values") or {}).values():
            if not isinstance(elements, dict) or not all(
                isinstance(e, dict) and isinstance(e.get("value"), _OPT_STR) for e in elements.values()
            ):
                return "view_submission with state values that are not text inputs"
    return None


# -- reading Slack payloads ----------------------------------------------------------------------


def parse_command(ctx: Context, text: str) -> Command:
    """`/careerbot` text -> a core command. Bare text is a question; an empty line asks for help."""
    text = text.strip()
    if not text:
        return Command(ctx, "help")
    # Any whitespace ends the subcommand: a newline or a tab typed after it too.
    word, *more = text.split(None, 1)
    rest = more[0] if more else ""
    name = SUBCOMMANDS.get(word.lower())
    spec = BY_NAME.get(name or "")
    if spec is not None and rest.strip() and not _takes_text(spec):
        # A command that takes nothing must stand alone, as in the DM: "help me choose between a
        # PhD and a job" and "stats or a CS master's?" are questions, not help or stats.
        return Command(ctx, "ask", text)
    if name is not None:
        return Command(ctx, name, rest.strip())
    if not rest and _looks_like_subcommand(word):
        # A mistyped subcommand: the core answers an unknown command with help.
        return Command(ctx, word.lower()[:40])
    return Command(ctx, "ask", text)


def parse_direct_message(ctx: Context, text: str) -> Command:
    """Text typed in careerbot's DM: a command when `/careerbot` would read it as one (help lists
    them without the prefix), a question otherwise. A command that takes no argument must stand
    alone: "help me choose between a PhD and a job" is a question."""
    command = parse_command(ctx, text)
    spec = BY_NAME.get(command.name)
    if command.name == "ask" or (spec is not None and (not command.text or _takes_text(spec))):
        return command
    return Command(ctx, "ask", text.strip())


def members_words(command: Command, text: str) -> Command:
    """A moderators' verb followed by words, from someone Slack does not say moderates, is what
    they wrote: "helpline please, I can't go on" or "history of research roles?" asks (and is
    read for how the member is doing), rather than earning "only moderators can change this".
    The verb alone still gets that refusal."""
    spec = BY_NAME.get(command.name)
    if spec is not None and spec.moderator and command.text and not command.ctx.is_moderator:
        return Command(command.ctx, "ask", text.strip())
    return command


def _takes_text(spec: CommandSpec) -> bool:
    return " <" in spec.usage or " [" in spec.usage


def _looks_like_subcommand(word: str) -> bool:
    low = word.lower()
    if not re.fullmatch(r"[a-z][a-z-]*", low):
        return False
    return "-" in low or bool(difflib.get_close_matches(low, list(SUBCOMMANDS), n=1, cutoff=0.75))


_SLACK_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def from_slack_text(text: str, bot_user_id: str = "") -> str:
    """A member's Slack text as plain text: the bot's mention dropped, links and escapes undone."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(\|[^>]*)?>", " ", text)

    def plain(m: re.Match[str]) -> str:
        target, label = m.group(1), m.group(2)
        if target.startswith("@") or target.startswith("#"):
            return f"{target[0]}{label or target[1:]}"
        if target.startswith("!date^"):
            return label or ""  # `<!date^1392734382^{date}|Feb 18, 2014>`: the fallback text
        if target.startswith("!"):
            return "@" + (label or target[1:].split("^")[0]).lstrip("@")
        return link_text(target, label)

    # Control characters and lone surrogates (JSON can carry `\ud800`) never reach the core.
    return _trim(clean(html.unescape(_SLACK_LINK.sub(plain, text))))


def _trim(text: str) -> str:
    """`text` without whitespace or invisible format characters (zero-width space, word joiner,
    byte order mark) at either end: text with nothing visible is empty, and asks for help rather
    than being answered in the channel as a question."""
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return text[start:end]


def _invisible(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Cf"


def message_text(message: dict[str, Any], bot_user_id: str = "") -> str:
    """What a message says, as plain text. `text` normally holds it all, but a forwarded message
    has an empty `text` (or only the forwarder's comment) and the original in a shared
    attachment, and an app may post blocks alone (rich text, or the section, header and context
    blocks apps build), in the message or inside an attachment."""
    text = from_slack_text(str(message.get("text") or ""), bot_user_id)
    if text:
        return text
    attachments = message.get("attachments")
    attachments = [a for a in attachments if isinstance(a, dict)] if isinstance(attachments, list) else []
    for attachment in attachments:
        # An attachment's `text` is escaped like a message's; `fallback` adds a date and name.
        shared = attachment.get("text") or attachment.get("fallback")
        if isinstance(shared, str) and (text := from_slack_text(shared, bot_user_id)):
            return text
    for blocks in (message.get("blocks"), *(a.get("blocks") for a in attachments)):
        if text := blocks_text(blocks) or layout_text(blocks, bot_user_id):
            return text
    return ""


_LAYOUT_BLOCKS = frozenset({"section", "header", "context"})


def layout_text(blocks: Any, bot_user_id: str = "") -> str:
    """What the section, header and context blocks of an app's message say, one line each:
    `mrkdwn` is escaped like a message's text, `plain_text` is as typed; images say nothing."""
    lines: list[str] = []
    for block in blocks if isinstance(blocks, list) else []:
        if not isinstance(block, dict) or block.get("type") not in _LAYOUT_BLOCKS:
            continue
        objects = [block.get("text")]
        for key in ("fields", "elements"):
            if isinstance(block.get(key), list):
                objects += block[key]
        for obj in objects:
            words = obj.get("text") if isinstance(obj, dict) else None
            if not isinstance(obj, dict) or not isinstance(words, str):
                continue
            line = (from_slack_text(words, bot_user_id) if obj.get("type") == "mrkdwn"
                    else _trim(clean(words)))
            if line:
                lines.append(line)
    return "\n".join(lines)


def community_of(context: dict[str, Any]) -> str:
    """The community is the Enterprise Grid org where there is one, the workspace otherwise."""
    return str(context.get("enterprise_id") or context.get("team_id") or "")


def _installed_team(context: Any) -> str:
    """The workspace careerbot's token belongs to (bolt's auth.test result), or ""."""
    result = context.get("authorize_result") if hasattr(context, "get") else None
    return str(getattr(result, "team_id", None) or "")


def _is_dm_channel(channel: str, hint: str = "") -> bool:
    return hint in {"im", "directmessage"} or channel.startswith("D")


BOLT_LOGGER = "slack_bolt.careerbot"


class _BoltNoise(logging.Filter):
    """bolt reads SLACK_BOT_TOKEN from the environment even when given a client, then warns
    that the token "will be unused": true, harmless, and alarming to an admin."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "will be unused" not in record.getMessage()


logging.getLogger(BOLT_LOGGER).addFilter(_BoltNoise())


# -- moderator facts ------------------------------------------------------------------------------


class ModeratorFacts:
    """Whether Slack says a user moderates: admin/owner, listed user, or in a listed user group.

    Answers are cached briefly per (team, user) so a burst of clicks costs one `users.info`.
    """

    def __init__(
        self,
        users: tuple[str, ...] = (),
        groups: tuple[str, ...] = (),
        ttl: float = MODERATOR_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        timeout: float = MODERATOR_LOOKUP_SECONDS,
    ):
        self.timeout = timeout
        self.users = frozenset(users)
        self.groups = tuple(groups)
        self.ttl = ttl
        self.clock = clock
        self._cache: dict[tuple[str, str], tuple[float, bool]] = {}

    async def is_moderator(self, client: AsyncWebClient, team: str, user: str,
                           installed: str = "") -> bool:
        """`installed` is the workspace careerbot is installed in (auth.test's team): on
        Enterprise Grid, its own users are of the org's community even where `users.info`
        names only their workspace."""
        if not user:
            return False
        if user in self.users:
            return True
        key = (team, user)
        hit = self._cache.get(key)
        now = self.clock()
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        answer = await self._lookup(client, team, user, installed)
        if answer is None:
            # Slack did not say (rate limited, slow): what it said last, however old, beats
            # refusing a moderator who opened a form minutes ago; ask again next time.
            return hit[1] if hit is not None else False
        self._cache[key] = (now, answer)
        return answer

    async def _lookup(self, client: AsyncWebClient, team: str, user: str,
                      installed: str = "") -> bool | None:
        try:
            async with asyncio.timeout(self.timeout):
                return await self._ask_slack(client, team, user, installed)
        except TimeoutError:
            log.warning("could not read moderator facts for a user: Slack took over %.1f s",
                        self.timeout)
            return None

    async def _ask_slack(self, client: AsyncWebClient, team: str, user: str,
                         installed: str = "") -> bool | None:
        try:
            info = await client.users_info(user=user)
            profile = info.get("user") or {}
            if not _of_community(profile, team, installed):
                # Another organisation's user in a Slack Connect channel: `is_admin` and
                # `is_owner` describe their own workspace, not this community.
                return False
            if profile.get("is_admin") or profile.get("is_owner") or profile.get("is_primary_owner"):
                return True
            for group in self.groups:
                members = await client.usergroups_users_list(usergroup=group)
                if user in (members.get("users") or []):
                    return True
        except SlackApiError as exc:
            log.warning("could not read moderator facts for a user: %s", _api_error(exc))
            return None
        return False


def _of_community(profile: dict[str, Any], community: str, installed: str = "") -> bool:
    """Whether `users.info` describes a user of this workspace, or of this Enterprise Grid org:
    not a stranger, and their own team (or org) is the community, or is the workspace careerbot
    is installed in (a Grid org's command carries `enterprise_id`, while `users.info` may name
    only the member's workspace). Another organisation's user never has either as home."""
    if profile.get("is_stranger"):
        return False
    enterprise = profile.get("enterprise_user") or {}
    homes = {str(h) for h in (profile.get("team_id"), enterprise.get("enterprise_id")) if h}
    return not homes or community in homes or bool(installed and installed in homes)


# -- Web API rate limits --------------------------------------------------------------------------


def retry_after(headers: dict[str, Any], now: float | None = None) -> float:
    """The seconds a 429's `Retry-After` asks to wait, within [0, RETRY_AFTER_MAX]. HTTP allows
    a number of seconds or a date; a fraction ("1.5"), a date, or nothing readable (1 s) must
    not turn the retry into a ValueError that loses the reply."""
    value: Any = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if isinstance(value, list):
        value = value[0] if value else None
    text = str(value or "").strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(text).timestamp() - (time.time() if now is None else now)
        except (TypeError, ValueError, IndexError, OverflowError):
            seconds = 1.0
    if not math.isfinite(seconds):
        seconds = 1.0
    return min(max(seconds, 0.0), RETRY_AFTER_MAX)


class RateLimitRetry(AsyncRateLimitErrorRetryHandler):
    """slack_sdk's handler for 429, waiting as long as any valid `Retry-After` says (see
    `retry_after`): the sdk's own reads it with `int()`, and raises on "1.5" or a date."""

    async def prepare_for_next_attempt_async(
        self, *, state: RetryState, request: HttpRequest,
        response: HttpResponse | None = None, error: Exception | None = None,
    ) -> None:
        if response is None:
            raise error or RuntimeError("a retry without a response")
        state.next_attempt_requested = True
        await asyncio.sleep(retry_after(response.headers) + random.random())
        state.increment_current_attempt()


# -- where a reply goes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where the event came from, which decides how a reply is delivered."""

    user: str
    channel: str = ""
    thread_ts: str = ""
    # Whether `thread_ts` names a thread that already has replies. Slack shows an ephemeral
    # message in a thread only then, so a private reply to a top-level mention (or shortcut)
    # goes in the channel instead; a public answer still starts the thread.
    thread_started: bool = True
    message_ts: str = ""  # the message that carried a pressed button
    trigger_id: str = ""
    respond: AsyncRespond | None = None
    ephemeral_container: bool = False
    home: bool = False
    # A direct message by Slack's hints: careerbot's own with the member, or one between two
    # people (a slash command or a button there looks the same; see `SlackBridge.in_own_dm`).
    is_dm: bool = False
    # Written in the member's own direct message with careerbot (`message.im`): everything said
    # there is private already, so a private reply is posted as a message that stays, not one
    # that vanishes on reload.
    own_dm: bool = False


class SlackBridge:
    """Holds the bolt app and the service; every listener translates and delegates."""

    def __init__(
        self,
        settings: Settings,
        service: Core,
        client: AsyncWebClient | None = None,
        moderators: ModeratorFacts | None = None,
    ):
        self.settings = settings
        self.service = service
        self.moderators = moderators or ModeratorFacts(
            settings.slack_moderator_users, settings.slack_moderator_groups
        )
        if client is None:
            kwargs: dict[str, Any] = {"token": settings.slack_bot_token.get_secret_value() or None}
            if settings.slack_api_url:
                kwargs["base_url"] = _api_base(settings.slack_api_url)
            client = AsyncWebClient(**kwargs)
        # Without it a 429 loses the answer; Slack sends one whenever a workspace is busy.
        # slack_sdk's own handler is replaced: it reads only a whole number of seconds.
        client.retry_handlers[:] = [
            h for h in client.retry_handlers if type(h) is not AsyncRateLimitErrorRetryHandler]
        if not any(isinstance(h, RateLimitRetry) for h in client.retry_handlers):
            client.retry_handlers.append(RateLimitRetry(max_retry_count=RATE_LIMIT_RETRIES))
        socket_mode = bool(settings.slack_app_token.get_secret_value())
        signing_secret = settings.slack_signing_secret.get_secret_value()
        self.app = AsyncApp(
            client=client,
            # bolt copies the root logger's level into loggers of its own; this one is ours to set.
            logger=logging.getLogger(BOLT_LOGGER),
            signing_secret=signing_secret,
            request_verification_enabled=not socket_mode or bool(signing_secret),
            # Listeners ack and return at once; the work runs in tasks started by `spawn`.
            process_before_response=True,
            ssl_check_enabled=True,
        )
        self._tasks: set[asyncio.Task[None]] = set()
        self._dm_channels: dict[tuple[str, str], str] = {}
        # Event ids (both modes) and request signatures (HTTP) seen recently: Slack's retries
        # and replayed requests are acknowledged and not run again.
        self.recent = RecentKeys()
        # Messages that got the private wellbeing reply (channel, ts), so editing one again does
        # not send it again: an edited mention carries no `previous_message` to compare with.
        self.wellbeing_sent = RecentKeys(ttl=WELLBEING_SENT_TTL)
        self._register()

    # -- background work ----------------------------------------------------------------------

    def remember_auth_test(self, answer: AsyncSlackResponse) -> None:
        """Hand bolt the `auth.test` answer start-up already has. Otherwise bolt asks again on
        the first request after each start, before that request is acknowledged: a slow answer
        acknowledges late (Slack's limit is 3 s), and a failed one (a 5xx) tells the member
        the app is "no longer available, please reinstall" and drops what they asked."""
        # bolt keeps no public handle on its middleware; a bolt without this list (or without
        # the attribute) keeps its own behaviour, asking once on the first request.
        for middleware in getattr(self.app, "_async_middleware_list", ()):
            if isinstance(middleware, AsyncSingleTeamAuthorization) \
                    and getattr(middleware, "auth_test_result", False) is None:
                middleware.auth_test_result = answer

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(self._guard(coro))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guard(self, coro: Coroutine[Any, Any, None]) -> None:
        try:
            await coro
        except SlackApiError as exc:
            log.error("Slack API call failed: %s", _api_error(exc))
        except (TimeoutError, aiohttp.ClientError) as exc:
            # Slack did not answer in time, or could not be reached: one line, not a traceback.
            # Nothing is sent another way, since a slow call may still have posted.
            log.error("Slack API call failed: Slack did not answer (%s)", type(exc).__name__)
        except Exception:
            log.exception("Slack listener failed after acknowledging")

    async def drain(self) -> None:
        """Wait for every piece of work started so far (tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # -- listeners ----------------------------------------------------------------------------

    def _register(self) -> None:
        app = self.app
        app.use(self._drop_repeated_events)
        # The app has one command, `/careerbot` in the manifest; a second install in the same
        # workspace (staging) must give it another name. Whatever it is called, it is this one:
        # bolt would answer another name with a 404, and never acknowledge it in Socket Mode.
        app.command(re.compile("^/"))(self._on_command)
        app.action(re.compile(f"^({re.escape(BUTTON_PREFIX)}|{re.escape(COMMAND_PREFIX)})"))(
            self._on_button
        )
        app.view_submission(FORM_CALLBACK_ID)(self._on_form)
        app.event("app_mention")(self._on_mention)
        app.event("message")(self._on_direct_message)
        app.event("app_home_opened")(self._on_home)
        app.shortcut(SHORTCUT_ID)(self._on_shortcut)
        app.event("app_uninstalled")(self._on_removed)
        app.event("tokens_revoked")(self._on_removed)
        # Valid requests nothing above handles (another app's events, a view closed, a select's
        # options, an uninstall) are acknowledged: bolt's 404 makes Slack retry an event three
        # times and count it against the app's event delivery.
        app.event(re.compile(".*"))(self._acknowledge)
        app.action(re.compile(".*"))(self._acknowledge)
        app.shortcut(re.compile(".*"))(self._acknowledge)
        app.view_closed(re.compile(".*"))(self._acknowledge)
        app.view_submission(re.compile(".*"))(self._acknowledge)
        app.options(re.compile(".*"))(self._no_options)

    @staticmethod
    async def _acknowledge(ack: Callable[..., Awaitable[None]] | None = None) -> None:
        if ack is not None:
            await ack()

    @staticmethod
    async def _on_removed(body: dict, event: dict) -> None:
        """The workspace uninstalled careerbot, or revoked its bot token: nothing it sends there
        will arrive any more, so the admin is told why, once, rather than by a log full of
        refused calls (or silence) while the bot still looks healthy."""
        tokens = event.get("tokens")
        if not isinstance(tokens, dict):
            tokens = {}
        if event.get("type") == "tokens_revoked" and not tokens.get("bot"):
            return  # only user tokens, which careerbot does not use
        log.warning("Slack: workspace %s %s; careerbot can no longer answer there. To use it "
                    "again, reinstall the app and set SLACK_BOT_TOKEN to the new Bot User OAuth "
                    "Token", body.get("team_id") or "?",
                    "uninstalled careerbot" if event.get("type") == "app_uninstalled"
                    else "revoked careerbot's bot token")

    @staticmethod
    async def _no_options(ack: Callable[..., Awaitable[None]]) -> None:
        await ack(options=[])

    async def _drop_repeated_events(
        self, body: dict, next: Callable[[], Awaitable[BoltResponse]]  # noqa: A002 (bolt's name)
    ) -> BoltResponse:
        # Runs after bolt has checked the signature, so nobody can use up an event id in advance.
        if body.get("type") == "app_rate_limited":
            # Slack sends it to every app, subscribed or not; it wants a 200, not bolt's 404.
            log.warning("Slack: events for this app are being rate limited (more than 30,000 "
                        "in an hour); some will not arrive")
            return BoltResponse(status=200, body="")
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if isinstance(event_id, str) and event_id and self.recent.seen(("event", event_id)):
            log.info("Slack: ignored a repeated delivery of event %s", event_id)
            return BoltResponse(status=200, body="")
        return await next()

    async def _on_command(self, ack, body: dict, context, client, respond) -> None:
        await ack()
        target = Target(
            user=body.get("user_id", ""),
            channel=body.get("channel_id", ""),
            trigger_id=body.get("trigger_id", ""),
            respond=respond if body.get("response_url") else None,
            is_dm=_is_dm_channel(body.get("channel_id", ""), body.get("channel_name", "")),
        )
        text = from_slack_text(str(body.get("text") or ""))
        self.spawn(self._command(client, context, target, body.get("user_name", ""), text))

    async def _command(self, client, context, target: Target, user_name: str, text: str) -> None:
        ctx = await self.context(client, context, target, user_name)
        target = _in_own_dm(target, ctx)
        command = members_words(parse_command(ctx, text), text)
        reply = await self.service.handle(command)
        await self.deliver(client, reply, target)

    async def _on_button(self, ack, body: dict, action: dict, context, client, respond) -> None:
        await ack()
        target = _button_target(body, respond)
        self.spawn(self._button(client, context, target, body, action))

    async def _button(self, client, context, target: Target, body: dict, action: dict) -> None:
        user = body.get("user") or {}
        ctx = await self.context(client, context, target, user.get("username") or user.get("name", ""))
        event = button_event(ctx, action)
        if event is None:
            return
        reply = await self.service.handle(event)
        await self.deliver_and_refresh_home(client, context, reply, target)

    async def deliver_and_refresh_home(self, client, context, reply: Reply, target: Target) -> None:
        """`deliver`, then, for what came from the App Home tab, publish the tab again: it shows
        the unanswered queue and the profile, which a click or a form there may have changed
        (a dismissed question would otherwise keep its buttons until the tab is reopened)."""
        await self.deliver(client, reply, target)
        if target.home and reply.form is None:
            await self.publish_home(client, context, target)

    async def _on_form(self, ack, body: dict, view: dict, context, client) -> None:
        form_id, state, origin = decode_metadata(view.get("private_metadata", ""))
        user = body.get("user") or {}
        # Not `is_dm`: telling whose DM it is may cost a `conversations.open` (a cold cache after a
        # restart), which this acknowledgement cannot wait for, and no form reads it.
        target = Target(
            user=user.get("id", ""),
            channel=origin.channel,
            thread_ts=origin.thread_ts,
            home=not origin.channel,
        )
        ctx = await self.context(client, context, target, user.get("username") or user.get("name", ""))
        values = form_values((view.get("state") or {}).get("values") or {})
        reply = await self.service.handle(FormSubmit(ctx, form_id, values, state))
        if reply.errors:
            await ack(response_action="errors", errors=field_errors(values, reply.errors))
            return
        if reply.form is not None:
            # The core asks for another look (a near-duplicate warning, a confirmation).
            await ack(response_action="update", view=render_modal(reply.form, reply, origin))
            return
        await ack()
        self.spawn(self.deliver_and_refresh_home(client, context, reply, target))

    async def _on_mention(self, body: dict, event: dict, context, client) -> None:
        channel = event.get("channel", "")
        edited = _is_members_question({k: v for k, v in event.items() if k != "edited"})
        if not (_is_members_question(event) or edited) or event.get("text") is None:
            return
        if _is_dm_channel(channel, event.get("channel_type", "")):
            # A mention typed in careerbot's own DM also arrives as `message.im` (same ts, another
            # event id), which answers it; a DM between people never sends the bot either.
            return
        target = Target(
            user=event.get("user", ""),
            channel=channel,
            thread_ts=event.get("thread_ts") or event.get("ts", ""),
            thread_started=bool(event.get("thread_ts")),
        )
        # The words of a message shared (forwarded) with only the mention as comment, too.
        text = message_text(event, context.get("bot_user_id", ""))
        key = (channel, event.get("ts", ""))
        if "edited" in event:
            self.spawn(self._edited(client, context, target, text, key=key))
            return
        self.spawn(self._mention(client, context, target, text, key=key))

    async def _on_direct_message(self, body: dict, event: dict, context, client) -> None:
        """A member writing to careerbot in its Messages tab asks, as a mention does."""
        if event.get("channel_type") != "im":
            return
        changed = event.get("message")
        if event.get("subtype") == "message_changed" and isinstance(changed, dict):
            await self._on_changed_direct_message(event, changed, context, client)
            return
        if not _is_members_question(event):
            return
        target = Target(
            user=event.get("user", ""),
            channel=event.get("channel", ""),
            thread_ts=event.get("thread_ts", ""),
            is_dm=True,
            own_dm=True,
        )
        text = message_text(event, context.get("bot_user_id", ""))
        self.spawn(self._mention(client, context, target, text,
                                 key=(event.get("channel", ""), event.get("ts", ""))))

    async def _on_changed_direct_message(self, event: dict, changed: dict, context,
                                         client) -> None:
        """A member's message in careerbot's DM, edited (`message_changed`)."""
        if not _is_members_question({k: v for k, v in changed.items() if k != "edited"}):
            return
        bot_user = context.get("bot_user_id", "")
        target = Target(user=str(changed.get("user")), channel=event.get("channel", ""),
                        thread_ts=str(changed.get("thread_ts") or ""), is_dm=True, own_dm=True)
        previous = event.get("previous_message")
        before = message_text(previous, bot_user) if isinstance(previous, dict) else ""
        self.spawn(self._edited(client, context, target, message_text(changed, bot_user), before,
                                key=(event.get("channel", ""), str(changed.get("ts") or ""))))

    async def _edited(self, client, context, target: Target, text: str, before: str = "",
                      key: tuple[str, str] = ("", "")) -> None:
        """An edited message is not answered again, unless it now says the member is not okay:
        then the private wellbeing reply, as the message would have had (once: not when the
        words before the edit already said so, nor when the message already got it)."""
        if not text or (all(key) and key in self.wellbeing_sent):
            return  # the reply is already with the member: no check run again either
        ctx = await self.context(client, context, target, "")
        reply = await self.service.wellbeing_reply(Command(ctx, "ask", text))
        if reply is None or (before and await self.service.wellbeing_reply(
                Command(ctx, "ask", before)) is not None):
            return
        if all(key) and self.wellbeing_sent.seen(key):
            return
        await self.deliver(client, replace(reply, ephemeral=True), target)

    async def _mention(self, client, context, target: Target, text: str,
                       key: tuple[str, str] = ("", "")) -> None:
        ctx = await self.context(client, context, target, "")
        if target.own_dm:
            command = members_words(parse_direct_message(ctx, text), text)
        else:
            command = Command(ctx, "ask", text) if text else Command(ctx, "help")
        reply = await self.service.handle(command)
        if reply.kind in ("safety", "support") and all(key):
            self.wellbeing_sent.seen(key)
        await self.deliver(client, reply, target)

    async def _on_shortcut(self, ack, body: dict, context, client, respond) -> None:
        await ack()
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id", "")
        target = Target(
            user=(body.get("user") or {}).get("id", ""),
            channel=channel,
            thread_ts=message.get("thread_ts") or message.get("ts", ""),
            thread_started=bool(message.get("thread_ts")),
            # A global shortcut has no response_url, and bolt's respond() raises without one.
            trigger_id=body.get("trigger_id", ""),
            respond=respond if body.get("response_url") else None,
            is_dm=_is_dm_channel(channel, (body.get("channel") or {}).get("name", "")),
        )
        text = message_text(message, context.get("bot_user_id", ""))
        # A bot's message (careerbot's own answer included) is answered for the asker only.
        by_bot = bool(message.get("bot_id")) or message.get("subtype") == "bot_message"
        # A shared message carries someone else's words (`message_text` reads the attachment
        # when the message has no text of its own): only the member's own text is theirs.
        own = bool(target.user) and message.get("user") == target.user \
            and bool((message.get("text") or "").strip())
        self.spawn(self._shortcut(client, context, target, text, private=by_bot, own=own))

    async def _shortcut(self, client, context, target: Target, text: str, *,
                        private: bool = False, own: bool = False) -> None:
        ctx = await self.context(client, context, target, "")
        # In careerbot's own DM a private reply stays there (a crisis reply included), as for a
        # slash command typed there, rather than vanishing when Slack reloads.
        target = _in_own_dm(target, ctx)
        if not text:
            await self.deliver(client, error("That message has no text I can answer."), target)
            return
        # The member's own message is their own words, asked as `ask`: `answer-message` tells
        # the asker to reach out to the message's author, which a member in crisis applying it
        # to their own message would be told about themselves.
        reply = await self.service.handle(Command(ctx, "ask" if own else "answer-message", text))
        if (reply.kind != "answer" or private) and not reply.ephemeral:
            # Only a found answer goes into someone else's thread; the rest is for the asker.
            reply = replace(reply, ephemeral=True)
        await self.deliver(client, reply, target)

    async def _on_home(self, event: dict, context, client) -> None:
        # Slack names the tab only when the member opened one; without it the Home tab is
        # published anyway (harmless if they were in Messages), rather than never shown.
        if (event.get("tab") or "home") != "home":
            return
        target = Target(user=event.get("user", ""), channel=event.get("channel", ""), home=True)
        self.spawn(self.publish_home(client, context, target))

    async def publish_home(self, client, context, target: Target) -> None:
        ctx = await self.context(client, context, target, "")
        # Showing the tab is not the member asking: it does not count against their rate limit.
        member = [await self.service.handle(Command(ctx, "profile", typed=False))]
        moderator: list[Reply] = []
        if ctx.is_moderator:
            for name in ("unanswered", "stats"):
                moderator.append(await self.service.handle(Command(ctx, name, typed=False)))
        intro = Reply(
            kind="text",
            title="careerbot",
            body=(
                "I answer questions about careers in machine learning, with sources. "
                "Ask with `/careerbot ask <question>` or mention me in a channel."
            ),
        )
        start = [Choice("Start a quiz", "quiz", "", "primary"), Choice("Help", "help", "")]
        view = render_home(intro, member, moderator, start)
        await client.views_publish(user_id=target.user, view=view)

    # -- context and delivery -------------------------------------------------------------------

    async def context(self, client, context, target: Target, user_name: str) -> Context:
        community = community_of(context)
        is_moderator = await self.moderators.is_moderator(
            client, community, target.user, _installed_team(context))
        return Context(
            platform="slack",
            community=community,
            channel=target.channel,
            user=target.user,
            user_name=user_name,
            # The core keeps what is private (a quiz run) where it is only in a DM with the bot.
            is_dm=await self.in_own_dm(client, target),
            is_moderator=is_moderator,
        )

    async def in_own_dm(self, client: AsyncWebClient, target: Target) -> bool:
        """Whether the event came from the member's own DM with careerbot. A DM between two
        people has the same hints (a `D…` channel, `directmessage`), and whatever the core puts
        there the other person sees; only the channel `conversations.open` gives is the bot's."""
        if target.own_dm or not target.is_dm:
            return target.own_dm
        try:
            return target.channel == await self.dm_channel(client, target.user)
        except SlackApiError as exc:
            # Treated as elsewhere: private replies then go to the DM, which says if it fails.
            log.warning("Slack: could not tell whose direct message this is (%s)",
                        _error_code(exc) or "error")
            return False

    async def deliver(self, client: AsyncWebClient, reply: Reply, target: Target) -> None:
        """Send a reply where the event says it belongs (rules in the module docstring)."""
        if reply.form is not None:
            await self._open_form(client, reply, target)
            return
        message = render_message(reply)
        if reply.to_dm or target.home:
            await self._to_dm(client, reply, message, target)
            return
        if reply.replace and target.message_ts:
            await self._update(client, message, target)
            return
        # A click on a message only the member could see is answered only to them.
        if (reply.ephemeral or target.ephemeral_container) and not target.own_dm:
            await self._ephemeral(client, message, target)
            return
        try:
            await send(message, lambda **m: client.chat_postMessage(
                channel=target.channel, thread_ts=target.thread_ts or None, **m))
        except SlackApiError as exc:
            error_code = _error_code(exc)
            respond = target.respond
            if respond is not None and error_code in NOT_IN_CHANNEL:
                # A channel the bot is not in (or a DM between people): the response_url works,
                # and it threads like chat.postMessage would have.
                try:
                    await send(message, lambda **m: respond(
                        response_type="in_channel", replace_original=False,
                        thread_ts=target.thread_ts or None, **m))
                    return
                except RESPONSE_URL_FAILED as refused:
                    log.warning("Slack: could not post in the channel and the response URL "
                                "refused the reply too (%s); answering privately", refused)
                    await self._ephemeral(client, message, replace(target, respond=None))
                    return
            # Archived, read-only, thread-only, a Slack Connect channel that refuses apps...: the
            # member still gets the answer, privately, rather than nothing at all.
            log.warning("Slack: could not post in the channel (%s); answering privately",
                        error_code or "error")
            await self._ephemeral(client, message, target)

    async def _open_form(self, client: AsyncWebClient, reply: Reply, target: Target) -> None:
        assert reply.form is not None
        if not target.trigger_id:
            await self.deliver(client, error("Open this from `/careerbot` to get the form."), target)
            return
        origin = FormOrigin("" if target.home else target.channel, target.thread_ts)
        try:
            view = render_modal(reply.form, reply, origin)
        except ValueError:
            log.error("form %s does not fit in a Slack modal", reply.form.id)
            await self.deliver(client, error("That form is too large to open here."), target)
            return
        try:
            await client.views_open(trigger_id=target.trigger_id, view=view)
        except SlackApiError as exc:
            code = _error_code(exc) or "error"
            log.warning("Slack: could not open a form (%s)", code)
            if code == "expired_trigger_id":
                # A trigger id lives 3 s; a slow moment in between (Slack, the database) used it up.
                problem = "Slack took too long to open the form. Please run the command again."
            else:
                problem = (f"I couldn't open the form (Slack said `{code}`). Please try again; if "
                           "it keeps happening, tell a workspace admin.")
            await self.deliver(client, error(problem), target)

    async def _to_dm(self, client, reply: Reply, message: Message, target: Target) -> None:
        try:
            channel = await self.dm_channel(client, target.user)
            if reply.replace and target.message_ts and target.channel == channel:
                await send(message, lambda **m: client.chat_update(
                    channel=channel, ts=target.message_ts, **m))
                return
            await send(message, lambda **m: client.chat_postMessage(channel=channel, **m))
        except SlackApiError as exc:
            code = _error_code(exc) or "error"
            log.warning("Slack: could not send a direct message (%s)", code)
            # Not posted where the member is instead: this reply belongs in a DM.
            notice = (f"I couldn't send you a direct message (Slack said `{code}`), so that did "
                      "not go through. Please try again in a moment; if it keeps happening, tell "
                      "a workspace admin.")
            if code == "missing_scope":
                # Installed without the permission: trying again cannot help, an admin can.
                needed = _needed_scope(exc) or "im:write"
                notice = ("I couldn't send you a direct message (Slack said `missing_scope`): "
                          f"careerbot was installed in this workspace without the `{needed}` "
                          "permission, so that did not go "
                          "through. Please ask a workspace admin to reinstall it with that "
                          "permission.")
            if target.respond is not None:
                await self._dm_notice(client, target, notice)
            elif target.home and target.trigger_id:
                # An App Home click has no response URL; its trigger id can still open a modal.
                await self._notice_modal(client, target, notice)
            return
        if target.respond is not None and target.channel != channel and not target.home:
            await self._dm_notice(client, target, "I've sent you a direct message.")

    async def _notice_modal(self, client, target: Target, text: str) -> None:
        try:
            await client.views_open(trigger_id=target.trigger_id, view=render_notice(text))
        except SlackApiError as exc:
            log.warning("Slack: could not show a notice in a modal either (%s)",
                        _error_code(exc) or "error")

    async def _dm_notice(self, client, target: Target, text: str) -> None:
        """A private line about the direct message ("sent", "could not send") where the member
        acted. It goes as a private reply does: a response URL that cannot be reached, or that
        refuses (expired, used up), falls back to chat.postEphemeral, rather than ending in a
        traceback after the DM itself went, or losing the explanation when it did not."""
        message = render_message(Reply(kind="text", body=text))
        await self._ephemeral(client, message, target, dm_fallback=False)

    async def _update(self, client, message: Message, target: Target) -> None:
        respond = target.respond
        try:
            if target.ephemeral_container and respond is not None:
                await send(message, lambda **m: respond(replace_original=True, **m))
                return
            try:
                await send(message, lambda **m: client.chat_update(
                    channel=target.channel, ts=target.message_ts, **m))
            except SlackApiError:
                if respond is None:
                    raise
                await send(message, lambda **m: respond(replace_original=True, **m))
        except RESPONSE_URL_FAILED as refused:
            # An old private message (its response URL expired): the new step comes as a new
            # private message rather than not at all.
            log.warning("Slack: a response URL refused an update (%s); sending it as a new "
                        "private message", refused)
            await self._ephemeral(client, message, replace(target, respond=None))

    async def _ephemeral(self, client, message: Message, target: Target, *,
                         dm_fallback: bool = True) -> None:
        respond = target.respond
        if respond is not None:
            try:
                await send(message, lambda **m: respond(
                    response_type="ephemeral", replace_original=False, **m))
                return
            except RESPONSE_URL_FAILED as refused:
                log.warning("Slack: a response URL refused a private reply (%s); posting it "
                            "through the Web API", refused)
        thread_ts = target.thread_ts if target.thread_started else ""
        try:
            await send(message, lambda **m: client.chat_postEphemeral(
                channel=target.channel, user=target.user, thread_ts=thread_ts or None, **m))
        except SlackApiError as exc:
            if not dm_fallback:
                # A line about the DM itself: sending it as a DM would tell nothing.
                log.warning("Slack: could not show a private notice in the channel (%s)",
                            _error_code(exc) or "error")
                return
            # A form submitted from a channel the bot is not in (a slash command works there, an
            # ephemeral message does not): the moderator's result goes to their DM, not nowhere.
            log.warning("Slack: could not show a private reply in the channel (%s); sending it "
                        "as a direct message", _error_code(exc) or "error")
            await self._to_member_dm(client, message, target)

    async def _to_member_dm(self, client, message: Message, target: Target) -> None:
        try:
            channel = await self.dm_channel(client, target.user)
            await send(message, lambda **m: client.chat_postMessage(channel=channel, **m))
        except SlackApiError as exc:
            log.warning("Slack: could not reach a member by direct message either (%s)",
                        _error_code(exc) or "error")

    async def dm_channel(self, client: AsyncWebClient, user: str) -> str:
        key = (str(client.token or ""), user)
        channel = self._dm_channels.get(key)
        if channel is None:
            opened = await client.conversations_open(users=user)
            channel = str((opened.get("channel") or {}).get("id", ""))
            self._dm_channels[key] = channel
        return channel


class ResponseUrlRefused(Exception):
    """A response URL answered with an error that is not about the blocks (`expired_url` or
    `used_url` after 30 minutes or five uses, a 5xx, a 429): the reply must go another way."""


# A response URL that answered with an error, or that could not be reached at all (connection
# refused or dropped, no answer in time): either way the reply must go through the Web API.
RESPONSE_URL_FAILED = (ResponseUrlRefused, aiohttp.ClientError, TimeoutError)


async def send(message: Message, post: Callable[..., Awaitable[Any]]) -> None:
    """`post(text=..., blocks=...)`: a Web API call or a response URL, with `message`. When Slack
    refuses the blocks themselves, the reply goes again as text alone, without its buttons:
    otherwise every route (channel, ephemeral, DM) would send the same refused blocks and the
    member would get nothing. A response URL that refuses for another reason raises
    `ResponseUrlRefused`, so the caller can post the reply through the Web API instead."""
    try:
        sent = await post(**message.kwargs())
        # A response URL does not raise: it answers HTTP 400 with the error as its body.
        code = _response_url_problem(sent)
        if code and code not in BLOCKS_REFUSED:
            raise ResponseUrlRefused(code)
    except SlackApiError as exc:
        code = _error_code(exc)
        if code not in BLOCKS_REFUSED:
            raise
    if code in BLOCKS_REFUSED:
        log.warning("Slack refused a reply's blocks (%s); sending it as text", code)
        problem = _response_url_problem(await post(**message.text_only()))
        if problem:
            raise ResponseUrlRefused(problem)


def _response_url_problem(sent: Any) -> str:
    """What a response URL's error says (`invalid_blocks`, `expired_url`...), or "". The error
    comes as an HTTP error status, or as a Web API style `{"ok": false, "error": ...}` body,
    which may come with 200: read as delivered, that would lose the reply."""
    status = getattr(sent, "status_code", 200)
    body = str(getattr(sent, "body", "") or "").strip()
    refused = _not_ok(body)
    if refused is not None:
        return refused or f"HTTP {status}"
    if not isinstance(status, int) or status < 400:
        return ""
    return body[:60] or f"HTTP {status}"


def _not_ok(body: str) -> str | None:
    """A JSON body's `error` (or "") when it says `"ok": false`; None for any other body."""
    if not body.startswith("{"):
        return None
    try:
        answer = json.loads(body)
    except ValueError:
        return None
    if not isinstance(answer, dict) or answer.get("ok") is not False:
        return None
    return str(answer.get("error") or "")[:60]


def _is_members_question(event: dict[str, Any]) -> bool:
    """A member asking (by a mention or in a DM), once: not an edit of a message already
    answered (Slack sends an edited mention as a new app_mention: see `SlackBridge._edited`),
    not a canvas or other subtype, not another app or bot."""
    if "edited" in event or str(event.get("subtype") or "") not in ASKING_SUBTYPES:
        return False
    return bool(event.get("user")) and not (event.get("bot_id") or event.get("bot_profile"))


def _in_own_dm(target: Target, ctx: Context) -> Target:
    """A slash command typed in careerbot's own DM (`in_own_dm` said so) is answered as a message
    typed there is: a private reply stays, rather than an ephemeral one Slack drops on reload (a
    crisis reply included). A click there still gets its refusals ("already answered") privately."""
    return replace(target, own_dm=True) if ctx.is_dm and not target.own_dm else target


def _button_target(body: dict, respond: AsyncRespond | None) -> Target:
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id", "")
    home = container.get("type") == "view"
    return Target(
        user=(body.get("user") or {}).get("id", ""),
        channel="" if home else channel,
        thread_ts=message.get("thread_ts") or container.get("thread_ts", ""),
        message_ts=container.get("message_ts") or message.get("ts", ""),
        trigger_id=body.get("trigger_id", ""),
        respond=respond if body.get("response_url") else None,
        ephemeral_container=bool(container.get("is_ephemeral")),
        home=home,
        is_dm=_is_dm_channel(channel, (body.get("channel") or {}).get("name", "")),
    )


def button_event(ctx: Context, action: dict) -> Event | None:
    """A pressed button as a core event: `cb:` buttons are the core's choices, `cmd:` run commands."""
    action_id = str(action.get("action_id", ""))
    name = parse_action_id(action_id)
    if name is None:
        return None
    value = action.get("value") or ""  # absent, or null: the core takes text
    if action_id.startswith(COMMAND_PREFIX):
        return Command(ctx, name, value, typed=False)  # a button: never rate limited
    return ButtonPress(ctx, name, value)


def _api_base(url: str) -> str:
    return url if url.endswith("/") else url + "/"


# -- factories and entry point --------------------------------------------------------------------


def create_bridge(settings: Settings, service: Core, client: AsyncWebClient | None = None) -> SlackBridge:
    return SlackBridge(settings, service, client)


def web_app(bridge: SlackBridge, path: str = EVENTS_PATH,
            clock: Callable[[], float] = time.time,
            health: HealthProbe | None = None) -> web.Application:
    """An aiohttp application serving the Events API and interactivity endpoint, and with a
    `health` probe, `GET /healthz` (unsigned, for a load balancer: see `healthz`).

    Before bolt sees a request: the signature is checked on the raw bytes (401, or 400 for a
    timestamp that is not a number), then the body must parse and have the shape the listeners
    read (400), and a signature seen in the last minutes is a replay (200, not run again).
    Nothing here logs a traceback, a body or a header.
    """
    secret = bridge.settings.slack_signing_secret.get_secret_value()

    async def handle(request: web.Request) -> web.Response:
        raw = await request.read()
        if _is_ssl_check(raw):
            # Slack's certificate check on a slash command's URL: answered 200 before the
            # signature, as bolt's own SslCheck does, since nothing runs for it.
            return web.Response(status=200, text="")
        status = signature_problem(secret, raw, request.headers, clock())
        if status is not None:
            log.debug("Slack: refused a request that is not signed (HTTP %d)", status)
            return _refused(status)
        try:
            bolt_request = AsyncBoltRequest(
                body=raw.decode("utf-8"),
                query=request.query_string,
                headers=request.headers,  # type: ignore[arg-type]
            )
            _read_form_as_slack_sent_it(bolt_request)
        except Exception as exc:  # bad UTF-8, bad JSON, nesting too deep, fields of the wrong type
            log.warning("Slack: refused a signed request that does not parse (%s)", type(exc).__name__)
            return _refused(400)
        problem = shape_problem(bolt_request.body)
        if problem is not None:
            log.warning("Slack: refused a signed request: %s", problem)
            return _refused(400)
        if bridge.recent.seen(("signature", request.headers["X-Slack-Signature"])):
            log.info("Slack: ignored a replayed request")
            return web.Response(status=200, text="")
        bolt_response = await bridge.app.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    application = web.Application()
    application.router.add_post(path, handle)
    if health is not None:
        application.router.add_get(HEALTH_PATH, healthz(health))
    return application


def healthz(health: HealthProbe) -> Callable[[web.Request], Awaitable[web.Response]]:
    """200 `{"status": "ok", ...}` while the core says the bot is well, 503 otherwise: the
    probe's one-line detail and the heartbeat's age, never a secret or a traceback."""

    async def handle(request: web.Request) -> web.Response:
        try:
            report = await health()
        except Exception as exc:  # noqa: BLE001 - a probe that fails is an unwell bot
            log.warning("health probe failed (%s)", type(exc).__name__)
            report = Health(False, "the health check failed")
        body: dict[str, Any] = {"status": "ok" if report.healthy else "unhealthy",
                                "detail": report.detail}
        if report.heartbeat_age is not None:
            body["heartbeat_age_seconds"] = round(report.heartbeat_age, 1)
        return web.json_response(body, status=200 if report.healthy else 503)

    return handle


def _read_form_as_slack_sent_it(request: AsyncBoltRequest) -> None:
    """bolt reads any form body that contains the letters "payload" as an interactivity
    payload and, finding no `payload` field, as `{}`: a slash command whose text (or channel,
    user or team name) says "payload" would be refused as shapeless. Such a body is the form it
    is; bolt's context is rebuilt from it. (The raw body is kept for bolt's signature check.)"""
    raw = request.raw_body
    if request.content_type == "application/json" or raw.startswith("{") or "payload" not in raw:
        return  # bolt parsed it the way Slack sent it
    form = dict(parse_qsl(raw, keep_blank_values=True))
    if "payload" in form:
        return  # an interactivity payload, which bolt read right
    request.body = form
    request.context = build_async_context(AsyncBoltContext({}), form)


def _is_ssl_check(raw: bytes) -> bool:
    if len(raw) > 1024:
        return False
    try:
        form = parse_qs(raw.decode("ascii"), strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        return False
    return form.get("ssl_check") == ["1"]


def _refused(status: int) -> web.Response:
    return web.json_response({"error": "invalid request" if status == 401 else "bad request"}, status=status)


# -- start-up ------------------------------------------------------------------------------------

THIRD_PARTY_LOGGERS = ("slack_bolt", "slack_sdk")


class SlackStartupError(Exception):
    """A start-up failure an admin can fix, as one line that names no secret. The composition
    root turns it into its `StartupError` (adapters may not import `bot.app`)."""


def _startup_error(message: str) -> SlackStartupError:
    return SlackStartupError(message)


def _redact(text: str, settings: Settings) -> str:
    for secret in (settings.slack_bot_token, settings.slack_app_token, settings.slack_signing_secret):
        if secret.get_secret_value():
            text = text.replace(secret.get_secret_value(), "***")
    return text


def _quiet_third_party() -> None:
    """bolt and slack_sdk say a lot at INFO (sessions, boot banners); keep careerbot's own lines
    readable unless someone asked for DEBUG or configured those loggers themselves."""
    if logging.getLogger().getEffectiveLevel() <= logging.DEBUG:
        return
    for name in (*THIRD_PARTY_LOGGERS, BOLT_LOGGER):
        logger = logging.getLogger(name)
        if logger.level in (logging.NOTSET, logging.INFO):
            logger.setLevel(logging.WARNING)


def _api_error(exc: SlackApiError) -> str:
    """Slack's error code, or the HTTP status when the answer was not Slack's JSON (a proxy's
    HTML page, a 5xx), so a log line never reads "failed: None"."""
    return _error_code(exc) or f"HTTP {exc.response.status_code}"


def _error_code(exc: SlackApiError) -> str:
    """The `error` of a failed Web API call, or "" when the answer was not a JSON object. A
    `text/plain` body (a 5xx or 429 from Slack's edge or a proxy, a server's own 404) is kept by
    slack_sdk as a string, whose `get` raises, and a binary one raises ValueError: read here, a
    failed call can still fall back to another route instead of losing the reply."""
    try:
        return str(exc.response.get("error") or "")
    except (AttributeError, ValueError):
        return ""


def _needed_scope(exc: SlackApiError) -> str:
    """The scope a `missing_scope` answer says the call needed, or ""."""
    try:
        return str(exc.response.get("needed") or "")
    except (AttributeError, ValueError):
        return ""


def missing_scopes(answer: AsyncSlackResponse, settings: Settings) -> list[str]:
    """The manifest's bot scopes the token was not granted, read from the `X-OAuth-Scopes` header
    Slack puts on every Web API answer; [] when the header is not there."""
    headers = getattr(answer, "headers", None) or {}
    granted = next((v for k, v in headers.items() if k.lower() == "x-oauth-scopes"), None)
    if granted is None:
        return []
    if isinstance(granted, list):
        granted = ",".join(str(g) for g in granted)
    have = {scope.strip() for scope in str(granted).split(",")}
    wanted = [s for s in SCOPE_USES if s != "usergroups:read" or settings.slack_moderator_groups]
    return [scope for scope in wanted if scope not in have]


def _report_missing_scopes(answer: AsyncSlackResponse, settings: Settings) -> None:
    """One warning at start-up when the workspace granted fewer scopes than the manifest asks
    for, naming each and what it costs, instead of members finding out one refusal at a time."""
    missing = missing_scopes(answer, settings)
    if missing:
        log.warning("Slack: careerbot was installed without %s; add %s under OAuth & "
                    "Permissions (or paste deploy/slack-manifest.yml) and reinstall",
                    "; ".join(f"{scope} ({SCOPE_USES[scope]})" for scope in missing),
                    "it" if len(missing) == 1 else "them")


async def _whoami(client: AsyncWebClient, settings: Settings) -> tuple[str, AsyncSlackResponse]:
    """`@bot in workspace Name (T…)` from `auth.test`, and the answer itself; a refused token is
    a one-line StartupError."""
    try:
        me = await client.auth_test()
    except SlackApiError as exc:
        error = _api_error(exc)
        raise _startup_error(
            f"Slack refused SLACK_BOT_TOKEN ({error}): copy the Bot User OAuth Token (xoxb-...) "
            "from the app's Install App page"
        ) from None
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        detail = _redact(" ".join(str(exc).split()), settings)[:200] or type(exc).__name__
        raise _startup_error(f"cannot reach Slack's Web API: {detail}") from None
    return f"@{me.get('user') or '?'} in workspace {me.get('team') or '?'} ({me.get('team_id') or '?'})", me


async def _open_socket_url(client: AsyncWebClient, settings: Settings) -> str:
    try:
        opened = await client.apps_connections_open(
            app_token=settings.slack_app_token.get_secret_value())
    except SlackApiError as exc:
        error = _api_error(exc)
        raise _startup_error(
            f"Slack refused SLACK_APP_TOKEN ({error}): generate an app-level token (xapp-...) with "
            "the connections:write scope under Basic Information -> App-Level Tokens"
        ) from None
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        detail = _redact(" ".join(str(exc).split()), settings)[:200] or type(exc).__name__
        raise _startup_error(f"cannot reach Slack's Web API: {detail}") from None
    return str(opened["url"])


async def _one_attempt_per_url(client: Any) -> None:
    """`apps.connections.open` issues temporary WebSocket URLs, and one Slack refused (an
    expired ticket, a handshake its edge answered with an error) never works again; but
    slack_sdk's Socket Mode client tries the URL it has again and again, for ever, so careerbot
    would never connect. Its session (used for nothing but the WebSocket) is traced here: an
    attempt that fails forgets the URL, and the next one asks Slack for a new URL."""

    def forget() -> None:
        client.wss_uri = None

    async def ended(session: Any, ctx: Any, params: aiohttp.TraceRequestEndParams) -> None:
        if params.response.status != 101:  # 101 Switching Protocols: connected
            forget()

    async def failed(session: Any, ctx: Any, params: aiohttp.TraceRequestExceptionParams) -> None:
        forget()

    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(ended)
    trace.on_request_exception.append(failed)
    await client.aiohttp_client_session.close()
    client.aiohttp_client_session = aiohttp.ClientSession(trace_configs=[trace])


async def run(settings: Settings, service: Core, host: str = "0.0.0.0",
              health: HealthProbe | None = None) -> None:
    """What `careerbot run` awaits when Slack tokens are set. Runs until cancelled.

    Before serving, the tokens are tried (`auth.test`, and `apps.connections.open` in Socket
    Mode) so that a refused token, a missing signing secret or a port in use is one line (a
    `SlackStartupError`, never a traceback or a secret); then one INFO line says the bot is up.
    `host` and `health` only matter in HTTP mode: every interface by default, for a load
    balancer in front, which may probe `GET /healthz`.
    """
    _quiet_third_party()
    app_token = settings.slack_app_token.get_secret_value()
    if not app_token and not settings.slack_signing_secret.get_secret_value():
        raise _startup_error(
            "Slack HTTP mode needs SLACK_SIGNING_SECRET (Basic Information -> App Credentials); "
            "or set SLACK_APP_TOKEN to use Socket Mode"
        )
    bridge = create_bridge(settings, service)
    client = bridge.app.client
    whoami, me = await _whoami(client, settings)
    bridge.remember_auth_test(me)
    _report_missing_scopes(me, settings)
    if app_token:
        from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

        url = await _open_socket_url(client, settings)
        handler = AsyncSocketModeHandler(bridge.app, app_token, ping_interval=SOCKET_PING_SECONDS)
        await _one_attempt_per_url(handler.client)
        handler.client.wss_uri = url  # the URL just issued, rather than asking Slack twice
        try:
            # connect_async, not start_async: the latter prints bolt's banner to stdout.
            await handler.connect_async()
            log.info("Slack: Socket Mode connected as %s", whoami)
            await asyncio.Event().wait()
        finally:
            await handler.close_async()
            await bridge.drain()
        return
    runner = web.AppRunner(web_app(bridge, health=health), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, settings.slack_port)
        try:
            await site.start()
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise _startup_error(
                f"Slack HTTP mode cannot listen on port {settings.slack_port} ({reason}): "
                "stop what uses it or set SLACK_PORT"
            ) from None
        log.info("Slack: HTTP mode on :%d%s as %s", settings.slack_port, EVENTS_PATH, whoami)
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await bridge.drain()
