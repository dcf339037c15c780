"""Wellbeing: the semantic nets kept, figures of speech read by the model, the tune7 to tune9
families, and the audits of the figures."""

from __future__ import annotations

import pytest

from bot.kb.models import SafetyConfig
from tests.wellbeing_quotes import CRISIS, DISTRESS, FIGURES, STRESS


def test_the_process_keeps_only_the_last_few_semantic_nets(tmp_path):
    from bot import semantic as module

    def config(threshold):
        return SafetyConfig(reply="a reply long enough for the model", patterns=("$^",),
                            crisis_prototypes=("a prototype sentence written for this test",),
                            semantic_threshold=threshold, near_crisis_threshold=None)

    first = module.build_semantic(config(0.40), (), tmp_path)
    assert module.build_semantic(config(0.40), (), tmp_path) is first
    for i in range(module.SEMANTIC_KEPT + 2):
        module.build_semantic(config(0.41 + i / 100), (), tmp_path)
    assert len(module._SEMANTIC) <= module.SEMANTIC_KEPT
    assert module.build_semantic(config(0.40), (), tmp_path) is not first


def test_the_words_of_a_message_are_read_once_for_the_limit_and_the_match(wellbeing):
    message = "my advisor yells at me and i cry every morning before the lab"
    before = wellbeing._words.cache_info()
    wellbeing.check_words(message)
    wellbeing.check(message)
    after = wellbeing._words.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)


async def test_only_sentences_near_a_tier_are_compared_with_the_ordinary_phrasings(service):
    """The sentences far from every tier's prototypes skip the product with the knowledge base's
    phrasings; the reading is the same as comparing every sentence."""
    from bot.semantic import Reading

    net = service.wellbeing.semantic
    assert net is not None
    messages = [*CRISIS, *DISTRESS, *STRESS, *FIGURES, "do I need a PhD to work at DeepMind?",
                "whats the diff between RS and RE", "I feel like giving up. Anyway, any tips "
                "for the job market? I have a masters and two papers."]
    seen = set()
    for message in messages:
        read = net._vectors(message)
        if read is None:  # nothing the model reads (too short)
            assert net.read(message) == Reading()
            continue
        vectors, ordinary = read
        prototypes = net.crisis.matches(vectors, ordinary)
        crisis = prototypes or net._example_matches(vectors, ordinary)
        full = Reading(
            crisis=crisis,
            learned_only=crisis and not prototypes,
            near_crisis=net.near_crisis is not None
            and net.crisis.matches(vectors, ordinary, *net.near_crisis),
            distress=net.distress is not None and net.distress.matches(vectors, ordinary),
        )
        assert net.read(message) == full, message
        seen.add(bool(net._candidates(vectors).any()))
    assert seen == {True, False}


