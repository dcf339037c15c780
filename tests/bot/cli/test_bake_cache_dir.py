"""`careerbot bake --cache-dir` naming a path that cannot be a folder (an existing file, a
typo under /proc) ended in a FileExistsError / FileNotFoundError traceback after a minute of
embedding, instead of the one-line error every command promises."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests import REPO


def test_bake_into_a_path_that_is_a_file_is_one_line(tmp_path: Path):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file, not a folder")
    proc = subprocess.run([sys.executable, "-m", "bot", "bake", "--cache-dir", str(not_a_folder)],
                          capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "CAREERBOT_DB": str(tmp_path / "b.db")}, timeout=300)
    assert proc.returncode == 2, proc.stderr[-500:]
    assert "Traceback" not in proc.stderr, proc.stderr[-800:]
    assert proc.stderr.strip().splitlines()[-1].startswith("careerbot: ")
    assert str(not_a_folder) in proc.stderr
