from __future__ import annotations

import ast
import unicodedata
from pathlib import Path

import pytest
import yaml

from bot import chitchat
from bot.chitchat import REPLIES, chitchat_kind, chitchat_reply, is_chitchat
from tests import REPO

EVAL = REPO / "bench" / "eval"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("hi", "greeting"),
        ("hey!", "greeting"),
        ("hello there", "greeting"),
        ("yo", "greeting"),
        ("gm", "greeting"),
        ("good morning all", "greeting"),
        ("Heyyy everyone 👋", "greeting"),
        ("hi <@123456>", "greeting"),
        ("hey @careerbot", "greeting"),
        ("thx!", "thanks"),
        ("thanks a lot 🙏", "thanks"),
        ("ty", "thanks"),
        ("tysm", "thanks"),
        ("thank you so much, that helped", "thanks"),
        ("thanks for the help!", "thanks"),
        ("cheers", "thanks"),
        ("bye", "goodbye"),
        ("cya", "goodbye"),
        ("good night all", "goodbye"),
        ("ok cool", "ack"),
        ("got it, makes sense", "ack"),
        ("👍", "emoji"),
        ("🙏🏽🔥", "emoji"),
        (":thumbsup:", "emoji"),
        ("<:blobheart:12345>", "emoji"),
        ("lol", "laugh"),
        ("hahaha", "laugh"),
        ("lmaooo", "laugh"),
        ("who are you?", "identity"),
        ("what can you do", "identity"),
        ("are you a bot?", "identity"),
        ("how are you?", "how_are_you"),
        ("hey, how's it going?", "how_are_you"),
    ],
)
def test_small_talk_gets_the_reply_of_its_kind(text, kind):
    assert chitchat_kind(text) == kind
    assert chitchat_reply(text) == REPLIES[kind]
    assert is_chitchat(text)


def test_replies_say_what_to_try_next():
    assert "welcome" in REPLIES["thanks"].lower()
    assert "`topics`" in REPLIES["greeting"]
    assert "machine learning" in REPLIES["greeting"]
    assert REPLIES["identity"].endswith("Try `help`.")


def test_replies_are_short_and_free_of_emoji():
    for reply in REPLIES.values():
        assert len(reply) <= 200
        assert not any(unicodedata.category(ch) == "So" for ch in reply), reply


def test_mixed_small_talk_answers_the_weightiest_part():
    assert chitchat_kind("hi, what can you do?") == "identity"
    assert chitchat_kind("hey, how are you") == "how_are_you"
    assert chitchat_kind("ok thanks, bye") == "thanks"


@pytest.mark.parametrize(
    "text",
    [
        "hi, do I need a PhD for DeepMind?",
        "thanks! also what does a research engineer do?",
        "hey, any tips for NeurIPS?",
        "good morning, should I do a PhD?",
        "thanks but is a masters enough?",
        "ok so what about the Google AI residency",
        "lol is a phd even worth it",
        "👍 how do I get a research engineer job",
    ],
)
def test_small_talk_wrapped_around_a_question_is_not_chitchat(text):
    assert chitchat_reply(text) is None
    assert not is_chitchat(text)


@pytest.mark.parametrize(
    "text",
    [
        "is a phd worth it",
        "hello world project ideas for an ML portfolio?",
        "what can you do with a PhD in physics?",
        "who are you supposed to email about a residency",
        "how are you supposed to get into OpenAI without a degree",
        "cool project ideas for ML?",
        "nice projects to put on github?",
        "fine tuning jobs",
        "k-means interview questions",
        "help",
    ],
)
def test_career_questions_that_start_like_small_talk_are_not_chitchat(text):
    assert chitchat_reply(text) is None


@pytest.mark.parametrize("text", ["", "   ", "???", "https://example.com/jobs", "`code`"])
def test_nothing_to_say_is_left_to_the_service(text):
    assert chitchat_reply(text) is None


def _on_topic_eval_questions() -> list[str]:
    questions = []
    for path in sorted(EVAL.glob("dev*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            if item["topic"] != "off-topic":
                questions.append(item["q"])
    return questions


def test_no_on_topic_tuning_question_is_taken_for_chitchat():
    questions = _on_topic_eval_questions()
    assert len(questions) > 500
    assert [q for q in questions if is_chitchat(q)] == []


def test_chitchat_imports_no_platform():
    tree = ast.parse(Path(chitchat.__file__).read_text(encoding="utf-8"))
    imported = {
        name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""])
    }
    assert imported <= {"__future__", "re", "unicodedata", "typing", "bot.text"}
