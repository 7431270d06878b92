"""The current price of a live auction, whichever auction policy runs it."""

from __future__ import annotations

from model.numbers.fixed_point import Ray
from model.params.records import Gen2DutchParams
from model.policies import gen2_dutch, gen3_zero_loss
from model.state import Auction, State


def current_price(state: State, auction: Auction) -> Ray:
    """Gen 2: the abaci curve's price; gen 3: the floored curve's price."""
    if isinstance(state.config.policy, Gen2DutchParams):
        return gen2_dutch.status(state, auction)[1]
    return gen3_zero_loss.price(state, auction)
