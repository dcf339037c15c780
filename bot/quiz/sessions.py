"""Quiz sessions kept in the store, and the `quiz` and `profile` commands.

A quiz button carries only `<session>:<step>:<option>`. Each press is checked against the stored
session inside one write transaction (which serialises writers), so a double click, an old
button, a button from a finished or cancelled quiz, or someone else's button changes nothing and
says so. Each answer is committed before the reply is returned, so a restart resumes at the
right question with every answer intact.
"""

from __future__ import annotations

import json
import secrets

from bot.host import FeatureHost
from bot.quiz.engine import Outcome, next_question, outcome, replays, step_count
from bot.quiz.render import EXPIRED, fit_lines, result_reply, step_reply
from bot.quiz.schema import Quiz
from bot.quiz.writer import AnswerWriter, Pending, PendingAnswer, PendingStart
from bot.replies import ButtonPress, Choice, Command, Context, Reply, error
from bot.store.quiz import ACTIVE, CANCELLED, COMPLETED, ResultRow, Session

# Sweeping every idle session is housekeeping; a member's own expired run is cleared on access.
PURGE_EVERY_SECONDS = 60


def new_session_id() -> str:
    return secrets.token_urlsafe(9)


def parse_answer_payload(payload: str) -> tuple[str, int, str] | None:
    parts = payload.split(":")
    if len(parts) != 3 or not parts[1].isdigit() or not parts[0] or not parts[2]:
        return None
    return parts[0], int(parts[1]), parts[2]


