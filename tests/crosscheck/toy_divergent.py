"""A deliberately divergent implementation, for testing the cross-checking tools.

It is the model with one change: a bidder's payment rounds *down*
(``floor(collateral * price)``) where the model rounds it up, in favour of the bidder.
Replay, the conformance vectors and differential fuzzing must each find it, at the
first take whose payment is not a whole number, in the ``paid`` field of its
``Taken`` event (and in the pool's cash and the auction's debt that follow from it).

    zle vectors check DIR --impl tests.crosscheck.toy_divergent:make
"""

from __future__ import annotations

from unittest import mock

from crosscheck.adapter import ModelImplementation
from model.engine import step as model_step
from model.errors import Refusal
from model.numbers import RAY
from model.outcome import Outcome
from model.policies import gen2_dutch
from model.policies.gen3_zero_loss import auction as gen3_auction
from model.policies.gen3_zero_loss import backstop as gen3_backstop
from model.rules.auctions import purchase
from model.state import State


def purchase_rounding_down(
    lot: int, tab: int, price: int, amount: int, chost: int
) -> Refusal | tuple[int, int]:
    """The model's purchase, but an uncapped payment is ``floor`` instead of ``ceil``."""
    planned = purchase(lot, tab, price, amount, chost)
    if isinstance(planned, Refusal):
        return planned
    collateral, paid = planned
    exact_up = -(-collateral * price // RAY)
    if paid == exact_up:
        paid = collateral * price // RAY
    return collateral, paid


def toy_step(state: State, action: object) -> Outcome:
    with (
        mock.patch.object(gen2_dutch, "purchase", purchase_rounding_down),
        mock.patch.object(gen3_auction, "purchase", purchase_rounding_down),
        mock.patch.object(gen3_backstop, "purchase", purchase_rounding_down),
    ):
        return model_step(state, action)


def make() -> ModelImplementation:
    """Factory for ``--impl tests.crosscheck.toy_divergent:make``."""
    return ModelImplementation(step=toy_step)
