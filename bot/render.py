"""How the core's answers look, before any platform touches them: an entry with its sources
and feedback buttons, the ambiguous and no-answer replies, and the wellbeing replies."""

from __future__ import annotations

from collections.abc import Sequence

from bot.kb.models import TOPICS, Entry, KnowledgeBase
from bot.markup import shorten
from bot.replies import Choice, Citation, Reply
from bot.results import MatchResult, Suggestion

# Match statuses answered with the safety or the support reply: private, never logged.
WELLBEING = frozenset({"safety", "support"})
# A suggestion's button label; the platforms cut further if they must.
LABEL_MAX = 70


def result_reply(kb: KnowledgeBase, result: MatchResult, by_id: dict[str, Entry], *,
                 community_line: str | None = None, someone_else: bool = False) -> Reply:
    """A match as a reply; `by_id` is the community's entries, for the related-entry list.
    Safety and support replies are always private; `community_line` is the community's own
    support contact, shown under the fixed text, never instead of it."""
    if result.status in WELLBEING:
        return _wellbeing_reply(kb, result, community_line, someone_else)
    if result.status == "answered" and result.entry is not None:
        return entry_reply(kb, result.entry, by_id)
    if result.status == "ambiguous":
        return Reply(
            kind="ambiguous",
            body="Your question could mean a few things. Which one did you mean?",
            choices=[_pick(s) for s in result.suggestions],
        )
    if result.status == "chitchat":
        return Reply(kind="text", body=result.reply)
    if result.status == "uncovered":
        body = ("I don't have a good answer for that yet; I've passed it to the moderators.")
        if result.suggestions:
            body += " These are the closest things I know:"
        choices = [_pick(s) for s in result.suggestions[:3]]
        choices.append(Choice("Browse topics", "topics", "", "secondary"))
        return Reply(kind="unknown", body=body, choices=choices)
    body = (
        "I don't know that one. I only answer questions about careers in machine learning "
        "(PhDs, research roles, programs, getting hired)."
    )
    if result.suggestions:
        body += " Did you mean one of these?"
    else:
        body += " Try `topics` to see what I can help with."
    choices = [_pick(s) for s in result.suggestions[:3]]
    choices.append(Choice("Browse topics", "topics", "", "secondary"))
    return Reply(kind="unknown", body=body, choices=choices)


def _wellbeing_reply(kb: KnowledgeBase, result: MatchResult, community_line: str | None,
                     someone_else: bool) -> Reply:
    safety = kb.safety
    parts = [safety.someone_else.strip()] if someone_else and safety.someone_else else []
    # A member worried about someone else is told how to help them (with the same lines), not
    # treated as the one in crisis; the button's "someone else's message" case keeps its own.
    helper = result.about_someone and not someone_else
    if result.status == "safety" or safety.support is None:
        parts.append((safety.helper_reply if helper and safety.helper_reply
                      else safety.reply).strip())
    else:
        parts.append((safety.support.helper_reply if helper and safety.support.helper_reply
                      else safety.support.reply).strip())
    if community_line:
        parts.append(f"**In this community:** {community_line}")
    if result.status == "safety":
        return Reply(kind="safety", body="\n\n".join(parts), ephemeral=True)
    citations: list[Citation] = []
    entry = result.entry
    if entry is not None:
        # The member's question still gets its answer, under the supportive text.
        parts.append(f"**{entry.question}**\n\n{entry.answer}")
        citations = citations_of(kb, entry)
    if result.suggestions and safety.support is not None and safety.support.offer_intro:
        parts.append(safety.support.offer_intro.strip())
    return Reply(
        kind="support",
        body="\n\n".join(parts),
        citations=citations,
        entry_id=entry.id if entry is not None else None,
        choices=[_pick(s) for s in result.suggestions],
        ephemeral=True,
    )


def citations_of(kb: KnowledgeBase, entry: Entry) -> list[Citation]:
    return [
        Citation(
            ref.source,
            kb.sources[ref.source].title if ref.source in kb.sources else ref.source,
            ref.where,
            kb.sources[ref.source].url if ref.source in kb.sources else None,
        )
        for ref in entry.sources
    ]


def entry_reply(kb: KnowledgeBase, entry: Entry, by_id: dict[str, Entry]) -> Reply:
    """An entry as the answer, with its sources, related entries and the feedback buttons."""
    citations = citations_of(kb, entry)
    fields = []
    rel = [by_id[r] for r in entry.related if r in by_id]
    if rel:
        fields.append(("Related", "\n".join(f"- {r.question} (`{r.id}`)" for r in rel)))
    return Reply(
        kind="answer",
        title=entry.question,
        body=entry.answer,
        citations=citations,
        fields=fields,
        entry_id=entry.id,
        choices=[
            Choice("Helpful", "feedback", f"{entry.id}:y", "success"),
            Choice("Not helpful", "feedback", f"{entry.id}:n", "secondary"),
        ],
    )


def _pick(s: Suggestion) -> Choice:
    return Choice(shorten(s.question, LABEL_MAX), "show", s.id, "primary")


def topic_reply(topic: str, entries: Sequence[Entry]) -> Reply:
    """One topic's entries: its own first, then those listed under it as their second topic."""
    shown = [e for e in entries if e.topic == topic] + [e for e in entries if topic in e.also_topics]
    return Reply(
        kind="list",
        title=f"{topic}: {TOPICS[topic]}",
        body="\n".join(f"- `{e.id}`: {e.question}" for e in shown) or "No entries in this topic yet.",
        choices=[Choice(shorten(e.question, LABEL_MAX), "show", e.id) for e in shown[:10]],
    )


def topics_reply(entries: Sequence[Entry]) -> Reply:
    """Every topic with how many of these entries it holds."""
    counts = dict.fromkeys(TOPICS, 0)
    for entry in entries:
        for topic in entry.topics:
            counts[topic] += 1
    lines = "\n".join(f"- `{t}` ({counts[t]}): {summary}" for t, summary in TOPICS.items())
    return Reply(kind="list", title="Topics", ephemeral=True,
                 body=lines + "\n\nShow one with `faq <topic>`, or just ask a question.")
