"""Messages quoted in the wellbeing issue and its review, pinned to the tier each must get.

They are test cases only: none is a pattern or phrase in knowledge/safety.yaml, so passing them
shows the detector generalises rather than that the messages were copied into it.
"""

CRISIS = [
    "I have no reason to keep going",
    "I can't take it anymore, I'm done with everything",
    "I feel like giving up on life",
    "I don't see the point of living if I fail my defense",
    "honestly I don't see the point of living if I fail my PhD defense",
    "I just want to sleep and never wake up",
    "after this third rejection I just want to sleep and never wake up",
    "nobody would even notice if I was gone",
    "I just want it all to stop",
    "i'm so tired of everything, i just want it all to stop",
    "sometimes I think about ending it all because of grad school",
    "everyone in my lab would be better off without me",
]

DISTRESS = [
    "I seriously need help, my thesis is falling apart and I can't cope anymore",
    "I've been depressed for months because of my PhD",
    "I've been depressed for months because of my PhD and I don't know what to do",
    "burnt out, I cry every morning before the lab",
    "I'm completely burnt out from research, I cry every morning before going to the lab",
    "my advisor humiliates me in group meetings and I feel worthless",
    "my advisor keeps humiliating me in group meetings and I feel worthless",
]

# Ordinary stress and practical questions: a career answer, never a wellbeing reply.
STRESS = [
    "my PhD is so stressful",
    "how do I stay motivated when experiments fail",
    "how do you cope with paper rejections",
]

FIGURES = [
    "this deadline is killing me",
    "kill a zombie process",
    "I'd die for a DeepMind offer",
    "my loss is dead",
]
