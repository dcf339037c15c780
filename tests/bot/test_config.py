"""Settings (pydantic-settings): the same variables, defaults and one-line errors as before,
secrets that never show, and `Settings()` that never reads the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from bot.config import DEFAULT_KNOWLEDGE, Settings
from tests import REPO

TOKEN = "fake-secret-never-show-this-7f3a"
VARIABLES = {
    "CAREERBOT_DB": ("db_path", "/srv/bot.db", Path("/srv/bot.db")),
    "CAREERBOT_KNOWLEDGE_DIR": ("knowledge_dir", "/srv/kb", Path("/srv/kb")),
    "CAREERBOT_SOURCES_DIR": ("sources_dir", "/srv/sources", Path("/srv/sources")),
    "CAREERBOT_QUIZ_IDLE_SECONDS": ("quiz_idle_seconds", "60", 60),
    "CAREERBOT_RELOAD_POLL_SECONDS": ("reload_poll_seconds", "0.5", 0.5),
    "CAREERBOT_MEMBER_BURST": ("member_burst", "5", 5),
    "CAREERBOT_MEMBER_PER_MINUTE": ("member_per_minute", "12.5", 12.5),
    "CAREERBOT_CHANNEL_BURST": ("channel_burst", "200", 200),
    "CAREERBOT_CHANNEL_PER_MINUTE": ("channel_per_minute", "600", 600.0),
    "DISCORD_TOKEN": ("discord_token", TOKEN + "d", TOKEN + "d"),
    "DISCORD_DEV_GUILD": ("discord_dev_guild", "123", "123"),
    "DISCORD_API_BASE": ("discord_api_base", "http://127.0.0.1:1/api", "http://127.0.0.1:1/api"),
    "DISCORD_GATEWAY_URL": ("discord_gateway_url", "ws://127.0.0.1:1/gw", "ws://127.0.0.1:1/gw"),
    "DISCORD_MODERATOR_ROLES": ("discord_moderator_roles", " Mods, 987 ,", ("Mods", "987")),
    "SLACK_BOT_TOKEN": ("slack_bot_token", TOKEN + "b", TOKEN + "b"),
    "SLACK_APP_TOKEN": ("slack_app_token", TOKEN + "a", TOKEN + "a"),
    "SLACK_SIGNING_SECRET": ("slack_signing_secret", TOKEN + "s", TOKEN + "s"),
    "SLACK_API_URL": ("slack_api_url", "http://127.0.0.1:2/api/", "http://127.0.0.1:2/api/"),
    "SLACK_PORT": ("slack_port", "3001", 3001),
    "SLACK_MODERATOR_USERS": ("slack_moderator_users", "U1,U2", ("U1", "U2")),
    "SLACK_MODERATOR_GROUPS": ("slack_moderator_groups", "S1", ("S1",)),
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in VARIABLES:
        # Set, then deleted: monkeypatch then restores each as it was after the test, even
        # one a test (or its .env file) put in the environment directly.
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no .env from the checkout


def plain(value: object) -> object:
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def test_every_variable_sets_its_setting():
    env = {name: raw for name, (_, raw, _) in VARIABLES.items()}
    os.environ.update(env)
    settings = Settings.from_env()
    for name, (field, _, expected) in VARIABLES.items():
        assert plain(getattr(settings, field)) == expected, name
    assert set(Settings.model_fields) == {field for field, _, _ in VARIABLES.values()}


def test_unset_or_blank_variables_mean_the_defaults(monkeypatch: pytest.MonkeyPatch):
    for name in VARIABLES:
        monkeypatch.setenv(name, "  ")
    settings = Settings.from_env()
    assert settings == Settings()
    assert settings.db_path == Path("data/careerbot.db") and settings.knowledge_dir == DEFAULT_KNOWLEDGE
    assert (settings.sources_dir, settings.quiz_idle_seconds, settings.slack_port,
            settings.reload_poll_seconds) == (None, 7 * 24 * 3600, 3000, 3.0)
    assert not settings.discord_enabled and not settings.slack_enabled


def test_values_are_trimmed(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", f"  {TOKEN}\n")
    monkeypatch.setenv("SLACK_PORT", " 3002 ")
    settings = Settings.from_env()
    assert settings.slack_bot_token.get_secret_value() == TOKEN and settings.slack_port == 3002


def test_settings_built_in_code_never_read_the_environment(monkeypatch: pytest.MonkeyPatch):
    for name, (_, raw, _) in VARIABLES.items():
        monkeypatch.setenv(name, raw)
    built = Settings(db_path=Path("t.db"))
    assert built.slack_bot_token.get_secret_value() == "" and built.slack_port == 3000
    assert built.discord_token.get_secret_value() == "" and built.discord_moderator_roles == ()
    assert built.db_path == Path("t.db")


def test_variables_named_as_fields_are_not_settings(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("db_path", "/elsewhere.db")
    monkeypatch.setenv("slack_bot_token", TOKEN)
    settings = Settings.from_env()
    assert settings.db_path == Path("data/careerbot.db") and not settings.slack_bot_token.get_secret_value()


def test_a_dotenv_file_fills_in_what_the_environment_lacks(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SLACK_PORT", "3005")
    (tmp_path / ".env").write_text("SLACK_PORT=4000\nDISCORD_DEV_GUILD=777\n")
    settings = Settings.from_env()
    assert settings.slack_port == 3005 and settings.discord_dev_guild == "777"


@pytest.mark.parametrize("name, raw, what", [
    ("SLACK_PORT", "abc", "a whole number"),
    ("CAREERBOT_QUIZ_IDLE_SECONDS", "1.5", "a whole number"),
    ("CAREERBOT_RELOAD_POLL_SECONDS", "0", "a positive number of seconds"),
    ("CAREERBOT_RELOAD_POLL_SECONDS", "-2", "a positive number of seconds"),
    ("CAREERBOT_RELOAD_POLL_SECONDS", "nan", "a positive number of seconds"),
    ("CAREERBOT_RELOAD_POLL_SECONDS", "soon", "a positive number of seconds"),
])
def test_an_invalid_value_is_one_line_naming_the_variable(monkeypatch: pytest.MonkeyPatch,
                                                          name: str, raw: str, what: str):
    monkeypatch.setenv(name, raw)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    with pytest.raises(ValueError) as failure:
        Settings.from_env()
    assert not isinstance(failure.value, ValidationError)
    assert str(failure.value) == f"{name} must be {what}, got {raw!r}"


def test_the_command_line_prints_an_invalid_value_in_one_line_without_secrets(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_"))}
    env.update(SLACK_PORT="eighty", SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=TOKEN + "s",
               CAREERBOT_DB=str(tmp_path / "bot.db"))
    proc = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == ["careerbot: SLACK_PORT must be a whole number, got 'eighty'"]
    assert TOKEN not in proc.stdout + proc.stderr


def test_secrets_never_show_in_repr_str_describe_or_a_dump():
    settings = Settings(discord_token=TOKEN + "d", slack_bot_token=TOKEN + "b",
                        slack_app_token=TOKEN + "a", slack_signing_secret=TOKEN + "s")
    shown = "\n".join([repr(settings), str(settings), json.dumps(settings.describe()),
                       settings.model_dump_json(), repr(settings.model_dump())])
    assert TOKEN not in shown
    assert settings.describe()["slack_bot_token"] == "set"
    assert Settings().describe()["slack_bot_token"] == "not set"


def test_settings_are_frozen_and_copied_with_changes():
    settings = Settings()
    with pytest.raises(ValidationError):
        settings.slack_port = 1  # type: ignore[misc]
    changed = settings.model_copy(update={"db_path": Path("other.db")})
    assert changed.db_path == Path("other.db") and settings.db_path == Path("data/careerbot.db")


def test_the_cli_options_override_the_environment(tmp_path: Path):
    env = {**os.environ, "CAREERBOT_DB": str(tmp_path / "env.db")}
    proc = subprocess.run([sys.executable, "-m", "bot", "--db", str(tmp_path / "option.db"),
                           "backup", str(tmp_path / "copy.db")], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "option.db" in proc.stderr and "env.db" not in proc.stderr
