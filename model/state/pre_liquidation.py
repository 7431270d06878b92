"""A borrower's consent to pre-liquidation: the terms under which keepers may de-risk a
position before it reaches the liquidation ratio (``spec/preliquidation.md``)."""

from __future__ import annotations

import attrs

from model.numbers.fixed_point import Ray


@attrs.frozen
class PreLiquidationTerms:
    """Terms a position's owner opted in to (PRELIQ-TERMS).

    Inside the band ``L <= C * ref / D < ratio`` a keeper may repay part of the debt and
    receive collateral at the reference price times an incentive factor. The close factor
    and the incentive factor move linearly with the position's loan-to-value
    ``D / (C * ref)``: ``*_start`` at ``ratio``, ``*_end`` at ``L``, as in Morpho's
    PreLiquidation.
    """

    ratio: Ray
    """Collateral ratio below which pre-liquidation may start (above ``L`` when set)."""
    close_factor_start: Ray
    """Largest share of the debt one pre-liquidation repays, at ``ratio``."""
    close_factor_end: Ray
    """The same at ``L``; ``close_factor_start <= close_factor_end <= RAY``."""
    incentive_start: Ray
    """Collateral per unit of debt repaid, valued at the reference, at ``ratio`` (>= RAY)."""
    incentive_end: Ray
    """The same at ``L``; at most ``L``, so the position's ratio never gets worse."""
