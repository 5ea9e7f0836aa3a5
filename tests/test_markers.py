"""The ``slow`` list of tests/conftest.py names tests that exist (a renamed test would
silently fall back into ``make test-fast``)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import _SLOW

ROOT = Path(__file__).resolve().parents[1]


def test_every_test_marked_slow_by_name_exists() -> None:
    missing = []
    for nodeid in sorted(_SLOW):
        path, name = nodeid.split("::")
        source = (ROOT / path).read_text(encoding="utf-8")
        function = name.rsplit(".", 1)[-1]  # a doctest: module.function
        if not re.search(rf"^\s*def {re.escape(function)}\(", source, flags=re.M):
            missing.append(nodeid)
    assert missing == []
