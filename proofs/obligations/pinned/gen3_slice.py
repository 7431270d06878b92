"""GEN3-SLICE pinned: ``plan_kick``'s slice equals ``spec/policies/gen3.md``'s sizing, step
by step, in plain integer arithmetic.

The restatement (``spec_slice``) follows the spec's steps: the floor ``floor(reference *
floor_ratio)``; solvency ``floor(collateral * floor) >= ceil(debt * (1 + penalty))``; the
debt to target ``min(debt, ceil((ceil(T * debt) - floor(collateral * reference)) / (T -
B)))`` with ``B = ceil((1 + penalty) / floor_ratio)``; at least ``min(dust, debt)``, all of
it when the rest would be dust; the exposure room ``floor((cap - exposure) / (1 +
penalty))`` and the depth room (the period rolled over, ``floor(depth * fraction)`` less
what was kicked, sized at the floor or pro rata); the cut that never leaves dust; the tab
``ceil(debt * (1 + penalty))``; the lot ``min(collateral, ceil(tab / floor))`` or pro rata
``ceil(collateral * slice / debt)``; the top ``ceil(reference * start_premium)``; backed
``floor(lot * floor) >= slice``; and every refusal, in the engine's order.

The market, the exposure, the clock and (for a solvent position) the debt are free; the
reference and the collateral are concrete odd values, so that every product has one
concrete factor (linear for the solver) and every rounding shows. Two positions: one
solvent at any debt up to its floor value, one insolvent (its debt concrete too, since
the pro-rata lot divides by it).
"""

from __future__ import annotations

from typing import Any

import attrs

from model.numbers import RAY, WAD
from model.params.presets import GEN3_ZERO_LOSS, PRESETS
from model.policies.gen3_zero_loss import Slice, debt_to_target, plan_kick
from proofs.obligation import Obligation, Task
from proofs.obligations.pinned.arith import (
    both,
    cdiv,
    either,
    fdiv,
    greater,
    ite,
    lesser,
    negation,
    same,
)
from proofs.world import Shape, Source, build_state

REFERENCE = 1_500 * RAY + 7
COLLATERAL = 10 * WAD + 3
FLOOR = REFERENCE * GEN3_ZERO_LOSS.floor_ratio // RAY
INSOLVENT_DEBT = COLLATERAL * FLOOR // RAY + 1
"""One unit above the collateral's value at the floor: insolvent, and whether the whole
lot backs it turns on the rounding of ``lot * floor`` (``COLLATERAL * FLOOR`` is no
multiple of ``RAY``)."""


@attrs.frozen
class Planned:
    inputs: dict[str, Any]
    result: Any


def _task(
    key: str, debt: int | None, collateral: int = COLLATERAL, dust: int | None = None
) -> Task:
    fixed: tuple[tuple[str, int], ...] = (
        ("oracle.reference", REFERENCE),
        ("pos0.collateral", collateral),
    )
    if debt is not None:
        fixed += (("pos0.debt", debt),)
    shape = Shape(owners=("ann",), auctions=(), lps=(), fixed=fixed)
    configured = PRESETS["gen3"] if dust is None else attrs.evolve(PRESETS["gen3"], dust=dust)

    def build(source: Source) -> Planned:
        state = build_state(source, configured, shape)
        position = state.positions[0]
        inputs = {
            "collateral": collateral,
            "debt": position.debt,
            "exposure": state.exposure,
            "depth": state.market.depth,
            "kicked": state.market.kicked_in_period,
            "rolled": state.time >= state.market.period_start + GEN3_ZERO_LOSS.unwind_period,
            "dust": state.config.dust,
        }
        return Planned(inputs, plan_kick(state, position))

    return Task(key=key, build=build)


def spec_slice(i: dict[str, Any]) -> dict[str, Any]:
    """GEN3-SLICE from the spec: each value, and which refusal (if any) applies."""
    p = GEN3_ZERO_LOSS
    one_plus = RAY + p.penalty
    debt, dust, c = i["debt"], i["dust"], i["collateral"]
    floor = fdiv(REFERENCE * p.floor_ratio, RAY)
    solvent = fdiv(c * floor, RAY) >= cdiv(debt * one_plus, RAY)
    owed = cdiv(debt * p.target_ratio, RAY)
    value = fdiv(c * REFERENCE, RAY)
    backstop = cdiv(one_plus * RAY, p.floor_ratio)
    to_target = ite(
        value >= owed, 0, lesser(debt, cdiv((owed - value) * RAY, p.target_ratio - backstop))
    )
    at_least = greater(to_target, lesser(dust, debt))
    wanted = ite(solvent, ite(debt - at_least < dust, debt, at_least), debt)
    by_exposure = fdiv((p.exposure_cap - i["exposure"]) * RAY, one_plus)
    kicked = ite(i["rolled"], 0, i["kicked"])
    depth_cap = fdiv(i["depth"] * p.depth_fraction, RAY)
    room = depth_cap - kicked
    if isinstance(debt, int) and not solvent:
        by_depth: Any = fdiv(room * debt, c)
    else:
        by_depth = fdiv(fdiv(room * floor, RAY) * RAY, one_plus)
    capped = lesser(wanted, lesser(by_exposure, by_depth))
    cut = capped < wanted
    sliced = ite(both(cut, debt - capped < dust), debt - dust, capped)
    tab = cdiv(sliced * one_plus, RAY)
    if isinstance(debt, int) and not solvent:
        lot: Any = ite(same(sliced, debt), c, cdiv(c * sliced, debt))
        dusty: Any = both(negation(same(sliced, debt)), lot >= c)
    else:
        lot = lesser(c, cdiv(tab * RAY, floor))
        dusty = False
    return {
        "exposure_refused": i["exposure"] >= p.exposure_cap,
        "depth_refused": kicked >= depth_cap,
        "cap_refused": both(cut, either(sliced < dust, same(sliced, 0))),
        "depth_binds": by_depth <= by_exposure,
        "dusty": dusty,
        "debt": sliced,
        "lot": lot,
        "tab": tab,
        "top": cdiv(REFERENCE * p.start_premium, RAY),
        "floor": floor,
        "backed": fdiv(lot * floor, RAY) >= sliced,
        "kicked": kicked + lot,
    }


