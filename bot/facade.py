"""What an adapter may ask of the core, as a type: the adapters see this Protocol, not the
service class, so they cannot reach into the store, the matcher or the knowledge base."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from bot.kb.models import Entry
from bot.replies import Command, Context, Event, Reply


class Core(Protocol):
    async def handle(self, event: Event) -> Reply:
        """Every command, button press and form submission; never raises."""
        ...

    async def wellbeing_reply(self, cmd: Command) -> Reply | None:
        """The private wellbeing reply when the wellbeing check reads a crisis or distress in
        `cmd.text`, None otherwise; logs nothing (an edited message, read again)."""
        ...

    async def resolve(self, ctx: Context) -> Context:
        """The context with its community known (a direct message gets the member's home)."""
        ...

    async def suggest(self, community: str, text: str, limit: int = 25) -> list[Entry]:
        """Entries for autocomplete, best first."""
        ...

    async def suggest_hidden(self, community: str, text: str, limit: int = 25) -> list[Entry]:
        """The community's hidden and removed entries (what `restore` takes), for autocomplete."""
        ...

    def field_labels(self, form_id: str) -> dict[str, str]:
        """A form's field labels by field id, to name the fields of a refused submission."""
        ...

    def quiz_titles(self) -> dict[str, str]:
        """Each quiz's id and title, for autocomplete."""
        ...


@dataclass(frozen=True)
class Health:
    """Whether the serving bot is well, for a load balancer's probe: `detail` is one line that
    names no secret and no path."""

    healthy: bool
    detail: str
    heartbeat_age: float | None = None


# What an HTTP adapter calls to answer `GET /healthz`; built by the composition root.
HealthProbe = Callable[[], Awaitable[Health]]