@pytest.mark.parametrize("message", [
    "deploying a new model on a friday evening is suicide, fight me",
    "i cant go on like this debugging flaky CI every morning, what tools do you use?",
    "reviewer 2 called our method naive, kill me now lol. how do I answer that in the rebuttal?",
    "I'm going to end it, the side project I mean, since it eats all my weekends",
    "my manager calls me a perfectionist in every 1:1, is that bad for promotion?",
])
def test_activities_called_suicide_and_other_workday_figures_are_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "after everything failing again the only way out is suicide",
    "I'm going to end it, my life I mean, I'm done",
    "the bridge near the lab keeps calling me",
    "been thinking about it every day, maybe suicide is the answer",
])
def test_the_new_figures_leave_crisis_phrasings_alone(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


def test_masking_a_known_figure_can_take_an_alarm_away_but_never_raise_one():
    import numpy as np

    from bot.semantic import Prototypes, SemanticNet

    axes = np.eye(3, dtype=np.float32)

    def encode(texts):
        # "overdosed" leans to crisis; the masked form of the calm sentence leans there too.
        return np.stack([axes[0] if ("overdosed" in t or "masked calm" in t) else axes[2]
                         for t in texts])

    net = SemanticNet(encode, ordinary=axes[1:2], crisis=Prototypes(axes[0:1], 0.45, 0.1))

    def mask(sentences: list[str], tier: str = "crisis") -> list[str]:
        return [s.replace("overdosed on standups", "and so").replace(
            "a calm ordinary sentence", "masked calm sentence here today") for s in sentences]

    figure = "honestly I overdosed on standups this whole week"
    assert net.read(figure).crisis and not net.read(figure, mask).crisis
    calm = "this is a calm ordinary sentence about my week"
    assert not net.read(calm).crisis and not net.read(calm, mask).crisis
    crisis = "I overdosed on purpose last night and I am scared"
    assert net.read(crisis, mask).crisis  # nothing to mask: read as written


@pytest.mark.parametrize("message", [
    "bought the pills, sunday it is",
    "deleted my instagram and my github today. then me",
    "after the viva on friday I'm ending it",
    "después del viernes me mato, ya está decidido",
    "ich mache Schluss. alles ist vorbereitet",
    "cut again last night, i was doing so well",
    "you can have my monitor, I won't be needing it after tonight",
    "won't be around next week and I don't mean a vacation",
])
def test_tune9_families_are_a_crisis(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "im done. not with research, with matplotlib",
    "shooting myself in the foot with this config again, any linters for yaml?",
    "we had to kill the feature before launch, PM agreed",
    "Building a suicide rate forecasting dataset from public health data, which sources are reliable?",
    "I'm done with my thesis draft!!! sending it to my advisor tonight",
    "I'm ending it here, thanks for reading my long post about internships",
    "ich mache Schluss für heute, morgen geht es weiter mit dem Paper",
])
def test_tune9_figures_are_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


# A review of the figures above found crisis messages they neutralised and ordinary messages the
# tune9 families flagged; each is pinned here.
@pytest.mark.parametrize("message", [
    "All I keep thinking about is suicide.",
    "What I'm planning is suicide.",
    "The only thing I'm considering is suicide now.",
    "I want to end it all, I mean my whole life.",
    "I want to end it all, I mean kill myself, nobody would notice.",
    "I'm done. Not with ML, with my life.",
    "I feel suicidal. My thesis data is gone and nothing works.",
    "I'm stepping down from this world. Goodbye everyone, I gave my cat to my sister.",
    "the bridge keeps calling me a little louder every night",
    "I'm ending it with everything tonight",
])
def test_the_figures_never_neutralise_these_crisis_messages(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "I paid for Colab Pro for a year but I'm ending it, any cheaper GPUs?",
    "bought some painkillers on Monday, still can't focus on my thesis",
    "Our admin deleted all the service accounts and then me from the org",
    "I set up the VLAN first, then the bridge interface on the router",
    "I looked over the edge cases and it's amazing how easy the fix was",
    "I'm thinking about driving into the office twice a week, is that normal for ML teams?",
    "The simplest fix is to make the warning disappear",
    "I'd rather not be here when the layoffs are announced",
    "Can I return the loaner laptop? I won't be needing it after Friday",
    "Our grant got cut again, first time in ten years",
    "my wrists are a mess from typing all day, any keyboard tips?",
    "ese bug me mató, tres horas perdidas",
    "me mato haciendo horas extras cada semana",
    "Heute mache ich Schluss, morgen geht es weiter",
    "mi sono tagliato di nuovo facendo la barba",
    "struggling to see the point of batch norm here",
])
def test_tune9_families_do_not_flag_these_ordinary_messages(wellbeing, message):
    assert wellbeing.check(message) is None


def test_a_sentence_in_another_script_is_never_masked(wellbeing):
    sentence = "Я больше не хочу жить, this deadline is killing me"
    assert wellbeing.mask_figures(sentence) == sentence
    assert wellbeing.mask_figures("this deadline is killing me and I hate it") != (
        "this deadline is killing me and I hate it")


