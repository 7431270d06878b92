"""Pre-liquidation and the steward's phase-in pinned: the band position, the interpolated
factors, the plan's guards at their boundaries, and ``L`` in force during a phase-in, each
equal to ``spec/preliquidation.md`` / ``spec/steward.md`` in plain integer arithmetic.

The succeeds-iff obligations of these actions explore a symbolic steward record and
symbolic terms, minutes of solver time per mutant; these call one helper at a time with
the terms, the collateral and the reference concrete (odd values, so every rounding
shows) and one or two amounts free, so that every claim is linear:

- PRELIQ-TERMS: ``where = floor(L (ratio D - C ref) / (C ref (ratio - L)))`` in RAY, and
  ``start + floor((end - start) * where / RAY)`` for each factor;
- ACT-PRE-LIQUIDATE: the plan's refusals in the spec's order (not liquidatable at or above
  ``ratio``, liquidatable below ``L``, the close factor ``floor(D * close_factor)``, the
  dust left) and the collateral seized ``floor(amount * incentive / ref)``;
- STEWARD-PHASE-IN: ``L`` in force is ``from + floor((L - from) (t - start) / (end -
  start))`` before ``end`` and ``L`` from ``end`` on (an empty phase has none), both as
  the engine computes it and as the invariants restate it; an update to a ratio that is
  not above the one in force takes effect at once.
"""

from __future__ import annotations

from typing import Any

import attrs
from immutables import Map

from model.actions import PreLiquidate, UpdateParams
from model.errors import EngineFault, Refusal
from model.invariants.predictive import liquidation_ratio_in_force
from model.numbers import RAY, WAD
from model.params.presets import GEN3_ZERO_LOSS, PRESETS, STEWARD, percent
from model.rules import preliquidation, steward
from model.state.pre_liquidation import PreLiquidationTerms
from model.state.steward import Steward
from proofs.obligation import Obligation, Task
from proofs.obligations.pinned.arith import both, either, fdiv, ite, negation, same
from proofs.world import Ranges, Shape, Source, build_state

AMOUNT = Ranges().amount
L = GEN3_ZERO_LOSS.liquidation_ratio
REFERENCE = 1_500 * RAY + 7
COLLATERAL = 10 * WAD + 3
VALUE = COLLATERAL * REFERENCE
RATIO = percent("140") + 3
FLAT = PreLiquidationTerms(
    ratio=RATIO,
    close_factor_start=RAY // 2 + 1,
    close_factor_end=RAY // 2 + 1,
    incentive_start=percent("105") + 1,
    incentive_end=percent("105") + 1,
)
"""Terms whose factors do not move in the band: the plan's guards and seizure pinned with
the debt and the amount free."""
SLOPED = attrs.evolve(
    FLAT,
    close_factor_start=percent("20") + 1,
    close_factor_end=percent("90") + 3,
    incentive_start=percent("102") + 1,
    incentive_end=percent("110") + 7,
)
IN_BAND_DEBT = 11_000 * WAD + 1
"""Between ``C ref / ratio`` (about 10,714) and ``C ref / L`` (about 12,000)."""
KEEPER_AMOUNT = 1_000 * WAD + 3


@attrs.frozen
class Values:
    inputs: dict[str, Any]
    result: Any


def _state(
    source: Source,
    debt: Any,
    terms: PreLiquidationTerms,
    collateral: Any = COLLATERAL,
    reference: int = REFERENCE,
) -> Any:
    fixed = (("oracle.reference", reference), ("pos0.collateral", collateral), ("pos0.debt", debt))
    shape = Shape(owners=("ann",), auctions=(), lps=(), fixed=fixed)
    state = build_state(source, PRESETS["gen3"], shape)
    return attrs.evolve(state, pre_liquidation=Map({0: terms}))


def _no_breaker(state: Any) -> Refusal | None:
    return None


# --- the plan's guards and seizure, flat terms ----------------------------------------------


WHOLE = attrs.evolve(FLAT, ratio=percent("140"), close_factor_start=RAY, close_factor_end=RAY)
"""Terms that let one pre-liquidation repay all of the debt, with a round ratio: with the
reference at ``RAY`` and a round debt, the collateral at either end of the band, and a
repayment that leaves nothing or exactly ``dust``, are all reachable."""
WHOLE_DEBT = 20_000 * WAD


