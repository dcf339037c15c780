"""The real discord.py client against the fake Discord: commands, buttons, modals, DMs."""

from __future__ import annotations

import asyncio
import copy
import logging
import os
import sys

from adapters import discord_bot
from bot.replies import Command, Reply
from bot.service import Service
from bot.store import Store
from tests.fakes.discord_limits import (
    assert_message_within_limits,
    assert_no_mass_mentions,
    custom_ids,
    labels,
)
from tests.fakes.discord_server import DUMMY_TOKEN, MEMBER, MODERATOR, User

CHANNEL_MESSAGE, DEFERRED, DEFERRED_UPDATE, UPDATE_MESSAGE, AUTOCOMPLETE, MODAL = 4, 5, 6, 7, 8, 9
EPHEMERAL = 64
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content


def sent_messages(fake):
    """Every message body the bot sent: callbacks with a message, follow-ups, channel posts."""
    out = []
    for call in fake.calls:
        body = call.json
        if call.path.endswith("/callback") and body.get("type") in (4, 7):
            out.append(body["data"])
        elif call.method in ("POST", "PATCH") and (
            call.path.startswith("/webhooks/") or "/messages" in call.path
        ):
            out.append(body)
    return out


def assert_all_sent_within_limits(fake):
    messages = sent_messages(fake)
    assert messages
    for data in messages:
        assert_message_within_limits(data)
        assert_no_mass_mentions(data)


# -- start-up -----------------------------------------------------------------------------------


async def test_logs_in_identifies_without_privileged_intents_and_syncs_commands_globally(bot):
    fake = bot.fake
    paths = [(c.method, c.path) for c in fake.calls]
    assert ("GET", "/users/@me") in paths
    identify = fake.identifies[0]
    assert identify["token"] == "fake-token-for-tests"
    assert identify["intents"] & PRIVILEGED_INTENTS == 0
    commands = {c["name"]: c for c in fake.commands["global"]}
    assert {"ask", "faq", "topics", "quiz", "profile", "forget-me", "help", "faqadmin",
            "Answer with careerbot"} <= set(commands)
    assert commands["Answer with careerbot"]["type"] == 3
    admin = commands["faqadmin"]
    assert int(admin["default_member_permissions"]) == 1 << 5  # Manage Server
    assert admin["contexts"] == [0]  # servers only
    assert {o["name"] for o in admin["options"]} >= {
        "add", "edit", "variant", "hide", "restore", "remove", "history", "revert",
        "unanswered", "stats"}
    assert 1 in commands["quiz"]["contexts"]  # usable in DMs with the bot


async def test_sync_to_the_dev_guild_when_one_is_set(fake, settings, kb):
    service = Service(kb, await Store.open(settings.db_path))
    try:
        names = await discord_bot.sync(settings.model_copy(update={"discord_dev_guild": "1234567890"}),
                                         service)
    finally:
        await service.store.close()
    assert "ask" in names and "faqadmin" in names
    assert any(c.method == "PUT" and c.path.endswith("/guilds/1234567890/commands")
               for c in fake.calls)
    assert "global" not in fake.commands


# -- members --------------------------------------------------------------------------------------


async def test_ask_answers_with_an_embed_sources_related_and_feedback_buttons(bot):
    fake = bot.fake
    cb = await fake.interact(fake.slash("ask", {"question": "do I need a PhD to work at DeepMind?"}))
    assert cb.type == CHANNEL_MESSAGE and not cb.ephemeral
    (embed,) = cb.data["embeds"]
    assert "PhD" in embed["title"]
    assert embed["description"]
    assert embed["footer"]["text"].startswith("Sources: ")
    assert [f["name"] for f in embed["fields"]] == ["Related"]
    assert labels(cb.data) == ["Helpful", "Not helpful"]
    assert all(i.startswith("cb:feedback:") for i in custom_ids(cb.data))
    assert_all_sent_within_limits(fake)


async def test_ask_autocomplete_suggests_matching_entries(bot):
    fake = bot.fake
    cb = await fake.interact(fake.autocomplete("ask", "question", "research engin"))
    assert cb.type == AUTOCOMPLETE
    choices = cb.data["choices"]
    assert 0 < len(choices) <= 25
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
    assert any("research engineer" in c["name"].lower() for c in choices[:5])


