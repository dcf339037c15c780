"""Wellbeing rounds tune10 to tune12 (each set written blind and measured before any change), and
the safety audit of the tune10 round."""

from __future__ import annotations

import re

import pytest

from bot.kb.models import SafetyConfig, non_capturing


# tune10 (written blind, measured before any change): crisis shapes no family knew.
@pytest.mark.parametrize("message", [
    "hab echt keinen Bock mehr zu leben, seit Wochen",
    "ich hab keinen Bock mehr auf mein Leben, ehrlich",
    "nicht mehr leben... ich denke jeden Tag darüber nach, wie ich es machen würde",
    "honestly thinking about the permanent exit. not from academia",
    "the only way out I can see now is the permanent one",
    "not quitting the program, quitting everything",
    "relapsed last night, six weeks without cutting gone",
    "been checking which parking garage is the highest near my flat",
    "please don't blame my supervisor for what happens",
])
def test_tune10_families_are_a_crisis(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "our group is annotating overdose mentions in discharge summaries, any tips on guidelines?",
    "anyone know a good suicide prevention research dataset with proper IRB approval?",
    "we built a bot that plays suicide chess, it loves losing its queen",
    "giving away a monitor, two keyboards and a pile of ML textbooks because I'm moving to Lisbon at the end of the month",
    "is the ultimate exit strategy for a startup founder an acquisition?",
    "any tips for interview nerves? my hands shake for the first few minutes then I'm fine",
])
def test_tune10_figures_are_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


def test_a_caffeine_overdose_is_not_taken_for_a_figure(wellbeing):
    """tune10's "caffeine overdose speedrun" was ordinary for a while; the safety audit showed the
    figure hiding real plans ("planning a caffeine overdose this weekend"), so it went."""
    assert wellbeing.check("third espresso before noon, caffeine overdose incoming") == "crisis"


@pytest.mark.parametrize("message", [
    "my PI said my talk was a disaster and I've felt like such a failure all week",
    "I go to sleep with this dread in my chest every single night",
    "je suis tellement angoissé, je n'arrive plus à dormir",
    "the review made it feel like my worth as a person was on trial",
])
def test_tune10_distress_gets_support(wellbeing, message):
    assert wellbeing.check(message) == "distress"


def test_a_figure_explained_in_the_next_sentence_is_masked_for_the_model(wellbeing):
    """"end it all... by which I mean close the tabs": alone, the first sentence has crisis words
    and no figure; the figure the patterns know runs on into the next sentence."""
    parts = ["I'm gonna end it all...", "by which I mean close the 147 browser tabs"]
    masked = wellbeing.mask_sentences(parts)
    assert "end it all" not in masked[0]
    assert wellbeing.check(" ".join(parts) + " I have open for this lit review") is None
    # A sentence whose crisis words stay after the figure is taken out is read as written.
    kept = ["I want to die. I'm gonna end it all...", "by which I mean close the tabs"]
    assert wellbeing.mask_sentences(kept)[0] == kept[0]