def _flat_task() -> Task:
    """The debt and the amount free; the collateral and the reference odd."""

    def build(source: Source) -> Values:
        debt = source.integer("position.debt", 0, AMOUNT)
        amount = source.integer("action.amount", 0, AMOUNT)
        state = _state(source, debt, FLAT)
        planned = preliquidation.plan(state, PreLiquidate("keeper", 0, amount), _no_breaker)
        inputs = {"debt": debt, "amount": amount, "dust": state.config.dust, "value": VALUE}
        return Values(inputs, (FLAT, REFERENCE, planned))

    return Task(key="formula/gen3/preliquidation-flat", build=build)


def _whole_task() -> Task:
    """The collateral and the amount free; the debt round, the reference ``RAY``."""

    def build(source: Source) -> Values:
        collateral = source.integer("position.collateral", 0, AMOUNT)
        amount = source.integer("action.amount", 0, AMOUNT)
        state = _state(source, WHOLE_DEBT, WHOLE, collateral, RAY)
        planned = preliquidation.plan(state, PreLiquidate("keeper", 0, amount), _no_breaker)
        inputs = {
            "debt": WHOLE_DEBT,
            "amount": amount,
            "dust": state.config.dust,
            "value": collateral * RAY,
        }
        return Values(inputs, (WHOLE, RAY, planned))

    return Task(key="formula/gen3/preliquidation-whole", build=build)


def _flat_exact(v: Values) -> object:
    """The plan's refusals in order, then ``seized = floor(amount * incentive / ref)``."""
    debt, amount, dust = v.inputs["debt"], v.inputs["amount"], v.inputs["dust"]
    value = v.inputs["value"]
    terms, reference, planned = v.result
    close = terms.close_factor_start
    incentive = terms.incentive_start
    zero = amount == 0
    nothing = both(negation(zero), debt == 0)
    healthy = both(negation(zero), negation(nothing), value >= debt * terms.ratio)
    earlier = either(zero, nothing, healthy)
    liquidatable = both(negation(earlier), value < debt * L)
    earlier = either(earlier, liquidatable)
    too_much = both(negation(earlier), amount > fdiv(debt * close, RAY))
    earlier = either(earlier, too_much)
    left = debt - amount
    dusty = both(negation(earlier), left > 0, left < dust)
    refused = either(earlier, dusty)
    if isinstance(planned, Refusal):
        code = planned.code.name
        wanted = {
            "ZERO_AMOUNT": zero,
            "NOTHING_TO_LIQUIDATE": nothing,
            "NOT_LIQUIDATABLE": healthy,
            "POSITION_LIQUIDATABLE": liquidatable,
            "CLOSE_FACTOR_EXCEEDED": too_much,
            "DUST": dusty,
        }
        return wanted.get(code, False)
    return both(
        negation(refused),
        same(planned.close_factor, close),
        same(planned.incentive, incentive),
        same(planned.repaid, amount),
        same(planned.seized, fdiv(amount * incentive, reference)),
    )


# --- the terms' end incentive against L ---------------------------------------------------


def _end_task() -> Task:
    def build(source: Source) -> Values:
        end = source.integer("terms.incentive_end", RAY, 2 * RAY)
        terms = attrs.evolve(FLAT, incentive_start=end, incentive_end=end)
        state = _state(source, IN_BAND_DEBT, terms)
        action = PreLiquidate("keeper", 0, KEEPER_AMOUNT)
        return Values({"end": end}, preliquidation.plan(state, action, _no_breaker))

    return Task(key="formula/gen3/preliquidation-end", build=build)


def _end_exact(v: Values) -> object:
    """Terms whose incentive at ``L`` is above ``L`` are refused (the ratio would worsen);
    at ``L`` itself they stand."""
    end = v.inputs["end"]
    if isinstance(v.result, Refusal):
        return both(v.result.code.name == "INVALID_TERMS", end > L)
    return both(end <= L, same(v.result.seized, fdiv(KEEPER_AMOUNT * end, REFERENCE)))


# --- the band position and the interpolated factors ---------------------------------------


def _band_task() -> Task:
    def build(source: Source) -> Values:
        debt = source.integer("position.debt", 0, AMOUNT)
        state = _state(source, debt, SLOPED)
        where = preliquidation.band_position(SLOPED, L, state.positions[0], REFERENCE)
        close = preliquidation.interpolate(
            SLOPED.close_factor_start, SLOPED.close_factor_end, where
        )
        incentive = preliquidation.interpolate(SLOPED.incentive_start, SLOPED.incentive_end, where)
        return Values({"debt": debt}, (where, close, incentive))

    return Task(key="formula/gen3/preliquidation-band", build=build)