async def test_faq_autocomplete_offers_topics_and_entry_ids(bot):
    fake = bot.fake
    cb = await fake.interact(fake.autocomplete("faq", "entry", "phd"))
    values = [c["value"] for c in cb.data["choices"]]
    assert "phd" in values
    assert any(v.startswith("phd-") for v in values)
    assert len(values) <= 25


async def test_faq_topic_lists_entries_and_a_show_button_answers(bot):
    fake = bot.fake
    cb = await fake.interact(fake.slash("faq", {"entry": "residencies"}))
    assert cb.type == CHANNEL_MESSAGE
    show = [i for i in custom_ids(cb.data) if i.startswith("cb:show:")]
    assert show
    clicked = await fake.interact(fake.click(show[0]))
    assert clicked.type == CHANNEL_MESSAGE
    assert clicked.data["embeds"][0]["title"]
    assert_all_sent_within_limits(fake)


async def test_unknown_question_is_friendly_and_offers_topics(bot):
    fake = bot.fake
    cb = await fake.interact(fake.slash("ask", {"question": "what is the best pizza topping?"}))
    text = cb.data.get("content") or cb.data["embeds"][0]["description"]
    assert "don't know" in text
    assert "cb:topics:" in custom_ids(cb.data)
    topics = await fake.interact(fake.click("cb:topics:"))
    assert topics.type == CHANNEL_MESSAGE and topics.ephemeral


async def test_help_and_topics_are_ephemeral(bot):
    fake = bot.fake
    for name in ("help", "topics"):
        cb = await fake.interact(fake.slash(name))
        assert cb.type == CHANNEL_MESSAGE
        assert cb.data["flags"] & EPHEMERAL


async def test_mass_mentions_in_a_question_never_ping(bot):
    fake = bot.fake
    await fake.interact(fake.slash("ask", {"question": "@everyone @here <@&123> do I need a PhD?"}))
    await fake.interact(fake.slash("ask", {"question": "@everyone pizza?"}))
    assert_all_sent_within_limits(fake)


async def test_context_menu_answers_the_message_as_a_reply(bot):
    fake = bot.fake
    payload = fake.message_command("Answer with careerbot",
                                   "hey, what does a research engineer actually do?")
    target = payload["data"]["target_id"]
    start = len(fake.calls)
    cb = await fake.interact(payload)
    assert cb.type == DEFERRED and cb.ephemeral  # acknowledged before anything slow
    post = await fake.wait_for_call("POST", "/channels/", after=start)
    assert str(post.json["message_reference"]["message_id"]) == target
    assert post.json["embeds"][0]["title"]
    assert post.json["allowed_mentions"]["replied_user"] is False
    edit = await fake.wait_for_call("PATCH", "/webhooks/", after=start)
    assert edit.json["content"].startswith("Answered: ")


async def test_a_slow_core_is_deferred_first_then_answered(bot):
    fake = bot.fake
    release = asyncio.Event()

    async def slow(cmd: Command) -> Reply:
        await release.wait()
        return Reply(kind="text", body="done at last")

    bot.service.commands["ask"] = slow
    bot.client.response_budget = 0.01
    start = len(fake.calls)
    cb = await fake.interact(fake.slash("ask", {"question": "anything"}))
    assert cb.type == DEFERRED  # the first response did not wait for the core
    release.set()
    edit = await fake.wait_for_call("PATCH", "/webhooks/", after=start)
    assert edit.path.endswith("/messages/@original")
    assert edit.json["content"] == "done at last"


async def test_a_private_reply_after_a_public_defer_stays_private(bot):
    fake = bot.fake
    release = asyncio.Event()

    async def slow(cmd: Command) -> Reply:
        await release.wait()
        return Reply(kind="error", body="only for you", ephemeral=True)

    bot.service.commands["ask"] = slow
    bot.client.response_budget = 0.01
    start = len(fake.calls)
    cb = await fake.interact(fake.slash("ask", {"question": "anything"}))
    assert cb.type == DEFERRED and not cb.ephemeral
    release.set()
    follow = await fake.wait_for_call("POST", "/webhooks/", after=start)
    assert follow.json["flags"] & EPHEMERAL and follow.json["content"] == "only for you"
    assert any(c.method == "DELETE" for c in fake.calls[start:])


