"""Wellbeing: does every crisis get the safety reply, distress the support reply, and ordinary
stress and figures of speech a normal answer?

Scored through `Service.match`, the same path as `careerbot ask --json` and every adapter, on
`bench/eval/wellbeing.yaml` (written for the project, split into a tuning half and a held-out
check half before any tuning), on the tuning sets `wellbeing-tune2.yaml` to `wellbeing-tune87.yaml`,
on the held-out fresh sets, and on the distress posts of `bench/eval/real-tuning.yaml`. The career
questions of `dev.yaml` to `dev8.yaml` (tuning sets of matching) are counted too: a wellbeing
reply to one of them is a false alarm a member would see; `dev9.yaml` (held out) only as a count.
Where a set marks whom a message is about (`about: someone` or `self`), the reply's addressee is
scored too: the helper reply for a member worried about someone, the usual one for the member's
own crisis.

Misses are printed (`--misses`) for tuning sets only: the held-out sets stay unseen.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.config import Settings
from bot.kb.loader import load_knowledge
from bot.recent import ENCODE_THREADS
from bot.service import Service
from bot.store import Store
from bot.text import SCAN_HEAD, SCAN_TAIL
from bot.wellbeing import Wellbeing

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "bench" / "eval"
WELLBEING = {"safety", "support"}


@dataclass(frozen=True)
class Message:
    text: str
    tier: str  # crisis | distress | stress | figure
    half: str  # tune.. | check | fresh.. | real
    about: str = ""  # someone | self, where the set says whom the message is about


@dataclass(frozen=True)
class Half:
    name: str
    label: str
    tuning: bool  # misses may be printed and tuned on


HALVES = (
    Half("tune", "tuning half", True),
    Half("tune2", "second tuning set", True),
    Half("tune3", "third tuning set", True),
    Half("tune4", "fourth tuning set (written blind to the detector, then tuned on)", True),
    Half("tune5", "fifth tuning set (was the second fresh set: written blind, measured held "
                  "out, then tuned on)", True),
    Half("tune6", "sixth tuning set (variants of each family, many voices and languages)", True),
    Half("tune7", "seventh tuning set (written blind, many figures of speech; measured before "
                  "any change made for it)", True),
    Half("tune8", "eighth tuning set (written blind, half of it figures of speech; measured "
                  "before any change made for it)", True),
    Half("tune9", "ninth tuning set (written blind, crisis in many voices; measured before any "
                  "change made for it)", True),
    Half("tune10", "tenth tuning set (written blind, near-twins across the line; measured "
                   "before any change made for it)", True),
    Half("tune11", "eleventh tuning set (written blind, quiet crisis: preparations, hidden "
                   "questions, 16 languages; measured before any change made for it)", True),
    Half("tune12", "twelfth tuning set (written blind, crisis inside long career posts, dark "
                   "humour, self-harm in other words; measured before any change made for it)",
         True),
    Half("tune13", "thirteenth tuning set (written blind, mostly figures of speech and "
                   "practical stress; measured before any change made for it)", True),
    Half("tune14", "fourteenth tuning set (written blind, mostly figures of speech in ML "
                   "jargon and near-twins of crisis messages; measured before any change made "
                   "for it)", True),
    Half("tune15", "fifteenth tuning set (written blind, ordinary messages that sound dark: "
                   "chat one-liners, hyperbole, memes, 15 languages; measured before any change "
                   "made for it)", True),
    Half("tune16", "sixteenth tuning set (written blind, mostly crisis in many voices and 17 "
                   "languages; measured before any change made for it)", True),
    Half("tune17", "seventeenth tuning set (written blind, mostly figures of speech in ML "
                   "chat and quiet crisis, 12 languages; measured before any change made for "
                   "it)", True),
    Half("tune18", "eighteenth tuning set (written blind, mostly hard figures of speech and "
                   "crisis in many voices, 16 languages; measured before any change made for "
                   "it)", True),
    Half("tune19", "nineteenth tuning set (written blind, mostly quiet and hidden crisis in many "
                   "voices, 20 languages; measured before any change made for it)", True),
    Half("tune20", "twentieth tuning set (written blind, mostly crisis hidden in practical "
                   "questions and long posts, 16 languages; measured before any change made for "
                   "it)", True),
    Half("tune21", "twenty-first tuning set (written blind, chat-style fragments and replies, "
                   "slang, goodbyes and methods, 13 languages; measured before any change made "
                   "for it)", True),
    Half("tune22", "twenty-second tuning set (written blind, non-native English, vent posts, "
                   "minimising and passive ideation, 15 languages; measured before any change "
                   "made for it)", True),
    Half("tune23", "twenty-third tuning set (written blind, mostly hard figures of speech in "
                   "ML jargon and other languages, short and hypothetical crisis; measured "
                   "before any change made for it)", True),
    Half("tune24", "twenty-fourth tuning set (written blind, indirect crisis in long posts, "
                   "replies and slang, figures in ML jargon, games and 12 languages; measured "
                   "before any change made for it)", True),
    Half("tune25", "twenty-fifth tuning set (written blind, messages to the bot itself: career "
                   "questions with a crisis or distress inside them, 15 languages; measured "
                   "before any change made for it)", True),
    Half("tune26", "twenty-sixth tuning set (written blind, the most common direct crisis "
                   "phrasings in 31 languages; measured before any change made for it)", True),
    Half("tune27", "twenty-seventh tuning set (written blind, mostly ordinary messages that "
                   "sound dark, near-twins across the line; measured before any change made "
                   "for it)", True),
    Half("tune28", "twenty-eighth tuning set (written blind, mostly indirect crisis in English "
                   "chat and long posts, indirect distress; measured before any change made for "
                   "it)", True),
    Half("tune29", "twenty-ninth tuning set (written blind, ordinary career questions in 33 "
                   "languages; 15 of 132 flagged at first, then used to choose the ordinary "
                   "prototypes)", True),
    Half("tune30", "thirtieth tuning set (written blind, forum and server posts, mostly distress, "
                   "with stress and figures sharing their words; measured before any change made "
                   "for it)", True),
    Half("tune31", "thirty-first tuning set (written blind, mostly indirect crisis in English "
                   "chat: arrangements, practical questions, odd goodbyes; measured before any "
                   "change made for it)", True),
    Half("tune32", "thirty-second tuning set (written blind, hard figures of speech with near-twin "
                   "crisis messages; measured before any change made for it)", True),
    Half("tune33", "thirty-third tuning set (written blind, quiet crisis in chat and forum posts "
                   "with near-twin ordinary questions: arrangements, what happens after one's own "
                   "death, time limits, goodbyes; measured before any change made for it)", True),
    Half("tune34", "thirty-fourth tuning set (three writers, each blind: non-native English and "
                   "code-switching, terse server chat with irony, long careful forum posts; "
                   "measured before any change made for it)", True),
    Half("tune35", "thirty-fifth tuning set (three writers, each blind: fast phone typing, "
                   "European languages and metaphor, restrained industry posts; measured before "
                   "any change made for it: crisis 43/60)", True),
    Half("tune36", "thirty-sixth tuning set (three writers, each blind: chat languages of Africa "
                   "and Asia in Latin letters, technical chat with code and logs, academics; "
                   "measured before any change made for it: crisis 33/54)", True),
    Half("tune37", "thirty-seventh tuning set (three writers, each blind: students in Discord "
                   "chat, older career changers writing plainly, replies to the bot in many "
                   "languages; measured before any change made for it: crisis 32/60)", True),
    Half("tune38", "thirty-eighth tuning set (two writers, each blind: PhD students and postdocs "
                   "late at night, job seekers in tech chat; measured before any change made for "
                   "it: crisis 34/40)", True),
    Half("tune39", "thirty-ninth tuning set (one writer, blind: Spanish, French, German and "
                   "Portuguese as members write them; measured before any change made for it: "
                   "crisis 15/24)", True),
    Half("tune40", "fortieth tuning set (three writers, each blind: English as a second language "
                   "about visas, loans and family; crisis behind dark humour; self-harm and "
                   "recklessness; measured before any change made for it: crisis 43/58)", True),
    Half("tune41", "forty-first tuning set (three writers, each blind: chat with Discord and Slack "
                   "markup; adults in mid-life with illness, caregiving and debts; very short "
                   "messages; measured before any change made for it: crisis 47/58)", True),
    Half("tune42", "forty-second tuning set (three writers, each blind: hard figures of speech "
                   "with near-twin crisis; English of the UK, Ireland, Australia, New Zealand and "
                   "South Africa; indirect crisis in ten languages in their own scripts; measured "
                   "before any change made for it: crisis 37/56)", True),
    Half("tune43", "forty-third tuning set (three writers, each blind: school students under exam "
                   "pressure; distress said in passing; crisis disguised as a question or as talk "
                   "about someone else; measured before any change made for it: crisis 35/46)",
         True),
    Half("tune44", "forty-fourth tuning set (three writers, each blind: spellings and emoji that "
                   "dodge word filters; faith and culture; long forum posts with the crisis buried "
                   "in them; measured before any change made for it: crisis 39/46)", True),
    Half("tune45", "forty-fifth tuning set (three writers, each blind: dictated and phone-typed "
                   "messages; computing metaphors for oneself; the Englishes of South and Southeast "
                   "Asia and of West and East Africa; measured before any change made for it: "
                   "crisis 43/54)", True),
    Half("tune46", "forty-sixth tuning set (three writers, each blind: a detached, analytical "
                   "voice; grief, family rejection and isolation abroad; risk shown through pills, "
                   "drink, not eating and recklessness; measured before any change made for it: "
                   "crisis 33/54)", True),
    Half("tune47", "forty-seventh tuning set (three writers, each blind: members writing about "
                   "someone else, as peers in chat, as TAs, advisors, managers and moderators, and "
                   "as family, partly in other languages; measured before any change made for it: "
                   "crisis 36/54)", True),
    Half("tune48", "forty-eighth tuning set (three writers, each blind: chronic illness, pain and "
                   "disability; neurodivergent members writing flatly, and LGBTQ+ members rejected "
                   "at home; harassment and exploitation at work; measured before any change made "
                   "for it: crisis 51/54)", True),
    Half("tune49", "forty-ninth tuning set (three writers, each blind: euphemisms that dodge word "
                   "filters in gaming chat; members living with a named condition, veterans and "
                   "refugees; quiet practical goodbyes in the lab and at work; measured before any "
                   "change made for it: crisis 38/54)", True),
    Half("tune50", "fiftieth tuning set (three writers, each blind: public shame, debts and losses "
                   "hidden from a partner; mid-career members whose work AI took over; feelings put "
                   "in templates such as standups, tickets, changelogs and haiku; measured before "
                   "any change made for it: crisis 46/55)", True),
    Half("tune51", "fifty-first tuning set (three writers, each blind: Spanish, Portuguese, French, "
                   "German and Italian as typed in chat; replies in threads; questions that deflect "
                   "with 'hypothetically' or 'for a story'; measured before any change made for "
                   "it: crisis 37/53)", True),
    Half("tune52", "fifty-second tuning set (three writers, each blind: members answering the bot's "
                   "own wellbeing reply; irony and meme formats with a real crisis behind them; "
                   "self-harm and risky behaviour with the vocabulary of recovery; measured before "
                   "any change made for it: crisis 46/54)", True),
    Half("tune53", "fifty-third tuning set (three writers, each blind, in plain everyday voices: "
                   "students in ML chat; researchers and engineers writing with restraint; members "
                   "writing in a second language or their own; measured before any change made "
                   "for it: crisis 44/54)", True),
    Half("tune54", "fifty-fourth tuning set (three writers, each blind, in three voices: members "
                   "writing in a second language or their own; long-winded forum posters; very "
                   "online students with dark humour and chat shorthand; measured before any "
                   "change made for it: crisis 45/54)", True),
    Half("tune55", "fifty-fifth tuning set (two writers, each blind, mostly ordinary messages that "
                   "sound dark: ML engineers at work in Slack; students in a study-group Discord, "
                   "a third in other languages; measured before any change made for it: crisis "
                   "18/20, figures alarmed 29/56)", True),
    Half("tune56", "fifty-sixth tuning set (three writers, each blind: members talking to the bot "
                   "with the real thing disguised as a practical question; formal, euphemistic "
                   "Englishes of South and Southeast Asia, Africa and the Caribbean; ten languages "
                   "in their own scripts; measured before any change made for it: crisis 40/54)",
                   True),
    Half("tune57", "fifty-seventh tuning set (three writers, each blind: throwaway 'Title. Body' "
                   "posts of laid-off engineers, members on a work visa and PhD students; replies "
                   "in threads and messages of a few words; Spanish, Portuguese, French, German "
                   "and Italian forum posts; measured before any change made for it: crisis "
                   "39/54)", True),
    Half("tune58", "fifty-eighth tuning set (three writers, each blind, asked for more figures of "
                   "speech: a hackathon and competition Discord with gaming slang; engineers on "
                   "call in a company Slack; warm members who talk in hyperbole, a third in other "
                   "languages; measured before any change made for it: crisis 34/42, figures "
                   "alarmed 5/54)", True),
    Half("tune59", "fifty-ninth tuning set (three writers, each blind, asked for more figures of "
                   "speech: long reflective forum posts with academic idioms; terse researchers in "
                   "a lab Slack with ML jargon; members writing Arabic, Turkish, Polish, Russian, "
                   "Vietnamese, Indonesian or Tagalog, or simple English; measured before any "
                   "change made for it: crisis 31/42, figures alarmed 3/54)", True),
    Half("tune60", "sixtieth tuning set (three writers, each blind: older members retraining "
                   "from other professions; very online students with memes and TikTok speak; "
                   "Japanese, Korean, Chinese, Hindi, Bengali, Tamil and Urdu in their own scripts "
                   "or romanized; measured before any change made for it: crisis 24/42, figures "
                   "alarmed 2/54)", True),
    Half("tune61", "sixty-first tuning set (three writers, each blind: members writing to the bot "
                   "itself as to a person; English, French, Arabic in Latin letters, Swahili, "
                   "Amharic, Hausa, Yoruba and Nigerian Pidgin; a lab Slack's #random, hedged and "
                   "minimising; measured before any change made for it: crisis 34/42, figures "
                   "alarmed 4/54)", True),
    Half("tune62", "sixty-second tuning set (three writers, each blind: a sarcastic job-hunting "
                   "channel; literary graduate students quoting poems; Dutch, Swedish, Danish, "
                   "Norwegian, Czech, Greek, Romanian, Hungarian, Finnish and Ukrainian; measured "
                   "before any change made for it: crisis 26/42, figures alarmed 8/54)", True),
    Half("tune63", "sixty-third tuning set (three writers, each blind: parents and caregivers; "
                   "chat Spanish and Portuguese with regional slang; calm practical arrangements, "
                   "for dying or for a move, a job, a baby or surgery; measured before any change "
                   "made for it: crisis 32/42, figures alarmed 8/54)", True),
    Half("tune64", "sixty-fourth tuning set (three writers, each blind: anime, games and internet "
                   "culture; corporate euphemism at big labs and startups; English code-switched "
                   "with Hindi/Urdu, Arabic, Persian or Turkish in Latin letters; measured before "
                   "any change made for it: crisis 28/42, figures alarmed 2/54)", True),
    Half("tune65", "sixty-fifth tuning set (three writers, each blind: members who research mental "
                   "health, overdose or self-harm with ML and name them as research subjects; older "
                   "academics in formal, sometimes religious language; dictated and rushed phone "
                   "messages with filter-dodging slang; measured before any change made for it: "
                   "crisis 34/42, figures alarmed 12/54)", True),
    Half("tune66", "sixty-sixth tuning set (three writers, each blind: Reddit-style posts with "
                   "TL;DR and EDIT lines; members who describe themselves in ML idiom; short replies "
                   "in threads and late-night lowercase with emoji; measured before any change made "
                   "for it: crisis 36/42, figures alarmed 5/54)", True),
    Half("tune67", "sixty-seventh tuning set (three writers, each blind: English of Singapore, "
                   "Malaysia, the Philippines and Hong Kong chat; metaphors from sport, music and the "
                   "stage; polite formal requests to the moderators with the crisis behind them; "
                   "measured before any change made for it: crisis 32/42, figures alarmed 7/54)",
         True),
    Half("tune68", "sixty-eighth tuning set (three writers, each blind: angry venting with "
                   "violent hyperbole; Spanish, Portuguese, French and German as typed in chat; long "
                   "posts with the lines that matter in the middle; measured before any change made "
                   "for it: crisis 32/42, figures alarmed 15/54)", True),
    Half("tune69", "sixty-ninth tuning set (three writers, each blind: English translated word by "
                   "word from Chinese, Japanese, Korean, Russian or Arabic; English mixed with "
                   "romanised Chinese, Japanese and Korean; the community's own moderators and "
                   "mentors burning out; measured before any change made for it: crisis 37/42, "
                   "figures alarmed 1/54)", True),
    Half("tune70", "seventieth tuning set (three writers, each blind: replies to the bot's own "
                   "career answers; first posts in an introductions channel; messages typed in a "
                   "rush of panic or exhaustion; measured before any change made for it: crisis "
                   "36/42, figures alarmed 9/54)", True),
    Half("tune71", "seventy-first tuning set (three writers, each blind: short chat messages of 2 "
                   "to 12 words; English code-switched with Bengali, Tamil, Telugu, Marathi or "
                   "Kannada in Latin letters; messages addressed to the bot with mentions and "
                   "commands; measured before any change made for it: crisis 31/42, figures "
                   "alarmed 4/54)", True),
    Half("tune72", "seventy-second tuning set (three writers, each blind: members who speak of "
                   "themselves in the second or third person, and run-on messages; ratings, "
                   "percentages, lists and status updates; replies that quote someone else "
                   "first; measured before any change made for it: crisis 33/42, figures "
                   "alarmed 5/54)", True),
    Half("tune73", "seventy-third tuning set (three writers, each blind: members who minimise "
                   "and apologise and change the subject; English shaped by Polish, Russian, "
                   "Ukrainian, Romanian, Turkish, Portuguese or Spanish; diary entries and "
                   "feelings said through lyrics, film lines and poems; measured before any change "
                   "made for it: crisis 31/42, figures alarmed 6/54)", True),
    Half("tune74", "seventy-fourth tuning set (three writers, each blind: the grim idioms of "
                   "academia; members talking to the bot in the middle of using it; people moving "
                   "into ML from other trades; measured before any change made for it: crisis "
                   "30/42, figures alarmed 1/54)", True),
    Half("tune75", "seventy-fifth tuning set (three writers, each blind: members who ask the bot "
                   "to draft something for them; live messages saying where the member is right "
                   "now; experienced members giving advice, their own state slipping out; measured "
                   "before any change made for it: crisis 35/42, figures alarmed 3/54)", True),
    Half("tune76", "seventy-sixth tuning set (three writers, each blind: written as a pre-launch "
                   "check of the bot would be; a career question, then an afterthought; "
                   "doom-posting about the AI job market; measured before any change made for it: "
                   "crisis 40/42, figures alarmed 2/54)", True),
    Half("tune77", "seventy-seventh tuning set (three writers, each blind: sleep, tiredness and "
                   "waking; endings of a PhD, a visa, a contract, a last day; medication, therapy "
                   "and doctors; measured before any change made for it: crisis 35/42, figures "
                   "alarmed 8/54)", True),
    Half("tune78", "seventy-eighth tuning set (three writers, each blind, asked for hard figures "
                   "of speech: the holiday season and the year's end; relationships ending; money "
                   "and losses; measured before any change made for it: crisis 41/42, figures "
                   "alarmed 27/54)", True),
    Half("tune79", "seventy-ninth tuning set (three writers, each blind, asked for hard figures "
                   "of speech: pets, plants and home life; climbing, running, swimming and "
                   "skydiving; nurses, paramedics, pharmacists and doctors; measured before any "
                   "change made for it: crisis 33/42, figures alarmed 26/54)", True),
    Half("tune80", "eightieth tuning set (three writers, each blind, asked for hard figures of "
                   "speech: cooking, crafts and workshops; commuting and travel; teachers, TAs and "
                   "lecturers; measured before any change made for it: crisis 35/42, figures "
                   "alarmed 18/54)", True),
    Half("tune81", "eighty-first tuning set (three writers, each blind: members back after months "
                   "of silence or posting for the first time; members in institutional or legal "
                   "trouble and ashamed of it; members studying ML beside night shifts and gig "
                   "jobs; measured before any change made for it: crisis 41/42, figures alarmed "
                   "15/54)", True),
    Half("tune82", "eighty-second tuning set (three writers, each blind: posts in the register of "
                   "LinkedIn and Twitter/X; the body (eating, the gym, caffeine, alcohol, sleep, "
                   "skipping the doctor); members who lost someone to suicide; measured before "
                   "any change made for it: crisis 31/42, figures alarmed 13/54)", True),
    Half("tune83", "eighty-third tuning set (three writers, each blind: founders of tiny startups "
                   "and indie hackers; birthdays and milestones; English code-switched with Spanish "
                   "or Portuguese; measured before any change made for it: crisis 39/42, figures "
                   "alarmed 9/54)", True),
    Half("tune84", "eighty-fourth tuning set (three writers, each blind: students on an online "
                   "course's discussion board; weather, seasons and the outdoors; members "
                   "rebuilding their lives while learning to code; measured before any change "
                   "made for it: crisis 41/42, figures alarmed 11/54)", True),
    Half("tune85", "eighty-fifth tuning set (three writers, each blind: overwork cultures in "
                   "English as a second language; people in their 60s and 70s learning ML; "
                   "anxiety about the future, AI doom and climate; measured before any change "
                   "made for it: crisis 38/42, figures alarmed 11/54)", True),
    Half("tune86", "eighty-sixth tuning set (three writers, each blind: gambling, crypto and "
                   "trading losses; a big ML conference's chat during the conference week; new "
                   "parents and parents-to-be; measured before any change made for it: crisis "
                   "37/42, figures alarmed 8/54)", True),
    Half("tune87", "eighty-seventh tuning set (three writers, each blind: security, systems and "
                   "rocketry jargon that sounds violent; isolated fieldwork and remote postings; "
                   "students in India during campus placement season; measured before any change "
                   "made for it: crisis 38/42, figures alarmed 8/54)", True),
    Half("check", "check half (held out)", False),
    Half("fresh", "fresh set (held out, written later)", False),
    Half("fresh3", "third fresh set (held out, written blind to the detector)", False),
    Half("fresh4", "fourth fresh set (held out, written blind by another writer)", False),
    Half("fresh5", "fifth fresh set (held out, written blind by another writer: quiet crisis with "
                   "near-twin ordinary questions)", False),
    Half("fresh6", "sixth fresh set (held out, written blind by another writer: quiet crisis, "
                   "near-twin stress, figures in ML chat; first reading 34/45 crisis without the "
                   "probe, 37/45 with it)", False),
    Half("real", "real distress posts (real-tuning.yaml)", False),
)
FILES = ("wellbeing.yaml", "wellbeing-tune2.yaml", "wellbeing-tune3.yaml", "wellbeing-tune4.yaml",
         "wellbeing-tune5.yaml", "wellbeing-tune6.yaml", "wellbeing-tune7.yaml",
         "wellbeing-tune8.yaml", "wellbeing-tune9.yaml", "wellbeing-tune10.yaml",
         "wellbeing-tune11.yaml", "wellbeing-tune12.yaml", "wellbeing-tune13.yaml",
         "wellbeing-tune14.yaml", "wellbeing-tune15.yaml", "wellbeing-tune16.yaml",
         "wellbeing-tune17.yaml", "wellbeing-tune18.yaml", "wellbeing-tune19.yaml",
         "wellbeing-tune20.yaml", "wellbeing-tune21.yaml", "wellbeing-tune22.yaml",
         "wellbeing-tune23.yaml", "wellbeing-tune24.yaml", "wellbeing-tune25.yaml",
         "wellbeing-tune26.yaml", "wellbeing-tune27.yaml", "wellbeing-tune28.yaml",
         "wellbeing-tune29.yaml", "wellbeing-tune30.yaml",
         "wellbeing-tune31.yaml", "wellbeing-tune32.yaml", "wellbeing-tune33.yaml",
         "wellbeing-tune34.yaml", "wellbeing-tune35.yaml", "wellbeing-tune36.yaml",
         "wellbeing-tune37.yaml", "wellbeing-tune38.yaml",
         "wellbeing-tune39.yaml", "wellbeing-tune40.yaml",
         "wellbeing-tune41.yaml", "wellbeing-tune42.yaml",
         "wellbeing-tune43.yaml", "wellbeing-tune44.yaml", "wellbeing-tune45.yaml",
         "wellbeing-tune46.yaml", "wellbeing-tune47.yaml", "wellbeing-tune48.yaml",
         "wellbeing-tune49.yaml", "wellbeing-tune50.yaml",
         "wellbeing-tune51.yaml", "wellbeing-tune52.yaml", "wellbeing-tune53.yaml",
         "wellbeing-tune54.yaml", "wellbeing-tune55.yaml",
         "wellbeing-tune56.yaml", "wellbeing-tune57.yaml", "wellbeing-tune58.yaml",
         "wellbeing-tune59.yaml", "wellbeing-tune60.yaml",
         "wellbeing-tune61.yaml", "wellbeing-tune62.yaml",
         "wellbeing-tune63.yaml", "wellbeing-tune64.yaml", "wellbeing-tune65.yaml",
         "wellbeing-tune66.yaml", "wellbeing-tune67.yaml", "wellbeing-tune68.yaml",
         "wellbeing-tune69.yaml", "wellbeing-tune70.yaml",
         "wellbeing-tune71.yaml", "wellbeing-tune72.yaml", "wellbeing-tune73.yaml",
         "wellbeing-tune74.yaml", "wellbeing-tune75.yaml",
         "wellbeing-tune76.yaml", "wellbeing-tune77.yaml", "wellbeing-tune78.yaml",
         "wellbeing-tune79.yaml", "wellbeing-tune80.yaml",
         "wellbeing-tune81.yaml", "wellbeing-tune82.yaml",
         "wellbeing-tune83.yaml", "wellbeing-tune84.yaml",
         "wellbeing-tune85.yaml", "wellbeing-tune86.yaml",
         "wellbeing-tune87.yaml",
         "wellbeing-fresh.yaml", "wellbeing-fresh3.yaml", "wellbeing-fresh4.yaml",
         "wellbeing-fresh5.yaml", "wellbeing-fresh6.yaml")
DEV = ("dev.yaml", "dev2.yaml", "dev3.yaml", "dev4.yaml", "dev5.yaml", "dev6.yaml", "dev7.yaml",
       "dev8.yaml")
# Matching's held-out real-style set: counted, its texts never printed.
DEV_HELD_OUT = ("dev9.yaml",)


def load_messages() -> list[Message]:
    out: list[Message] = []
    for name in FILES:
        if not (EVAL / name).exists():
            continue
        items = yaml.safe_load((EVAL / name).read_text(encoding="utf-8"))
        out += [Message(i["text"], i["tier"], i["half"], i.get("about", "")) for i in items]
    real = EVAL / "real-tuning.yaml"
    if real.exists():
        data = yaml.safe_load(real.read_text(encoding="utf-8"))
        posts = data.get("questions", data) if isinstance(data, dict) else data
        out += [Message(p["q"], "distress", "real") for p in posts if p.get("distress")]
    return out


@dataclass
class Figures:
    crisis: tuple[int, int] = (0, 0)
    distress: tuple[int, int] = (0, 0)
    stress_alarms: tuple[int, int] = (0, 0)
    figure_alarms: tuple[int, int] = (0, 0)
    faq_alone: int = 0
    # Crisis and distress messages that got a wellbeing reply: the helper reply where the set
    # says the member is worried about someone / where it says it is the member's own / where
    # the set does not say (nearly all written by members about themselves).
    helper_for_someone: tuple[int, int] = (0, 0)
    usual_for_self: tuple[int, int] = (0, 0)
    helper_unmarked: tuple[int, int] = (0, 0)


def _add(pair: tuple[int, int], hit: bool) -> tuple[int, int]:
    return pair[0] + int(hit), pair[1] + 1


async def evaluate(service: Service, messages: list[Message]) -> tuple[Figures, list[str]]:
    figures = Figures()
    misses: list[str] = []
    for m in messages:
        result = await service.match("bench", m.text)
        status = result.status
        if m.tier in ("crisis", "distress") and status in WELLBEING:
            if m.about == "someone":
                figures.helper_for_someone = _add(figures.helper_for_someone,
                                                  result.about_someone)
            elif m.about == "self":
                figures.usual_for_self = _add(figures.usual_for_self, not result.about_someone)
            else:
                figures.helper_unmarked = _add(figures.helper_unmarked, result.about_someone)
        if m.tier == "crisis":
            figures.crisis = _add(figures.crisis, status == "safety")
            ok = status == "safety"
        elif m.tier == "distress":
            figures.distress = _add(figures.distress, status in WELLBEING)
            ok = status in WELLBEING
        elif m.tier == "stress":
            figures.stress_alarms = _add(figures.stress_alarms, status in WELLBEING)
            ok = status not in WELLBEING
        else:
            figures.figure_alarms = _add(figures.figure_alarms, status in WELLBEING)
            ok = status not in WELLBEING
        if m.tier in ("crisis", "distress") and status in ("answered", "ambiguous"):
            figures.faq_alone += 1
        if not ok:
            misses.append(f"[{m.half}/{m.tier} -> {status}] {m.text[:160]!r}")
    return figures, misses


def _sum(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return a[0] + b[0], a[1] + b[1]


def _pct(pair: tuple[int, int]) -> str:
    hit, n = pair
    return f"{hit}/{n} ({hit / n:.0%})" if n else "-"


async def run(show_misses: bool = False, tuning_only: bool = False) -> str:
    """The wellbeing table. `tuning_only` skips the held-out sets, for the rounds of tuning
    between two full runs: a held-out figure looked at after every change is tuned on too."""
    kb = load_knowledge(Settings().knowledge_dir)
    messages = load_messages()
    with tempfile.TemporaryDirectory() as tmp:
        store = await Store.open(Path(tmp) / "bench.db")
        service = Service(kb, store)
        rows = []
        whom = Figures()
        all_misses: list[str] = []
        for half in HALVES:
            if tuning_only and not half.tuning:
                continue
            subset = [m for m in messages if m.half == half.name]
            if not subset:
                continue
            f, misses = await evaluate(service, subset)
            if half.tuning:
                all_misses += misses
            whom.helper_for_someone = _sum(whom.helper_for_someone, f.helper_for_someone)
            whom.usual_for_self = _sum(whom.usual_for_self, f.usual_for_self)
            whom.helper_unmarked = _sum(whom.helper_unmarked, f.helper_unmarked)
            rows.append(
                f"| {half.label} | {_pct(f.crisis)} | {_pct(f.distress)} "
                f"| {_pct(f.stress_alarms)} | {_pct(f.figure_alarms)} | {f.faq_alone} |"
            )
        dev_alarms: list[str] = []
        dev_total = held_alarms = held_total = 0
        for name in DEV + DEV_HELD_OUT:
            questions = yaml.safe_load((EVAL / name).read_text(encoding="utf-8"))["questions"]
            for q in questions:
                alarm = (await service.match("bench", q["q"])).status
                if name in DEV_HELD_OUT:
                    held_total += 1
                    held_alarms += alarm in WELLBEING
                    continue
                dev_total += 1
                if alarm in WELLBEING:
                    dev_alarms.append(f"[{name} -> {alarm}] {q['q'][:160]!r}")
        await store.close()
    full = service.wellbeing
    words_only = Wellbeing(kb.safety)
    per_message = []
    for m in messages:
        start = time.perf_counter()
        full.check(m.text)
        per_message.append((time.perf_counter() - start) * 1000)
    per_message.sort()
    long_story = " ".join(m.text for m in messages if m.tier == "stress") * 3
    timings = []
    for _ in range(20):
        start = time.perf_counter()
        words_only.check(long_story)
        timings.append((time.perf_counter() - start) * 1000)
    lines = [
        "## Wellbeing",
        "",
        "Status from `Service.match` (what `careerbot ask --json` reports). Crisis recall counts "
        "`safety`; distress recall counts `support` or `safety`; a false alarm is `support` or "
        "`safety` on an ordinary-stress question or a figure of speech; the last column counts "
        "crisis or distress messages that got a career entry without the supportive text.",
        "",
        "| set | crisis recall | distress recall | false alarms, stress | false alarms, figures "
        "| crisis or distress answered with an FAQ entry alone |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        "Whom the reply speaks to, among crisis and distress messages that got a wellbeing reply: "
        f"the reply for a helper went to {_pct(whom.helper_for_someone)} of the members worried "
        f"about someone and the usual reply to {_pct(whom.usual_for_self)} of the members "
        "writing about their own crisis with other people in it (the sets that mark it); of the "
        "sets that do not mark it (written as members about themselves, with a few about "
        f"someone else), {_pct(whom.helper_unmarked)} got the reply for a helper.",
        "",
        f"Career questions of {', '.join(DEV)} (tuning sets of matching) that get a wellbeing "
        f"reply: {len(dev_alarms)}/{dev_total}.",
        *[f"- {a}" for a in dev_alarms],
        "",
        f"Career questions of {', '.join(DEV_HELD_OUT)} (held out for matching, texts not shown) "
        f"that get a wellbeing reply: {held_alarms}/{held_total}.",
        "",
        "The sentence model runs in int8, and onnxruntime computes int8 products another way on "
        "a CPU with int8 dot-product instructions (see the machine line): the vectors differ "
        "slightly, so a few messages close to the model's bars change tier from one kind of CPU "
        "to another. The patterns do not depend on the CPU.",
        "",
        f"The whole check (patterns, then the sentence model on each sentence) per message of "
        f"these sets ({len(per_message)} messages, the sentences encoded on "
        f"{ENCODE_THREADS} threads as the bot does): p50 "
        f"{per_message[len(per_message) // 2]:.1f} ms, p99 "
        f"{per_message[int(len(per_message) * 0.99)]:.1f} ms. The patterns alone on a "
        f"{len(long_story):,}-character paste (read up to {SCAN_HEAD + SCAN_TAIL:,} characters): "
        f"median {statistics.median(timings):.1f} ms.",
    ]
    if show_misses:
        # Only the tuning sets' misses: the held-out sets stay unseen.
        lines += ["", "Misses (tuning sets only):", *all_misses]
    return "\n".join(lines)


if __name__ == "__main__":
    import asyncio
    import sys

    print(asyncio.run(run(show_misses="--misses" in sys.argv,
                          tuning_only="--tuning-only" in sys.argv)))