def _in_band(v: Values) -> object:
    """The caller's check: ``L <= C ref / D < ratio``."""
    debt = v.inputs["debt"]
    return both(debt * L <= VALUE, debt * RATIO > VALUE)


def _band_exact(v: Values) -> object:
    where, close, incentive = v.result
    debt = v.inputs["debt"]
    spec_where = fdiv(L * (RATIO * debt - VALUE) * RAY, VALUE * (RATIO - L))
    t = SLOPED
    return both(
        same(where, spec_where),
        same(
            close,
            t.close_factor_start + fdiv((t.close_factor_end - t.close_factor_start) * where, RAY),
        ),
        same(
            incentive, t.incentive_start + fdiv((t.incentive_end - t.incentive_start) * where, RAY)
        ),
    )


# --- STEWARD-PHASE-IN -----------------------------------------------------------------------

PHASE_FROM = L
RAISED = percent("130") + 1
START = 1_000
SPAN = 3_601


def _steward_record(phase_from: int, end: int) -> Steward:
    return Steward(
        liquidation_ratio=RAISED,
        target_ratio=GEN3_ZERO_LOSS.target_ratio,
        warning_margin=GEN3_ZERO_LOSS.warning_margin,
        phase_from=phase_from,
        phase_start=START,
        phase_end=end,
        liquidation_ratio_locked_until=0,
        target_ratio_locked_until=0,
        warning_margin_locked_until=0,
    )


def _phase_task(key: str, record: Steward) -> Task:
    shape = Shape(owners=(), auctions=(), lps=())
    configured = attrs.evolve(PRESETS["gen3"], steward=STEWARD)

    def build(source: Source) -> Values:
        time = source.integer("steward.time", START, Ranges().time)
        state = attrs.evolve(build_state(source, configured, shape), steward=record, time=time)
        try:
            now = steward.liquidation_ratio_now(state)
        except EngineFault as fault:  # an empty phase divided by
            return Values({"time": time}, fault.refusal)
        return Values({"time": time}, (now, liquidation_ratio_in_force(state)))

    return Task(key=key, build=build)


def _phase_exact(record: Steward) -> Any:
    def claim(v: Values) -> object:
        time = v.inputs["time"]
        span = record.phase_end - record.phase_start
        if span == 0:
            wanted: Any = record.liquidation_ratio
        else:
            rise = record.liquidation_ratio - record.phase_from
            during = record.phase_from + fdiv(rise * (time - record.phase_start), span)
            wanted = ite(time >= record.phase_end, record.liquidation_ratio, during)
        if isinstance(v.result, Refusal):
            return False
        now, in_force = v.result
        return both(same(now, wanted), same(in_force, wanted))

    return claim


RISING = _steward_record(PHASE_FROM, START + SPAN)
SETTLED = _steward_record(RAISED, START)


def _update_task() -> Task:
    """Mid-phase, the steward asks for a new ``L`` (free); the others unchanged."""
    shape = Shape(owners=(), auctions=(), lps=())
    configured = attrs.evolve(PRESETS["gen3"], steward=STEWARD)

    def build(source: Source) -> Values:
        time = source.integer("steward.time", START, START + SPAN - 1)
        state = attrs.evolve(build_state(source, configured, shape), steward=RISING, time=time)
        wanted = source.integer("action.liquidation_ratio", 0, 2 * RAY)
        action = UpdateParams(STEWARD.steward, wanted, RISING.target_ratio, RISING.warning_margin)
        after, _ = steward._update_effect(state, action)
        return Values({"time": time, "wanted": wanted}, after.steward)

    return Task(key="formula/gen3/steward-update", build=build)


def _update_exact(v: Values) -> object:
    """A new ``L`` above the one in force phases in over ``phase_in`` from it; one not
    above takes effect at once (``phase_start = phase_end = time``)."""
    time, wanted = v.inputs["time"], v.inputs["wanted"]
    rise = RISING.liquidation_ratio - RISING.phase_from
    now = RISING.phase_from + fdiv(rise * (time - START), SPAN)
    changed = negation(same(wanted, RISING.liquidation_ratio))
    phases = both(changed, wanted > now)
    at_once = both(changed, negation(wanted > now))
    record = v.result
    return both(
        implies_same(phases, record.phase_end, time + STEWARD.phase_in),
        implies_same(phases, record.phase_from, now),
        implies_same(at_once, record.phase_end, time),
        implies_same(at_once, record.phase_from, wanted),
    )


# --- ASM-SAFETY-INEQUALITY (a), as the steward checks it ---------------------------------

