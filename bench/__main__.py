"""`make bench`: measure wellbeing, matching quality and speed, long posts, quizzes, the
adapters and abuse (the sections in `SECTIONS`).

Usage: python -m bench [SECTION ...]   (default: every section)
Each section prints its figures and rewrites its own block of BENCHMARKS.md, stamped with the
command, the date and the machine, so a partial run never leaves another section's figures
pretending to be new.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import os
import platform
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "BENCHMARKS.md"

SECTIONS: dict[str, str] = {
    "wellbeing": "bench.wellbeing_bench",
    "matching": "bench.matching_bench",
    "long-posts": "bench.long_posts",
    "quiz": "bench.quiz_bench",
    "slack": "bench.slack_bench",
    "discord": "bench.discord_bench",
    "abuse": "bench.abuse_bench",
}

HEADER = """# Benchmarks

Written by `make bench` (`python -m bench [section ...]`). Each section below carries the command
that produced it, when, and on what machine. Figures are from one run on a shared machine;
repeat runs vary by a few percent for speed figures, not at all for quality figures on the same
kind of CPU. The sentence model runs in int8, and a CPU with other int8 instructions gives
slightly different vectors, so a few quality figures move between machines (the wellbeing
section says how); a section whose machine line does not name them was run on an earlier
machine and not rerun since.
"""


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}{_int8_instructions()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, {platform.system()}{_runtime()}")


def _int8_instructions() -> str:
    """Whether the CPU has int8 dot-product instructions: onnxruntime takes another path for the
    int8 sentence model with them, and its vectors differ slightly from one path to the other."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return ""
    return " (with AVX512-VNNI)" if "avx512_vnni" in flags else " (without AVX512-VNNI)"


def _runtime() -> str:
    try:
        import onnxruntime
    except ImportError:
        return ""
    return f", onnxruntime {onnxruntime.__version__}"


def write_section(name: str, body: str) -> None:
    text = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else HEADER
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = (
        f"<!-- section:{name} -->\n{body.strip()}\n\n"
        f"*Command: `make bench` (section `{name}`: `python -m bench {name}`). "
        f"Run {stamp} on {machine()}.*\n<!-- /section:{name} -->"
    )
    pattern = re.compile(rf"<!-- section:{name} -->.*?<!-- /section:{name} -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    BENCHMARKS.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    wanted = argv or list(SECTIONS)
    unknown = [w for w in wanted if w not in SECTIONS]
    if unknown:
        print(f"unknown section(s): {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
        return 2
    for name in wanted:
        module = importlib.import_module(SECTIONS[name])
        print(f"== {name}")
        run: Callable = module.run
        body = asyncio.run(run()) if asyncio.iscoroutinefunction(run) else run()
        print(body)
        write_section(name, body)
    print(f"\nwrote {BENCHMARKS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