async def test_gateway_drop_resumes_and_keeps_answering(bot):
    fake = bot.fake
    await fake.drop_gateway()
    await fake.wait_ready(within=30)
    assert fake.resumes and fake.resumes[0]["session_id"] == "session-1"
    assert fake.heartbeats >= 1
    cb = await fake.interact(fake.slash("help"))
    assert cb.type == CHANNEL_MESSAGE


# -- quizzes --------------------------------------------------------------------------------------

async def start_quiz_in_guild(fake, user: User = MEMBER):
    start = len(fake.calls)
    cb = await fake.interact(fake.slash("quiz", {"quiz": "ml-path"}, user=user))
    assert cb.type == CHANNEL_MESSAGE and cb.ephemeral  # said so privately, in the server
    dm = await fake.wait_for_call("POST", "/users/@me/channels", after=start)
    assert str(dm.json["recipient_id"]) == user.id
    post = await fake.wait_for_call("POST", "/channels/", after=start)
    done = await fake.wait_for_call("PATCH", "/webhooks/", after=start)
    assert "direct message" in done.json["content"]
    return post.json


async def test_quiz_from_a_server_opens_a_dm_and_says_so(bot):
    fake = bot.fake
    step = await start_quiz_in_guild(fake)
    assert step["embeds"][0]["title"].startswith("[1/")
    assert all(i.startswith("cb:quiz:") for i in custom_ids(step))
    assert_all_sent_within_limits(fake)


async def test_quiz_buttons_survive_a_restart_and_edit_in_place(bot):
    fake = bot.fake
    step = await start_quiz_in_guild(fake)
    first_button = custom_ids(step)[0]
    old_message = copy.deepcopy(fake.message_with_custom_id(first_button))
    await bot.restart()
    assert len(fake.identifies) == 2
    cb = await fake.interact(fake.click(first_button, dm=True))
    assert cb.type == UPDATE_MESSAGE  # the step message is edited in place
    assert cb.data["embeds"][0]["title"].startswith("[2/")
    # A double click: the same button on the message as it was. The core decides; nothing breaks.
    again = await fake.interact(fake.click(first_button, dm=True, message=old_message))
    assert again.type in (CHANNEL_MESSAGE, UPDATE_MESSAGE)
    assert_all_sent_within_limits(fake)


async def test_quiz_runs_to_a_result_in_the_dm(bot):
    fake = bot.fake
    step = await start_quiz_in_guild(fake)
    for _ in range(30):
        ids = [i for i in custom_ids(step) if i.startswith("cb:quiz:")]
        if not ids:
            break
        cb = await fake.interact(fake.click(ids[0], dm=True))
        assert cb.type == UPDATE_MESSAGE
        step = cb.data
    assert not [i for i in custom_ids(step) if i.startswith("cb:quiz:")]
    profile = await fake.interact(fake.slash("profile", dm=True))
    assert profile.type == CHANNEL_MESSAGE


# -- moderators -----------------------------------------------------------------------------------


async def open_add_form(fake, user: User = MODERATOR):
    cb = await fake.interact(fake.slash("faqadmin", {}, subcommand="add", user=user))
    return cb


async def test_member_is_refused_faqadmin(bot):
    fake = bot.fake
    cb = await open_add_form(fake, user=MEMBER)
    assert cb.type == CHANNEL_MESSAGE and cb.ephemeral
    assert "moderator" in (cb.data.get("content") or "").lower()
    stats = await fake.interact(fake.slash("faqadmin", {}, subcommand="stats", user=MEMBER))
    assert stats.ephemeral and "moderator" in (stats.data.get("content") or "").lower()


async def test_a_configured_moderator_role_counts(bot):
    fake = bot.fake
    helper = User("1500000000000000003", "helper", roles=("1600000000000000009",))
    cb = await open_add_form(fake, user=helper)
    assert cb.type == MODAL


