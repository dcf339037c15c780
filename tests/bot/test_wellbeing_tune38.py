"""Quiet crisis from tune38 (two blind writers: PhD students and postdocs late at night, job
seekers in tech chat): new phrasings of each family it added, read by the patterns alone, and the
figures of speech and ordinary messages that share their words staying ordinary."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("message", [
    # easier if the vehicle went off the bridge or the road
    "after the rejection i thought it would be simpler if my car just drove off the bridge",
    # done, and not with the field
    "if this offer falls through i'm out. not done with tech, done with everything",
    "je postule une derniere fois. pas le doctorat, tout",
    # not coming down from the roof (German)
    "ich bin auf dem dach der uni und ich glaube nicht dass ich heute nacht wieder runterkomme",
    "ich stehe an der kante und will nicht mehr zuruck nach unten",
    "j'ai ecrit un mot pour ma mere. je crois que c'est mieux comme ca",
])
def test_quiet_crisis_gets_the_safety_reply(wellbeing, message):
    assert wellbeing.check(message) == "crisis"


@pytest.mark.parametrize("message", [
    # letters or a note for the family already written (French)
    "les lettres pour mes parents sont deja ecrites",
    "j'ai laisse un mot pour papa sur la table",
])
def test_these_get_at_least_the_support_reply(wellbeing, message):
    assert wellbeing.check(message) in ("distress", "crisis")


@pytest.mark.parametrize("message", [
    "i keep hoping i won't wake up to another 40 slack notifications tomorrow",
    "kms if i have to reverse a linked list on a whiteboard one more time",
    "kms the docker env died again",
    "it would be easier if the bus went over the bridge instead of the tunnel, traffic is awful",
    "not done with academia yet, just done with this paper",
    "ich glaube nicht dass ich heute wieder ins buro gehe, ich arbeite von zu hause",
    # the audit's ordinary twins (paraphrased): a tuition question about the family paying; a
    # PhD left for industry; an offer turned down to stay near family
    "if a student withdraws mid semester does the university still bill the family? want to make "
    "sure my parents aren't stuck paying",
    "if the paper gets rejected again i'm done. not done with ml, just done with academia",
    "j'ai refuse l'offre a paris pour rester pres de ma famille, je crois que c'est mieux comme ca",
])
def test_the_figures_and_ordinary_messages_beside_them_stay_ordinary(wellbeing, message):
    assert wellbeing.check(message) is None
