"""What a moderator reads when an entry's id is refused: words, not a regular expression."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.kb.models import Entry
from bot.kb.problems import pydantic_problems


def test_a_bad_id_is_explained_in_words():
    with pytest.raises(ValidationError) as raised:
        Entry(id="Bad ID!", topic="phd", question="Do I need a PhD?",
              answer="Not for every role; it depends on the lab.", sources=[{"id": "x"}])
    problems = pydantic_problems(raised.value, "form", "Bad ID!")
    id_problem = next(p for p in problems if p.field == "id")
    assert "lowercase letters and digits" in id_problem.reason
    assert "^[a-z0-9]" not in id_problem.reason
