"""Settings, read from the environment (and a `.env` file in the working directory).

`Settings` is a pydantic-settings model, frozen, with the platform tokens as `SecretStr`: its
repr, `describe()` and any validation error show them as set or not, never their value. It is
built once by the command line (`Settings.from_env()`) and passed to whatever needs it; nothing
reads it from a global. `Settings(...)` itself reads only its arguments, never the environment,
so a test builds exactly the settings it names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from dotenv import load_dotenv
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from bot.limits import CHANNEL_BURST, CHANNEL_PER_MINUTE, MEMBER_BURST, MEMBER_PER_MINUTE

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KNOWLEDGE = PROJECT_ROOT / "knowledge"

# A comma-separated list in the environment ("Moderators, 9876"), not JSON.
CommaList = Annotated[tuple[str, ...], NoDecode]

# What a value that does not validate must be, said in the error for its variable.
MUST_BE = {int: "a whole number", float: "a positive number of seconds"}
# ... and where the type alone would not say it.
MUST_BE_NAMED = {
    "CAREERBOT_MEMBER_BURST": "a whole number of messages from 1 to 100000",
    "CAREERBOT_CHANNEL_BURST": "a whole number of messages from 1 to 100000",
    "CAREERBOT_MEMBER_PER_MINUTE": "a positive number of messages a minute (at most 100000)",
    "CAREERBOT_CHANNEL_PER_MINUTE": "a positive number of messages a minute (at most 100000)",
}
# ... and for a number that parses but is out of range (the type's word still says "abc").
MUST_BE_IN_RANGE = {
    "SLACK_PORT": "a TCP port from 1 to 65535",
    "CAREERBOT_QUIZ_IDLE_SECONDS": "a whole number of seconds, at least 1",
}
RANGE_ERRORS = frozenset({"greater_than", "greater_than_equal", "less_than", "less_than_equal"})


def _env(name: str, default: Any, **limits: Any) -> Any:
    return Field(default, validation_alias=name, **limits)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, extra="forbid", validate_by_name=True,
                                      validate_by_alias=True)

    db_path: Path = _env("CAREERBOT_DB", Path("data/careerbot.db"))
    knowledge_dir: Path = _env("CAREERBOT_KNOWLEDGE_DIR", DEFAULT_KNOWLEDGE)
    sources_dir: Path | None = _env("CAREERBOT_SOURCES_DIR", None)
    quiz_idle_seconds: int = _env("CAREERBOT_QUIZ_IDLE_SECONDS", 7 * 24 * 3600, ge=1)
    # How often a running bot looks for a `careerbot kb reload` request in the database.
    reload_poll_seconds: float = Field(default=3.0, gt=0, allow_inf_nan=False,
                                       validation_alias="CAREERBOT_RELOAD_POLL_SECONDS")
    # Rate limits (bot.limits): a token bucket per member and per channel; moderators, the
    # console and members whose words say they are not okay are never limited.
    member_burst: int = Field(default=MEMBER_BURST, ge=1, le=100_000,
                              validation_alias="CAREERBOT_MEMBER_BURST")
    member_per_minute: float = Field(default=MEMBER_PER_MINUTE, gt=0, le=100_000,
                                     allow_inf_nan=False,
                                     validation_alias="CAREERBOT_MEMBER_PER_MINUTE")
    channel_burst: int = Field(default=CHANNEL_BURST, ge=1, le=100_000,
                               validation_alias="CAREERBOT_CHANNEL_BURST")
    channel_per_minute: float = Field(default=CHANNEL_PER_MINUTE, gt=0, le=100_000,
                                      allow_inf_nan=False,
                                      validation_alias="CAREERBOT_CHANNEL_PER_MINUTE")
    discord_token: SecretStr = _env("DISCORD_TOKEN", SecretStr(""))
    discord_dev_guild: str = _env("DISCORD_DEV_GUILD", "")
    discord_api_base: str = _env("DISCORD_API_BASE", "")
    discord_gateway_url: str = _env("DISCORD_GATEWAY_URL", "")
    discord_moderator_roles: CommaList = _env("DISCORD_MODERATOR_ROLES", ())
    slack_bot_token: SecretStr = _env("SLACK_BOT_TOKEN", SecretStr(""))
    slack_app_token: SecretStr = _env("SLACK_APP_TOKEN", SecretStr(""))
    slack_signing_secret: SecretStr = _env("SLACK_SIGNING_SECRET", SecretStr(""))
    slack_api_url: str = _env("SLACK_API_URL", "")
    slack_port: int = _env("SLACK_PORT", 3000, ge=1, le=65535)
    slack_moderator_users: CommaList = _env("SLACK_MODERATOR_USERS", ())
    slack_moderator_groups: CommaList = _env("SLACK_MODERATOR_GROUPS", ())

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Only the arguments: the environment is read by `from_env`, where the command line
        # asks for it, so a test's `Settings()` never picks up the developer's tokens.
        return (init_settings,)

    @field_validator("discord_moderator_roles", "slack_moderator_users",
                     "slack_moderator_groups", mode="before")
    @classmethod
    def _split_commas(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @classmethod
    def from_env(cls, env_file: Path | None = None) -> Settings:
        """The settings the environment gives (a `.env` file fills in what it lacks; it is
        loaded into the environment, where the model's folder and the vector cache are read
        too). Blank values mean the default. An invalid value raises `ValueError` in one line
        naming the variable, never a secret."""
        load_dotenv(env_file or Path(".env"), override=False)
        raw = EnvSettingsSource(cls, case_sensitive=True)()
        # Only the documented names: the source would also take a variable named as a field.
        names = {f.validation_alias for f in cls.model_fields.values()}
        values = {key: value.strip() for key, value in raw.items()
                  if key in names and isinstance(value, str) and value.strip()}
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            raise ValueError(cls._one_line(exc, values)) from None

    @classmethod
    def _one_line(cls, exc: ValidationError, values: dict[str, str]) -> str:
        error = exc.errors(include_input=False, include_url=False)[0]
        name = str(error["loc"][0]) if error["loc"] else ""
        field = cls.model_fields.get(name) or next(
            (f for f in cls.model_fields.values() if f.validation_alias == name), None)
        variable = str(field.validation_alias) if field is not None else name
        ranged = MUST_BE_IN_RANGE.get(variable) if error["type"] in RANGE_ERRORS else None
        what = ranged or MUST_BE_NAMED.get(variable) or (
            MUST_BE.get(field.annotation) if field is not None else None)  # type: ignore[arg-type]
        if field is not None and field.annotation is SecretStr:
            return f"{variable} is not valid"
        if what is None:
            return f"{variable} is not valid: {error['msg']}"
        return f"{variable} must be {what}, got {values.get(variable, '')!r}"

    @property
    def discord_enabled(self) -> bool:
        return bool(self.discord_token.get_secret_value())

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token.get_secret_value()
                    and (self.slack_app_token.get_secret_value()
                         or self.slack_signing_secret.get_secret_value()))

    def half_configured(self) -> str | None:
        """Why a platform whose credentials are set only in part cannot start, in one line
        naming what to set, or None. `run` refuses to start on it rather than quietly leaving
        the platform out."""
        bot = bool(self.slack_bot_token.get_secret_value())
        given = [name for name, value in (("SLACK_APP_TOKEN", self.slack_app_token),
                                          ("SLACK_SIGNING_SECRET", self.slack_signing_secret))
                 if value.get_secret_value()]
        if bot and not given:
            return ("Slack is half-configured: SLACK_BOT_TOKEN is set but neither "
                    "SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is; "
                    "set one of them, or unset SLACK_BOT_TOKEN")
        if given and not bot:
            verb = "is" if len(given) == 1 else "are"
            return (f"Slack is half-configured: {' and '.join(given)} {verb} set but "
                    "SLACK_BOT_TOKEN (the Bot User OAuth Token, xoxb-...) is not; set it, or "
                    f"unset {' and '.join(given)}")
        return None

    def describe(self) -> dict[str, str]:
        """Settings safe to print: secrets appear only as set / not set."""
        out = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                out[name] = "set" if value.get_secret_value() else "not set"
            else:
                out[name] = str(value)
        return out
