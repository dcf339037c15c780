"""Settings, read from the environment (and a `.env` file in the working directory).

Secrets (platform tokens) are only ever read here and handed to the adapter that needs them;
`Settings.__repr__` hides them so a settings object can be logged safely.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KNOWLEDGE = PROJECT_ROOT / "knowledge"
DEFAULT_SOURCES = PROJECT_ROOT.parent / "shared" / "sources"

SECRET_FIELDS = frozenset(
    {"discord_token", "slack_bot_token", "slack_app_token", "slack_signing_secret"}
)


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise ValueError(f"{name} must be a positive number of seconds, got {raw!r}")
    return value


def _list(name: str) -> tuple[str, ...]:
    raw = os.environ.get(name, "")
    return tuple(part.strip() for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    db_path: Path = Path("data/careerbot.db")
    knowledge_dir: Path = DEFAULT_KNOWLEDGE
    sources_dir: Path | None = None
    quiz_idle_seconds: int = 7 * 24 * 3600
    # How often a running bot looks for a `careerbot kb reload` request in the database.
    reload_poll_seconds: float = 3.0
    discord_token: str = field(default="", repr=False)
    discord_dev_guild: str = ""
    discord_api_base: str = ""
    discord_gateway_url: str = ""
    discord_moderator_roles: tuple[str, ...] = ()
    slack_bot_token: str = field(default="", repr=False)
    slack_app_token: str = field(default="", repr=False)
    slack_signing_secret: str = field(default="", repr=False)
    slack_api_url: str = ""
    slack_port: int = 3000
    slack_moderator_users: tuple[str, ...] = ()
    slack_moderator_groups: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env_file: Path | None = None) -> Settings:
        load_dotenv(env_file or Path(".env"), override=False)
        sources = os.environ.get("CAREERBOT_SOURCES_DIR", "").strip()
        return cls(
            db_path=Path(os.environ.get("CAREERBOT_DB", "").strip() or "data/careerbot.db"),
            knowledge_dir=Path(
                os.environ.get("CAREERBOT_KNOWLEDGE_DIR", "").strip() or DEFAULT_KNOWLEDGE
            ),
            sources_dir=Path(sources) if sources else None,
            quiz_idle_seconds=_int("CAREERBOT_QUIZ_IDLE_SECONDS", 7 * 24 * 3600),
            reload_poll_seconds=_seconds("CAREERBOT_RELOAD_POLL_SECONDS", 3.0),
            discord_token=os.environ.get("DISCORD_TOKEN", "").strip(),
            discord_dev_guild=os.environ.get("DISCORD_DEV_GUILD", "").strip(),
            discord_api_base=os.environ.get("DISCORD_API_BASE", "").strip(),
            discord_gateway_url=os.environ.get("DISCORD_GATEWAY_URL", "").strip(),
            discord_moderator_roles=_list("DISCORD_MODERATOR_ROLES"),
            slack_bot_token=os.environ.get("SLACK_BOT_TOKEN", "").strip(),
            slack_app_token=os.environ.get("SLACK_APP_TOKEN", "").strip(),
            slack_signing_secret=os.environ.get("SLACK_SIGNING_SECRET", "").strip(),
            slack_api_url=os.environ.get("SLACK_API_URL", "").strip(),
            slack_port=_int("SLACK_PORT", 3000),
            slack_moderator_users=_list("SLACK_MODERATOR_USERS"),
            slack_moderator_groups=_list("SLACK_MODERATOR_GROUPS"),
        )

    @property
    def discord_enabled(self) -> bool:
        return bool(self.discord_token)

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token and (self.slack_app_token or self.slack_signing_secret))

    def half_configured(self) -> str | None:
        """Why a platform whose credentials are set only in part cannot start, in one line
        naming what to set, or None. `run` refuses to start on it rather than quietly leaving
        the platform out."""
        if self.slack_bot_token and not (self.slack_app_token or self.slack_signing_secret):
            return ("Slack is half-configured: SLACK_BOT_TOKEN is set but neither "
                    "SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is; "
                    "set one of them, or unset SLACK_BOT_TOKEN")
        if not self.slack_bot_token and (self.slack_app_token or self.slack_signing_secret):
            given = [name for name, value in (("SLACK_APP_TOKEN", self.slack_app_token),
                                              ("SLACK_SIGNING_SECRET", self.slack_signing_secret))
                     if value]
            verb = "is" if len(given) == 1 else "are"
            return (f"Slack is half-configured: {' and '.join(given)} {verb} set but "
                    "SLACK_BOT_TOKEN (the Bot User OAuth Token, xoxb-...) is not; set it, or "
                    f"unset {' and '.join(given)}")
        return None

    def describe(self) -> dict[str, str]:
        """Settings safe to print: secrets appear only as set / not set."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = ("set" if value else "not set") if f.name in SECRET_FIELDS else str(value)
        return out
