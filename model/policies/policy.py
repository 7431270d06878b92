"""What makes a liquidation policy: its hooks into the common rules, and its own rules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from model.errors import Refusal
from model.events import Buffer
from model.numbers.fixed_point import Ray, Wad
from model.params.records import PolicyParams
from model.rules.rule import AnyRule
from model.state import Auction, Position, State


def _never(state: State, auction: Auction) -> bool:
    return False


@attrs.frozen
class Policy:
    """A liquidation generation, as the engine plugs it in.

    All three policies run over the same ``State`` and are checked by the same
    invariants; they differ only here. Code outside the engine (the simulation's actors,
    the proofs' task tables, the stateful machines) asks this record, never the type of
    ``config.policy``, what a policy does.
    """

    name: str
    """``gen1``, ``gen2`` or ``gen3``."""
    params_type: type[PolicyParams]
    """The parameter record that selects this policy in ``Config.policy``."""
    waterfall: tuple[Buffer, ...]
    """Who covers a shortfall, in order; always ends with LPS."""
    leverage_refusal: Callable[[State, Wad, Wad], Refusal | None]
    """May a position hold (collateral, debt) after a borrow or a withdrawal?"""
    lp_withdrawal_refusal: Callable[[State], Refusal | None]
    """May LPs withdraw right now?"""
    rules: Mapping[type[Any], AnyRule]
    """The liquidation actions this policy supports; others are UNSUPPORTED_ACTION."""
    below_trigger: Callable[[State, Position], bool]
    """The trigger: is the position below the threshold at which liquidation may start
    (gen 1 at spot, gen 2 at the Spotter's spot, gen 3 at the reference), exactly as the
    liquidation guard decides it (breakers, depth and caps aside)?"""
    trigger_ratio: Callable[[State], Ray]
    """The collateral ratio the trigger compares with (``liquidation_ratio`` or ``mat``),
    for valuing a position at a price the engine has not seen."""
    auction_price: Callable[[State, Auction], Ray] | None = None
    """What a ``Take`` of a live auction pays per unit of collateral now; ``None`` for a
    policy without auctions."""
    reset_due: Callable[[State, Auction], bool] = _never
    """Would ``Redo`` reset this auction now (the oracle's freshness aside)?"""
    takes_wait_for_reset: bool = False
    """Whether a stage due for a reset refuses every take until it is reset (gen 2, as
    dss Clipper's ``needs-reset``); gen 3 stages stay takeable at their floor."""
    backstop_due: Callable[[State, Auction], bool] = _never
    """Has the auction's stage run long enough for POL's backstop (``EndAuction``)?"""
    zero_loss: bool = False
    """Whether the ZERO-LOSS theorem is about this policy, so that a run can be checked
    against its named assumptions (the assumption monitor)."""
