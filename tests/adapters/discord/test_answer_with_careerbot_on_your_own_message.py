""""Answer with careerbot" on the member's own message. The core's `answer-message` is for
someone else's message: a crisis or distress in it is answered with "the message you asked
about sounds like its author may be going through a hard time ... reach out to them". A member
who asks careerbot to answer their own crisis message was told to reach out to themselves.
Run against `docfake`, a fake Discord written from the API documentation."""

from __future__ import annotations

from tests.adapters.discord.docfake import CHANNEL, DocFake, snowflake

MEMBER = "1400000000000000500"
OTHER = "1400000000000000600"
CRISIS = "I want to kill myself, there is no reason to keep going"
DISTRESS = "I feel so depressed and worthless, I cannot cope with my phd anymore"
SOMEONE_ELSE = "author may be going through a hard time"


def answer_with_careerbot(fake: DocFake, content: str, *, author: str) -> dict:
    """A message command (type 3) on a message in the channel, as Discord documents it: the
    target in `data.resolved.messages`, by `target_id`."""
    target = snowflake()
    message = {"id": target, "channel_id": CHANNEL, "type": 0, "content": content,
               "author": {"id": author, "username": "writer", "discriminator": "0",
                          "avatar": None, "global_name": None},
               "attachments": [], "embeds": [], "mentions": [], "mention_roles": [],
               "mention_everyone": False, "pinned": False, "tts": False,
               "timestamp": "2025-01-01T00:00:00+00:00", "edited_timestamp": None,
               "flags": 0, "components": []}
    return fake._base(2, {"id": snowflake(), "name": "Answer with careerbot", "type": 3,
                          "target_id": target, "resolved": {"messages": {target: message}}},
                      MEMBER, False)


async def private_reply_to(docbot, content: str, *, author: str) -> str:
    fake = docbot.fake
    start = len(fake.messages)
    iid = await fake.send(answer_with_careerbot(fake, content, author=author))
    await fake.wait_acked(iid)
    for _ in range(100):
        new = [m for m in fake.messages[start:] if m.text]
        if new:
            break
        await fake.settle(0.05)
    assert new, "no reply at all"
    assert all(m.ephemeral for m in fake.messages[start:]), "a wellbeing reply went public"
    return "\n".join(m.text for m in new)


async def test_answer_with_careerbot_on_your_own_crisis_message_speaks_to_you(docbot):
    text = await private_reply_to(docbot, CRISIS, author=MEMBER)
    assert SOMEONE_ELSE not in text, "a member in crisis was told to reach out to themselves"
    assert "988" in text  # the crisis lines, for the member


async def test_answer_with_careerbot_on_your_own_distress_message_speaks_to_you(docbot):
    text = await private_reply_to(docbot, DISTRESS, author=MEMBER)
    assert SOMEONE_ELSE not in text


async def test_answer_with_careerbot_on_someone_elses_crisis_message_still_suggests_reaching_out(
        docbot):
    text = await private_reply_to(docbot, CRISIS, author=OTHER)
    assert SOMEONE_ELSE in text
