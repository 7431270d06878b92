"""The reasons ``proofs.mutants.killers.EQUIVALENT`` gives, checked by Z3.

An equivalent mutant is one no input tells from the model; the catalogue says why for each.
Here each arithmetic reason is restated over unbounded integers (the original's value and
the mutant's, at the site, from the same inputs) and Z3 proves them equal; a reason that
stops holding (a site edited, a bound dropped) fails here instead of hiding a survivor.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import z3

from proofs.mutants.generated import GENERATED
from proofs.mutants.killers import EQUIVALENT

RAY = 10**27


def _floor(x: z3.ArithRef, d: z3.ArithRef | int) -> z3.ArithRef:
    """``floor(x / d)`` for ``d > 0`` (Z3's integer division is the floor there)."""
    return x / d


def _ceil(x: z3.ArithRef, d: z3.ArithRef | int) -> z3.ArithRef:
    return (x + d - 1) / d


def _nat(*names: str) -> list[z3.ArithRef]:
    return [z3.Int(n) for n in names]


def _zero_either_way() -> z3.BoolRef:
    x, y = _nat("x", "y")
    strict = z3.If(x > y, x - y, 0)
    lax = z3.If(x >= y, x - y, 0)
    return z3.Implies(z3.And(x >= 0, y >= 0), strict == lax)


def _seizure_repay() -> z3.BoolRef:
    """Capped branch: ``floor(repay B / spot) > c`` implies ``repay >= ceil(c spot / B)``."""
    repay, c, spot, b = _nat("repay", "c", "spot", "b")
    given = z3.And(repay >= 0, c >= 0, spot > 0, b > 0, _floor(repay * b, spot) > c)
    return z3.Implies(
        given, z3.If(repay < _ceil(c * spot, b), repay, _ceil(c * spot, b)) == _ceil(c * spot, b)
    )


def _no_debt() -> z3.BoolRef:
    c, s, r, debt = _nat("c", "s", "r", "debt")
    given = z3.And(c >= 0, s >= 0, r >= 0, debt >= 0)
    strict = z3.And(debt > 0, c * s < debt * r)
    lax = z3.And(debt >= 0, c * s < debt * r)
    return z3.Implies(given, strict == lax)


def _bark_size() -> z3.BoolRef:
    debt, whole, dust = _nat("debt", "whole", "dust")

    def sized(cut: z3.BoolRef) -> tuple[z3.ArithRef, z3.BoolRef]:
        keep = z3.If(whole - debt < dust, whole, debt)
        return z3.If(cut, keep, debt), z3.And(cut, z3.Not(whole - debt < dust), debt < dust)

    given = z3.And(debt >= 0, whole >= debt, dust >= 0)
    strict, refused = sized(debt < whole)
    lax, refused_lax = sized(debt <= whole)
    return z3.Implies(given, z3.And(strict == lax, refused == refused_lax))


def _room() -> z3.BoolRef:
    cap, paid = _nat("cap", "paid")
    strict = z3.If(paid < cap, cap - paid, 0)
    lax = z3.If(paid <= cap, cap - paid, 0)
    return z3.Implies(z3.And(cap >= 0, paid >= 0), strict == lax)


def _to_target() -> z3.BoolRef:
    value, owed, debt, per_unit = _nat("value", "owed", "debt", "per_unit")
    formula = z3.If(
        debt < _ceil((owed - value) * RAY, per_unit), debt, _ceil((owed - value) * RAY, per_unit)
    )
    strict = z3.If(value >= owed, 0, formula)
    lax = z3.If(value > owed, 0, formula)
    given = z3.And(value >= 0, owed >= 0, debt >= 0, per_unit > 0)
    return z3.Implies(given, strict == lax)


def _depth_room() -> z3.BoolRef:
    cap, kicked = _nat("cap", "kicked")
    strict = z3.If(cap > kicked, cap - kicked, 0)
    lax = z3.If(cap >= kicked, cap - kicked, 0)
    return z3.Implies(z3.And(cap >= 0, kicked >= 0), strict == lax)


def _at_least_dust() -> z3.BoolRef:
    to_target, debt, dust = _nat("to_target", "debt", "dust")

    def wanted(at_least: z3.ArithRef) -> z3.ArithRef:
        w = z3.If(to_target > at_least, to_target, at_least)
        return z3.If(debt - w < dust, debt, w)

    given = z3.And(to_target >= 0, to_target <= debt, dust >= 0)
    return z3.Implies(given, wanted(z3.If(dust < debt, dust, debt)) == wanted(dust))


def _cut_leaves_dust() -> z3.BoolRef:
    whole, debt, dust = _nat("whole", "debt", "dust")
    strict = z3.If(whole - debt < dust, whole - dust, debt)
    lax = z3.If(whole - debt <= dust, whole - dust, debt)
    return strict == lax


def _solvent_lot() -> z3.BoolRef:
    """Solvent: ``floor(c f / RAY) >= tab`` implies ``c >= ceil(tab RAY / f)``."""
    c, f, tab = _nat("c", "f", "tab")
    given = z3.And(c >= 0, f > 0, tab >= 0, _floor(c * f, RAY) >= tab)
    lot = _ceil(tab * RAY, f)
    return z3.Implies(given, z3.If(lot < c, lot, c) == lot)


def _pol_affords_lot() -> z3.BoolRef:
    quote, lot, floor = _nat("quote", "lot", "floor")
    given = z3.And(quote >= 0, lot >= 0, floor > 0, quote * RAY == lot * floor)
    return z3.Implies(given, _floor(quote * RAY, floor) == lot)


def _premium() -> z3.BoolRef:
    c, price, mark = _nat("c", "price", "mark")
    strict = z3.If(price > mark, _ceil(c * (price - mark), RAY), 0)
    lax = z3.If(price >= mark, _ceil(c * (price - mark), RAY), 0)
    return z3.Implies(z3.And(c >= 0, price >= 0, mark >= 0), strict == lax)


def _distance() -> z3.BoolRef:
    x, y = _nat("x", "y")
    return z3.If(x >= y, x - y, y - x) == z3.If(x > y, x - y, y - x)


def _linear_at_tau() -> z3.BoolRef:
    top, dur, tau = _nat("top", "dur", "tau")
    strict = z3.If(dur >= tau, 0, _floor(top * _floor((tau - dur) * RAY, tau), RAY))
    lax = z3.If(dur > tau, 0, _floor(top * _floor((tau - dur) * RAY, tau), RAY))
    return z3.Implies(z3.And(top >= 0, dur >= 0, tau > 0), strict == lax)


def _floored_at_decay() -> z3.BoolRef:
    top, floor, dur, decay = _nat("top", "floor", "dur", "decay")
    line = floor + _ceil((top - floor) * (decay - dur), decay)
    strict = z3.If(dur >= decay, floor, line)
    lax = z3.If(dur > decay, floor, line)
    return z3.Implies(z3.And(top >= floor, floor >= 0, dur >= 0, decay > 0), strict == lax)


def _capped_move() -> z3.BoolRef:
    """At ``gap == previous``, ``rdiv_up(gap, previous)`` is ``RAY``, the capped branch's."""
    gap, previous = _nat("gap", "previous")
    strict = z3.If(gap >= previous, RAY, _ceil(gap * RAY, previous))
    lax = z3.If(gap > previous, RAY, _ceil(gap * RAY, previous))
    return z3.Implies(z3.And(gap >= 0, previous > 0), strict == lax)


def _no_shortfall() -> z3.BoolRef:
    """Each rung of a shortfall of 0: pays ``min(0, buffer) = 0`` (or the remaining 0), so
    every buffer, claim and the bad debt are unchanged and ``paid > 0`` emits nothing."""
    insurance, pol, claims, bad = _nat("insurance", "pol", "claims", "bad")
    remaining = z3.IntVal(0)
    by_insurance = z3.If(remaining < insurance, remaining, insurance)
    by_pol = z3.If(remaining - by_insurance < pol, remaining - by_insurance, pol)
    by_lps = remaining - by_insurance - by_pol
    unchanged = z3.And(
        insurance - by_insurance == insurance,
        pol - by_pol == pol,
        claims - by_lps == claims,
        bad + by_lps == bad,
    )
    silent = z3.Not(z3.Or(by_insurance > 0, by_pol > 0, by_lps > 0))
    return z3.Implies(z3.And(insurance >= 0, pol >= 0), z3.And(unchanged, silent))


CHECKS: dict[str, Callable[[], z3.BoolRef]] = {
    "cmp:loss.step_loss:event.price>mark": _premium,
    "cmp:loss.open_shortfall:position.debt>value": _zero_either_way,
    "cmp:loss.open_shortfall:auction.debt>value": _zero_either_way,
    "cmp:loss.economic_loss:realised.pol_bought>realised.pol_sold": _zero_either_way,
    "cmp:loss.economic_loss:realised.pol_paid>recovered": _zero_either_way,
    "drop:policies.gen1_spot.seizure:minimum(repay,mul_div_up(position.collateral,spot,RAY+p~)"
    "-repay": _seizure_repay,
    "cmp:policies.gen1_spot._leverage_refusal:debt>0": _no_debt,
    "cmp:policies.gen2_dutch._leverage_refusal:debt>0": _no_debt,
    "cmp:policies.gen2_dutch._bark_size:debt<position.debt": _bark_size,
    "cmp:policies.gen3_zero_loss.kick._incentive:paid_so_far<p.incentive_cap": _room,
    "cmp:policies.gen3_zero_loss.sizing.debt_to_target:value>=owed": _to_target,
    "cmp:policies.gen3_zero_loss.sizing.depth_room:cap>market.kicked_in_period": _depth_room,
    "drop:policies.gen3_zero_loss.sizing.plan_kick:minimum(dust,position.debt)-position.debt": (
        _at_least_dust
    ),
    "cmp:policies.gen3_zero_loss.sizing.plan_kick:position.debt-debt<dust": _cut_leaves_dust,
    "drop:policies.gen3_zero_loss.sizing.plan_kick:minimum(position.collateral,rdiv_up(tab,"
    'floor,"formula.~)-position.collateral': _solvent_lot,
    "cmp:policies.gen3_zero_loss.backstop._end_plan:state.buffers.pol_quote*RAY>=auction.lot"
    "*auction.floor": _pol_affords_lot,
    "cmp:numbers.fixed_point.distance:x>=y": _distance,
    "cmp:oracle.next_volatility:gap>=previous_spot": _capped_move,
    "cmp:policies.gen1_spot._liquidate_effect:bad_debt>0#2": _no_shortfall,
    "cmp:rules.auctions.settle_rule.effect:shortfall>0": _no_shortfall,
    "cmp:curves.abaci.linear_decrease:dur>=tau": _linear_at_tau,
    "cmp:curves.zero_loss.floored_linear_price:dur>=decay": _floored_at_decay,
}
"""Each equivalent mutant whose reason is arithmetic at the site, and that arithmetic.

The other two are argued in their reason and checked by the matrix (an equivalent mutant
must not meet a counterexample among the obligations that exercise it): the ``rpow``
overflow at ``2**128`` (the next squaring overflows either way) and the volatility clamp
(redundant under an invariant of the state, ORACLE-SANE)."""


@pytest.mark.parametrize("mutant_id", sorted(CHECKS))
def test_the_reason_holds(mutant_id: str) -> None:
    assert mutant_id in EQUIVALENT, f"{mutant_id} is not declared equivalent"
    solver = z3.Solver()
    solver.set("timeout", 20_000)
    solver.add(z3.Not(CHECKS[mutant_id]()))
    assert solver.check() == z3.unsat, (
        f"{mutant_id}: {solver.model() if solver.check() == z3.sat else 'unknown'}"
    )


def test_every_equivalent_mutant_is_in_the_catalogue() -> None:
    ids = {m.id for m in GENERATED}
    assert sorted(set(EQUIVALENT) - ids) == []
