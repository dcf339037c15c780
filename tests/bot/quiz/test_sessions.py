"""Quiz sessions through `Service.handle`: store-backed state, stale buttons, expiry, forget-me."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest

from bot.kb.loader import load_knowledge
from bot.replies import ButtonPress, Choice, Command, Context, Reply
from bot.service import Service
from bot.store import Store
from bot.store.quiz import ACTIVE, Session
from tests import REPO

KNOWLEDGE = REPO / "knowledge"


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(KNOWLEDGE)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
async def service(kb, tmp_path, clock):
    store = await Store.open(tmp_path / "quiz.db")
    svc = Service(kb, store, clock)
    yield svc
    await store.close()


def dm(user: str = "ana") -> Context:
    return Context("console", "local", "dm", user, user, is_dm=True)


def channel(user: str = "ana") -> Context:
    return Context("discord", "guild-1", "general", user, user, is_dm=False)


def pick(reply: Reply, option_id: str) -> Choice:
    [choice] = [c for c in reply.choices if c.payload.endswith(f":{option_id}")]
    return choice


async def press(service: Service, ctx: Context, choice: Choice) -> Reply:
    return await service.handle(ButtonPress(ctx, choice.action, choice.payload))


async def start(service: Service, ctx: Context, quiz_id: str = "ml-path") -> Reply:
    return await service.handle(Command(ctx, "quiz", quiz_id))


def db_rows(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Read through a separate connection: only committed data is visible."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


SWE = ["infrastructure", "software", "distributed", "learn-on-the-job", "reliable-systems"]


async def take(service: Service, ctx: Context, options: list[str], quiz_id: str = "ml-path") -> Reply:
    reply = await start(service, ctx, quiz_id)
    for option in options:
        reply = await press(service, ctx, pick(reply, option))
    return reply


async def test_quiz_without_argument_lists_quizzes_with_start_buttons(service):
    reply = await service.handle(Command(dm(), "quiz", ""))
    assert reply.kind == "list"
    assert [(c.action, c.payload) for c in reply.choices] == [
        ("quiz-start", "ml-path"), ("quiz-start", "phd-fit")
    ]
    assert "Which ML role fits you?" in reply.body


async def test_first_step_in_a_channel_goes_by_direct_message(service):
    reply = await start(service, channel())
    assert reply.kind == "quiz" and reply.to_dm
    assert reply.title == "[1/5] What would you most like to spend your working days doing?"
    assert all(c.action == "quiz" and c.style == "primary" for c in reply.choices)
    assert all(len(c.payload) < 80 for c in reply.choices)
    session, step, option = reply.choices[0].payload.split(":")
    assert (step, option) == ("0", "open-questions")


async def test_first_step_in_a_dm_stays_in_the_dm(service):
    reply = await start(service, dm())
    assert reply.kind == "quiz" and not reply.to_dm


async def test_answer_is_committed_before_the_reply_and_next_step_replaces(service, tmp_path):
    first = await start(service, dm())
    second = await press(service, dm(), pick(first, "infrastructure"))
    assert second.replace and second.title == "[2/5] Which best describes your background today?"
    [(step, answers)] = db_rows(tmp_path / "quiz.db", "SELECT step, answers FROM quiz_sessions")
    assert step == 1 and json.loads(answers) == [["goal", "infrastructure"]]


async def test_branching_answer_leads_to_the_branch_question(service):
    reply = await take(service, dm(), ["infrastructure", "software"])
    assert reply.title == "[3/5] Which part of engineering do you enjoy most?"
    reply = await take(service, dm("bo"), ["infrastructure", "ml-degree"])
    assert reply.title == "[3/5] Have you published research?"


async def test_double_click_changes_nothing_and_says_so(service, tmp_path):
    first = await start(service, dm())
    choice = pick(first, "products")
    await press(service, dm(), choice)
    again = await press(service, dm(), choice)
    assert again.kind == "error" and again.ephemeral and "nothing was changed" in again.body
    [(answers,)] = db_rows(tmp_path / "quiz.db", "SELECT answers FROM quiz_sessions")
    assert json.loads(answers) == [["goal", "products"]]


async def test_old_button_for_a_passed_step_changes_nothing(service, tmp_path):
    first = await start(service, dm())
    second = await press(service, dm(), pick(first, "products"))
    await press(service, dm(), pick(second, "software"))
    stale = await press(service, dm(), pick(first, "data"))
    assert stale.kind == "error" and "already answered question 1" in stale.body
    [(step, answers)] = db_rows(tmp_path / "quiz.db", "SELECT step, answers FROM quiz_sessions")
    assert step == 2 and json.loads(answers) == [["goal", "products"], ["background", "software"]]


async def test_another_members_button_changes_nothing(service, tmp_path):
    first = await start(service, dm("ana"))
    foreign = await press(service, dm("mallory"), pick(first, "data"))
    assert foreign.kind == "error" and "someone else's quiz" in foreign.body
    assert db_rows(tmp_path / "quiz.db", "SELECT step, answers FROM quiz_sessions") == [(0, "[]")]


@pytest.mark.parametrize(
    "payload", ["garbage", "nosuch:0:data", "{sid}:7:data", "{sid}:0:not-an-option", "{sid}:x:data"]
)
async def test_forged_or_unknown_answers_change_nothing(service, tmp_path, payload):
    first = await start(service, dm())
    sid = first.choices[0].payload.split(":")[0]
    reply = await service.handle(ButtonPress(dm(), "quiz", payload.format(sid=sid)))
    assert reply.kind == "error" and reply.ephemeral
    assert db_rows(tmp_path / "quiz.db", "SELECT step, answers FROM quiz_sessions") == [(0, "[]")]


async def test_finished_and_cancelled_sessions_refuse_answers(service, tmp_path):
    result = await take(service, dm(), SWE[:4])
    last_step = result  # the fifth question
    done = await press(service, dm(), pick(last_step, "reliable-systems"))
    assert done.title.startswith("Your result:")
    late = await press(service, dm(), pick(last_step, "impact"))
    assert late.kind == "error" and "already finished" in late.body
    assert len(db_rows(tmp_path / "quiz.db", "SELECT id FROM quiz_results")) == 1

    first = await start(service, dm(), "phd-fit")
    await service.handle(Command(dm(), "quiz", "cancel"))
    cancelled = await press(service, dm(), first.choices[0])
    assert cancelled.kind == "error" and "cancelled" in cancelled.body


async def test_result_has_title_reasons_fit_bars_next_steps_and_sources(service, kb, tmp_path):
    reply = await take(service, dm(), SWE)
    assert reply.kind == "quiz" and reply.replace
    assert reply.title == "Your result: Software engineer in a research lab (infrastructure, systems)"
    fields = dict(reply.fields)
    assert '"Building the infrastructure and systems that research runs on"' in fields["Why this result"]
    fit = fields["Fit"].splitlines()
    assert len(fit) == 5 and fit[0].startswith("▰▰▰▰▰ 100%  Software engineer")
    assert all(line[:5].strip("▰▱") == "" for line in fit)
    ids = {e.id for e in kb.entries}
    shows = [c for c in reply.choices if c.action == "show"]
    assert 3 <= len(shows) <= 5 and {c.payload for c in shows} <= ids
    assert {c.source_id for c in reply.citations} == {"phd-not-required-video", "ml-research-challenges"}
    [(profile_id, data)] = db_rows(tmp_path / "quiz.db", "SELECT profile_id, result FROM quiz_results")
    assert profile_id == "lab-software-engineer"
    assert json.loads(data)["answers"][2] == ["systems", "distributed"]
    events = db_rows(tmp_path / "quiz.db", "SELECT kind FROM quiz_events ORDER BY id")
    assert events == [("start",), ("complete",)]


async def test_show_button_on_a_result_opens_the_faq_entry(service):
    reply = await take(service, dm(), SWE)
    shown = await press(service, dm(), reply.choices[0])
    assert shown.kind == "answer" and shown.entry_id == reply.choices[0].payload


async def test_profile_shows_the_latest_result_per_quiz(service):
    await take(service, dm(), SWE)
    await take(service, dm(), ["data", "other-field", "not-my-goal", "learn-on-the-job", "impact"])
    await take(service, dm(), ["masters", "fundamental", "fine", "certain", "talked", "papers"],
               "phd-fit")
    reply = await service.handle(Command(dm(), "profile", ""))
    assert "**Which ML role fits you?**: Data scientist or data engineer" in reply.body
    assert "Software engineer in a research lab" not in reply.body.split("\n")[0]
    assert "**Should you do a PhD?**: Do a PhD, and choose the advisor carefully" in reply.body
    assert reply.body.count("▰▰▰▰▰ 100%") == 2
    other = await service.handle(Command(dm("bo"), "profile", ""))
    assert "no quiz results yet" in other.body


async def test_unfinished_quiz_offers_continue_or_start_over(service, tmp_path):
    await take(service, dm(), ["infrastructure", "software"])
    offer = await start(service, dm())
    assert [c.label for c in offer.choices] == ["Continue", "Start over"]
    assert "2 of 5" in offer.body
    resumed = await press(service, dm(), offer.choices[0])
    assert resumed.title == "[3/5] Which part of engineering do you enjoy most?"
    fresh = await press(service, dm(), offer.choices[1])
    assert fresh.title.startswith("[1/5]")
    again = await press(service, dm(), offer.choices[1])
    assert again.kind == "error" and "nothing was changed" in again.body.lower()
    statuses = db_rows(tmp_path / "quiz.db", "SELECT status, step FROM quiz_sessions ORDER BY started_at, status")
    assert sorted(statuses) == [("active", 0), ("cancelled", 2)]


async def test_quiz_list_offers_continue_for_an_unfinished_quiz(service):
    await take(service, dm(), ["infrastructure"])
    reply = await service.handle(Command(dm(), "quiz", ""))
    assert [c.action for c in reply.choices] == ["quiz-resume", "quiz-start"]
    resumed = await press(service, dm(), reply.choices[0])
    assert resumed.title.startswith("[2/5]")


async def test_a_new_process_continues_where_the_member_left_off(kb, tmp_path, clock):
    path = tmp_path / "quiz.db"
    store = await Store.open(path)
    await take(Service(kb, store, clock), dm(), ["infrastructure", "software", "distributed"])
    await store.close()

    store = await Store.open(path)
    try:
        service = Service(kb, store, clock)
        offer = await start(service, dm())
        resumed = await press(service, dm(), offer.choices[0])
        assert resumed.title == "[4/5] How do you feel about 3-5 more years of study at a low salary?"
        reply = await press(service, dm(), pick(resumed, "learn-on-the-job"))
        reply = await press(service, dm(), pick(reply, "reliable-systems"))
        assert reply.title.startswith("Your result: Software engineer")
    finally:
        await store.close()


async def test_idle_sessions_expire_and_are_purged(service, clock, tmp_path):
    first = await start(service, dm())
    idle = service.quiz.idle_seconds
    clock.now += idle + 1
    late = await press(service, dm(), first.choices[0])
    assert late.kind == "error" and "expired" in late.body
    assert db_rows(tmp_path / "quiz.db", "SELECT id FROM quiz_sessions") == []
    fresh = await start(service, dm())
    assert fresh.title.startswith("[1/5]")  # no offer to continue the expired run

    await start(service, dm("bo"))
    clock.now += idle / 2
    await start(service, dm("cy"))
    clock.now += idle / 2 + 1
    assert await service.quiz.purge_expired(clock.now) == 2  # ana's and bo's, not cy's
    assert db_rows(tmp_path / "quiz.db", "SELECT user_id FROM quiz_sessions") == [("console:cy",)]


async def test_quiz_cancel_stops_the_active_quiz(service, tmp_path):
    await take(service, dm(), ["infrastructure"])
    reply = await service.handle(Command(dm(), "quiz", "cancel"))
    assert "Cancelled: *Which ML role fits you?*" in reply.body
    again = await service.handle(Command(dm(), "quiz", "cancel"))
    assert "no quiz in progress" in again.body
    assert db_rows(tmp_path / "quiz.db", "SELECT status FROM quiz_sessions") == [("cancelled",)]
    assert (await start(service, dm())).title.startswith("[1/5]")


async def test_unknown_quiz_id_is_a_clear_error(service):
    reply = await start(service, dm(), "nope")
    assert reply.kind == "error" and "`ml-path`" in reply.body


async def test_forget_me_deletes_the_members_rows_and_reports_counts(service, tmp_path):
    ana, bo = dm("ana"), dm("bo")
    await take(service, ana, SWE)
    await take(service, ana, ["masters", "fundamental"], "phd-fit")
    await service.handle(Command(ana, "ask", "what is the best pizza topping in naples"))
    await service.handle(Command(ana, "ask", "how do I bake sourdough bread at home"))
    await service.handle(Command(bo, "ask", "how do I bake sourdough bread at home"))
    await service.handle(Command(ana, "ask", "do I need a PhD to work at DeepMind?"))
    await take(service, bo, SWE)
    async with service.store.transaction() as db:
        for user in ("console:ana", "console:bo"):
            await db.execute(
                "INSERT INTO feedback (community, entry_id, user_id, helpful, at) VALUES (?, ?, ?, 1, 0)",
                ("local", "roles-three-lab-roles", user),
            )
    path = tmp_path / "quiz.db"
    await service.settle()
    unanswered_before = db_rows(path, "SELECT norm FROM unanswered")
    assert len(unanswered_before) == 2

    reply = await service.handle(Command(ana, "forget-me", ""))
    assert reply.ephemeral
    for line in ["- 2 quiz sessions", "- 1 quiz result", "- 3 quiz events", "- 3 logged questions",
                 "- 2 unanswered-question records", "- 1 unanswered question only you asked",
                 "- 1 feedback vote"]:
        assert line in reply.body
    for table in ("quiz_sessions", "quiz_results", "quiz_events", "ask_log", "unanswered_askers",
                  "feedback"):
        users = {u for (u,) in db_rows(path, f"SELECT user_id FROM {table}")}
        assert users == {"console:bo"}, table
    # bo asked the sourdough question too, so it stays in the queue.
    assert [n for (n,) in db_rows(path, "SELECT sample FROM unanswered")] == [
        "how do I bake sourdough bread at home"
    ]
    assert len(db_rows(path, "SELECT id FROM quiz_results WHERE user_id = 'console:bo'")) == 1

    nothing = await service.handle(Command(ana, "forget-me", ""))
    assert "nothing stored" in nothing.body


async def test_concurrent_members_and_duplicate_presses_never_double_count(service, tmp_path):
    members = [dm(f"m{i}") for i in range(100)]
    plans = [SWE, ["open-questions", "ml-degree", "top-venues", "welcome", "unanswered"],
             ["data", "other-field", "not-my-goal", "learn-on-the-job", "impact"]]

    async def member(i: int, ctx: Context) -> None:
        reply = await start(service, ctx)
        for option in plans[i % 3]:
            choice = pick(reply, option)
            # Every press is sent three times at once: a double (triple) click.
            replies = await asyncio.gather(*(press(service, ctx, choice) for _ in range(3)))
            accepted = [r for r in replies if r.kind != "error"]
            assert len(accepted) == 1
            reply = accepted[0]

    await asyncio.gather(*(member(i, ctx) for i, ctx in enumerate(members)))
    path = tmp_path / "quiz.db"
    sessions = db_rows(path, "SELECT user_id, status, step, answers FROM quiz_sessions")
    assert len(sessions) == 100
    for user_id, status, step, answers in sessions:
        i = int(user_id.removeprefix("console:m"))
        assert status == "completed" and step == 5
        assert [o for _, o in json.loads(answers)] == plans[i % 3]
    assert db_rows(path, "SELECT COUNT(*), COUNT(DISTINCT session_id) FROM quiz_results") == [(100, 100)]
    assert db_rows(path, "SELECT kind, COUNT(*) FROM quiz_events GROUP BY kind ORDER BY kind") == [
        ("complete", 100), ("start", 100)
    ]


async def test_help_lists_the_quiz_commands(service):
    reply = await service.handle(Command(dm(), "help", ""))
    for usage in ("quiz [id]", "quiz cancel", "profile", "forget-me"):
        assert f"`{usage}`" in reply.body


async def test_forget_me_replaces_the_members_wording_in_the_unanswered_queue(service, tmp_path):
    ana, bo = dm("ana"), dm("bo")
    await service.handle(Command(bo, "ask", "how do I bake sourdough bread at home"))
    await service.handle(Command(ana, "ask", "How do I bake SOURDOUGH bread at home?!"))
    await service.handle(Command(ana, "ask", "how do i bake sourdough bread at home"))
    await service.handle(Command(bo, "ask", "How do I bake sourdough bread at home?"))
    await service.settle()
    path = tmp_path / "quiz.db"
    assert db_rows(path, "SELECT sample, count FROM unanswered") == [
        ("How do I bake sourdough bread at home?", 4)]
    await service.handle(Command(ana, "forget-me", ""))
    # Bo's wording and Bo's two asks stay; Ana's two asks leave the count with her.
    assert db_rows(path, "SELECT sample, count FROM unanswered") == [
        ("How do I bake sourdough bread at home?", 2)]
    await service.handle(Command(bo, "forget-me", ""))
    assert db_rows(path, "SELECT sample, count FROM unanswered") == []


# -- sessions and results stored by an earlier version of a quiz ---------------------------------------


async def store_old_phd_fit_run(service: Service, clock: Clock) -> None:
    """What phd-fit stored before it asked for the degrees held: a run paused at its second
    question, and a finished run's result without the `tied` and `ruled_out` keys."""
    store = service.store
    ctx = dm()
    old = Session("old-run", ctx.community, ctx.member_key, "phd-fit", ACTIVE, 1, "low-pay",
                  [("want", "applied")], clock.now, clock.now)
    result = {"profile": "masters-portfolio", "title": "A master's plus a portfolio",
              "scores": {"industry-lateral": 4, "masters-portfolio": 8, "residency-first": 8,
                         "phd-advisor": 1},
              "fits": {"industry-lateral": 0.5, "masters-portfolio": 1.0, "residency-first": 1.0,
                       "phd-advisor": 0.125},
              "reasons": [["want", "applied"]], "answers": [["want", "applied"]]}
    async with store.transaction() as db:
        await store.insert_sessions(db, [old], clock.now)
        await store.save_results(
            db, [("done-run", ctx.community, ctx.member_key, "phd-fit", "masters-portfolio",
                  json.dumps(result))], clock.now)