@pytest.mark.parametrize("message", [
    "going to end it all. as in close my eyes and not wake up",
    "gonna end it. the project, i mean. and then myself",
    "gonna end it. the run i mean. kidding. not the run",
    "end it all. meaning quit the job and go to the bridge",
    "I'm gonna end it all... by which I mean close the laptop and go to the roof",
])
def test_a_clarification_that_is_not_one_stays_a_crisis(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


def test_a_goodbye_with_a_reason_to_leave_is_not_read_as_near_crisis(wellbeing):
    happy = ("Last day in the group today! Five good years. Starting at a speech startup in "
             "March. Goodbye and thanks everyone")
    assert wellbeing.words(happy).leaving
    assert wellbeing.check(happy) is None
    # "starting to" is no reason to leave.
    assert not wellbeing.words("goodbye. starting to think it's better this way").leaving


def test_a_pattern_asking_for_a_backslash_is_refused():
    """'like a (\\\\w+ )?failure' in single-quoted YAML asks for a backslash, which a folded
    message never has: the pattern silently missed "I feel like a total failure"."""
    with pytest.raises(ValueError, match="asks for a backslash"):
        SafetyConfig(reply="-" * 20, patterns=("want to die", r"like a (\\w+ )?failure"))


def test_a_pattern_referring_back_to_a_group_is_refused():
    """The checks compile every group as non-capturing (see `non_capturing`), so a
    back-reference would silently refer to nothing."""
    with pytest.raises(ValueError, match="refers back to a group"):
        SafetyConfig(reply="-" * 20, patterns=("want to die", r"(so )\1tired"))


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"\b(a|b)\b", r"\b(?:a|b)\b"),
    (r"(?<!x )(c|[(]d)", r"(?<!x )(?:c|[(]d)"),   # lookbehinds and classes kept
    (r"[]a(]x(y)", r"[]a(]x(?:y)"),               # "]" first in a class is a member
    (r"\((z)", r"\((?:z)"),                       # an escaped parenthesis is a character
])
def test_groups_are_made_non_capturing_and_nothing_else_changes(pattern, expected):
    assert non_capturing(pattern) == expected


def test_the_checks_compile_without_capturing_groups(wellbeing):
    """~1,900 capturing groups in the crisis alternation made `re` 13 times slower."""
    crisis = wellbeing._crisis
    source = getattr(crisis, "source", None) or crisis.pattern
    assert re.compile(source).groups == 0


# tune11 (written blind, measured before any change): quiet preparations and hidden questions.
@pytest.mark.parametrize("message", [
    "the tablets are lined up on my desk. sorry everyone",
    "is there a way to schedule an email for after I'm not alive anymore",
    "please don't tell me to call a hotline, I just needed to type it",
    "I'm going to down all the pills in the cabinet after my defense",
    "my cat is the only reason I haven't done it yet",
    "how do you know if you've cut yourself too deep",
    "been thinking about ctb again tonight",
    "what time does the last train cross the bridge by the lab? not for commuting",
    "I'll climb it one last time and not come back",
    "I've been figuring out how to make it look like an accident",
    "stasera prendo tutte le pillole che ho",
    "ayoko nang mabuhay, pagod na ako",
])
def test_tune11_families_are_a_crisis(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "Хочу покончить с собой, больше не могу",
    "我真的不想活了，论文又被拒了",
    "もう死にたい。研究室に行けない",
    "진짜 죽고 싶다 요즘",
    "أفكر في الانتحار كل يوم",
    "मैं आत्महत्या के बारे में सोच रहा हूँ",
])
def test_crisis_in_scripts_the_folded_form_drops_is_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "Как перейти из бэкенда в машинное обучение?",
    "我想申请机器学习的博士，需要发表论文吗？",
    "機械学習エンジニアになるには博士号が必要ですか",
    "머신러닝 연구원이 되려면 박사 학위가 필요한가요?",
    "كيف أبدأ في تعلم الآلة بدون شهادة؟",
])
def test_career_questions_in_those_scripts_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "one more overdose of zoom calls and I'm switching teams",
    "the bowline and the hangmans noose look alike, which knot is better for a tarp?",
    "I'm tired but I'm not giving up on the job search, any tips for cold emails?",
])
def test_tune11_figures_are_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


def test_two_quiet_cues_are_a_crisis_even_in_a_long_career_post(wellbeing):
    """A reason to leave explains a goodbye said near it, not one a long post mentions far away:
    "internship" near the start no longer excuses the notes and the day near the end."""
    post = ("Hi all, applying for MLE roles and not sure whether my internship or my Kaggle "
            "medals should lead the resume. Also should I list JAX separately from PyTorch? "
            "Three onsites this month, no offers. Honestly I don't even know why I'm asking, "
            "I've written the letters to my parents and I'm planning to do it on Saturday.")
    assert wellbeing.check(post) == "crisis"
    moving = "Goodbye everyone! Moving to Munich next week for my new job, I'll miss this server"
    assert wellbeing.check(moving) is None