def _slice_exact(planned: Planned) -> object:
    s = spec_slice(planned.inputs)
    result = planned.result
    exposure, depth, cap = s["exposure_refused"], s["depth_refused"], s["cap_refused"]
    if not isinstance(result, Slice):
        code = result.code.name
        if code == "EXPOSURE_CAP_REACHED":
            return either(
                exposure,
                both(negation(depth), cap, negation(s["depth_binds"])),
            )
        if code == "DEPTH_EXHAUSTED":
            return both(negation(exposure), either(depth, both(cap, s["depth_binds"])))
        if code == "DUSTY_AUCTION":
            return both(negation(exposure), negation(depth), negation(cap), s["dusty"])
        return False
    return both(
        negation(exposure),
        negation(depth),
        negation(cap),
        negation(s["dusty"]),
        same(result.debt, s["debt"]),
        same(result.lot, s["lot"]),
        same(result.tab, s["tab"]),
        same(result.top, s["top"]),
        same(result.floor, s["floor"]),
        same(result.backed, s["backed"]),
        same(result.market.kicked_in_period, s["kicked"]),
    )


def _solvent(planned: Planned) -> object:
    """The free debt ranges over the solvent positions (up to the floor value)."""
    floor = fdiv(REFERENCE * GEN3_ZERO_LOSS.floor_ratio, RAY)
    tab = cdiv(planned.inputs["debt"] * (RAY + GEN3_ZERO_LOSS.penalty), RAY)
    return fdiv(COLLATERAL * floor, RAY) >= tab


SMALL_COLLATERAL = 3
SMALL_DEBT = SMALL_COLLATERAL * FLOOR // RAY + 1
"""Three base units of collateral, insolvent by one unit, with no dust: a cut of one unit
less than the debt sells the whole lot pro rata (``ceil(3 * (D - 1) / D) = 3``), which
the spec refuses as dusty (the lot would not shrink with the debt)."""


def _to_target_task() -> Task:
    shape = Shape(owners=("ann",), auctions=(), lps=(), fixed=(("pos0.collateral", COLLATERAL),))

    def build(source: Source) -> Planned:
        state = build_state(source, PRESETS["gen3"], shape)
        position = state.positions[0]
        result = debt_to_target(GEN3_ZERO_LOSS, position, REFERENCE)
        return Planned({"debt": position.debt}, result)

    return Task(key="formula/gen3/debt_to_target", build=build)


def _to_target_exact(planned: Planned) -> object:
    """``min(debt, ceil((ceil(T * debt) - floor(collateral * reference)) / (T - B)))``,
    0 when the value already reaches ``T * debt``."""
    p = GEN3_ZERO_LOSS
    debt = planned.inputs["debt"]
    owed = cdiv(debt * p.target_ratio, RAY)
    value = fdiv(COLLATERAL * REFERENCE, RAY)
    backstop = cdiv((RAY + p.penalty) * RAY, p.floor_ratio)
    wanted = cdiv((owed - value) * RAY, p.target_ratio - backstop)
    return same(planned.result, ite(value >= owed, 0, lesser(debt, wanted)))


def obligations() -> list[Obligation]:
    return [
        Obligation(
            name="GEN3-SLICE/gen3/plan-kick-solvent-exact",
            requirement_ids=("GEN3-SLICE", "NUM-ROUNDING"),
            policy="gen3",
            task=_task("formula/gen3/plan_kick-solvent", None),
            claim=_slice_exact,
            assume=_solvent,
            summary="a solvent position's slice (any debt, market, exposure, clock): the "
            "spec's sizing, value for value, and its refusals",
        ),
        Obligation(
            name="GEN3-SLICE/gen3/plan-kick-insolvent-exact",
            requirement_ids=("GEN3-SLICE", "NUM-ROUNDING"),
            policy="gen3",
            task=_task("formula/gen3/plan_kick-insolvent", INSOLVENT_DEBT),
            claim=_slice_exact,
            summary="an insolvent position's pro-rata slice (any market, exposure, clock): "
            "the spec's sizing, value for value, and its refusals",
        ),
        Obligation(
            name="GEN3-SLICE/gen3/plan-kick-small-exact",
            requirement_ids=("GEN3-SLICE",),
            policy="gen3",
            task=_task("formula/gen3/plan_kick-small", SMALL_DEBT, SMALL_COLLATERAL, 0),
            claim=_slice_exact,
            summary="an insolvent position of three base units, no dust: a pro-rata lot that "
            "would be the whole collateral is refused as dusty",
        ),
        Obligation(
            name="GEN3-SLICE/gen3/debt-to-target-exact",
            requirement_ids=("GEN3-SLICE",),
            policy="gen3",
            task=_to_target_task(),
            claim=_to_target_exact,
            summary="debt to target = min(debt, ceil((ceil(T * debt) - floor(collateral * "
            "reference)) / (T - B)))",
        ),
    ]
