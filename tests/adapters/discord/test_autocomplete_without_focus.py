"""An autocomplete interaction whose options carry no `focused` flag (Discord documents `focused`
as optional on an option) is answered with an empty choice list, the only response an
autocomplete takes. discord.py raises an AppCommandError for it ("there is no focused element");
the adapter's error handler answered with its apology as a channel message (type 4), which
Discord refuses for an autocomplete, so the member saw "Loading options failed" and the log got
an ERROR line for a command that never failed."""

from __future__ import annotations

import logging

import pytest

from tests.adapters.discord.conftest import Bot

AUTOCOMPLETE_RESULT = 8


@pytest.mark.parametrize(("name", "option", "subcommand"), [
    ("ask", "question", None),
    ("faq", "entry", None),
    ("faqadmin", "entry", "edit"),
])
async def test_an_autocomplete_with_no_focused_option_gets_an_empty_list(
        bot: Bot, caplog: pytest.LogCaptureFixture, name: str, option: str,
        subcommand: str | None) -> None:
    caplog.set_level(logging.INFO, logger="adapters.discord_bot")
    fake = bot.fake
    payload = fake.autocomplete(name, option, "phd", subcommand=subcommand)
    options = payload["data"]["options"]
    leaf = options[0]["options"] if subcommand else options
    for opt in leaf:
        opt.pop("focused", None)
    cb = await fake.interact(payload, within=5)
    assert cb.type == AUTOCOMPLETE_RESULT and cb.data["choices"] == []
    assert not [r for r in caplog.records
                if r.name == "adapters.discord_bot" and r.levelno >= logging.ERROR]
