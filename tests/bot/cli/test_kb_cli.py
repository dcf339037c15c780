"""Moderation through the command line and the console: export, import, ask --community, stdin."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import yaml

from bot.cli import main
from bot.kb.loader import load_knowledge
from bot.moderation.forms import edit_values
from bot.replies import Command, Context, FormSubmit
from bot.service import Service
from bot.store import Store
from tests import REPO

ROOT = REPO
KB = load_knowledge(ROOT / "knowledge")
EDITED = "phd-needed-for-research-labs"
HIDDEN = "roles-research-engineer"
NEW = {
    # A community-specific question: nothing in the shared knowledge base should answer it.
    "id": "paper-reading-group",
    "topic": "skills",
    "question": "When does this server's weekly paper reading group meet?",
    "answer": "Every Thursday at 18:00 UTC in the reading-group voice channel; the paper is "
    "announced on Monday.",
    "sources": "reddit-phd-or-not: a reply in the thread",
}
NEW_ASK = "when is the paper reading group"
MOD = Context("slack", "guild-a", "general", "U1", "ana", False, True)


async def _with_service(db: Path, work):
    store = await Store.open(db)
    try:
        return await work(Service(KB, store))
    finally:
        await store.close()


def run(db: Path, work):
    return asyncio.run(_with_service(db, work))


def curate_community_a(db: Path) -> None:
    """An added entry, an edited base entry with a new variant, a hidden one, a removed one."""

    async def work(svc: Service) -> None:
        async def ok(event) -> None:
            reply = await svc.handle(event)
            assert reply.kind == "text", (reply.body, reply.errors)
            assert not any(c.action.startswith("mod-dup") for c in reply.choices), reply.body

        await ok(FormSubmit(MOD, "faq-add", NEW))
        values = edit_values(KB.by_id()[EDITED]) | {
            "answer": "This community's own answer about PhDs and labs, long enough to pass."}
        await ok(FormSubmit(MOD, "faq-edit", values, f"{EDITED}@0"))
        await ok(Command(MOD, "faq-variant", f"{EDITED} doctorate requirement at frontier labs"))
        await ok(Command(MOD, "faq-hide", HIDDEN))
        await ok(FormSubmit(MOD, "faq-add", NEW | {
            "id": "temporary-entry", "question": "Where do the meetups of this server happen?"}))
        await ok(Command(MOD, "faq-remove", "temporary-entry"))

    run(db, work)


def answers(db: Path, community: str) -> tuple[list, list]:
    """Every entry the community sees, and what it answers to each phrasing it knows."""

    async def work(svc: Service):
        view = await svc.view(community)
        entries = sorted((e.to_dict() for e in view.entries), key=lambda d: d["id"])
        questions = [NEW_ASK] + [q for e in KB.entries for q in (e.question, *e.variants[:2])]
        results = []
        for q in questions:
            r = await svc.match(community, q)
            results.append((q, r.status, r.entry.to_dict() if r.entry else None))
        return entries, results

    return run(db, work)


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def write_yaml(path: Path, data) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def good_entry(entry_id: str) -> dict:
    return {
        "id": entry_id, "topic": "skills", "question": f"A question about {entry_id}?",
        "answer": "An answer that is comfortably longer than twenty characters.",
        "sources": [{"source": "reddit-phd-or-not", "where": "a reply"}],
    }


def test_export_then_import_into_a_fresh_community_reproduces_the_answers(tmp_path, capsys):
    db = tmp_path / "bot.db"
    curate_community_a(db)

    assert main(["--db", str(db), "kb", "export", "--community", "guild-a"]) == 0
    exported = capsys.readouterr().out
    data = yaml.safe_load(exported)
    assert sorted(e["id"] for e in data["entries"]) == sorted([EDITED, NEW["id"]])
    assert data["hidden"] == [HIDDEN]

    file = tmp_path / "guild-a.yaml"
    file.write_text(exported, encoding="utf-8")
    assert main(["--db", str(db), "kb", "import", "--community", "fresh", str(file)]) == 0
    assert "1 added, 1 changed, 0 unchanged, 1 hidden" in capsys.readouterr().out

    entries_a, answers_a = answers(db, "guild-a")
    entries_b, answers_b = answers(db, "fresh")
    assert entries_a == entries_b
    assert answers_a == answers_b
    assert answers_a[0][2]["id"] == NEW["id"]
    # Each imported change is a revision by the importer.
    assert count(db, "SELECT COUNT(*) FROM revisions WHERE community = 'fresh'"
                     " AND actor = 'cli:import'") == 3


def test_import_is_all_or_nothing(tmp_path, capsys):
    db = tmp_path / "bot.db"
    bad = good_entry("second-entry") | {"topic": "cooking"}
    file = write_yaml(tmp_path / "bad.yaml", {"entries": [good_entry("first-entry"), bad]})

    assert main(["--db", str(db), "kb", "import", "--community", "c1", str(file)]) == 2
    err = capsys.readouterr().err
    assert "second-entry" in err and "topic" in err and "nothing was changed" in err
    assert count(db, "SELECT COUNT(*) FROM overlay_entries") == 0
    assert count(db, "SELECT COUNT(*) FROM revisions") == 0

    dangling = write_yaml(tmp_path / "dangling.yaml", {"entries": [
        good_entry("first-entry"), good_entry("second-entry") | {"related": ["no-such-entry"]}]})
    assert main(["--db", str(db), "kb", "import", "--community", "c1", str(dangling)]) == 2
    assert count(db, "SELECT COUNT(*) FROM overlay_entries") == 0

    good = write_yaml(tmp_path / "good.yaml", {"entries": [
        good_entry("first-entry"), good_entry("second-entry") | {"related": ["first-entry"]}]})
    assert main(["--db", str(db), "kb", "import", "--community", "c1", str(good)]) == 0
    assert count(db, "SELECT COUNT(*) FROM overlay_entries WHERE community = 'c1'") == 2
    assert main(["--db", str(db), "kb", "import", "--community", "c1", str(good)]) == 0
    assert "0 added, 0 changed, 2 unchanged" in capsys.readouterr().out
    assert count(db, "SELECT COUNT(*) FROM revisions") == 2


def test_imported_text_is_neutralised(tmp_path):
    db = tmp_path / "bot.db"
    loud = good_entry("loud-entry") | {"answer": "Hello @everyone and <!channel>, read this first please."}
    file = write_yaml(tmp_path / "loud.yaml", {"entries": [loud]})
    assert main(["--db", str(db), "kb", "import", "--community", "c1", str(file)]) == 0
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT data FROM overlay_entries").fetchone()[0]
    assert "@everyone" not in stored and "<!channel>" not in stored


def test_ask_uses_the_community_view(tmp_path, capsys):
    db = tmp_path / "bot.db"
    curate_community_a(db)
    assert main(["--db", str(db), "ask", "--json", "--community", "guild-a", NEW_ASK]) == 0
    assert json.loads(capsys.readouterr().out)["entry"]["id"] == NEW["id"]
    assert main(["--db", str(db), "ask", "--json", "--community", "elsewhere", NEW_ASK]) == 0
    other = json.loads(capsys.readouterr().out)["entry"]
    assert other is None or other["id"] != NEW["id"]


def console(db: Path, script: str, *flags: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(db), "console", *flags],
        input=script, capture_output=True, text=True, cwd=ROOT, timeout=120, check=True,
    )
    return done.stdout


def test_console_moderator_adds_an_entry_then_finds_it(tmp_path):
    db = tmp_path / "bot.db"
    script = "\n".join(
        ["/faq add", NEW["id"], NEW["topic"], NEW["question"], NEW["answer"], NEW["sources"],
         NEW_ASK, "y", f"/faq history {NEW['id']}", "/stats"]) + "\n"
    out = console(db, script, "--moderator", "--user", "ana")

    assert f"Added `{NEW['id']}`" in out
    after_add = out[out.index("Added"):]
    assert f"**{NEW['question']}**" in after_add  # the answer to the question asked next
    assert "Thanks! Noted as helpful." in out
    assert "r1** add by console:ana" in out
    assert "1 questions: 100% answered" in out
    assert count(db, "SELECT COUNT(*) FROM feedback WHERE helpful = 1") == 1


def test_console_member_cannot_open_moderator_forms(tmp_path):
    db = tmp_path / "bot.db"
    out = console(db, "/faq add\n/faq hide phd-needed-for-research-labs\n/unanswered\n")
    assert out.count("Only moderators") == 3
    assert "== Add an FAQ entry ==" not in out
    assert count(db, "SELECT COUNT(*) FROM revisions") == 0
