"""The proofs' world: the ranges it quantifies over are the ones the spec states."""

from __future__ import annotations

import pytest

from proofs.world import Ranges
from tests.requirements_index import ROOT


@pytest.mark.covers("ASM-RANGES")
def test_ranges_are_the_ones_spec_theorems_states() -> None:
    ranges = Ranges()
    assert (ranges.amount, ranges.price, ranges.time, ranges.count) == (
        2**128,
        2**128,
        2**64,
        2**32,
    )
    text = (ROOT / "spec" / "theorems.md").read_text()
    stated = text[text.index("**ASM-RANGES**") :].split("\n- ")[0]
    for bound in (
        "amounts are at most `2^128`",
        "prices at most `2^128`",
        "times at most `2^64`",
        "counters at most `2^32`",
    ):
        assert bound in " ".join(stated.split()), bound
