"""`kb export --community` and `kb import --community` refuse an empty community id instead of
exporting the whole shared base (or importing into a community nobody is in)."""

from __future__ import annotations

import pytest

from bot.cli import build_parser


@pytest.mark.parametrize("argv", [
    ["kb", "export", "--community", ""],
    ["kb", "export", "--json", "--community", "  "],
    ["kb", "import", "--community", "", "entries.yaml"],
])
def test_an_empty_community_id_is_refused(argv: list[str], capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(argv)
    assert exit_.value.code == 2
    assert "--community: must name a community" in capsys.readouterr().err


def test_a_community_id_is_kept_as_given():
    assert build_parser().parse_args(["kb", "export", "--community", "guild-a"]).community == "guild-a"
