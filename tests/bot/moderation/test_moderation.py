"""Moderation in the core: overlays, revisions, permissions, validation, queue, feedback, stats."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.kb.loader import load_knowledge
from bot.markup import clean_text, neutralise_markdown
from bot.moderation.base import DAY, REFUSED
from bot.moderation.forms import split_items
from bot.moderation.stats import community_stats
from bot.replies import NO_COMMUNITY, ButtonPress, Command, Context, FormSubmit, Reply
from bot.service import Service
from bot.store import Store
from tests import REPO

ROOT = REPO
KB = load_knowledge(ROOT / "knowledge")
BASE_ID = "phd-needed-for-research-labs"
NOW = 1_700_000_000.0

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
# A ping is a mass mention, or a `<!...>` / `<@...>` token (a zero-width space after @ breaks it).
PING = re.compile(r"@(everyone|here|channel)|<![A-Za-z]|<@[!&]?[A-Za-z0-9]", re.I)


class Clock:
    def __init__(self, t: float = NOW):
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
async def service(tmp_path):
    store = await Store.open(tmp_path / "bot.db")
    svc = Service(KB, store, clock=Clock())
    yield svc
    await store.close()


def ctx(community: str = "guild-a", user: str = "mod1", moderator: bool = True) -> Context:
    return Context("discord", community, "general", user, user, False, moderator)


MOD = ctx()
MOD2 = ctx(user="mod2")
MEMBER = ctx(user="member1", moderator=False)
MOD_B = ctx(community="guild-b", user="modb")


async def add(svc: Service, c: Context = MOD, **values: str) -> Reply:
    return await svc.handle(FormSubmit(c, "faq-add", {**NEW, **values}))


async def cmd(svc: Service, c: Context, name: str, text: str = "") -> Reply:
    return await svc.handle(Command(c, name, text))


async def press(svc: Service, c: Context, action: str, payload: str) -> Reply:
    return await svc.handle(ButtonPress(c, action, payload))


async def entry(svc: Service, community: str, entry_id: str):
    return (await svc.view(community)).by_id.get(entry_id)


async def count(svc: Service, table: str) -> int:
    row = await svc.store.fetchone(f"SELECT COUNT(*) FROM {table}")
    return int(row[0])


async def edit_state(svc: Service, c: Context, entry_id: str):
    reply = await cmd(svc, c, "faq-edit", entry_id)
    assert reply.form is not None, reply.body
    return reply.form


# -- overlay and matching -------------------------------------------------------------------


async def test_added_entry_is_matched_immediately(service):
    before = await service.match("guild-a", NEW_ASK)
    assert before.entry is None or before.entry.id != NEW["id"]

    reply = await add(service)
    assert reply.body.startswith("Added"), reply.body

    after = await service.match("guild-a", NEW_ASK)
    assert after.status == "answered" and after.entry is not None
    assert after.entry.id == NEW["id"]
    answer = await cmd(service, MEMBER, "ask", NEW_ASK)
    assert answer.entry_id == NEW["id"]


async def test_communities_are_isolated(service):
    assert (await add(service)).body.startswith("Added")
    assert (await cmd(service, MOD, "faq-hide", BASE_ID)).kind == "text"

    # B sees neither A's entry nor A's hiding.
    assert await entry(service, "guild-b", NEW["id"]) is None
    assert await entry(service, "guild-b", BASE_ID) is not None
    b_match = await service.match("guild-b", NEW_ASK)
    assert b_match.entry is None or b_match.entry.id != NEW["id"]

    # B's moderator can neither see nor change A's entry, by command, button or forged form.
    for name in ("faq-edit", "faq-remove", "faq-hide", "faq-history", "faq-restore"):
        assert (await cmd(service, MOD_B, name, NEW["id"])).kind == "error", name
    assert (await cmd(service, MOD_B, "faq-variant", f"{NEW['id']} another phrasing")).kind == "error"
    assert (await press(service, MOD_B, "mod-revert", f"{NEW['id']}@1")).kind == "error"
    forged = FormSubmit(MOD_B, "faq-edit", {"answer": "B was here " * 5}, f"{NEW['id']}@1")
    assert (await service.handle(forged)).kind == "error"

    mine = await entry(service, "guild-a", NEW["id"])
    assert mine is not None and "B was here" not in mine.answer
    assert await entry(service, "guild-a", BASE_ID) is None
    assert await service.overlay.version("guild-b") == 0
    rows = await service.store.fetchall("SELECT DISTINCT community FROM revisions")
    assert rows == [("guild-a",)]


async def test_edit_of_base_entry_is_an_override_for_that_community_only(service):
    form = await edit_state(service, MOD, BASE_ID)
    assert form.state == f"{BASE_ID}@0"
    values = {f.id: f.value for f in form.fields}
    values["answer"] = "A community-specific answer that is long enough to be valid."
    reply = await service.handle(FormSubmit(MOD, "faq-edit", values, form.state))
    assert reply.kind == "text", (reply.body, reply.errors)

    assert (await entry(service, "guild-a", BASE_ID)).answer.startswith("A community-specific")
    assert (await entry(service, "guild-b", BASE_ID)).answer == KB.by_id()[BASE_ID].answer
    # Matching in A still finds the entry through its unchanged question and variants.
    result = await service.match("guild-a", "phd needed for deepmind?")
    assert result.entry is not None and result.entry.id == BASE_ID


async def test_hide_restore_and_remove(service):
    question = "phd needed for deepmind?"
    assert (await cmd(service, MOD, "faq-hide", BASE_ID)).kind == "text"
    hidden = await service.match("guild-a", question)
    assert hidden.entry is None or hidden.entry.id != BASE_ID
    assert (await cmd(service, MEMBER, "faq", BASE_ID)).kind == "error"

    assert (await cmd(service, MOD, "faq-restore", BASE_ID)).kind == "text"
    assert (await service.match("guild-a", question)).entry.id == BASE_ID

    # A base entry is hidden, not removed; an own entry is removed, not hidden.
    assert (await cmd(service, MOD, "faq-remove", BASE_ID)).kind == "error"
    await add(service)
    assert (await cmd(service, MOD, "faq-hide", NEW["id"])).kind == "error"
    assert (await cmd(service, MOD, "faq-remove", NEW["id"])).kind == "text"
    assert await entry(service, "guild-a", NEW["id"]) is None
    assert (await cmd(service, MOD, "faq-restore", NEW["id"])).kind == "text"
    assert await entry(service, "guild-a", NEW["id"]) is not None


async def test_variant_and_alias_are_matched(service):
    odd = "is a doctorate mandatory for zebra-striped frontier labs"
    reply = await cmd(service, MOD, "faq-variant", f"{BASE_ID} {odd}")
    assert reply.kind == "text", reply.body
    assert odd in (await entry(service, "guild-a", BASE_ID)).variants
    assert (await service.match("guild-a", odd)).entry.id == BASE_ID

    assert (await cmd(service, MOD, "faq-alias", f"{BASE_ID} lab-phd")).kind == "text"
    shown = await cmd(service, MEMBER, "faq", "lab-phd")
    assert shown.entry_id == BASE_ID
    # An alias that belongs to another entry is refused.
    taken = KB.by_id()["phd-research-scientist-without-phd"].aliases[0]
    assert (await cmd(service, MOD, "faq-alias", f"{BASE_ID} {taken}")).kind == "error"


async def test_a_form_with_a_broken_paste_is_saved_not_refused_in_pydantics_words(service):
    reply = await add(service, MOD, answer=NEW["answer"] + " (pasted \ud83d here)")
    assert reply.kind != "error", reply.body
    assert "unicode" not in reply.body.lower()
    assert "(pasted ? here)" in (await entry(service, "guild-a", NEW["id"])).answer


async def test_an_overlong_alias_is_refused_and_an_overlong_id_is_not_echoed_back(service):
    """A 3,000-character alias passed the kebab-case check and was saved; a 3,000-character id
    came back in the "There is no entry" reply, five Discord messages long."""
    before = await entry(service, "guild-a", BASE_ID)
    refused = await cmd(service, MOD, "faq-alias", f"{BASE_ID} {'x' * 3000}")
    assert refused.kind == "error" and len(refused.body) < 300
    assert (await entry(service, "guild-a", BASE_ID)).aliases == before.aliases
    missing = await cmd(service, MOD, "faq-history", "y" * 3000)
    assert missing.kind == "error" and len(missing.body) < 200


# -- permissions ----------------------------------------------------------------------------


async def test_member_can_change_nothing(service):
    await cmd(service, MEMBER, "ask", "how do I bake sourdough bread at home")
    await service.settle()
    rowid = (await service.store.fetchone("SELECT rowid FROM unanswered"))[0]
    form = await edit_state(service, MOD, BASE_ID)
    edit_values = {f.id: f.value for f in form.fields} | {"answer": "Member answer " * 5}
    commands = [
        ("faq-add", ""), ("faq-edit", BASE_ID), ("faq-variant", f"{BASE_ID} member phrasing"),
        ("faq-alias", f"{BASE_ID} member-alias"), ("faq-hide", BASE_ID), ("faq-restore", BASE_ID),
        ("faq-remove", BASE_ID), ("faq-history", BASE_ID), ("faq-revert", f"{BASE_ID} 0"),
        ("unanswered", ""), ("stats", ""), ("faq", f"hide {BASE_ID}"), ("faq", "add"),
    ]
    for name, text in commands:
        reply = await cmd(service, MEMBER, name, text)
        assert (reply.kind, reply.body) == ("error", REFUSED), (name, text)
        assert reply.form is None
    buttons = [
        ("mod-edit", BASE_ID), ("mod-reopen", "1"), ("mod-dup-save", "1"),
        ("mod-dup-variant", "1"), ("mod-revert", f"{BASE_ID}@0"),
        ("unanswered-new", str(rowid)), ("unanswered-attach", str(rowid)),
        ("unanswered-dismiss", str(rowid)),
    ]
    for action, payload in buttons:
        reply = await press(service, MEMBER, action, payload)
        assert (reply.kind, reply.body) == ("error", REFUSED), action
    forms = [
        FormSubmit(MEMBER, "faq-add", dict(NEW)),
        FormSubmit(MEMBER, "faq-edit", edit_values, form.state),
        FormSubmit(MEMBER, "unanswered-attach", {"entry": BASE_ID, "variant": "bread?"}, str(rowid)),
    ]
    for submit in forms:
        reply = await service.handle(submit)
        assert (reply.kind, reply.body) == ("error", REFUSED), submit.form

    for table in ("overlay_entries", "revisions", "community_version", "moderation_drafts"):
        assert await count(service, table) == 0, table
    assert await service.store.fetchone("SELECT dismissed FROM unanswered") == (0,)


async def test_help_shows_moderator_commands_only_to_moderators(service):
    member_help = (await cmd(service, MEMBER, "help")).body
    mod_help = (await cmd(service, MOD, "help")).body
    assert "faq add" not in member_help and "unanswered" not in member_help
    assert "faq add" in mod_help and "faq revert" in mod_help and "stats" in mod_help


# -- revisions ------------------------------------------------------------------------------


async def submit_edit(svc: Service, c: Context, entry_id: str, state: str, **changes: str) -> Reply:
    current = await entry(svc, c.community, entry_id)
    from bot.moderation.forms import edit_values

    values = edit_values(current) | changes
    return await svc.handle(FormSubmit(c, "faq-edit", values, state))


async def test_stale_edit_is_refused_and_nothing_is_lost(service):
    first = await edit_state(service, MOD, BASE_ID)
    second = await edit_state(service, MOD2, BASE_ID)
    answer1 = "The first moderator's answer, which must survive the concurrent edit."
    answer2 = "The second moderator's answer, written on a stale copy of the entry."

    ok = await submit_edit(service, MOD, BASE_ID, first.state, answer=answer1)
    assert ok.kind == "text"
    stale = await submit_edit(service, MOD2, BASE_ID, second.state, answer=answer2)

    assert stale.kind == "error"
    assert "changed since you opened it" in stale.body
    assert "answer" in stale.body and "discord:mod1" in stale.body
    assert (await entry(service, "guild-a", BASE_ID)).answer == answer1
    assert any(answer2 in value for _, value in stale.fields)  # the refused text comes back

    # The way out: open the current version and apply the change on top of it.
    reopen = stale.choices[0]
    fresh = await press(service, MOD2, reopen.action, reopen.payload)
    assert fresh.form is not None and fresh.form.state == f"{BASE_ID}@1"
    assert (await submit_edit(service, MOD2, BASE_ID, fresh.form.state, answer=answer2)).kind == "text"
    history = await service.overlay.history("guild-a", BASE_ID)
    assert [(r.revision, r.after["answer"]) for r in history] == [(2, answer2), (1, answer1)]


async def test_history_and_revert(service):
    answers = [f"Revision number {i} of this answer, long enough to be valid." for i in (1, 2)]
    for i, answer in enumerate(answers):
        reply = await submit_edit(service, MOD, BASE_ID, f"{BASE_ID}@{i}", answer=answer)
        assert reply.kind == "text", reply.body

    history = await cmd(service, MOD, "faq-history", BASE_ID)
    assert "r2" in history.body and "r1" in history.body and "r0" in history.body
    assert "discord:mod1" in history.body and "answer" in history.body

    assert (await cmd(service, MOD, "faq-revert", f"{BASE_ID} 1")).kind == "text"
    assert (await entry(service, "guild-a", BASE_ID)).answer == answers[0]
    revs = await service.overlay.history("guild-a", BASE_ID)
    assert (revs[0].revision, revs[0].action) == (3, "revert to r1")

    assert (await cmd(service, MOD, "faq-revert", f"{BASE_ID} 0")).kind == "text"
    assert (await entry(service, "guild-a", BASE_ID)).answer == KB.by_id()[BASE_ID].answer

    # Reverting to a revision that hid the entry hides it again; reverting past it restores it.
    await cmd(service, MOD, "faq-hide", BASE_ID)  # r5
    await cmd(service, MOD, "faq-revert", f"{BASE_ID} 2")  # r6
    assert (await entry(service, "guild-a", BASE_ID)).answer == answers[1]
    await cmd(service, MOD, "faq-revert", f"{BASE_ID} 5")  # r7
    assert await entry(service, "guild-a", BASE_ID) is None
    assert (await cmd(service, MOD, "faq-revert", f"{BASE_ID} 99")).kind == "error"


# -- validation -----------------------------------------------------------------------------


async def test_invalid_input_maps_errors_to_fields_and_changes_nothing(service):
    reply = await add(service, topic="cooking", question="hi", sources="no colon here")
    assert reply.kind == "error"
    assert {"topic", "question", "sources"} <= set(reply.errors)
    assert "unknown topic" in reply.errors["topic"]
    assert await count(service, "overlay_entries") == 0

    # The typed values come back in the form when the moderator reopens it.
    reopen = next(c for c in reply.choices if c.action == "mod-reopen")
    form = (await press(service, MOD, reopen.action, reopen.payload)).form
    assert form is not None and {f.id: f.value for f in form.fields}["topic"] == "cooking"
    # Another member cannot open someone else's draft.
    assert (await press(service, MOD2, reopen.action, reopen.payload)).kind == "error"

    taken = await add(service, id=BASE_ID)
    assert "id" in taken.errors
    unknown_source = await add(service, sources="no-such-source: page 1")
    assert "sources" in unknown_source.errors
    bad_details = await submit_edit(service, MOD, BASE_ID, f"{BASE_ID}@0", details="topic: cooking")
    assert "details" in bad_details.errors
    assert await count(service, "overlay_entries") == 0


async def test_near_duplicate_is_flagged_with_variant_and_save_anyway(service):
    dup = {"id": "phd-for-lab-jobs", "question": "Do I need a PhD to work at an AI research lab?"}
    reply = await add(service, **dup)
    actions = {c.action for c in reply.choices}
    assert {"mod-dup-variant", "mod-dup-save"} <= actions
    assert BASE_ID in reply.body
    assert await count(service, "overlay_entries") == 0

    as_variant = next(c for c in reply.choices if c.action == "mod-dup-variant")
    assert (await press(service, MOD, as_variant.action, as_variant.payload)).kind == "text"
    assert dup["question"] in (await entry(service, "guild-a", BASE_ID)).variants
    assert await entry(service, "guild-a", dup["id"]) is None

    again = await add(service, **(dup | {"id": "phd-for-lab-jobs-2"}))
    save = next(c for c in again.choices if c.action == "mod-dup-save")
    assert (await press(service, MOD, save.action, save.payload)).kind == "text"
    assert await entry(service, "guild-a", "phd-for-lab-jobs-2") is not None


async def test_the_other_near_duplicate_button_does_nothing_once_a_choice_is_made(service):
    dup = {"id": "phd-for-lab-jobs", "question": "Do I need a PhD to work at an AI research lab?"}
    reply = await add(service, **dup)
    buttons = {c.action: c for c in reply.choices}
    as_variant, save = buttons["mod-dup-variant"], buttons["mod-dup-save"]
    assert (await press(service, MOD, as_variant.action, as_variant.payload)).kind == "text"

    late = await press(service, MOD, save.action, save.payload)
    assert late.kind == "error" and "already made" in late.body
    assert await entry(service, "guild-a", dup["id"]) is None
    assert (await entry(service, "guild-a", BASE_ID)).variants.count(dup["question"]) == 1

    # The other way round: saved as a new entry, then the variant button.
    again = await add(service, **(dup | {"id": "phd-for-lab-jobs-2",
                                          "question": "Is a PhD required to join an AI lab?"}))
    buttons = {c.action: c for c in again.choices}
    assert (await press(service, MOD, "mod-dup-save", buttons["mod-dup-save"].payload)).kind == "text"
    late = await press(service, MOD, "mod-dup-variant", buttons["mod-dup-variant"].payload)
    assert late.kind == "error"
    assert "Is a PhD required to join an AI lab?" not in (await entry(service, "guild-a", BASE_ID)).variants


MENTIONS = ["@everyone", "@here", "@channel", "<!channel>", "<!here>", "<!everyone>",
            "<@&123456>", "<@42>", "<@!42>", "<@U0123|bob>", "<!subteam^S01|@devs>", "@EVERYONE"]


PIECES = ["<", ">", "@", "&", "!", "<i>", "</i>", "123", "everyone", "channel", "```", "# "]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(MENTIONS + PIECES), st.text(max_size=8)), max_size=12))
def test_mass_mentions_never_survive_cleaning(parts):
    assert not PING.search(clean_text("".join(parts)))


async def test_mass_mentions_never_survive_in_stored_entries(service):
    reply = await add(
        service,
        question="When does this server's weekly paper reading group meet? @everyone",
        answer="Ask <!channel> or <@&998877> or <@123> first; @here a consumer GPU is plenty.",
        sources="reddit-phd-or-not: reply by <!here>",
    )
    assert reply.body.startswith("Added"), (reply.body, reply.errors)
    await cmd(service, MOD, "faq-variant", f"{NEW['id']} reading group time <!everyone> @here")
    stored = await entry(service, "guild-a", NEW["id"])
    texts = [stored.question, stored.answer, *stored.variants, *(s.where for s in stored.sources)]
    assert all(not PING.search(t) for t in texts), texts
    assert "123" in stored.answer  # user mentions stay readable, without the ping


def test_markdown_that_breaks_renderers_is_neutralised():
    text = ("# Heading\n```python\nprint(1)\n```\n<div>raw <b>html</b></div>\n"
            "| a | b |\n|---|---|\n| 1 | 2 |\nsome **bold** and **unbalanced")
    out = neutralise_markdown(text)
    assert "```" not in out and "#" not in out and "<" not in out
    assert "|---" not in out and not re.search(r"^\|", out, re.M)
    assert out.count("**") % 2 == 0 and "**bold**" in out
    assert "print(1)" in out and "raw html" in out and "Heading" in out


def test_list_fields_are_one_item_per_line_and_pipes_in_text_survive():
    assert split_items("a\n\n b \nc | d") == ["a", "b", "c | d"]
    assert split_items("") == []


# -- unanswered queue -----------------------------------------------------------------------


async def test_unanswered_queue_list_make_entry_attach_and_dismiss(service):
    bread = "how do I bake sourdough bread at home"
    for user in ("u1", "u2", "u3"):
        await cmd(service, ctx(user=user, moderator=False), "ask", bread)
    await cmd(service, MEMBER, "ask", "what is the best pizza oven for a small flat")
    await cmd(service, MEMBER, "ask", "which bicycle should I commute with")

    listing = await cmd(service, MOD, "unanswered")
    assert listing.body.index("sourdough") < listing.body.index("pizza")
    assert "3x" in listing.body and "3 people" in listing.body
    rowid = {c.label.split(":")[0]: c.payload for c in listing.choices}
    assert len(listing.choices) == 9

    # 1: turn the bread question into an entry; the form arrives pre-filled.
    new = await press(service, MOD, "unanswered-new", rowid["1"])
    assert new.form is not None and {f.id: f.value for f in new.form.fields}["question"] == bread
    values = {f.id: f.value for f in new.form.fields} | {
        "id": "sourdough-at-home", "topic": "skills", "answer": "Not a career question, but " * 3,
        "sources": "reddit-phd-or-not: nowhere really"}
    saved = await service.handle(FormSubmit(MOD, new.form.id, values, new.form.state))
    assert saved.kind == "text", (saved.body, saved.errors)
    assert (await service.match("guild-a", bread)).entry.id == "sourdough-at-home"

    # 2: attach the pizza question as a variant of an existing entry.
    attach = await press(service, MOD, "unanswered-attach", rowid["2"])
    assert attach.form is not None
    done = await service.handle(FormSubmit(
        MOD, attach.form.id, {"entry": BASE_ID, "variant": "best pizza oven for a small flat"},
        attach.form.state))
    assert done.kind == "text", done.body
    assert "best pizza oven for a small flat" in (await entry(service, "guild-a", BASE_ID)).variants

    # 3: dismiss the bicycle question.
    dismissed = await press(service, MOD, "unanswered-dismiss", rowid["3"])
    # The list comes back in place without the bicycle question, the others' buttons still there.
    assert dismissed.kind == "list" and dismissed.replace and dismissed.body.startswith("Dismissed")
    assert "bicycle" not in dismissed.body.split("\n\n", 1)[-1]

    after = await cmd(service, MOD, "unanswered")
    assert "sourdough" not in after.body and "pizza" not in after.body and "bicycle" not in after.body
    # Another community's moderator cannot act on this queue.
    assert (await press(service, MOD_B, "unanswered-new", rowid["1"])).kind == "error"


# -- feedback and stats ---------------------------------------------------------------------


async def test_feedback_one_vote_per_member_which_they_can_change(service):
    answer = await cmd(service, MEMBER, "ask", "phd needed for deepmind?")
    yes, no = answer.choices[0], answer.choices[1]
    assert (yes.action, yes.payload) == ("feedback", f"{BASE_ID}:y")

    assert "Thanks" in (await press(service, MEMBER, yes.action, yes.payload)).body
    assert "already" in (await press(service, MEMBER, yes.action, yes.payload)).body
    assert "Changed" in (await press(service, MEMBER, no.action, no.payload)).body
    rows = await service.store.fetchall("SELECT user_id, helpful FROM feedback")
    assert rows == [("discord:member1", 0)]
    assert (await press(service, MEMBER, "feedback", "no-such-entry:y")).kind == "error"


async def test_poorly_rated_entries_appear_in_the_review_list(service):
    for i in range(3):
        await press(service, ctx(user=f"m{i}", moderator=False), "feedback", f"{BASE_ID}:n")
    good = "roles-research-engineer"
    for i in range(3):
        await press(service, ctx(user=f"m{i}", moderator=False), "feedback", f"{good}:y")
    stats = dict((await cmd(service, MOD, "stats")).fields)
    assert f"`{BASE_ID}`: 0 yes / 3 no" in stats["Helpfulness"]
    assert BASE_ID in stats["Needs review"] and good not in stats["Needs review"]


async def test_stats_numbers(service):
    clock: Clock = service.clock  # type: ignore[assignment]
    member = ctx(user="asker", moderator=False)

    async def ask_at(t: float, question: str) -> None:
        clock.t = t
        await cmd(service, member, "ask", question)

    await ask_at(NOW - 1 * DAY, "phd needed for deepmind?")
    await ask_at(NOW - 2 * DAY, "phd needed for deepmind?")
    await ask_at(NOW - 3 * DAY, "how do I bake sourdough bread at home")
    await ask_at(NOW - 10 * DAY, "what does a research engineer do")
    await ask_at(NOW - 40 * DAY, "how do I bake sourdough bread at home")
    # Opening an entry from a button is a read, not a question, but it counts as a serving.
    clock.t = NOW - 1 * DAY
    assert (await press(service, member, "show", "roles-research-engineer")).entry_id
    await cmd(service, ctx(community="guild-b", user="x", moderator=False), "ask", "phd needed for deepmind?")
    async with service.store.transaction() as db:
        for kind, days in [("start", 1), ("start", 2), ("complete", 2), ("start", 20), ("complete", 45)]:
            await db.execute(
                "INSERT INTO quiz_events (community, user_id, quiz_id, kind, at) VALUES (?, ?, ?, ?, ?)",
                ("guild-a", "discord:asker", "which-role", kind, NOW - days * DAY),
            )
    clock.t = NOW
    await service.settle()  # questions are logged in the background, each at its own time

    week = await community_stats(service.store, "guild-a", NOW, 7)
    month = await community_stats(service.store, "guild-a", NOW, 30)
    assert (week.asked, week.answered, week.unknown, week.ambiguous) == (3, 2, 1, 0)
    assert (week.quiz_starts, week.quiz_completions) == (2, 1)
    assert (month.asked, month.answered, month.unknown) == (4, 3, 1)
    assert (month.quiz_starts, month.quiz_completions) == (3, 1)
    assert month.top_entries[0] == (BASE_ID, 2)
    assert ("roles-research-engineer", 2) in month.top_entries

    fields = dict((await cmd(service, MOD, "stats")).fields)
    assert fields["Last 7 days"].startswith("3 questions: 67% answered, 0% ambiguous, 33% unknown")
    assert "2 started, 1 completed" in fields["Last 7 days"]
    assert fields["Last 30 days"].startswith("4 questions: 75% answered")


# -- concurrency ----------------------------------------------------------------------------


async def test_concurrent_variant_additions_lose_nothing(service):
    import asyncio

    phrasings = [f"concurrent phrasing number {i} about doctorates" for i in range(8)]
    moderators = [ctx(user=f"mod{i}") for i in range(8)]
    replies = await asyncio.gather(*(
        cmd(service, m, "faq-variant", f"{BASE_ID} {p}") for m, p in zip(moderators, phrasings, strict=True)
    ))
    assert all(r.kind == "text" for r in replies), [r.body for r in replies]
    variants = (await entry(service, "guild-a", BASE_ID)).variants
    assert all(p in variants for p in phrasings)
    assert [r.revision for r in await service.overlay.history("guild-a", BASE_ID)] == list(range(8, 0, -1))


async def test_concurrent_edits_from_the_same_revision_save_exactly_one(service):
    import asyncio

    state = (await edit_state(service, MOD, BASE_ID)).state
    answers = [f"Concurrent answer {i}, long enough to be a valid answer text." for i in range(5)]
    replies = await asyncio.gather(*(
        submit_edit(service, ctx(user=f"mod{i}"), BASE_ID, state, answer=a) for i, a in enumerate(answers)
    ))
    saved = [a for a, r in zip(answers, replies, strict=True) if r.kind == "text"]
    assert len(saved) == 1
    assert sum("changed since you opened it" in r.body for r in replies) == 4
    assert (await entry(service, "guild-a", BASE_ID)).answer == saved[0]


async def test_reverting_twice_records_one_revision(service):
    await submit_edit(service, MOD, BASE_ID, f"{BASE_ID}@0",
                      answer="An edited answer that is long enough to be valid here.")
    assert (await cmd(service, MOD, "faq-revert", f"{BASE_ID} 0")).kind == "text"
    again = await cmd(service, MOD, "faq-revert", f"{BASE_ID} 0")  # a double click
    assert again.kind == "error" and "already matches revision 0" in again.body
    assert [r.revision for r in await service.overlay.history("guild-a", BASE_ID)] == [2, 1]


async def test_huge_numbers_in_commands_and_buttons_get_a_clear_message(service):
    big = "9" * 30
    for reply in (
        await cmd(service, MOD, "faq-revert", f"{BASE_ID} {big}"),
        await press(service, MOD, "unanswered-dismiss", big),
    ):
        assert reply.kind == "error"
        assert "went wrong" not in reply.body


async def test_long_variant_lists_are_left_out_of_the_edit_form_and_kept_on_save(service):
    for i in range(8):
        variant = f"variant number {i} " + "with a long story about a career in research " * 10
        assert (await cmd(service, MOD, "faq-variant", f"{BASE_ID} {variant}")).kind == "text"
    before = await entry(service, "guild-a", BASE_ID)
    form = await edit_state(service, MOD, BASE_ID)
    assert "variants" not in {f.id for f in form.fields}
    assert all(len(f.value) <= f.max_length for f in form.fields)
    values = {f.id: f.value for f in form.fields} | {"answer": "A shorter answer " * 4}
    assert (await service.handle(FormSubmit(MOD, "faq-edit", values, form.state))).kind == "text"
    after = await entry(service, "guild-a", BASE_ID)
    assert after.variants == before.variants
    assert after.answer.startswith("A shorter answer")


async def test_a_pipe_in_an_answer_from_a_platform_form_is_kept(service):
    answer = "Visas differ:\n\n- O-1 | EB-1 are US categories, says one commenter."
    reply = await add(service, answer=answer)
    assert reply.kind == "text", reply.body
    assert (await entry(service, "guild-a", NEW["id"])).answer == answer


async def test_answers_do_not_point_to_entries_the_community_hid(service):
    hidden = KB.by_id()[BASE_ID].related[0]
    assert (await cmd(service, MOD, "faq-hide", hidden)).kind == "text"
    reply = await cmd(service, MOD, "ask", "do I need a PhD to work at an AI lab like DeepMind?")
    assert reply.entry_id == BASE_ID
    related = dict(reply.fields).get("Related", "")
    assert f"`{hidden}`" not in related
    other = await cmd(service, MOD_B, "ask", "do I need a PhD to work at an AI lab like DeepMind?")
    assert f"`{hidden}`" in dict(other.fields).get("Related", "")


async def test_a_second_topic_is_set_from_the_details_field_and_lists_the_entry_there(service):
    bad = await submit_edit(service, MOD, BASE_ID, f"{BASE_ID}@0",
                            details="topic: phd\nalso_topics: phd")
    assert "already the entry's topic" in bad.errors.get("details", ""), bad.errors
    assert await count(service, "overlay_entries") == 0

    ok = await submit_edit(service, MOD, BASE_ID, f"{BASE_ID}@0",
                           details="topic: phd\nalso_topics: skills")
    assert ok.kind == "text", (ok.body, ok.errors)
    saved = await entry(service, "guild-a", BASE_ID)
    assert saved.also_topics == ("skills",)
    lines = (await cmd(service, MOD, "faq", "skills")).body.splitlines()
    listed = [line.split("`")[1] for line in lines]
    own = [e.id for e in KB.entries if e.topic == "skills"]
    # Listed under its second topic, after that topic's own entries, and only in this community.
    assert BASE_ID in listed and listed[: len(own)] == own
    other = await service.view("guild-b")
    assert other.by_id[BASE_ID].also_topics == KB.by_id()[BASE_ID].also_topics


async def test_a_dm_from_no_community_sees_the_members_last_server(service):
    """Discord DMs belong to no server: quiz results, asks and votes there use the member's last
    server, so its moderators' entries are found and its queue and stats see them."""
    assert (await add(service)).kind == "text"
    dm = Context("discord", NO_COMMUNITY, "dm-channel", "member1", "member1", is_dm=True)

    # Before the member has used the bot in any server, a DM sees the shared base only.
    first = await cmd(service, dm, "ask", NEW_ASK)
    assert first.entry_id != NEW["id"]

    await cmd(service, MEMBER, "topics")
    shown = await press(service, dm, "show", NEW["id"])
    assert shown.entry_id == NEW["id"], shown.body
    assert (await cmd(service, dm, "ask", NEW_ASK)).entry_id == NEW["id"]
    await press(service, dm, "feedback", f"{NEW['id']}:y")
    row = await service.store.fetchone("SELECT community FROM feedback WHERE user_id = ?",
                                       (MEMBER.member_key,))
    assert row == ("guild-a",)

    # The member's last server wins; forget-me forgets it.
    await cmd(service, ctx(community="guild-b", user="member1", moderator=False), "topics")
    assert (await press(service, dm, "show", NEW["id"])).kind == "error"
    await cmd(service, dm, "forget-me")
    assert await service.store.home(MEMBER.member_key) is None
