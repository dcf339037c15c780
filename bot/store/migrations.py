"""The schema, as append-only migrations: each runs once, in order, and bumps PRAGMA user_version."""

from __future__ import annotations

# Append only: each migration runs once, in order, and bumps PRAGMA user_version.
MIGRATIONS: list[str] = [
    # 1: the ask log, unanswered queue and serve counts
    """
    CREATE TABLE ask_log (
        id INTEGER PRIMARY KEY,
        community TEXT NOT NULL,
        user_id TEXT NOT NULL,
        status TEXT NOT NULL,
        entry_id TEXT,
        score REAL NOT NULL,
        asked_at REAL NOT NULL
    );
    CREATE INDEX ask_log_community_time ON ask_log (community, asked_at);
    CREATE INDEX ask_log_user ON ask_log (user_id);
    CREATE TABLE unanswered (
        community TEXT NOT NULL,
        norm TEXT NOT NULL,
        sample TEXT NOT NULL,
        count INTEGER NOT NULL DEFAULT 0,
        first_asked REAL NOT NULL,
        last_asked REAL NOT NULL,
        dismissed INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (community, norm)
    );
    CREATE TABLE unanswered_askers (
        community TEXT NOT NULL,
        norm TEXT NOT NULL,
        user_id TEXT NOT NULL,
        PRIMARY KEY (community, norm, user_id)
    );
    CREATE TABLE entry_served (
        community TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        count INTEGER NOT NULL DEFAULT 0,
        last_served REAL NOT NULL,
        PRIMARY KEY (community, entry_id)
    );
    """,
    # 2: quiz sessions and results
    """
    CREATE TABLE quiz_sessions (
        id TEXT PRIMARY KEY,
        community TEXT NOT NULL,
        user_id TEXT NOT NULL,
        quiz_id TEXT NOT NULL,
        status TEXT NOT NULL,
        step INTEGER NOT NULL DEFAULT 0,
        question_id TEXT,
        answers TEXT NOT NULL DEFAULT '[]',
        started_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE UNIQUE INDEX quiz_one_active ON quiz_sessions (user_id, quiz_id)
        WHERE status = 'active';
    CREATE INDEX quiz_sessions_updated ON quiz_sessions (status, updated_at);
    CREATE TABLE quiz_results (
        id INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL,
        community TEXT NOT NULL,
        user_id TEXT NOT NULL,
        quiz_id TEXT NOT NULL,
        profile_id TEXT NOT NULL,
        result TEXT NOT NULL,
        finished_at REAL NOT NULL
    );
    CREATE INDEX quiz_results_user ON quiz_results (user_id, finished_at);
    CREATE TABLE quiz_events (
        id INTEGER PRIMARY KEY,
        community TEXT NOT NULL,
        user_id TEXT NOT NULL,
        quiz_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        at REAL NOT NULL
    );
    CREATE INDEX quiz_events_community ON quiz_events (community, at);
    """,
    # 3: moderation: overlay entries, revisions, feedback
    """
    CREATE TABLE overlay_entries (
        community TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT,
        revision INTEGER NOT NULL,
        updated_at REAL NOT NULL,
        updated_by TEXT NOT NULL,
        PRIMARY KEY (community, entry_id)
    );
    CREATE TABLE revisions (
        id INTEGER PRIMARY KEY,
        community TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        action TEXT NOT NULL,
        actor TEXT NOT NULL,
        at REAL NOT NULL,
        before TEXT,
        after TEXT,
        UNIQUE (community, entry_id, revision)
    );
    CREATE TABLE feedback (
        community TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        helpful INTEGER NOT NULL,
        at REAL NOT NULL,
        PRIMARY KEY (community, entry_id, user_id)
    );
    CREATE TABLE community_version (
        community TEXT PRIMARY KEY,
        version INTEGER NOT NULL
    );
    """,
    # 4: moderators' form drafts: an invalid, stale or near-duplicate submission is kept so a
    # button can reopen it pre-filled or confirm it (a button payload is too small to carry it)
    """
    CREATE TABLE moderation_drafts (
        id INTEGER PRIMARY KEY,
        community TEXT NOT NULL,
        user_id TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at REAL NOT NULL
    );
    CREATE INDEX moderation_drafts_created ON moderation_drafts (created_at);
    """,
    # 5: each asker's own wording of an unanswered question, so forgetting a member can replace
    # the sample moderators see with someone else's words instead of keeping theirs
    """
    ALTER TABLE unanswered_askers ADD COLUMN sample TEXT NOT NULL DEFAULT '';
    """,
    # 6: the community a member last used the bot in, so a direct message on a platform whose DMs
    # belong to no community (Discord) sees that community's answers and feeds its queue
    """
    CREATE TABLE member_home (
        user_id TEXT PRIMARY KEY,
        community TEXT NOT NULL,
        seen_at REAL NOT NULL
    );
    """,
    # 7: per-community settings moderators choose in chat (the community's own support line)
    """
    CREATE TABLE community_settings (
        community TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at REAL NOT NULL,
        PRIMARY KEY (community, key)
    );
    """,
    # 8: each serving bot's heartbeat (one row per host and process), so `careerbot health` can
    # tell a live bot from a hung or dead one and `careerbot restore` can refuse while one serves
    """
    CREATE TABLE heartbeats (
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        platforms TEXT NOT NULL,
        started_at REAL NOT NULL,
        beat_at REAL NOT NULL,
        stopped_at REAL,
        PRIMARY KEY (host, pid)
    );
    """,
    # 9: how many times each asker asked an unanswered question, so forgetting a member takes
    # their asks out of the count moderators see (rows from before count as one ask each)
    """
    ALTER TABLE unanswered_askers ADD COLUMN asks INTEGER NOT NULL DEFAULT 1;
    """,
    # 10: the ask log by time alone, so trimming every community's old rows (bot/store/asks.py)
    # reads only those rows instead of the whole log
    """
    CREATE INDEX ask_log_time ON ask_log (asked_at);
    """,
]


def split_sql(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
