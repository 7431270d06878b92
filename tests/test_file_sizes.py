"""No source file needs a map: at most 500 lines, or a stated reason why one is longer.

A file is one idea; past 500 lines it usually holds two. The exceptions below are the
files where one idea is long, each with its reason; an entry that is no longer needed
fails too, so the list stays true.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TREES = ("model", "proofs", "crosscheck", "simulation", "predictive")
LIMIT = 500
LONGER: dict[str, str] = {
    "proofs/mutants/catalogue.py": (
        "data, not logic: one entry per seeded fault, each its own paragraph, looked up by id"
    ),
    "proofs/symbolic/explorer.py": (
        "one class, the path explorer: every method reads and writes the same path state "
        "(prefix, decisions, condition, pending paths), which a split would pass around"
    ),
    "simulation/runner.py": (
        "one class, a policy's run: the actors' loop (keepers, bidders, POL's desk, the "
        "borrowers) over one engine state and one market, step by step"
    ),
}


def _lengths() -> dict[str, int]:
    return {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for tree in TREES
        for path in sorted((ROOT / tree).rglob("*.py"))
    }


def test_no_file_is_longer_than_the_limit_without_a_reason() -> None:
    long = {path: n for path, n in _lengths().items() if n > LIMIT and path not in LONGER}
    assert not long, f"files over {LIMIT} lines without a stated reason: {long}"


@pytest.mark.parametrize("path", sorted(LONGER))
def test_every_stated_reason_is_still_needed(path: str) -> None:
    lengths = _lengths()
    assert path in lengths, f"{path} is gone: drop its entry"
    assert lengths[path] > LIMIT, f"{path} has {lengths[path]} lines now: drop its entry"
