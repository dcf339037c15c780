"""The one list of commands: what each is called, how it is typed, what it does, who may use it,
and whether its reply is private.

Help is rendered from it, the service applies its privacy rule, and the adapters expose exactly
these commands (Discord's slash commands and `/faqadmin` group, Slack's `/careerbot`
subcommands, the console's `/name`); `tests/test_command_parity.py` fails when a platform
misses one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CommandSpec:
    name: str  # the core's command name, e.g. "faq-add"
    usage: str  # as typed in Slack or the console, e.g. "faq add [question]"
    summary: str
    moderator: bool = False
    # The reply is shown only to the member who asked (ephemeral), whatever the handler says.
    private: bool = False
    in_help: bool = True

    @property
    def verb(self) -> str:
        """The short word moderators type after `/careerbot` or `/faqadmin` ("add" for faq-add)."""
        return self.name.removeprefix("faq-")


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("ask", "ask <question>", "ask anything about ML careers"),
    CommandSpec("faq", "faq <id or topic>", "show one entry, or every entry in a topic"),
    CommandSpec("topics", "topics", "list the topics the bot knows about", private=True),
    CommandSpec("help", "help", "show this help", private=True),
    # Started from a message's menu ("Answer with careerbot"), never typed.
    CommandSpec("answer-message", "answer-message <message>", "answer someone else's message",
                in_help=False),
    # Quiz replies decide for themselves: a quiz runs in a direct message, its list may be public.
    CommandSpec("quiz", "quiz [id]", "list the profile quizzes, or take one (in a direct message)"),
    CommandSpec("quiz cancel", "quiz cancel", "stop the quiz you are taking"),
    CommandSpec("profile", "profile", "show your latest quiz results", private=True),
    CommandSpec("forget-me", "forget-me", "delete everything the bot stored about you", private=True),
    CommandSpec("faq-add", "faq add [question]", "add an entry (opens a form)", moderator=True,
                private=True),
    CommandSpec("faq-edit", "faq edit <id>",
                "edit an entry; a base entry becomes this community's override", moderator=True,
                private=True),
    CommandSpec("faq-variant", "faq variant <id> <text>", "add another phrasing of an entry",
                moderator=True, private=True),
    CommandSpec("faq-alias", "faq alias <id> <alias>", "add a short name for an entry",
                moderator=True, private=True),
    CommandSpec("faq-hide", "faq hide <id>", "hide a base entry in this community", moderator=True,
                private=True),
    CommandSpec("faq-restore", "faq restore <id>", "bring back a hidden or removed entry",
                moderator=True, private=True),
    CommandSpec("faq-remove", "faq remove <id>", "remove an entry this community added",
                moderator=True, private=True),
    CommandSpec("faq-history", "faq history <id>", "list an entry's revisions", moderator=True,
                private=True),
    CommandSpec("faq-revert", "faq revert <id> <rev>",
                "restore an earlier revision (as a new revision)", moderator=True, private=True),
    CommandSpec("unanswered", "unanswered", "the most-asked questions the bot could not answer",
                moderator=True, private=True),
    CommandSpec("stats", "stats", "questions, answer rates, top entries, feedback and quizzes",
                moderator=True, private=True),
    CommandSpec("faq-helpline", "faq helpline [text | clear]",
                "show or set this community's own support contact, shown under the wellbeing "
                "replies", moderator=True, private=True),
)

BY_NAME: dict[str, CommandSpec] = {spec.name: spec for spec in COMMANDS}


# `faq <verb> ...` is the moderators' form of `faq-<verb> ...`: browsing and curating share `faq`.
FAQ_VERBS = frozenset(spec.verb for spec in COMMANDS if spec.name.startswith("faq-"))
MODERATOR_COMMANDS = tuple(spec for spec in COMMANDS if spec.moderator)


def route(name: str, text: str) -> tuple[str, str]:
    """The command a typed `name text` means: `faq add What is X?` is `faq-add` with
    `What is X?`; everything else is itself."""
    if name == "faq":
        verb, _, rest = text.strip().partition(" ")
        if verb.lower() in FAQ_VERBS:
            return f"faq-{verb.lower()}", rest.strip()
    return name, text


def help_lines(moderator: bool) -> list[CommandSpec]:
    """What `help` lists for a member, or for a moderator (who also sees the moderator commands)."""
    return [spec for spec in COMMANDS if spec.in_help and (moderator or not spec.moderator)]


def is_private(name: str) -> bool:
    spec = BY_NAME.get(name)
    return spec is not None and spec.private
