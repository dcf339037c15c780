"""The composition root: load the knowledge base, open the store, build the service, start the
platforms.

This is the one module in `bot/` that reaches for the adapters, and only inside functions, so
that `careerbot ask`, the console and the rest of the core never import discord.py or slack-bolt.
The command line (`bot.cli`) calls in here; nothing in the core calls the command line.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

from bot import compiled
from bot.config import Settings
from bot.embeddings import first_line
from bot.facade import Health, HealthProbe
from bot.kb.loader import load_knowledge
from bot.kb.models import KnowledgeBase
from bot.kb.problems import KnowledgeError
from bot.replies import Context
from bot.service import Service
from bot.store import Store
from bot.store.health import HEARTBEAT_SECONDS, STALE_AFTER_SECONDS, database_lock
from bot.views import embedding_cache_dir

log = logging.getLogger(__name__)


class StartupError(Exception):
    """A failure the admin can fix (a refused token, a missing setting); printed as one line."""


def load_kb(settings: Settings, *, walk_quiz_paths: bool = True) -> KnowledgeBase:
    """The knowledge base, checked against the source documents when they sit beside the
    project (`../shared/sources`) or where `CAREERBOT_SOURCES_DIR` points."""
    sources = settings.sources_dir
    if sources is None:
        default = settings.knowledge_dir.resolve().parent.parent / "shared" / "sources"
        sources = default if default.is_dir() else None
    # The safety patterns' compiled form is kept beside the vector cache (`bot.compiled`).
    compiled.use_folder(embedding_cache_dir(settings) / "patterns")
    return load_knowledge(settings.knowledge_dir, sources, walk_quiz_paths=walk_quiz_paths)


async def open_service(settings: Settings, *, walk_quiz_paths: bool = True) -> Service:
    """Load the knowledge base and open the store; the caller closes `service.store`."""
    kb = load_kb(settings, walk_quiz_paths=walk_quiz_paths)
    store = await Store.open(settings.db_path)
    try:
        return Service(kb, store, settings=settings)
    except BaseException:
        # An open aiosqlite connection keeps its thread, and so the process, alive: a broken
        # model would otherwise hang the command instead of printing its one line.
        await store.close()
        raise


CONSOLE_COMMUNITY = "local"


def console_context(user: str = "you", moderator: bool = False) -> Context:
    """Who the console speaks as: a direct conversation in the community `local`."""
    return Context(platform="console", community=CONSOLE_COMMUNITY, channel="console", user=user,
                   user_name=user, is_dm=True, is_moderator=moderator)


async def run_console(settings: Settings, user: str = "you", moderator: bool = False) -> int:
    import sys

    from adapters.console import chat

    with database_lock(settings.db_path, exclusive=False):
        service = await open_service(settings)
        reloading = asyncio.create_task(watch_reload(settings, service), name="reload")
        try:
            return await chat(service, console_context(user, moderator), sys.stdin, sys.stdout,
                              sys.stdin.isatty())
        finally:
            reloading.cancel()
            await asyncio.gather(reloading, return_exceptions=True)
            await service.close()


NO_PLATFORM = (
    "no platform configured and nothing on standard input: set DISCORD_TOKEN (Discord), or "
    "SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Slack Socket Mode) or with SLACK_SIGNING_SECRET "
    "(Slack HTTP mode); to chat in a terminal, run `careerbot console`"
)


def stdin_at_eof() -> bool:
    """True when standard input is no terminal and ends before its first byte, as under Docker
    or systemd. Waits for a pipe's first byte without consuming it, so piped questions still
    reach the console."""
    stream = sys.stdin
    if stream is None:
        return True
    try:
        if stream.isatty():
            return False
        peek = getattr(getattr(stream, "buffer", None), "peek", None)
        return peek is not None and peek(1) == b""
    except (OSError, ValueError):  # closed or unreadable: nothing will ever come
        return True


def discord_failure(exc: BaseException) -> StartupError | None:
    """A Discord start-up failure as the one line an admin can act on (never the token)."""
    import aiohttp
    import discord

    from adapters.discord_bot import redact

    if isinstance(exc, discord.LoginFailure):
        return StartupError("Discord refused the token (DISCORD_TOKEN): reset it on the developer "
                            "portal's Bot tab and set the new one")
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return StartupError("Discord refused a privileged intent; careerbot needs none: "
                            "check that DISCORD_TOKEN belongs to the careerbot application")
    if isinstance(exc, discord.HTTPException):
        return StartupError(f"Discord refused the start: HTTP {exc.status} "
                            f"{redact(exc.text)[:200]}")
    if isinstance(exc, (discord.GatewayNotFound, aiohttp.ClientError, OSError)):
        detail = redact(" ".join(str(exc).split()))[:200] or type(exc).__name__
        return StartupError(f"cannot reach Discord: {detail}")
    return None


def slack_failure(exc: BaseException) -> StartupError | None:
    """A Slack start-up failure: the adapter has already put it in one line without secrets."""
    from adapters.slack_app import SlackStartupError

    return StartupError(str(exc)) if isinstance(exc, SlackStartupError) else None


# Each platform's translation of its start-up failures into one line; an untranslated one
# propagates as it is.
PLATFORM_FAILURES: dict[str, Callable[[BaseException], StartupError | None]] = {
    "adapters.discord_bot": discord_failure,
    "adapters.slack_app": slack_failure,
}


async def run_all(settings: Settings) -> int:
    """`careerbot run`: every platform whose credentials are set, or the console if none is."""
    half = settings.half_configured()
    if half is not None:
        raise StartupError(half)
    platforms: list[str] = []
    if settings.discord_enabled:
        platforms.append("adapters.discord_bot")
    if settings.slack_enabled:
        platforms.append("adapters.slack_app")
    if not platforms:
        # Under Docker or systemd a console would read nothing and exit 0, which a restart
        # policy loops on and a supervisor calls success.
        if stdin_at_eof():
            raise StartupError(NO_PLATFORM)
        print("No Discord or Slack credentials found: starting the console chat.")
        return await run_console(settings)

    with database_lock(settings.db_path, exclusive=False):
        service = await open_service(settings)
        try:
            await serve_until_stopped(settings, service, platforms)
            return 0
        finally:
            await service.close()


async def serve_until_stopped(settings: Settings, service: Service, platforms: list[str]) -> None:
    """Serve until a platform fails or SIGTERM (docker stop, systemctl stop) asks us to stop;
    a stop closes the platforms and marks the heartbeat stopped, and exits 0."""
    serving = asyncio.ensure_future(serve(settings, service, platforms))
    loop = asyncio.get_running_loop()
    stop_requested = False

    def request_stop() -> None:
        nonlocal stop_requested
        stop_requested = True
        serving.cancel()

    try:
        loop.add_signal_handler(signal.SIGTERM, request_stop)
    except (NotImplementedError, RuntimeError):  # not the main thread, or no signals here
        pass
    try:
        await serving
    except asyncio.CancelledError:
        if not stop_requested:
            raise
        log.info("careerbot: stopped")
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGTERM)


async def heartbeat(store: Store, platforms: str, interval: float = HEARTBEAT_SECONDS) -> None:
    """Write this process's heartbeat every `interval` until cancelled, then mark it stopped.

    A failed write is logged and retried: a busy disk must not stop the bot from serving."""
    try:
        while True:
            try:
                await store.beat(platforms, time.time())
            except Exception as exc:  # noqa: BLE001 - logged; the next beat tries again
                log.warning("could not write the heartbeat: %s", exc)
            await asyncio.sleep(interval)
    finally:
        with contextlib.suppress(Exception):
            await store.stop_beating(time.time())


# How long `GET /healthz` waits for the database before calling it unwell.
HEALTH_QUERY_SECONDS = 5.0


def health_probe(store: Store, clock: Callable[[], float] = time.time,
                 stale_after: float = STALE_AFTER_SECONDS) -> HealthProbe:
    """What `GET /healthz` answers in Slack HTTP mode: healthy while this process's heartbeat
    is fresh and the database answers, with the same staleness rule as `careerbot health`."""

    async def probe() -> Health:
        try:
            beat = await asyncio.wait_for(store.own_heartbeat(), HEALTH_QUERY_SECONDS)
        except Exception as exc:  # noqa: BLE001 - closed, locked, hung or broken: all unwell
            log.warning("health check: the database did not answer (%s)", type(exc).__name__)
            return Health(False, "the database does not answer")
        if beat is None:
            return Health(False, "no heartbeat written yet")
        age = max(0.0, clock() - beat)
        if age > stale_after:
            return Health(False, f"the heartbeat is {age:.0f} s old", age)
        return Health(True, f"heartbeat {age:.0f} s ago", age)

    return probe


# Platforms that serve HTTP themselves answer `GET /healthz` with this probe.
HTTP_PLATFORMS = frozenset({"adapters.slack_app"})


async def serve(settings: Settings, service: Service, platforms: list[str]) -> None:
    """Run the platforms until one fails (the others are stopped) or all return."""
    # Many members at once: one member's long paste must not hold the others up (costs ~0.6 s
    # at start, so only serving does it; see bot.scanning).
    await asyncio.to_thread(service.views.serve)
    tasks = []
    for name in platforms:
        module = importlib.import_module(name)
        log.debug("starting %s", name)
        extra: dict[str, Any] = {}
        if name in HTTP_PLATFORMS:
            extra["health"] = health_probe(service.store)
        tasks.append(asyncio.create_task(module.run(settings, service, **extra), name=name))
    names = ",".join(name.rpartition(".")[2].split("_")[0] for name in platforms)
    beating = asyncio.create_task(heartbeat(service.store, names), name="heartbeat")
    reloading = asyncio.create_task(watch_reload(settings, service), name="reload")
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        for task in (*tasks, beating, reloading):
            task.cancel()
        await asyncio.gather(*tasks, beating, reloading, return_exceptions=True)
    for task in done:
        exc = None if task.cancelled() else task.exception()
        if exc is None:
            continue
        translate = PLATFORM_FAILURES.get(task.get_name())
        failure = translate(exc) if translate is not None else None
        if failure is not None:
            raise failure from exc
        raise exc


async def reload_knowledge(settings: Settings, service: Service) -> bool:
    """Load the knowledge base again and serve it; a broken one is refused with one log line
    and the previous one keeps answering."""
    try:
        kb = await asyncio.to_thread(load_kb, settings)
        await service.reload(kb)
    except KnowledgeError as exc:
        log.warning("knowledge base reload refused, still serving the previous one "
                    "(%d problems; first: %s)", len(exc.problems), exc.problems[0])
        return False
    except Exception as exc:  # noqa: BLE001 - the watcher must live on to the next request
        # The new indexes are switched in one step at the end of the build: the old ones serve.
        log.warning("knowledge base reload failed, still serving the previous one (%s: %s)",
                    type(exc).__name__, first_line(exc))
        return False
    log.info("knowledge base reloaded: %d entries", len(kb.entries))
    return True


async def watch_reload(settings: Settings, service: Service, poll: float | None = None) -> None:
    """Reload on `careerbot kb reload` (a request in the database, so it reaches a bot in
    another container, looked for every `poll` seconds: `settings.reload_poll_seconds` unless
    given) or on SIGHUP, until cancelled."""
    if poll is None:
        poll = settings.reload_poll_seconds
    hup = asyncio.Event()
    loop = asyncio.get_running_loop()
    try:  # before the first await, so a SIGHUP right after start is never fatal
        loop.add_signal_handler(signal.SIGHUP, hup.set)
    except (NotImplementedError, RuntimeError, AttributeError):  # no signals here
        pass
    try:
        seen = await service.store.reload_requested()
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(hup.wait(), poll)
            try:
                requested = await service.store.reload_requested()
            except Exception as exc:  # noqa: BLE001 - a busy database: look again next time
                log.warning("could not check for a reload request: %s", exc)
                continue
            if hup.is_set() or requested > seen:
                hup.clear()
                seen = max(seen, requested)
                await reload_knowledge(settings, service)
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):
            loop.remove_signal_handler(signal.SIGHUP)


async def sync_discord_commands(settings: Settings) -> str:
    """`careerbot discord sync`: register the slash commands now; returns what was synced."""
    import discord

    from adapters import discord_bot

    service = await open_service(settings)
    try:
        names = await discord_bot.sync(settings, service)
    except discord.LoginFailure as exc:
        raise StartupError("Discord refused the token (DISCORD_TOKEN); check it in the developer portal") from exc
    except discord.HTTPException as exc:
        raise StartupError(f"Discord refused the sync: HTTP {exc.status} {discord_bot.redact(exc.text)[:200]}") from exc
    finally:
        await service.close()
    where = (f"guild {settings.discord_dev_guild}" if settings.discord_dev_guild
             else "all servers (global; may take up to an hour to appear)")
    return f"synced {len(names)} commands to {where}: {', '.join(sorted(names))}"
