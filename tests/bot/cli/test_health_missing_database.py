"""`careerbot health` checks without creating: a mistyped database path is unhealthy, and
`--stale-after` takes only a positive, finite number of seconds."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import build_parser
from tests.bot.cli.test_data_cli import careerbot


def test_health_with_a_mistyped_database_path_is_unhealthy_and_creates_nothing(tmp_path: Path):
    db = tmp_path / "typo" / "careerbot.db"
    proc = careerbot("health", db=db)
    assert proc.returncode == 1, proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and f"no database at {db}" in lines[0], lines
    assert not db.exists() and not db.parent.exists()


@pytest.mark.parametrize("value", ["nan", "-5", "0", "inf", "soon"])
def test_health_refuses_a_stale_after_that_is_not_a_positive_number(value: str, capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["health", "--stale-after", value])
    assert exit_.value.code == 2
    assert "--stale-after" in capsys.readouterr().err


def test_health_takes_a_positive_stale_after():
    assert build_parser().parse_args(["health", "--stale-after", "45"]).stale_after == 45.0
