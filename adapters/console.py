"""Terminal chat against the core, scriptable through stdin.

Type a question, or a command such as `/help`, `/topics`, `/faq <id or topic>`, `/quit`. When a
reply offers choices they are numbered; type the number to pick one. After an answer, `y` or `n`
says whether it helped. A form (a moderator's add or edit) is filled in field by field.

When stdin is not a terminal, lines are read until EOF, so
`printf 'do I need a phd?\\n' | careerbot console` prints the answer and exits 0.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from bot.facade import Core
from bot.replies import ButtonPress, Choice, Command, Context, Form, FormSubmit, Reply

WELCOME = (
    "careerbot: ask me about careers in machine learning (PhDs, research roles, programs).\n"
    "Type a question, /help for commands, /quit to leave."
)
QUIT = {"/quit", "/exit", "quit", "exit"}


@dataclass
class ConsoleSession:
    """One person's chat: the choices on screen decide what a typed number or y/n means."""

    service: Core
    ctx: Context
    write: Callable[[str], None]
    read: Callable[[str], str | None]
    pending: list[Choice] = field(default_factory=list)
    feedback: list[Choice] = field(default_factory=list)

    async def handle_line(self, line: str) -> bool:
        """Process one line; return False when the member asked to leave."""
        text = line.strip()
        if not text:
            return True
        if text.lower() in QUIT:
            return False
        low = text.lower()
        if self.feedback and low in {"y", "yes", "n", "no"}:
            choice = self.feedback[0] if low.startswith("y") else self.feedback[-1]
            reply = await self.service.handle(ButtonPress(self.ctx, choice.action, choice.payload))
            if reply.choices or reply.form is not None:
                await self.show(reply)
            else:
                # "Thanks! Noted as helpful." offers nothing new: the answer's numbered choices
                # and its y/n stay valid, as its buttons do on Discord and Slack, so a second
                # y or n changes the vote instead of being asked as a question.
                self.write(render(reply))
            return True
        if text.isdigit() and self.pending:
            index = int(text) - 1
            if 0 <= index < len(self.pending):
                await self.press(self.pending[index])
            else:
                self.write(f"Pick a number from 1 to {len(self.pending)}.")
            return True
        if text.startswith("/"):
            name, _, rest = text[1:].partition(" ")
            await self.send(Command(self.ctx, name.lower(), rest.strip()))
        else:
            await self.send(Command(self.ctx, "ask", text))
        return True

    async def press(self, choice: Choice) -> None:
        await self.send(ButtonPress(self.ctx, choice.action, choice.payload))

    async def send(self, event: Command | ButtonPress | FormSubmit) -> None:
        reply = await self.service.handle(event)
        await self.show(reply)

    async def show(self, reply: Reply) -> None:
        if reply.form is not None:
            await self.fill_form(reply.form, reply)
            return
        self.write(render(reply))
        if reply.kind == "error" and not reply.choices:
            # A refusal (say, a stale quiz answer) leaves the numbered choices on screen valid.
            return
        self.feedback = [c for c in reply.choices if c.action == "feedback"]
        self.pending = [c for c in reply.choices if c.action != "feedback"]
        if self.pending:
            self.write("\n".join(f"  {i}) {c.label}" for i, c in enumerate(self.pending, 1)))
        if self.feedback:
            self.write("Was this helpful? (y/n)")

    async def fill_form(self, form: Form, reply: Reply) -> None:
        if reply.body:
            self.write(reply.body)
        self.write(f"== {form.title} ==  (press Enter to keep the value in [brackets]; "
                   "'-' empties an optional field)")
        values: dict[str, str] = {}
        for f in form.fields:
            shown = f" [{_one_line(f.value)}]" if f.value else ""
            hint = " (one line; ' | ' starts a new line)" if f.multiline else ""
            answer = self.read(f"{f.label}{hint}{shown}: ")
            if answer is None:
                self.write("Cancelled: nothing was saved.")
                return
            typed = answer.strip()
            if not typed:
                values[f.id] = f.value
            elif typed == "-" and not f.required:
                values[f.id] = ""
            else:
                # A terminal prompt is one line: ` | ` stands for a line break.
                values[f.id] = typed.replace(" | ", "\n") if f.multiline else typed
        await self.send(FormSubmit(self.ctx, form.id, values, form.state))


def render_quiz(reply: Reply) -> str:
    """Quiz steps print as `[k/n] question`; multi-line fields (fit bars) start on their own line."""
    parts: list[str] = [""]
    if reply.title:
        parts.append(reply.title)
    if reply.body:
        parts.append(reply.body)
    for name, value in reply.fields:
        parts.append(f"{name}:\n{value}" if "\n" in value else f"{name}: {value}")
    plain = Reply(kind="text", citations=reply.citations, footer=reply.footer).plain()
    if plain:
        parts.append(plain)
    return "\n".join(parts)


def _one_line(text: str) -> str:
    flat = " | ".join(line.strip() for line in text.splitlines() if line.strip())
    return flat if len(flat) <= 80 else flat[:77] + "..."


def render(reply: Reply) -> str:
    text = render_quiz(reply) if reply.kind == "quiz" else reply.plain()
    if reply.errors:
        text += "\n" + "\n".join(f"  - {field_id}: {msg}" for field_id, msg in reply.errors.items())
    return text


async def chat(service: Core, ctx: Context, stdin: TextIO, stdout: TextIO, interactive: bool) -> int:
    loop = asyncio.get_running_loop()

    def write(text: str) -> None:
        stdout.write(text + "\n\n" if interactive else text + "\n")
        stdout.flush()

    def read_prompt(prompt: str) -> str | None:
        if interactive:
            try:
                return input(prompt)
            except EOFError:
                return None
        stdout.write(prompt + "\n")
        line = stdin.readline()
        return None if line == "" else line.rstrip("\n")

    session = ConsoleSession(service, ctx, write, read_prompt)
    if interactive:
        write(WELCOME)
    while True:
        line = await loop.run_in_executor(None, read_prompt, "> ") if interactive else stdin.readline()
        if line is None or (not interactive and line == ""):
            break
        if not await session.handle_line(line):
            break
    if interactive:
        write("Bye!")
    return 0