# An audit wrote crisis messages around every ordinary family (the families remove their words
# before the crisis patterns read the message); each of these had slipped through one.
@pytest.mark.parametrize("message", [
    "i dont want to live like this anymore",
    "lost my job want to die",
    "lost my job, suicidal, dont know what to do",
    "failed another interview. suicide is all i can think about",
    "i just want to end it all. the job, the loneliness, the pain",
    "im done with my thesis and with life",
    "i want to kill my self its the only way out",
    "i wish i were dead. end of story",
    "giving away my things before i leave for good",
    "gonna overdose on caffeine pills tonight",
    "after submitting my thesis the plan is suicide",
    "im done. not with ml. with being here",
    "thoughts of suicide run through my head every night",
])
def test_ordinary_families_do_not_swallow_these_crisis_messages(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


def test_the_model_reads_a_sentence_whose_only_crisis_words_are_a_figure_without_it(wellbeing):
    """A figure the patterns know that holds every crisis word of its sentence is masked for the
    model too ("writing my goodbye letter to this flat" read as a goodbye letter was an alarm);
    crisis words outside the figure keep the sentence whole."""
    masked = wellbeing.mask_figures("writing my goodbye letter to this flat.", "crisis")
    assert "goodbye" not in masked
    whole = "writing my goodbye letter to this flat, because i want to die"
    assert wellbeing.mask_figures(whole, "crisis") == whole


@pytest.mark.parametrize("message", [
    "my model is suicidal lol. so am i honestly",
    "the loss is dead, same here tbh. i want to die",
])
def test_a_figure_then_saying_it_of_oneself_is_a_crisis(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message, tier", [
    ("i cut myself a lot lately", "crisis"),
    ("cut myself some more tonight", "crisis"),
    ("i burned myself with a lighter again", "crisis"),
    ("i dont want to live at all", "crisis"),
    ("i no longer want to live like this", "crisis"),
    ("cut myself some slack this week, skipped the reading group", None),
    ("i burned myself on the stove making ramen", None),
    ("i want to live at the beach someday, is remote ML work realistic?", None),
])
def test_self_harm_said_plainly_and_no_longer_wanting_to_live(wellbeing, message, tier):
    assert wellbeing.check(message) == tier


@pytest.mark.parametrize("message", [
    "lost at hangman to my niece, the noose was fully drawn before I guessed a single vowel",
    "is shoving all-in with 7-2 offsuit on the bubble pure suicide, or is there a spot for it?",
    "thinking about jumping from data science to ML infra, did anyone do it without a CS degree?",
    "thinking about jumping from academia to industry after the postdoc",
])
def test_tune23_residue_figures_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "bought a noose today",
    "thinking about jumping from the roof tonight",
    "thinking about jumping from my balcony to be honest",
    "it's pure suicide for me, i mean it",
])
def test_beside_those_figures_crisis_is_still_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "any tips for writing a eulogy? my grandpa passed and I'm supposed to speak on Saturday",
    "how do i write a eulogy for my aunt, never done this before",
])
async def test_a_eulogy_for_a_relative_gets_no_safety_reply(service, message):
    assert (await service.match("local", message)).status != "safety"


@pytest.mark.parametrize("message", [
    "drafted my eulogy tonight, figured i should write it myself",
    "planning my own obituary so nobody else has to",
])
async def test_ones_own_eulogy_is_still_a_crisis(service, message):
    assert (await service.match("local", message)).status == "safety"


@pytest.mark.parametrize("message", [
    "my grandpa died while I was at a conference and I never said goodbye. I can't forgive myself",
    "i hurt my best friend and i can't forgive myself for it",
])
def test_guilt_that_will_not_let_go_is_distress(wellbeing, message):
    assert wellbeing.check(message) in ("distress", "crisis")


def test_guilt_said_as_a_joke_stays_ordinary(wellbeing):
    assert wellbeing.check("I can't forgive myself for pushing to main on friday haha") is None
