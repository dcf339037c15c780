"""The test suite; its folders mirror the code (`tests/bot/...`, `tests/adapters/...`), and
`tests/fakes` holds the fake Discord and Slack servers the adapter tests and the bench share."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
