"""Where a spec-only implementer found room to read the spec two ways (issue 13, item 8),
the spec now says one thing, and these hold the model and the vectors to it."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from crosscheck.vectors.constructed import ConstructedCases
from crosscheck.vectors.curves import FUNCTIONS
from model.events import (
    AuctionReset,
    AuctionSettled,
    CollateralReturned,
    IncentivePaid,
    Kicked,
    Liquidated,
    PenaltyCollected,
    PolPurchased,
    ShortfallCovered,
    Taken,
)
from model.outcome import Accepted

SPEC = Path(__file__).resolve().parents[2] / "spec"

ORDER = {
    "Kick": (Kicked, (IncentivePaid,)),
    "Redo": (AuctionReset, (IncentivePaid,)),
    "Take": (Taken, (PenaltyCollected,)),
    "EndAuction": (PolPurchased, (PenaltyCollected,)),
    "Liquidate": (Liquidated, (ShortfallCovered, ShortfallCovered, ShortfallCovered)),
}
"""actions.md, *Events, in order*: the first event, then the optional ones in order."""


@pytest.mark.covers("ENGINE-STEP", "CONFORMANCE-VECTORS")
def test_every_vector_emits_its_events_in_the_documented_order() -> None:
    text = (SPEC / "actions.md").read_text()
    assert "**Events, in order.**" in text
    for case in ConstructedCases().cases():
        outcome = case.outcome()
        if not isinstance(outcome, Accepted):
            continue
        kinds = [type(e) for e in outcome.events]
        name = type(case.action).__name__
        if name == "Settle":
            assert kinds[-1] is AuctionSettled, case.name
            body = kinds[:-1]
            assert body == sorted(body, key=lambda k: k is not CollateralReturned), case.name
            assert set(body) <= {CollateralReturned, ShortfallCovered}, case.name
        elif name in ORDER:
            first, optional = ORDER[name]
            assert kinds[0] is first, case.name
            assert all(k in optional for k in kinds[1:]), case.name
        else:
            assert len(kinds) == 1, case.name


@pytest.mark.covers("CURVE-RPOW", "CONFORMANCE-VECTORS")
def test_the_curve_vectors_input_names_are_the_specs() -> None:
    """curves.md names each function's inputs; the vectors (and the model) use them."""
    text = (SPEC / "curves.md").read_text()
    for function, implementation in FUNCTIONS.items():
        params = list(inspect.signature(implementation).parameters)
        found = re.search(rf"`{function}` takes ([^;.]+)", text)
        assert found is not None, function
        assert re.findall(r"`(\w+)`", found.group(1)) == params, function


@pytest.mark.covers("ACT-KICK", "ACT-REDO")
def test_incentives_paid_records_what_was_paid_not_what_was_owed() -> None:
    text = (SPEC / "actions.md").read_text()
    assert "grows by what was **paid**, not by what was\nowed" in text
    for case in ConstructedCases().cases():
        outcome = case.outcome()
        if not isinstance(outcome, Accepted) or type(case.action).__name__ not in ("Kick", "Redo"):
            continue
        paid = sum(e.amount for e in outcome.events if isinstance(e, IncentivePaid))
        auction = getattr(case.action, "auction", None)
        auction = case.pre.next_auction if auction is None else auction
        before = (
            0 if auction not in case.pre.auctions else case.pre.auctions[auction].incentives_paid
        )
        after = outcome.state.auctions[auction].incentives_paid
        assert after - before == paid, case.name
