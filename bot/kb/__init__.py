"""The knowledge base: models, problems and the loader (kept apart so that importing the models
does not pull in file reading)."""
