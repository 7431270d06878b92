"""Every proof obligation of ``proofs/`` as a test item: one item per task, so that a
task's shared exploration runs once and its obligations are checked together.

Z3 ``unknown``, a vacuous proof, a witness that does not replay through the concrete
engine, and a canary that is not refuted all fail the item. Requirement coverage is
read from ``proofs.registry`` directly (``tests/requirements_index.py``).
"""

from __future__ import annotations

import pytest

from proofs.registry import OBLIGATIONS
from proofs.report import discharge_task, group_by_task

TASKS = group_by_task(OBLIGATIONS)


@pytest.mark.parametrize("key", sorted(TASKS))
def test_every_obligation_of_the_task_passes(key: str) -> None:
    records = discharge_task(key, [o.name for o in TASKS[key]])
    failures = [f"{r.name}: {r.verdict} {r.detail}" for r in records if not r.passed]
    assert failures == []


def test_obligation_names_are_unique_and_stable_in_form() -> None:
    names = [o.name for o in OBLIGATIONS]
    assert len(names) == len(set(names))
    for o in OBLIGATIONS:
        assert o.name.split("/")[0] in o.requirement_ids, o.name
        assert o.policy in ("gen1", "gen2", "gen3", "all"), o.name