STEP = percent("20")
SAFE_FLOOR = percent("80")
"""A step bound and a floor ratio whose product divides ``(1 + η) RAY**2``: the ``L`` at
which ``L (1 - s) f = 1 + η`` holds exactly is a whole number (``1.5625 (RAY + η)``)."""


def _safety_task() -> Task:
    p = attrs.evolve(GEN3_ZERO_LOSS, floor_ratio=SAFE_FLOOR)
    base = PRESETS["gen3"]
    configured = attrs.evolve(base, policy=p, oracle=attrs.evolve(base.oracle, max_step=STEP))
    shape = Shape(owners=(), auctions=(), lps=())

    def build(source: Source) -> Values:
        ratio = source.integer("action.liquidation_ratio", 0, 4 * RAY)
        state = build_state(source, configured, shape)
        return Values({"ratio": ratio}, steward.safety_inequality_holds(state, ratio))

    return Task(key="formula/gen3/safety-inequality", build=build)


def _safety_exact(v: Values) -> object:
    """``L (1 - s) f >= 1 + η`` on the RAY integers, at equality too."""
    lhs = v.inputs["ratio"] * (RAY - STEP) * SAFE_FLOOR
    return same(v.result, lhs >= (RAY + steward.ETA) * RAY * RAY)


def implies_same(condition: object, a: object, b: object) -> object:
    return either(negation(condition), same(a, b))


def obligations() -> list[Obligation]:
    def o(
        name: str, ids: tuple[str, ...], task: Task, claim: Any, summary: str, **more: Any
    ) -> Obligation:
        return Obligation(
            name=name,
            requirement_ids=ids,
            policy="gen3",
            task=task,
            claim=claim,
            summary=summary,
            **more,
        )

    return [
        o(
            "ACT-PRE-LIQUIDATE/gen3/plan-flat-exact",
            ("ACT-PRE-LIQUIDATE", "PRELIQ-CLOSE-FACTOR", "PRELIQ-KEEPER-GAIN"),
            _flat_task(),
            _flat_exact,
            "the plan's refusals in order (at or above ratio, below L, above floor(D * close "
            "factor), dust left); seized = floor(amount * incentive / reference)",
        ),
        o(
            "ACT-PRE-LIQUIDATE/gen3/plan-whole-exact",
            ("ACT-PRE-LIQUIDATE", "PRELIQ-CLOSE-FACTOR", "DEBT-DUST"),
            _whole_task(),
            _flat_exact,
            "the same with a close factor of 1: refused at ratio and below L exactly, a "
            "repayment of all the debt accepted, one that leaves exactly dust accepted",
        ),
        o(
            "ACT-PRE-LIQUIDATE/gen3/plan-end-exact",
            ("ACT-PRE-LIQUIDATE", "PRELIQ-TERMS"),
            _end_task(),
            _end_exact,
            "terms whose incentive at L is above L are refused; at L they stand",
        ),
        o(
            "PRELIQ-TERMS/gen3/band-exact",
            ("PRELIQ-TERMS", "PRELIQ-CLOSE-FACTOR"),
            _band_task(),
            _band_exact,
            "where = floor(L (ratio D - C ref) / (C ref (ratio - L))); each factor start + "
            "floor((end - start) where)",
            assume=_in_band,
        ),
        o(
            "STEWARD-PHASE-IN/gen3/phase-in-exact",
            ("STEWARD-PHASE-IN",),
            _phase_task("formula/gen3/phase-in", RISING),
            _phase_exact(RISING),
            "L in force = from + floor((L - from) (t - start) / (end - start)) before end, L "
            "from end on (engine and invariant alike)",
        ),
        o(
            "STEWARD-PHASE-IN/gen3/no-phase-exact",
            ("STEWARD-PHASE-IN",),
            _phase_task("formula/gen3/no-phase", SETTLED),
            _phase_exact(SETTLED),
            "without a phase-in (start = end), L in force is the steward's L at every time",
        ),
        o(
            "ASM-SAFETY-INEQUALITY/gen3/steward-check-exact",
            ("ASM-SAFETY-INEQUALITY", "STEWARD-SAFE"),
            _safety_task(),
            _safety_exact,
            "the steward's safety check: L (1 - max_step) floor_ratio >= 1 + eta, exactly "
            "(equality accepted)",
        ),
        o(
            "STEWARD-PHASE-IN/gen3/update-exact",
            ("STEWARD-PHASE-IN", "ACT-UPDATE-PARAMS"),
            _update_task(),
            _update_exact,
            "a new L above the one in force phases in from it over phase_in; one not above "
            "takes effect at once",
        ),
    ]