async def test_a_run_of_an_older_quiz_version_offers_a_restart_instead_of_crashing(service, clock):
    await store_old_phd_fit_run(service, clock)
    offer = await start(service, dm(), "phd-fit")
    assert "has changed since you started it" in offer.body
    assert [c.action for c in offer.choices] == ["quiz-restart"]
    # The old run's answer buttons and its Continue button change nothing either.
    stale = await press(service, dm(), Choice("Fine", "quiz", "old-run:1:fine"))
    assert "has changed since you started it" in stale.body
    resumed = await press(service, dm(), Choice("Continue", "quiz-resume", "old-run"))
    assert "has changed since you started it" in resumed.body
    fresh = await press(service, dm(), offer.choices[0])
    assert fresh.title == "[1/6] Which degrees do you already hold?"
    reply = fresh
    for option in ["two-masters", "applied", "short", "unsure", "projects", "papers"]:
        reply = await press(service, dm(), pick(reply, option))
    assert reply.title == "Your result: Build on the master's you hold - a portfolio and applied roles"


async def test_a_result_stored_by_an_older_quiz_version_still_shows_in_profile(service, clock):
    await store_old_phd_fit_run(service, clock)
    reply = await service.handle(Command(dm(), "profile", ""))
    assert "**Should you do a PhD?**: A master's plus a portfolio" in reply.body
    assert "▰▰▰▰▰ 100%  A master's plus a portfolio" in reply.body


async def test_result_says_which_answer_ruled_out_a_profile_and_which_settled_a_tie(service):
    reply = await take(service, dm(), ["open-questions", "software", "pipelines", "short-masters",
                                        "unanswered"])
    assert reply.title == "Your result: Research engineer"
    why = dict(reply.fields)["Why this result"]
    assert ("- You said \"A short master's (1-2 years) at most, not a PhD\", so "
            "*Research scientist (the PhD route)* is left out") in why
    assert ("- *Data scientist or data engineer* scored the same; your answer \"Asking new "
            "research questions and publishing papers\" leans toward *Research engineer*") in why
    fit = dict(reply.fields)["Fit"]
    assert fit.splitlines()[0].endswith("100%  Research engineer")
    assert fit.splitlines()[-1].endswith("Research scientist (the PhD route) (ruled out by your answers)")
