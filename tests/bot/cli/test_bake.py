"""`careerbot bake` and the Dockerfile that runs it (issue 17, item 5).

Docker cannot run here, so the image's steps are replayed from `deploy/Dockerfile` itself: its
COPY lines into a temporary /app, its `pip install .` into a fresh venv (the dependencies come
from the test venv through a `.pth`, the project is really installed, nothing from an index),
then its `careerbot` commands with its ENV, in a venv where any network connection fails. A bot
started on the baked cache then encodes nothing, and only the new phrasings after an edit.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import site
import subprocess
import sys
import textwrap
from pathlib import Path

from tests import REPO
from tests.bot.test_reload import NEW_ENTRY

DOCKERFILE = REPO / "deploy" / "Dockerfile"
NEW_PHRASINGS = {"When does the zorblax reading circle meet?", "zorblax reading circle schedule",
                 "what time is the zorblax reading circle"}

NO_NETWORK = '''
"""Loaded by a .pth in the replay venv: any connection beyond this machine's own sockets fails."""
import socket

_connect = socket.socket.connect


def _refuse(*args, **kwargs):
    raise OSError("network access in an offline build step")


def _local_only(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _refuse()
    return _connect(self, address)


socket.getaddrinfo = _refuse
socket.create_connection = _refuse
socket.socket.connect = _local_only
'''

# A start of the installed bot, counting the texts it sends through the sentence model.
COUNT_ENCODES = '''
import asyncio, json
import bot
import bot.embeddings as embeddings
encoded = []
original = embeddings.Encoder.encode
def counting(self, texts):
    encoded.extend(texts)
    return original(self, texts)
embeddings.Encoder.encode = counting
from bot.app import open_service
from bot.config import Settings
async def start():
    service = await open_service(Settings.from_env())
    await service.store.close()
asyncio.run(start())
print(json.dumps({"bot": bot.__file__, "encoded": encoded}))
'''


def dockerfile() -> tuple[list[list[str]], list[str], list[tuple[list[str], dict[str, str]]]]:
    """The COPY lines, the pip installs and the `careerbot` commands (each with the ENV in force
    where it runs), continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    copies: list[list[str]] = []
    installs: list[str] = []
    commands: list[tuple[list[str], dict[str, str]]] = []
    env: dict[str, str] = {}
    for line in text.splitlines():
        word, _, rest = line.strip().partition(" ")
        if word == "COPY":
            copies.append(shlex.split(rest))
        elif word == "ENV":
            env.update(token.split("=", 1) for token in shlex.split(rest))
        elif word == "RUN":
            for part in rest.split("&&"):
                argv = shlex.split(part)
                if argv[:2] == ["pip", "install"]:
                    installs.append(part.strip())
                elif argv[0] == "careerbot":
                    commands.append((argv, dict(env)))
    return copies, installs, commands


def replay_venv(tmp_path: Path) -> tuple[Path, Path]:
    """/app as the image has it, and a fresh venv with the project installed from it offline."""
    app = tmp_path / "app"
    app.mkdir()
    copies, installs, _ = dockerfile()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for *sources, target in copies:
        for source in sources:
            dest = app / target if target != "./" else app / source
            if (REPO / source).is_dir():
                shutil.copytree(REPO / source, dest, ignore=ignore)
            else:
                shutil.copy2(REPO / source, dest)
    assert installs == ["pip install --no-cache-dir ."]  # what the replay below does

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    [packages] = [p for p in (venv / "lib").glob("python3.*/site-packages")]
    # The dependencies as the test venv has them: its folder on the path, not its .pth files,
    # so the project's editable install there does not come along.
    (packages / "test-venv.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    (packages / "_no_network.py").write_text(NO_NETWORK)
    (packages / "_no_network.pth").write_text("import _no_network\n")
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", "--no-build-isolation", "--no-index", "--no-cache-dir", str(app)],
                   check=True, timeout=300, cwd=app, capture_output=True)
    return app, venv


def image_env(tmp_path: Path, venv: Path, env: dict[str, str]) -> dict[str, str]:
    """The Dockerfile's ENV with /app and /data under tmp_path, and nothing else from here."""
    out = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path / "home"),
           "LANG": "C.UTF-8"}
    for key, value in env.items():
        for root in ("/app", "/data"):
            if value == root or value.startswith(root + "/"):
                value = str(tmp_path / root.lstrip("/")) + value[len(root):]
        out[key] = value
    return out


def test_the_image_steps_bake_a_cache_the_bot_starts_from_without_embedding(tmp_path: Path):
    app, venv = replay_venv(tmp_path)
    (tmp_path / "data").mkdir()
    _, _, commands = dockerfile()
    assert [argv for argv, _ in commands] == [["careerbot", "kb", "check"], ["careerbot", "bake"]]
    env = image_env(tmp_path, venv, commands[-1][1])
    assert env["CAREERBOT_EMBEDDING_CACHE"] == str(app / "embeddings")

    # The network guard holds in the replay venv.
    probe = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import socket; socket.create_connection(('pypi.org', 443))"],
                           env=env, capture_output=True, text=True, timeout=60)
    assert probe.returncode != 0 and "network access" in probe.stderr

    for argv, step_env in commands:
        proc = subprocess.run(argv, cwd=app, env=image_env(tmp_path, venv, step_env),
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
    assert "model files OK" in proc.stdout and "sha256" in proc.stdout
    assert list((app / "embeddings").glob("*.npz"))
    # The int8 copy of the model is derived at bake time too, not at the first start.
    assert len(list((app / "embeddings").glob("model-*-dynamic-int8.onnx"))) == 1
    assert "sentence model: dynamic-int8 copy in" in proc.stdout

    def start() -> list[str]:
        proc = subprocess.run([str(venv / "bin" / "python"), "-I", "-c", COUNT_ENCODES],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        assert Path(result["bot"]).is_relative_to(venv)  # the installed bot, not the sources
        return list(result["encoded"])

    assert start() == []
    # The count is real: after an edit, exactly the new entry's phrasings go through the model.
    faq = app / "knowledge" / "faq" / "research-life.yaml"
    faq.write_text(faq.read_text(encoding="utf-8").rstrip() + "\n" + NEW_ENTRY, encoding="utf-8")
    assert set(start()) == NEW_PHRASINGS


def test_bake_refuses_model_files_that_do_not_match_their_sha256(tmp_path: Path):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "model.onnx").write_bytes(b"not an onnx model")
    (folder / "tokenizer.json").write_text("{}")
    (folder / "SHA256SUMS").write_text(textwrap.dedent(f"""\
        {'0' * 64}  model.onnx
        {'1' * 64}  tokenizer.json
        """))
    env = {**os.environ, "CAREERBOT_EMBEDDING_MODEL": str(folder),
           "CAREERBOT_DB": str(tmp_path / "bot.db")}
    proc = subprocess.run([sys.executable, "-m", "bot", "bake", "--cache-dir",
                           str(tmp_path / "cache")], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "sha256 mismatch" in proc.stderr
    assert not (tmp_path / "cache").exists()
