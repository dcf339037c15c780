"""Profile quizzes: schema, engine (pure), checks, sessions in the store, and how they render."""
