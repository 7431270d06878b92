"""What makes a liquidation policy: its hooks into the common rules, and its own rules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from model.errors import Refusal
from model.events import Buffer
from model.numbers.fixed_point import Wad
from model.rules.rule import AnyRule
from model.state import State


@attrs.frozen
class Policy:
    """A liquidation generation, as the engine plugs it in.

    All three policies run over the same ``State`` and are checked by the same
    invariants; they differ only here.
    """

    name: str
    """``gen1``, ``gen2`` or ``gen3``."""
    waterfall: tuple[Buffer, ...]
    """Who covers a shortfall, in order; always ends with LPS."""
    leverage_refusal: Callable[[State, Wad, Wad], Refusal | None]
    """May a position hold (collateral, debt) after a borrow or a withdrawal?"""
    lp_withdrawal_refusal: Callable[[State], Refusal | None]
    """May LPs withdraw right now?"""
    rules: Mapping[type[Any], AnyRule]
    """The liquidation actions this policy supports; others are UNSUPPORTED_ACTION."""
