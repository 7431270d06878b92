"""Quantities derived from parameters, named once so the spec, guards and proofs agree."""

from __future__ import annotations

from model.numbers.fixed_point import RAY, Ray, Wad, rdiv_up, rmul_up, wmul_up
from model.params.records import Gen2DutchParams, Gen3ZeroLossParams


def gen3_backstop_ratio(params: Gen3ZeroLossParams) -> Ray:
    """Collateral ratio below which a whole position no longer covers its tab at the floor.

    ``ceil((1 + penalty) / floor_ratio)``: below it a position is INSOLVENT (spec/policies/gen3.md).
    """
    return rdiv_up(RAY + params.penalty, params.floor_ratio, "formula.backstop_ratio")


def gen3_tab(params: Gen3ZeroLossParams, debt: Wad) -> Wad:
    """Tab of a gen 3 liquidation of ``debt``: ``ceil(debt * (1 + penalty))``."""
    return rmul_up(debt, RAY + params.penalty, "formula.tab")


def gen3_chost(params: Gen3ZeroLossParams, dust: Wad) -> Wad:
    """Smallest tab a partial take may leave behind: the tab of a dust-sized debt."""
    return gen3_tab(params, dust)


def gen2_chost(params: Gen2DutchParams, dust: Wad) -> Wad:
    """dss Clipper ``chost = wmul(dust, chop)``, rounded up: smallest tab a partial take leaves."""
    return wmul_up(dust, params.chop, "formula.chost")