async def test_moderator_adds_an_entry_by_modal_and_a_member_finds_it(bot):
    fake = bot.fake
    cb = await open_add_form(fake)
    assert cb.type == MODAL
    modal = cb.data
    assert len(modal["title"]) <= 45 and len(modal["custom_id"]) <= 100
    inputs = [row["components"][0] for row in modal["components"]]
    assert 0 < len(inputs) <= 5 and all(len(i["label"]) <= 45 for i in inputs)
    values = {
        "id": "quantum-ml-careers",
        "topic": "roles",
        "question": "Are there careers in quantum machine learning?",
        "answer": "A few labs hire for quantum machine learning; most roles want physics "
                  "and ML research experience.",
        "sources": "reddit-phd-or-not: replies in the thread",
    }
    saved = await fake.interact(fake.submit(modal["custom_id"], values, user=MODERATOR))
    assert saved.ephemeral
    text = (saved.data.get("content") or "") + str(saved.data.get("embeds"))
    if "looks like entry" in text:  # near-duplicate warning: confirm with the core's button
        save_anyway = [i for i in custom_ids(saved.data) if i.startswith("cb:mod-dup-save:")]
        saved = await fake.interact(fake.click(save_anyway[0], user=MODERATOR))
        text = (saved.data.get("content") or "") + str(saved.data.get("embeds"))
    assert "quantum-ml-careers" in text, text
    answer = await fake.interact(fake.slash(
        "ask", {"question": "are there careers in quantum machine learning?"}))
    assert answer.data["embeds"][0]["title"] == values["question"]


async def test_an_invalid_submission_lists_the_errors_privately_and_can_be_fixed(bot):
    fake = bot.fake
    modal = (await open_add_form(fake)).data
    bad = {"id": "Not A Valid Id", "topic": "nope", "question": "?", "answer": "", "sources": ""}
    cb = await fake.interact(fake.submit(modal["custom_id"], bad, user=MODERATOR, labels=False))
    assert cb.type == CHANNEL_MESSAGE and cb.ephemeral
    text = cb.data.get("content") or cb.data["embeds"][0]["description"]
    assert "- **" in text  # one line per refused field, named by its label
    reopen = [i for i in custom_ids(cb.data) if i.startswith("cb:mod-reopen:")]
    assert reopen
    again = await fake.interact(fake.click(reopen[0], user=MODERATOR))
    assert again.type == MODAL  # a modal is always the first response
    prefilled = {row["components"][0]["custom_id"]: row["components"][0].get("value")
                 for row in again.data["components"]}
    assert prefilled["id"] == "Not A Valid Id"


async def test_edit_opens_a_prefilled_modal(bot):
    fake = bot.fake
    cb = await fake.interact(fake.slash("faqadmin", {"entry": "phd-needed-for-research-labs"},
                                        subcommand="edit", user=MODERATOR))
    assert cb.type == MODAL
    values = {row["components"][0]["custom_id"]: row["components"][0].get("value")
              for row in cb.data["components"]}
    assert "PhD" in (values.get("question") or "")
    assert all(len(v or "") <= 4000 for v in values.values())


async def test_unanswered_offers_make_an_entry_buttons(bot):
    fake = bot.fake
    for _ in range(2):
        await fake.interact(fake.slash("ask", {"question": "how do I become a quantum ML lead?"}))
    cb = await fake.interact(fake.slash("faqadmin", {}, subcommand="unanswered", user=MODERATOR))
    assert cb.ephemeral
    make = [i for i in custom_ids(cb.data) if i.startswith("cb:unanswered-new:")]
    assert make, cb.data
    form = await fake.interact(fake.click(make[0], user=MODERATOR))
    assert form.type == MODAL
    prefilled = {row["components"][0]["custom_id"]: row["components"][0].get("value")
                 for row in form.data["components"]}
    assert "quantum" in prefilled["question"]
    assert_all_sent_within_limits(fake)


