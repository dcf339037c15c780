"""Wellbeing: crisis and distress are noticed before anything else, privately, and never logged."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.kb.loader import load_knowledge
from bot.kb.models import SafetyConfig
from bot.kb.problems import KnowledgeError
from bot.replies import Command, Context
from tests.wellbeing_quotes import CRISIS, DISTRESS, FIGURES, STRESS

MEMBER = Context("console", "local", "c", "alice", "alice", True, False)
MODERATOR = Context("console", "local", "c", "mo", "mo", True, True)



async def ask(service, text: str, ctx: Context = MEMBER):
    return await service.handle(Command(ctx, "ask", text))


# -- the quoted messages, through the whole service ----------------------------------------------


@pytest.mark.parametrize("message", CRISIS)
async def test_quoted_crisis_messages_get_only_the_safety_reply(service, message):
    result = await service.match("local", message)
    assert result.status == "safety" and result.entry is None
    reply = await ask(service, message)
    assert reply.kind == "safety" and reply.ephemeral
    assert "988" in reply.body and reply.entry_id is None


@pytest.mark.parametrize("message", DISTRESS)
async def test_quoted_distress_messages_get_the_private_support_reply(service, message):
    assert (await service.match("local", message)).status == "support"
    reply = await ask(service, message)
    assert reply.kind == "support" and reply.ephemeral
    assert "I don't know that one" not in reply.body
    assert "988" in reply.body and "counselling" in reply.body
    assert {c.payload for c in reply.choices} >= set(service.kb.safety.support.offer)


@pytest.mark.parametrize("message", STRESS)
async def test_ordinary_stress_gets_a_career_answer(service, message):
    result = await service.match("local", message)
    assert result.status == "answered", result


@pytest.mark.parametrize("message", FIGURES)
async def test_figures_of_speech_are_ordinary(service, message):
    assert (await service.match("local", message)).status not in ("safety", "support")


@pytest.mark.parametrize("message", [
    "i wnat to dye", "i think im going to kil myself", "kms if reviewer 2 does this again",
    "i keep looking up how many pills it would take", "thinking about jumping off a roof tonight",
    "i won't be here much longer", "ya no quiero vivir, todo me sale mal en el doctorado",
    "je veux mourir, ma thèse ne marche pas", "ich will nicht mehr leben, alles ist sinnlos",
    "não aguento mais viver assim", "eu quero morrer, o doutorado acabou comigo",
])
def test_misspellings_shorthand_means_and_other_languages_are_a_crisis(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


def test_a_crisis_in_the_middle_of_a_long_story_is_found(wellbeing):
    story = ("I started my PhD four years ago and the first two years went fine. " * 60
             + "Lately I keep thinking everyone would be easier off without me. "
             + "Anyway, my question is whether a master's degree counts for industry jobs. " * 40)
    assert len(story) > 6000
    assert wellbeing.check(story) == "crisis"


def test_a_long_ordinary_story_is_not_an_alarm(wellbeing):
    story = ("I did my master's in Lyon, then two years as a data engineer, and now I want to move "
             "into research engineering at a lab; my code kills it in reviews. ") * 80
    assert wellbeing.check(story) is None


@pytest.mark.parametrize("message", [
    "is burnout common in ML research?", "how do I avoid burnout during a PhD",
    "are online certificates worthless for getting hired?", "my kernel died again",
    "kill -9 the zombie processes on the cluster", "is leaving a FAANG job for a PhD career suicide?",
    "I'm dying to know how residencies pick people", "overdosed on coffee before the interview lol",
])
def test_questions_about_stress_and_dev_talk_are_not_alarms(wellbeing, message):
    assert wellbeing.check(message) is None


# -- privacy and the replies ----------------------------------------------------------------------


async def test_support_is_private_and_never_logged_or_queued(service, store):
    reply = await ask(service, "I've been depressed for months because of my PhD")
    assert reply.kind == "support" and reply.ephemeral
    await service.settle()
    assert (await store.fetchone("SELECT COUNT(*) FROM ask_log"))[0] == 0
    assert (await store.fetchone("SELECT COUNT(*) FROM unanswered"))[0] == 0


async def test_support_keeps_a_confident_answer_under_the_supportive_text(service):
    # Distress plus a clear career question: the question is still answered, below the care.
    message = "I'm so burnt out and miserable. do I need a PhD to work at DeepMind?"
    result = await service.match("local", message)
    assert result.status == "support" and result.entry is not None
    reply = await ask(service, message)
    support_text = service.kb.safety.support.reply.strip()
    assert reply.body.startswith(support_text)
    assert result.entry.question in reply.body and reply.citations
    assert reply.entry_id == result.entry.id


async def test_community_support_line_shows_under_the_fixed_text(service):
    refused = await service.handle(Command(MEMBER, "faq", "helpline Talk to us in #support"))
    assert refused.kind == "error"
    saved = await service.handle(Command(MODERATOR, "faq", "helpline Uni counselling: 01 23 45 @everyone"))
    assert saved.ephemeral and "Uni counselling" in saved.body
    for message, kind in ((CRISIS[0], "safety"), (DISTRESS[0], "support")):
        reply = await ask(service, message)
        assert reply.kind == kind
        fixed = service.kb.safety.reply if kind == "safety" else service.kb.safety.support.reply
        assert reply.body.index(fixed.strip()[:40]) < reply.body.index("Uni counselling")
        assert "@everyone" not in reply.body  # stored neutralised: it can never ping
    other = await ask(service, CRISIS[0], Context("console", "elsewhere", "c", "bob"))
    assert "Uni counselling" not in other.body
    shown = await service.handle(Command(MODERATOR, "faq", "helpline"))
    assert "Uni counselling" in shown.body
    await service.handle(Command(MODERATOR, "faq", "helpline clear"))
    assert "Uni counselling" not in (await ask(service, CRISIS[0])).body


async def test_an_overlong_support_line_is_refused_and_changes_nothing(service, store):
    reply = await service.handle(Command(MODERATOR, "faq", "helpline " + "x" * 400))
    assert reply.kind == "error" and "300" in reply.body
    assert await store.setting("local", "support_line") is None


async def test_answering_someone_elses_message_stays_private_and_nudges_to_reach_out(service):
    for message, kind in ((CRISIS[1], "safety"), (DISTRESS[2], "support")):
        reply = await service.handle(Command(MEMBER, "answer-message", message))
        assert reply.kind == kind and reply.ephemeral
        assert "reach out to them" in reply.body
    ordinary = await service.handle(Command(MEMBER, "answer-message", "are AI residencies worth it?"))
    assert ordinary.kind == "answer" and "reach out to them" not in ordinary.body


# -- the configuration ---------------------------------------------------------------------------


def test_safety_yaml_placeholders_must_be_defined(tmp_path, kb):
    data = kb.safety.model_dump()
    data["patterns"] = [r"\b<nowhere> me\b"]
    with pytest.raises(ValueError, match="<nowhere>"):
        SafetyConfig.model_validate(data)


def test_support_offer_must_name_real_entries(tmp_path):
    import shutil

    from tests.conftest import KNOWLEDGE

    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, root)
    text = (root / "safety.yaml").read_text(encoding="utf-8")
    (root / "safety.yaml").write_text(
        text.replace("- research-life-negative-results", "- no-such-entry"), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(root)
    assert any(p.field == "offer" and "no-such-entry" in p.reason for p in caught.value.problems)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=2000))
def test_the_check_never_raises(wellbeing, text):
    assert wellbeing.check(text) in (None, "crisis", "distress")


@pytest.mark.parametrize("message", [
    "i want \ud800 to be gone forever, nobody would care at all", "\x00" * 50 + "1234 end it all",
    "\udfff" * 300, "<@U123> <!channel> " * 400,
])
async def test_hostile_text_reaches_the_semantic_check_without_crashing(service, message):
    assert service.wellbeing.semantic is not None
    result = await service.match("local", message)
    assert result.status in {"answered", "ambiguous", "unknown", "safety", "support"}


# -- distress by meaning --------------------------------------------------------------------------


@pytest.mark.parametrize("message", [
    "the constant rejections have worn me down to nothing and I don't know who I am anymore",
    "my supervisor tears my work apart in every meeting and I've started to believe I'm as useless as he says",
])
async def test_distress_no_pattern_knows_is_found_by_meaning(service, wellbeing, message):
    assert wellbeing.check(message) is None  # the patterns alone miss it
    assert service.wellbeing.check(message) == "distress"


def test_distress_said_in_the_body_and_in_avoidance_is_found(wellbeing):
    for message in (
        "my hands start shaking whenever my PI's name pops up on slack",
        "I've eaten lunch alone every day this term and nobody in my lab talks to me",
        "I sat in the car park for forty minutes before I could go into the office",
        "I can't stop replaying what he said to me in the review",
        "this search is slowly crushing me, five months and nothing",
    ):
        assert wellbeing.check(message) == "distress", message


async def test_one_distress_sentence_in_a_long_career_post_is_found(service):
    story = ("I did a BSc in economics and spent three years as an analyst at an insurer before "
             "moving to a small ML team. I like the modelling work and my manager is supportive. "
             "But since the reorg I feel like I'm falling to pieces and I cry on the way home most "
             "days. My question: is an online master's in ML respected by hiring managers, or "
             "should I spend the time on Kaggle and open source instead? ") * 3
    assert (await service.match("local", story)).status == "support"


@pytest.mark.parametrize("message", [
    "the GPU queue is soul crushing this week, any free compute for students?",
    "my validation curve looks hopeless after epoch 3, should I lower the learning rate?",
    "our data pipeline is crumbling under the new traffic, kafka or spark?",
    "this benchmark is depressing, every model scores near chance",
    "my GPU is crying under this batch size lol",
    "is a bootcamp certificate worthless without a degree?",
])
async def test_figures_of_speech_stay_silent_with_the_distress_net(service, message):
    assert service.wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "how do I stay sane during a long job search, any routines that worked for you?",
    "four months of applications so far, is a cover letter still worth writing?",
    "I'm anxious about my first NeurIPS poster, how do people prepare?",
    "how do you avoid burnout when working at a startup?",
    "my advisor is very critical of my drafts, how do I get better at writing papers?",
])
async def test_ordinary_stress_questions_stay_silent_with_the_distress_net(service, message):
    assert service.wellbeing.check(message) is None


def test_both_tiers_are_read_from_one_encode_of_the_sentences():
    import numpy as np

    from bot.semantic import Prototypes, SemanticNet

    calls: list[list[str]] = []
    axes = np.eye(3, dtype=np.float32)

    def encode(texts):
        calls.append(list(texts))
        return np.stack([axes[1] if "lab" in t else axes[2] for t in texts])

    net = SemanticNet(encode, ordinary=axes[2:3], crisis=Prototypes(axes[0:1], 0.45, 0.1),
                      distress=Prototypes(axes[1:2], 0.45, 0.1))
    assert net.tier("I can no longer walk into the lab. My question is about master's degrees.") \
        == "distress"
    assert len(calls) == 1 and len(calls[0]) == 2
    assert net.tier("what does a research engineer do all day at a big company") is None


def test_distress_prototypes_are_validated(kb):
    data = kb.safety.model_dump()
    data["support"]["prototypes"] = ["I feel so alone", "i feel so  ALONE"]
    with pytest.raises(ValueError, match="listed twice"):
        SafetyConfig.model_validate(data)
    data["support"]["prototypes"] = ["  "]
    with pytest.raises(ValueError, match="blank"):
        SafetyConfig.model_validate(data)
    data["support"]["prototypes"] = ["I feel so alone"]
    data["crisis_prototypes"] = []
    with pytest.raises(ValueError, match="needs crisis_prototypes"):
        SafetyConfig.model_validate(data)
