"""Every command in the catalogue (`bot.commands`) is reachable on every platform, help lists
exactly the catalogue, and every catalogue command has a handler in the core."""

from __future__ import annotations

import io
import re

import pytest
from discord import app_commands

from adapters import console, discord_bot, slack_app
from adapters.discord_bot import CareerBot
from bot.commands import COMMANDS, help_lines, route
from bot.config import Settings
from bot.replies import Command, Context, Reply

CTX = Context(platform="test", community="c", channel="ch", user="u", is_moderator=True)
TYPED = [spec for spec in COMMANDS if spec.in_help]


def typed(usage: str) -> str:
    """What a member types for a usage line, with the placeholders filled in."""
    words = []
    for word in usage.split():
        if word.startswith("<") or word.startswith("["):
            words.append("x")
        elif word.endswith(">") or word.endswith("]") or word == "|":
            continue
        else:
            words.append(word)
    return " ".join(words)


def expect(spec_name: str) -> tuple[str, str | None]:
    """(core command, required first word of its text): `quiz cancel` is `quiz` + `cancel`."""
    name, _, arg = spec_name.partition(" ")
    return name, arg or None


def check(spec_name: str, name: str, text: str) -> None:
    want, arg = expect(spec_name)
    got, rest = route(name, text)
    assert got == want, f"{spec_name!r} reached {got!r}"
    if arg is not None:
        assert rest.split()[0] == arg


async def test_every_catalogue_command_has_a_core_handler(service):
    names = {expect(spec.name)[0] for spec in COMMANDS}
    assert sorted(names - set(service.commands)) == []


async def test_help_lists_exactly_the_catalogue(service):
    for moderator in (False, True):
        ctx = Context(platform="test", community="c", channel="ch", user="u",
                      is_moderator=moderator)
        reply = await service.handle(Command(ctx, "help"))
        listed = re.findall(r"^- `([^`]+)`", reply.body, re.M)
        assert listed == [spec.usage for spec in help_lines(moderator)]


@pytest.mark.parametrize("spec", TYPED, ids=lambda s: s.name)
async def test_reachable_in_the_console(spec):
    sent: list[Command] = []

    class Recorder:
        async def handle(self, event: Command) -> Reply:
            sent.append(event)
            return Reply(kind="text", body="ok")

    session = console.ConsoleSession(Recorder(), CTX, io.StringIO().write, lambda _: None)
    await session.handle_line("/" + typed(spec.usage))
    (event,) = sent
    check(spec.name, event.name, event.text)


@pytest.mark.parametrize("spec", TYPED, ids=lambda s: s.name)
def test_reachable_with_the_slack_slash_command(spec):
    forms = [typed(spec.usage)]
    if spec.name.startswith("faq-"):  # moderators also type the short verb: `/careerbot add`
        forms.append(typed(spec.usage).removeprefix("faq "))
    for text in forms:
        command = slack_app.parse_command(CTX, text)
        check(spec.name, command.name, command.text)


def discord_commands() -> dict[str, tuple[str, str]]:
    """Each core command the Discord tree reaches -> (slash command path, how)."""
    client = CareerBot(Settings(), service=None, sync_commands=False)
    out: dict[str, tuple[str, str]] = {}
    for command in client.tree.get_commands():
        if isinstance(command, app_commands.Group):
            for sub in command.commands:
                out[discord_bot.MODERATOR_SUBCOMMANDS[sub.name]] = (f"/{command.name} {sub.name}", "")
        elif isinstance(command, app_commands.ContextMenu):
            out["answer-message"] = (command.name, "context menu")
        else:
            out[command.name] = (f"/{command.name}", "")
    return out


def test_reachable_on_discord():
    reachable = discord_commands()
    missing = []
    for spec in COMMANDS:
        name, _ = expect(spec.name)  # `quiz cancel` is /quiz with `cancel` typed as its option
        if name not in reachable:
            missing.append(spec.name)
    assert missing == []


def test_the_answer_message_shortcut_exists_on_slack():
    assert slack_app.SHORTCUT_ID
    spec = next(s for s in COMMANDS if s.name == "answer-message")
    assert not spec.in_help


@pytest.mark.parametrize("spec", [s for s in COMMANDS if s.private], ids=lambda s: s.name)
async def test_private_commands_reply_privately_whatever_the_handler_says(service, spec):
    async def loud(cmd: Command) -> Reply:
        return Reply(kind="text", body="public?")

    name, _ = expect(spec.name)
    service.commands[name] = loud
    reply = await service.handle(Command(CTX, name, "x"))
    assert reply.ephemeral and reply.body == "public?"


async def test_public_commands_keep_the_handlers_choice(service):
    reply = await service.handle(Command(CTX, "ask", "do I need a phd to be a research engineer?"))
    assert reply.kind == "answer" and not reply.ephemeral