async def test_near_duplicate_warning_is_shown_privately_with_the_cores_choices(bot):
    fake = bot.fake
    modal = (await open_add_form(fake)).data
    values = {
        "id": "phd-for-labs-again",
        "topic": "phd",
        "question": "Do I need a PhD to work at an AI research lab like DeepMind?",
        "answer": "Mostly for research scientist roles; engineers are hired without one.",
        "sources": "reddit-phd-or-not: replies in the thread",
    }
    cb = await fake.interact(fake.submit(modal["custom_id"], values, user=MODERATOR))
    assert cb.type == CHANNEL_MESSAGE and cb.ephemeral
    assert "looks like entry" in (cb.data.get("content") or "")
    ids = custom_ids(cb.data)
    assert any(i.startswith("cb:mod-dup-variant:") for i in ids)
    assert any(i.startswith("cb:mod-dup-save:") for i in ids)


async def test_a_form_opened_before_a_restart_can_still_be_submitted(bot):
    fake = bot.fake
    modal = (await open_add_form(fake)).data
    await bot.restart()
    values = {"id": "not valid", "topic": "", "question": "", "answer": "", "sources": ""}
    cb = await fake.interact(fake.submit(modal["custom_id"], values, user=MODERATOR))
    assert cb.type == CHANNEL_MESSAGE and cb.ephemeral
    assert "not saved" in (cb.data.get("content") or "").lower()


async def test_the_token_is_never_logged(bot, caplog):
    caplog.set_level(logging.DEBUG)
    await bot.restart()
    await bot.fake.interact(bot.fake.slash("ask", {"question": "do I need a PhD?"}))
    assert caplog.records
    assert DUMMY_TOKEN not in caplog.text


async def test_careerbot_discord_sync_command(fake, tmp_path):
    env = {**os.environ, "DISCORD_TOKEN": DUMMY_TOKEN, "DISCORD_API_BASE": fake.api_base,
           "DISCORD_GATEWAY_URL": fake.gateway_url, "DISCORD_DEV_GUILD": "1234567890",
           "CAREERBOT_DB": str(tmp_path / "sync.db")}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "discord", "sync", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()
    assert "synced" in out.decode() and "guild 1234567890" in out.decode()
    assert DUMMY_TOKEN not in (out + err).decode()
    assert {c["name"] for c in fake.commands["1234567890"]} >= {"ask", "faqadmin", "quiz"}


