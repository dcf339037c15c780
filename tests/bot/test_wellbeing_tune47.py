"""Members writing about someone else (tune47, three blind writers: peers in chat; TAs, advisors,
managers and moderators; family and partners, partly in other languages): the same risk said of
another person is still a crisis, a member worried about someone gets a reply for a helper, and a
member in crisis who mentions other people keeps the reply meant for them."""

from __future__ import annotations

import pytest

from bot.render import result_reply
from bot.replies import Command, Context
from bot.results import MatchResult

MEMBER = Context("console", "local", "c", "alice", "alice", True, False)


@pytest.mark.parametrize("message", [
    "my roommate keeps burning herself with a lighter when she's stressed, what do i do",
    "found fresh cuts on my little brother's forearm this morning",
    "my coworker told me at lunch that he's been suicidal since the layoffs",
    "my girlfriend says she doesn't want to be alive anymore after failing quals",
    "a kid in my cohort tried to overdose on his sleeping pills last weekend",
    "my best friend took a whole bottle of her meds on purpose, she's in the ER now",
    "he's out of hospital but told me he wishes the overdose had worked",
    "my sister has been saving up her pills, i found them in a sock drawer",
    "my dad has a plan and a date, he told me calmly like it was nothing",
    "my partner said we'd all be better off if he wasn't around",
    "a member asked me in DMs what the least painful ways of dying are",
    "she gave away her plants and said she won't need them where she's going",
    "mi hermana me dijo que ya no quiere vivir, qué hago",
    "meu irmão disse que quer morrer, não sei o que fazer",
    "mon coloc veut mourir, il me l'a dit hier soir",
    "mein Freund will nicht mehr leben, was soll ich tun",
])
def test_a_crisis_said_of_someone_else_is_a_crisis(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    # a goodbye said of someone else, beside what a worried member reports
    "my labmate wrote letters to his family and he's not answering his phone",
    "she said she won't be around for her birthday and now she isn't picking up",
    "he posted 'sorry for the mess i'm leaving behind' and went offline right after",
    "my flatmate gave away all his gear this week. is this what i think it is?",
])
def test_someone_elses_goodbye_with_an_onlookers_worry_is_a_crisis(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "my labmate has been really depressed since her paper got rejected, how do i help",
    "my mentee keeps having panic attacks before standup",
    "my husband is so down since the layoff, he barely talks",
    "a friend of mine says he feels worthless after 100 rejections",
    "minha amiga tá completamente esgotada com o doutorado",
])
def test_someone_elses_distress_gets_at_least_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) in ("distress", "crisis")


@pytest.mark.parametrize("message", [
    "my manager is cutting costs again, no new GPUs this quarter",
    "she killed it in her job talk, total lock for the offer",
    "my labmate overdosed on espresso before his defense lol",
    "he's been giving away his old textbooks since he moves to Lisbon next month",
    "my advisor hasn't answered my email about the deadline extension",
    "my friend has a plan for her thesis and a date for the defense",
    "my coworker has a scar on his arm from a bike crash, he's fine",
    "my co-author is building a suicide-related search queries dataset for her study",
    "there's a documentary about a teen's suicide linked to social media, good for an ethics class?",
    "mon chef va me tuer, j'ai cassé le build",
    "my grandpa passed away in 2018 and my GPA dropped; should I mention the gap in my SOP?",
    "my mom is in the hospital for a routine knee surgery so I'll be slow this week",
    "our postdoc posted a goodbye message, she starts at a startup on Monday",
])
def test_ordinary_talk_about_others_stays_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None


@pytest.mark.parametrize("message", [
    "my friend told me she wants to kill herself, what do i do?",
    "my labmate has been cutting again, how can i help her",
    "someone in our discord just posted that they're going to end it tonight",
    "i'm his TA and he emailed me that he doesn't see the point in living",
    "my roommate is really depressed and i'm worried about her",
    "my brother tried to overdose last week and i don't know how to talk to him",
    "mi hijo me dijo que ya no quiere vivir, estoy muy preocupada",
])
def test_a_member_worried_about_someone_is_a_helper(wellbeing, message):
    assert wellbeing.about_someone(message)


@pytest.mark.parametrize("message", [
    # the member's own crisis or distress, with other people in the story
    "my friend keeps telling me to get help but i just want to disappear for good",
    "my parents would be relieved if i was gone, my dad said as much",
    "my labmates don't know i've been cutting my arms again",
    "my advisor said my thesis is worthless and honestly i want to die",
    "my wife thinks i'm fine. i've written letters to her and the kids",
    # the other person's words quoted: "I can't go on" is theirs, and so is the worry
    'she texted me "i can\'t go on, everyone would be fine without me" and now she isn\'t answering',
    # "asking for a friend" is most often the member
    "asking for a friend: how many pills would it take",
    "a guy in this server hasn't slept in days and keeps thinking about the bridge. he's me",
])
def test_the_members_own_crisis_keeps_their_reply(wellbeing, message):
    expected = message.startswith("she texted")
    assert wellbeing.about_someone(message) is expected


def test_the_helper_reply_replaces_the_crisis_reply_with_the_same_lines(kb):
    safety = kb.safety
    assert safety.helper_reply and safety.support is not None and safety.support.helper_reply
    for text in (safety.helper_reply, safety.support.helper_reply):
        assert "988" in text and "116 123" in text and "findahelpline.com" in text
    helper = result_reply(kb, MatchResult("safety", 1.0, None, (), about_someone=True), {},
                          community_line="#support")
    assert helper.kind == "safety" and helper.ephemeral
    assert helper.body.startswith(safety.helper_reply.strip()[:60])
    assert safety.reply.strip()[:40] not in helper.body and "#support" in helper.body
    own = result_reply(kb, MatchResult("safety", 1.0, None, ()), {})
    assert own.body.startswith(safety.reply.strip()[:60])
    support = result_reply(kb, MatchResult("support", 0.1, None, (), about_someone=True), {})
    assert support.kind == "support" and support.ephemeral
    assert support.body.startswith(safety.support.helper_reply.strip()[:60])
    # "Answer with careerbot" on someone else's message keeps its own opening and the reply
    # for the author, which the member is nudged to pass on.
    relayed = result_reply(kb, MatchResult("safety", 1.0, None, (), about_someone=True), {},
                           someone_else=True)
    assert relayed.body.startswith(safety.someone_else.strip()[:40])
    assert safety.reply.strip()[:40] in relayed.body


async def test_a_helper_gets_the_helper_reply_through_the_service(service):
    safety = service.kb.safety
    reply = await service.handle(Command(
        MEMBER, "ask", "my roommate said she wants to kill herself, what should i do?"))
    assert reply.kind == "safety" and reply.ephemeral
    assert reply.body.startswith(safety.helper_reply.strip()[:60])
    own = await service.handle(Command(MEMBER, "ask", "i want to kill myself"))
    assert own.kind == "safety" and own.body.startswith(safety.reply.strip()[:60])
    assert await service.store.top_unanswered("local") == []
