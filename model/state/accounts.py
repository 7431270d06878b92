"""Where quote and collateral sit: the lending pool, the buffers, and the ledger of flows."""

from __future__ import annotations

import attrs

from model.numbers.fixed_point import Wad
from model.numbers.units import Shares


@attrs.frozen
class Pool:
    """The lending pool that LPs fund and borrowers draw from."""

    cash: Wad
    """Quote held by the pool, available to borrow or withdraw."""
    lp_claims: Wad
    """What LPs are owed in total: deposits, plus penalty income, minus written-off debt."""
    total_shares: Shares
    """LP shares outstanding; an LP's claim is ``shares * lp_claims / total_shares``."""


@attrs.frozen
class Buffers:
    """The loss absorbers above LPs in the waterfall."""

    insurance: Wad
    """Insurance fund (gen 2: the protocol surplus), in quote."""
    pol_quote: Wad
    """Protocol-owned liquidity: quote reserves that buy unsold lots at the floor."""
    pol_collateral: Wad
    """Protocol-owned liquidity: collateral it has bought."""


@attrs.frozen
class Ledger:
    """Cumulative flows across the system's boundary, for the conservation laws."""

    collateral_in: Wad
    """Collateral deposited into positions."""
    collateral_out: Wad
    """Collateral withdrawn by owners, bought by bidders, or seized by gen 1 liquidators."""
    quote_in: Wad
    """Quote paid in: LP supply, repayments, bids, buffer funding."""
    quote_out: Wad
    """Quote paid out: LP withdrawals, loans, keeper incentives."""
    bad_debt: Wad
    """Debt written off against LP claims (the LPs' loss), cumulative."""
