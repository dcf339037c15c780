"""Quiet crisis from tune37 (three blind writers: students in Discord chat, older career changers
writing plainly, replies to the bot in many languages): new phrasings of each family it added,
read by the patterns alone, and the ordinary messages that share their words staying ordinary."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    # a gamer's goodbye that is not about the game
    "ff. logging off for good, not the server, me",
    # a cover story for the marks, the pet denied
    "if my mom asks they're scratches from the cat. we don't have a cat",
    # one's own plan told to someone who wants to disappear
    "@kai i know what wanting to die after results feels like. mine is set for next friday",
    # things given away and nobody asking why
    "gave my keyboard and all my games away this week and nobody even noticed",
    # the engine left running in the garage
    "sat in the garage with the engine running for an hour and thought about not turning it off",
    # sitting with a gun
    "my dad's rifle is in the closet and some nights i just sit with it",
    # an account owner's death asked beside a scheduled message
    "what happens to a slack account when the owner dies? also can i schedule a post for next week",
    # "I didn't mean the PhD"
    "told my advisor i'm done. he thinks i'm quitting. i didn't mean the thesis",
    # a note to the team that is the other kind
    "can you help me write something for my parents? not a farewell message, the other kind",
    # the family better provided for by a policy
    "my kids will be better provided for this way, the insurance pays out after two years",
    # a date after which one is done, the letters written
    "after my defense i'm done done. already wrote the letters",
    # debts cleared so nobody inherits them, nothing left to arrange
    "clearing the card so nobody inherits it. then there's nothing left for me to sort",
    # a pet one won't look after past a date, to be taken for good
    "can someone take my dog for good? i won't be able to care for him after this month",
    # not needing the advice by a time, kinder than needed
    "i won't need the resume by then. you were kinder to me than you had to be",
    # hiding self-harm under sleeves
    "wearing a hoodie in july so nobody sees what i've been doing to my wrists",
    # Hindi in Latin letters, Portuguese, Spanish, Romanian
    "aaj raat ke baad main kisi par bojh nahi rahungi",
    "deixei tudo resolvido pro meu pai. so queria que alguem soubesse",
    "me pasas el telefono de la linea de la vida? es para mi",
    "vreau ca fratele meu sa aiba parolele dupa ce nu mai sunt",
    # other scripts
    "сестра не знает, что после того, как меня не станет, ей всё достанется",
    "오늘 밤 내 삶을 끝내려고 해",
    "来週にはもうこの世にいないつもりです",
])
def test_quiet_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    "κάθε βράδυ κλαίω μετά τις απορρίψεις",
    "אני מרגישה בודדה בדוקטורט",
    "ando muito deprimida com a procura de estágio",
    "gharwalon ko lagta hai main nikamma hoon",
])
def test_distress_gets_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) == "distress"


@pytest.mark.parametrize("message", [
    "i want to disappear from linkedin for a while. mine's already planned for after finals",
    "help me write a note to the team, not a leaving note, the other kind: a thank you",
    "nvm doesn't matter anymore, found the bug",
    "tidying my debts so nobody inherits them in a worst case, after that there is nothing else "
    "i need to arrange except flights",
    "how do i write a farewell note to my lab? leaving after six years for a job in industry",
    "i've put my affairs in order before we relocate for the new role",
    "deixei tudo organizado pra minha mae antes da viagem, o gato fica com a vizinha",
    "уже купил все, что нужно для переезда, как удалить аккаунты с рабочего ноутбука",
    "i'm starting to doubt i'm cut out for research",
    "uninstalling league for real this time, not the game, my account. finals week",
])
def test_the_ordinary_messages_beside_them_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