async def test_careerbot_discord_sync_without_a_token_is_a_clear_error(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISCORD_")}
    env["CAREERBOT_DB"] = str(tmp_path / "sync.db")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "discord", "sync", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 2
    assert "DISCORD_TOKEN is not set" in err.decode()


async def test_closed_dms_are_explained_privately(bot):
    fake = bot.fake
    fake.refuse_dms = True
    start = len(fake.calls)
    cb = await fake.interact(fake.slash("quiz", {"quiz": "phd-fit"}))
    assert cb.ephemeral
    edit = await fake.wait_for_call("PATCH", "/webhooks/", after=start)
    assert "could not send you a direct message" in edit.json["content"]


async def test_ambiguous_question_offers_the_candidates_as_buttons(bot):
    from bot.results import MatchResult, Suggestion

    fake = bot.fake
    candidates = ("masters-before-a-phd", "phd-needed-for-research-labs")
    view = await bot.service.view("x")
    result = MatchResult("ambiguous", 0.5, None, tuple(
        Suggestion(i, view.by_id[i].topic, view.by_id[i].question) for i in candidates))

    async def ambiguous(cmd: Command) -> Reply:
        return bot.service.render_result(result)

    bot.service.commands["ask"] = ambiguous
    cb = await fake.interact(fake.slash("ask", {"question": "masters or phd"}))
    assert [f"cb:show:{i}" for i in candidates] == custom_ids(cb.data)
    picked = await fake.interact(fake.click(f"cb:show:{candidates[0]}"))
    assert picked.data["embeds"][0]["title"] == view.by_id[candidates[0]].question


async def test_careerbot_ask_does_not_import_discord(tmp_path):
    code = ("import sys; from bot.cli import main; main(['ask', 'do I need a PhD?']); "
            "print('discord' in sys.modules)")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, cwd=tmp_path,
        env={**os.environ, "CAREERBOT_DB": str(tmp_path / "ask.db")},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert out.decode().strip().splitlines()[-1] == "False", err.decode()


async def test_context_menu_without_an_answer_tells_only_the_invoker(bot):
    fake = bot.fake
    start = len(fake.calls)
    cb = await fake.interact(fake.message_command("Answer with careerbot",
                                                  "anyone up for pizza tonight?"))
    assert cb.type == DEFERRED and cb.ephemeral
    edit = await fake.wait_for_call("PATCH", "/webhooks/", after=start)
    assert "don't know" in (edit.json.get("content") or "")
    assert not [c for c in fake.calls[start:] if c.path.startswith("/channels/")]


async def test_faqadmin_entry_options_autocomplete_to_entry_ids(bot):
    fake = bot.fake
    cb = await fake.interact(fake.autocomplete("faqadmin", "entry", "residency",
                                               subcommand="edit", user=MODERATOR))
    assert cb.type == AUTOCOMPLETE
    values = [c["value"] for c in cb.data["choices"]]
    assert values and all(v == v.lower() and " " not in v for v in values)
    assert any(v.startswith("residencies-") for v in values)


async def test_faqadmin_variant_and_hide_reach_the_core_with_their_options(bot):
    fake = bot.fake
    phrasing = "is a doctorate mandatory to join deepmind as a scientist"
    cb = await fake.interact(fake.slash(
        "faqadmin", {"entry": "phd-needed-for-research-labs", "phrasing": phrasing},
        subcommand="variant", user=MODERATOR))
    assert cb.ephemeral
    assert "phd-needed-for-research-labs" in str(cb.data)
    hidden = await fake.interact(fake.slash(
        "faqadmin", {"entry": "phd-needed-for-research-labs"}, subcommand="hide",
        user=MODERATOR))
    assert hidden.ephemeral
    shown = await fake.interact(fake.slash("faq", {"entry": "phd-needed-for-research-labs"}))
    assert shown.ephemeral  # hidden entries are no longer served: an error, privately


async def test_a_slow_click_that_goes_to_dm_leaves_the_clicked_message_alone(bot):
    fake = bot.fake
    release = asyncio.Event()

    async def slow(press) -> Reply:
        await release.wait()
        return Reply(kind="text", body="in private", to_dm=True)

    bot.service.buttons["slow-dm"] = slow
    bot.client.response_budget = 0.01
    message = {"id": "1400000000000009999", "channel_id": "1300000000000000001",
               "components": [{"type": 1, "components": [
                   {"type": 2, "style": 2, "label": "Go", "custom_id": "cb:slow-dm:x"}]}]}
    fake.messages[message["id"]] = message
    start = len(fake.calls)
    cb = await fake.interact(fake.click("cb:slow-dm:x", message=message))
    assert cb.type == DEFERRED_UPDATE
    release.set()
    await fake.wait_for_call("POST", "/users/@me/channels", after=start)
    done = await fake.wait_for_call("PATCH", "/webhooks/", after=start)
    assert not done.path.endswith("@original")  # the private notice was edited, not the message
    assert "direct message" in done.json["content"]
    assert fake.messages[message["id"]]["components"] == message["components"]


async def test_careerbot_run_starts_discord_when_a_token_is_set(fake, settings):
    from bot.app import run_all

    task = asyncio.create_task(run_all(settings))
    try:
        await fake.wait_ready(within=30)
        cb = await fake.interact(fake.slash("ask", {"question": "what does a research engineer do?"}))
        assert cb.type == CHANNEL_MESSAGE and cb.data["embeds"]
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_a_dm_sees_the_members_server_not_the_bare_base(bot):
    fake = bot.fake
    entry = "phd-needed-for-research-labs"
    hidden = await fake.interact(fake.slash("faqadmin", {"entry": entry}, subcommand="hide",
                                            user=MODERATOR))
    assert hidden.ephemeral
    newcomer = User("1500000000000000009", "newcomer")
    # Someone who never used the bot in a server gets the shared base in a DM ...
    fresh = await fake.interact(fake.slash("faq", {"entry": entry}, user=newcomer, dm=True))
    assert "There is no entry" not in str(fresh.data)
    # ... a member of the server gets what that server's moderators made of it.
    await fake.interact(fake.slash("topics"))
    in_dm = await fake.interact(fake.slash("faq", {"entry": entry}, dm=True))
    assert "There is no entry" in str(in_dm.data)
