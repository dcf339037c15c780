"""Optional feature modules: present ones are loaded, missing ones are skipped."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import ModuleType


def installed(names: Iterable[str]) -> list[ModuleType]:
    """The modules among `names` that exist. A missing module is skipped; one that exists but
    fails to import (a broken dependency inside it) still raises, so it cannot fail silently."""
    modules = []
    for name in names:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules
