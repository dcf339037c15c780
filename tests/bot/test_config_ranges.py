"""Numbers that parse but cannot work (a port outside 1-65535, a quiz that expires as soon as it
starts) are refused at start-up in one line naming the variable, like any other invalid value:
before, `SLACK_PORT=99999` passed the settings and `careerbot run` died at bind time with an
OverflowError traceback, and `CAREERBOT_QUIZ_IDLE_SECONDS=0` expired every quiz on its first
answer."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.config import Settings
from tests.bot.test_config import TOKEN, VARIABLES


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in VARIABLES:
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("name, raw, what", [
    ("SLACK_PORT", "99999", "a TCP port from 1 to 65535"),
    ("SLACK_PORT", "65536", "a TCP port from 1 to 65535"),
    ("SLACK_PORT", "-1", "a TCP port from 1 to 65535"),
    ("SLACK_PORT", "0", "a TCP port from 1 to 65535"),
    ("CAREERBOT_QUIZ_IDLE_SECONDS", "0", "a whole number of seconds, at least 1"),
    ("CAREERBOT_QUIZ_IDLE_SECONDS", "-5", "a whole number of seconds, at least 1"),
])
def test_an_out_of_range_number_is_one_line_naming_the_variable(
        monkeypatch: pytest.MonkeyPatch, name: str, raw: str, what: str):
    monkeypatch.setenv(name, raw)
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", TOKEN + "s")
    with pytest.raises(ValueError) as failure:
        Settings.from_env()
    assert not isinstance(failure.value, ValidationError)
    assert str(failure.value) == f"{name} must be {what}, got {raw!r}"
    assert TOKEN not in str(failure.value)


@pytest.mark.parametrize("name, raw, field, value", [
    ("SLACK_PORT", "1", "slack_port", 1),
    ("SLACK_PORT", "65535", "slack_port", 65535),
    ("CAREERBOT_QUIZ_IDLE_SECONDS", "1", "quiz_idle_seconds", 1),
])
def test_the_edges_of_the_range_are_accepted(monkeypatch: pytest.MonkeyPatch, name: str, raw: str,
                                             field: str, value: int):
    monkeypatch.setenv(name, raw)
    assert getattr(Settings.from_env(), field) == value