@pytest.mark.parametrize("message", [
    "最近眠れなくて、毎晩泣いてばかり。研究がしんどい",
    "博士读到第四年，每天都很焦虑，感觉快崩溃了",
    "У меня выгорание, нет сил даже открыть ноутбук",
])
def test_distress_in_scripts_the_folded_form_drops_gets_support(wellbeing, message):
    assert wellbeing.check(message) in ("distress", "crisis")
    assert wellbeing.check_words(message) == "distress"


# tune12 (written blind, measured before any change): crisis in long posts, dark humour and
# self-harm in other words.
@pytest.mark.parametrize("message", [
    "only thing im good at lately is wanting to die. every day for months",
    "step 1 finish the thesis, step 2 submit, step 3 don't wake up. half joking",
    "spent the evening looking up how long a rope has to be. it's not a bit",
    "sometimes on the highway I think about steering into a tree so it would look like an accident",
    "kept scratching my forearm until it was bleeding again after the reviews came in",
    "i punch myself until it bruises when i mess up an interview",
    "a veces pienso que sería mejor morirme y ya",
    "will my scheduled tweet still go out if I'm dead by then",
])
def test_tune12_families_are_a_crisis(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "Is the suicide prevention training for TAs online this year or in person?",
    "our red-team prompts include self-harm and suicide scenarios, how do we grade refusals?",
    "my GAN is mode collapsing so hard it's basically a cry for help",
    "Burned out after a brutal release week. Is it reasonable to ask for two days off?",
])
def test_tune12_figures_are_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "checked my life insurance policy, it pays out even for suicide after two years",
    "I skip classes and think about suicide all day",
])
def test_the_label_list_figure_never_hides_these(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "my mum is in the ICU back home and I'm stuck here finishing experiments",
    "we had to put our dog down this morning and I can't focus on anything",
    "after 300 rejections I just feel dead inside",
])
def test_tune12_grief_and_numbness_get_support(wellbeing, message):
    assert wellbeing.check(message) == "distress"


# A safety audit of the tune10 round wrote crisis messages around every figure it added, and
# ordinary messages around every crisis family: each of these had slipped through.
@pytest.mark.parametrize("message", [
    # Words that only line up across a sentence break are not a figure of speech.
    "I sat through one more pointless meeting. Overdose is my plan for when my roommate leaves.",
    "I keep thinking about suicide. Doors locked, phone off, nobody checking on me.",
    "I wrote my suicide note. Statistics say grad students are at risk and I'm one of them.",
    "I've decided to end it. For my partner it will be a relief, no more burden.",
    "I want to end it all. My training as a doctor means I know exactly how.",
    # The figures' own guards.
    "planning a caffeine overdose this weekend so it looks like an accident",
    "Had a zoom overdose today. I keep looking at the pills in the cabinet and doing the maths.",
    "i googled painless suicide, king size bed, curtains shut, haven't left it in days",
    "after reading suicide statistics for my project I keep thinking I want to be one of them",
    "I want to end it all. I mean close the last chapter, permanently this time.",
    "I'm giving away my books. I won't need them after I kill myself next week, before I move anyway.",
    "Last day in the lab today. I'm going to kill myself tonight, I already gave away my books.",
    # A goodbye whose reason to leave is said not to hold.
    "Goodbye everyone. Got a new job offer but I won't be taking it, or anything else ever again.",
    "my last day is friday. new job lined up in theory, but I don't plan to see monday",
    "goodbye, I'm going on a long vacation, the kind you don't come back from",
    "Bye. I got the job offer but I'm not going to be alive to take it.",
    "farewell all, stepping down as mod, and stepping out of life too",
    "last day at the lab. starting at a new lab next month but I won't be there",
    "I'm ending things. As in shutting the door on all of it tonight, the train comes at 11.",
])
def test_the_tune10_audit_crisis_messages_are_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "My script's final exit code is 137, is that an OOM kill?",
    "Is an acquisition the ultimate exit for founders, or is an IPO better?",
    "Not quitting research, just quitting the world of academic publishing",
    "I slipped up and ran the deploy script with sh instead of bash",
    "Writing a SQL query ranking which buildings are tallest per city for my portfolio",
    "Don't blame the framework for what happens when your state management is a mess",
    "Ich überlege gerade, wie ich es machen soll: erst die Bewerbung oder erst das Portfolio?",
    "Ich habe keinen Bock mehr auf das Leben als Doktorand, ich will in die Industrie.",
    "our team calls itself the suicide squad because we get every doomed migration",
    "I'm done. Not with ML, with pandas. Switching everything to polars",
])
def test_the_tightened_tune10_crisis_families_leave_these_alone(wellbeing, message):
    assert wellbeing.check(message) is None


