"""What a step changed: the cheap, named-keys diff equals the full diff, and the merge
patch applied to the pre-state gives the post-state."""

from __future__ import annotations

import random

import pytest

from crosscheck import wire
from crosscheck.changes import apply_changes, snapshot_changes, state_changes
from crosscheck.strategies import RandomChooser, next_action
from crosscheck.vectors.explored import starting_states
from model.engine import step
from model.outcome import Accepted


@pytest.mark.covers("TRACE-FORMAT", "TRACE-REPLAY")
@pytest.mark.parametrize("policy", ["gen1", "gen2", "gen3"])
def test_named_keys_diff_is_the_full_diff(policy: str) -> None:
    rng = random.Random(policy)
    chooser = RandomChooser(rng)
    checked = 0
    for start in starting_states(policy):
        state = start
        for _ in range(150):
            action = next_action(chooser, state, adversarial=rng.random() < 0.3)
            outcome = step(state, action)
            if isinstance(outcome, Accepted):
                fast = state_changes(state, outcome.state, action, outcome.events)
                full = state_changes(state, outcome.state)
                assert fast == full, action
                pre, post = wire.encode_state(state), wire.encode_state(outcome.state)
                assert apply_changes(pre, fast) == post
                assert snapshot_changes(pre, post) == fast
                checked += 1
            state = outcome.state
    assert checked > 100