class QuizFeature:
    def __init__(self, service: FeatureHost, idle_seconds: float):
        self.service = service
        self.idle_seconds = idle_seconds
        self.writer = AnswerWriter(self.apply_batch)
        self._last_purge = float("-inf")

    @property
    def quizzes(self) -> dict[str, Quiz]:
        return self.service.kb.quizzes

    def now(self) -> float:
        return self.service.clock()

    async def purge_expired(self, now: float | None = None) -> int:
        now = self.now() if now is None else now
        async with self.service.store.transaction() as db:
            return await self.service.store.purge_sessions(db, now - self.idle_seconds)

    # -- commands -------------------------------------------------------------------------------

    async def cmd_quiz(self, cmd: Command) -> Reply:
        text = cmd.text.strip().lower()
        verb, _, rest = text.partition(" ")
        if not text:
            return await self.list_quizzes(cmd.ctx)
        if verb in {"cancel", "stop"}:
            return await self.cancel(cmd.ctx, rest.strip())
        if text in self.quizzes:
            return await self.start(cmd.ctx, text, restart=False)
        if (reply := await self.service.wellbeing_reply(cmd)) is not None:
            return reply  # a member who is not okay, not a quiz name
        known = ", ".join(f"`{q}`" for q in self.quizzes) or "none yet"
        return error(f"There is no quiz called `{text[:40]}`. Quizzes: {known}.")

    async def list_quizzes(self, ctx: Context) -> Reply:
        now = self.now()
        store = self.service.store
        async with store.transaction() as db:
            # Purge on access: the member's own expired runs go before they are listed.
            sessions = await store.active_sessions(db, ctx.member_key, now - self.idle_seconds)
        active = {s.quiz_id: s for s in sessions}
        lines: list[str] = []
        choices: list[Choice] = []
        for quiz in self.quizzes.values():
            lines.append(f"- **{quiz.title}** (`quiz {quiz.id}`): {quiz.description}")
            session = active.get(quiz.id)
            if session is not None:
                choices.append(Choice(f"Continue: {quiz.title}", "quiz-resume", session.id, "primary"))
            else:
                choices.append(Choice(quiz.title, "quiz-start", quiz.id, "primary"))
        if not lines:
            return Reply(kind="text", body="There are no quizzes yet.", ephemeral=True)
        return Reply(
            kind="list",
            title="Profile quizzes",
            body="\n".join(lines) + "\n\nEach takes about a minute; answers stay private.",
            choices=choices,
            ephemeral=True,
        )

    async def start(
        self, ctx: Context, quiz_id: str, restart: bool, replace: bool = False,
        expected: str | None = None,
    ) -> Reply:
        """Start a quiz, or offer to continue an unfinished one (`restart` replaces it instead).

        With `expected`, restart only if that session is still the member's active one, so a
        double click on "Start over" restarts once.
        """
        if quiz_id not in self.quizzes:
            return error(f"There is no quiz called `{quiz_id[:40]}`.")
        return await self.writer.submit(PendingStart(ctx, quiz_id, restart, replace, expected))

    def resume_offer(self, ctx: Context, quiz: Quiz, session: Session, replace: bool) -> Reply:
        if session.question_id is None or not replays(quiz, session.answers, session.question_id):
            changed = self._changed(session)
            changed.ephemeral = False
            changed.replace = replace
            changed.to_dm = not ctx.is_dm
            return changed
        total = step_count(quiz, session.step, session.question_id)
        return Reply(
            kind="quiz",
            title=quiz.title,
            body=(
                f"You have an unfinished run of this quiz: {session.step} of {total} questions "
                "answered. Continue where you left off, or start over?"
            ),
            choices=[
                Choice("Continue", "quiz-resume", session.id, "primary"),
                Choice("Start over", "quiz-restart", session.id, "secondary"),
            ],
            replace=replace,
            to_dm=not ctx.is_dm,
        )

    async def cancel(self, ctx: Context, quiz_id: str) -> Reply:
        if quiz_id and quiz_id not in self.quizzes:
            return error(f"There is no quiz called `{quiz_id[:40]}`.")
        now = self.now()
        store = self.service.store
        async with store.transaction() as db:
            cancelled = await store.cancel_sessions(db, ctx.member_key, quiz_id or None, now)
        if not cancelled:
            return Reply(kind="text", body="You have no quiz in progress.", ephemeral=True)
        names = ", ".join(self._title(q) for q in cancelled)
        return Reply(
            kind="text",
            body=f"Cancelled: {names}. Your answers there are discarded; `quiz` starts afresh.",
            ephemeral=True,
        )

    def _title(self, quiz_id: str) -> str:
        quiz = self.quizzes.get(quiz_id)
        return f"*{quiz.title}*" if quiz else f"`{quiz_id}`"

    async def cmd_profile(self, cmd: Command) -> Reply:
        latest = await self.service.store.latest_results(cmd.ctx.member_key)
        if not latest:
            return Reply(
                kind="text",
                body="You have no quiz results yet. Take one with `quiz`.",
                choices=[Choice(q.title, "quiz-start", q.id, "primary") for q in self.quizzes.values()],
                ephemeral=True,
            )
        parts: list[str] = []
        choices: list[Choice] = []
        seen: set[str] = set()
        for quiz_id, profile_id, raw, _ in latest:
            data = json.loads(raw)
            quiz = self.quizzes.get(quiz_id)
            profile = quiz.profile(profile_id) if quiz else None
            title = profile.title if profile else data.get("title", profile_id)
            # Results stored before ties were shown have no "tied" or "ruled_out" keys.
            for tied_id in data.get("tied", []):
                other = quiz.profile(tied_id) if quiz else None
                title += f" / {other.title if other else tied_id}"
            parts.append(f"**{quiz.title if quiz else quiz_id}**: {title}")
            if quiz is not None:
                parts.append(fit_lines(quiz, data.get("scores", {}), data.get("fits", {}),
                                       data.get("ruled_out", []),
                                       [profile_id, *data.get("tied", [])]))
            for step in profile.next_steps if profile else ():
                if step.entry not in seen and len(choices) < 10:
                    seen.add(step.entry)
                    choices.append(Choice(step.text, "show", step.entry, "secondary"))
        return Reply(
            kind="quiz",
            title="Your quiz results",
            body="\n\n".join(parts) + "\n\nRetake a quiz any time with `quiz <id>`.",
            choices=choices,
            ephemeral=True,
        )

    # -- buttons --------------------------------------------------------------------------------

    async def btn_start(self, press: ButtonPress) -> Reply:
        return await self.start(press.ctx, press.payload, restart=False, replace=press.ctx.is_dm)

    async def btn_resume(self, press: ButtonPress) -> Reply:
        session, problem = await self._own_active(press.ctx, press.payload)
        if session is None:
            return error(problem)
        quiz = self.quizzes[session.quiz_id]
        if session.question_id is None or not replays(quiz, session.answers, session.question_id):
            return self._changed(session)
        reply = step_reply(quiz, session.id, session.step, session.question_id, replace=press.ctx.is_dm)
        reply.to_dm = not press.ctx.is_dm
        return reply

    async def btn_restart(self, press: ButtonPress) -> Reply:
        session, problem = await self._own_active(press.ctx, press.payload)
        if session is None:
            # Most refusals already say that nothing was changed; say it once.
            said = "nothing was changed" in problem.lower()
            return error(problem if said else problem + " Nothing was changed.")
        return await self.start(press.ctx, session.quiz_id, restart=True, replace=press.ctx.is_dm,
                                expected=session.id)

    async def _own_active(self, ctx: Context, session_id: str) -> tuple[Session | None, str]:
        """The member's own active, unexpired session, or None and why not."""
        now = self.now()
        store = self.service.store
        async with store.transaction() as db:
            session = await store.session(db, session_id)
            problem = self._refuse(session, ctx, now)
            if problem == EXPIRED and session is not None:
                await store.delete_sessions(db, [session.id])
        if problem:
            return None, problem
        assert session is not None
        if session.quiz_id not in self.quizzes:
            return None, "That quiz is no longer available."
        return session, ""

    def _refuse(self, session: Session | None, ctx: Context, now: float) -> str:
        if session is None:
            return "That quiz is no longer running (finished long ago, expired or deleted). Start again with `quiz`."
        if session.user_id != ctx.member_key:
            return "That button belongs to someone else's quiz; nothing was changed. Start your own with `quiz`."
        if session.status == COMPLETED:
            return "You already finished that quiz; nothing was changed. See `profile` for your result."
        if session.status == CANCELLED:
            return "That quiz was cancelled or restarted; nothing was changed."
        if session.updated_at < now - self.idle_seconds:
            return EXPIRED
        return ""

    def _changed(self, session: Session) -> Reply:
        return Reply(
            kind="error",
            body="This quiz has changed since you started it, so it cannot continue. Start over?",
            choices=[Choice("Start over", "quiz-restart", session.id, "primary")],
            ephemeral=True,
        )

    async def btn_answer(self, press: ButtonPress) -> Reply:
        parsed = parse_answer_payload(press.payload)
        if parsed is None:
            return error("That answer button is not valid; nothing was changed.")
        return await self.writer.submit(PendingAnswer(press, *parsed))

    async def apply_batch(self, batch: list[Pending]) -> list[Reply]:
        """Check and record a batch of answers and starts in one transaction, in arrival order.

        Presses are checked against the stored session as updated by the presses before them,
        so a double click inside one batch is refused exactly like one in separate batches.
        """
        now = self.now()
        ids = list({p.session_id for p in batch if isinstance(p, PendingAnswer)})
        users = list({p.ctx.member_key for p in batch if isinstance(p, PendingStart)})
        replies: list[Reply] = []
        store = self.service.store
        async with store.transaction() as db:
            if now - self._last_purge >= PURGE_EVERY_SECONDS:
                self._last_purge = now
                await store.purge_sessions(db, now - self.idle_seconds)
            sessions = {s.id: s for s in await store.sessions_for(db, ids, users)}
            changed: dict[str, Session] = {}
            created: list[Session] = []
            expired: list[str] = []
            finished: list[tuple[Session, Quiz, Outcome]] = []
            for pending in batch:
                if isinstance(pending, PendingStart):
                    replies.append(
                        self._begin(pending, sessions, changed, created, expired, now)
                    )
                    continue
                session = sessions.get(pending.session_id)
                problem = self._refuse(session, pending.press.ctx, now)
                if problem == EXPIRED and session is not None:
                    expired.append(session.id)
                    del sessions[session.id]
                    changed.pop(session.id, None)
                if problem:
                    replies.append(error(problem))
                    continue
                assert session is not None
                reply = self._accept(session, pending, now)
                if reply.kind != "error":
                    changed[session.id] = session
                    if session.question_id is None:
                        quiz = self.quizzes[session.quiz_id]
                        result = outcome(quiz, session.answers)
                        finished.append((session, quiz, result))
                        reply = result_reply(self.service.kb, quiz, result)
                replies.append(reply)
            if expired:
                await store.delete_sessions(db, expired)
            if changed:
                await store.update_sessions(db, list(changed.values()))
            if created:
                # After the updates above, so a replaced session is cancelled before its successor
                # takes the one-active-session slot.
                await store.insert_sessions(db, created, now)
            if finished:
                await store.save_results(db, [result_row(*f) for f in finished], now)
        return replies

    def _begin(
        self,
        pending: PendingStart,
        sessions: dict[str, Session],
        changed: dict[str, Session],
        created: list[Session],
        expired: list[str],
        now: float,
    ) -> Reply:
        """Decide one start against the sessions as this batch has left them."""
        ctx, quiz = pending.ctx, self.quizzes[pending.quiz_id]
        existing = next(
            (s for s in sessions.values()
             if s.user_id == ctx.member_key and s.quiz_id == quiz.id and s.status == ACTIVE),
            None,
        )
        if existing is not None and existing.updated_at < now - self.idle_seconds:
            # Purge on access: an expired run is not offered for continuing.
            expired.append(existing.id)
            del sessions[existing.id]
            changed.pop(existing.id, None)
            existing = None
        if pending.expected is not None and (existing is None or existing.id != pending.expected):
            return error("That quiz was already restarted or finished. Nothing was changed.")
        if existing is not None and not pending.restart:
            return self.resume_offer(ctx, quiz, existing, pending.replace)
        if existing is not None:
            existing.status = CANCELLED
            existing.updated_at = now
            changed[existing.id] = existing
        session = Session(new_session_id(), ctx.community, ctx.member_key, quiz.id, ACTIVE,
                          0, quiz.first, [], now, now)
        sessions[session.id] = session
        created.append(session)
        reply = step_reply(quiz, session.id, session.step, session.question_id, replace=pending.replace)
        reply.to_dm = not ctx.is_dm
        return reply

    def _accept(self, session: Session, pending: PendingAnswer, now: float) -> Reply:
        """Apply one answer to the in-memory session, or say why it changes nothing."""
        quiz = self.quizzes.get(session.quiz_id)
        question = quiz.question(session.question_id) if quiz and session.question_id else None
        if quiz is None or question is None or not replays(quiz, session.answers, question.id):
            # Started before the quiz was edited: its answers are not a path of this version.
            return self._changed(session)
        if pending.step != session.step:
            return error(
                f"You already answered question {pending.step + 1}; nothing was changed. "
                f"You are on question {session.step + 1}."
                if pending.step < session.step
                else "That answer does not match your current question; nothing was changed."
            )
        if question.option(pending.option_id) is None:
            return error("That is not one of this question's answers; nothing was changed.")
        session.answers.append((question.id, pending.option_id))
        session.step += 1
        session.question_id = next_question(quiz, question.id, pending.option_id)
        session.updated_at = now
        if session.question_id is None:
            session.status = COMPLETED
            return Reply(kind="quiz")  # replaced by the result once it is scored
        return step_reply(quiz, session.id, session.step, session.question_id, replace=True)

    def register(self) -> None:
        s = self.service
        s.commands.update({"quiz": self.cmd_quiz, "profile": self.cmd_profile})
        s.buttons.update({"quiz": self.btn_answer, "quiz-start": self.btn_start,
                          "quiz-resume": self.btn_resume, "quiz-restart": self.btn_restart})


def result_row(session: Session, quiz: Quiz, result: Outcome) -> ResultRow:
    """A finished run as stored: the winner, scores, fits, reasons and every answer."""
    profile = quiz.profile(result.profile_id)
    data = {
        "profile": result.profile_id,
        "title": profile.title if profile else result.profile_id,
        "scores": result.scores,
        "fits": {k: round(v, 4) for k, v in result.fits.items()},
        "reasons": [list(a) for a in result.reasons],
        "tied": list(result.tied),
        "ruled_out": sorted(result.ruled_out),
        "answers": [list(a) for a in session.answers],
    }
    return (session.id, session.community, session.user_id, quiz.id, result.profile_id,
            json.dumps(data))