def test_a_figure_across_a_break_counts_only_when_explained(wellbeing):
    explained = "I'm gonna end it all... by which I mean close the 147 browser tabs"
    assert "end it all" not in wellbeing.without_figures(explained)
    lined_up = "Another coffee. Overdose is what I keep coming back to"
    assert "overdose" in wellbeing.without_figures(lined_up)


# tune13 (written blind, measured before any change): mostly figures of speech and stress.
@pytest.mark.parametrize("message", [
    "went to the bridge again tonight. I don't think I'll come back next time",
    "there's a hose and duct tape in my trunk and I keep sitting in the car",
    "sometimes I think if I just stepped in front of a bus none of this would matter",
    "j'ai envie de sauter du pont à côté du labo",
    "quiero tirarme del puente, ya no aguanto",
    "tenho me cortado toda noite desde a demissão",
    "meglio morire, ho già cercato quale ponte è abbastanza alto",
    "I wanted someone to know who I was before",
])
def test_tune13_families_are_a_crisis(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "any good explainer on suicide burns for a rocket-landing RL environment?",
    "how do you handle label noise between the self-harm and graphic violence classes?",
    "looking for suicide and self-harm risk detection datasets with proper ethics approval",
    "wrapping up our reading group after three years, goodbye and thank you all!",
])
def test_tune13_figures_are_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


# A safety audit of the tune11 and tune12 rounds: crisis messages the new figures hid, and
# ordinary messages the new families flagged.
@pytest.mark.parametrize("message", [
    "Our mod queue sorts posts into labels like self-harm and suicide. I'm basically the suicide class these days.",
    "We had suicide prevention training this morning. The trainer had no idea she was describing my plan for Saturday.",
    "Please don't blame my advisor for what happens after tonight. It was always going to be me.",
    "Hab keinen Bock mehr zu leben mit diesem Kopf. Die Tabletten liegen bereit.",
    "Not leaving academia, leaving this world behind for good.",
    "Permanent exit for me, soon. Not the job kind.",
])
def test_the_tune12_audit_crisis_messages_are_caught(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "How do you get through a six-hour onsite without wanting to die?",
    "Half joking, but is leaving a PhD after one year career suicide?",
    "The new job starts on the 3rd but I won't be there the first week because of my sister's wedding.",
    "Is a retraction the kind of mistake you never come back from in academia?",
    "My suicide risk detection dataset is imbalanced, how do I handle it?",
    "答辩完就解脱了！之后找工作有什么建议？",
    "Last day at the lab today! Moving to Amsterdam for good. Thanks for everything everyone!",
])
def test_the_tune12_audit_ordinary_messages_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "Жить не хочу, всё надоело",
    "もう生きるのに疲れた",
    "살고 싶지 않아 요즘",
    "Lost my grandpa in spring and I want to go where he is",
    "my cat was the last thing keeping me here",
])
def test_more_crisis_phrasings_from_the_tune12_audit(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "想死你了！好久没见，最近在做什么项目？",
    "유서 깊은 연구소에서 인턴 제안을 받았어요. 수락할까요?",
    "Переход из академии в индустрию — карьерное самоубийство?",
    "هل ترك الدكتوراه انتحار مهني؟",
])
def test_native_figures_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
