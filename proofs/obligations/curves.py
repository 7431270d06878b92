"""The auction price curves: monotone in elapsed time, within ``[0, top]``, floored.

Each task evaluates the model's curve function twice, at ``dur`` and at a later
``dur + later``, on a free ``top`` (and, for the linear curves, free durations and
``tau``/``decay``). The rpow-based dss curves loop over the bits of their exponent, so a
free exponent gives one path per value: those tasks bound the elapsed time by the
horizon that matters (the stage's ``tail``, after which the auction needs a reset and
no sale happens at its curve price) and compare each second with the next
(``later = 1``), which gives monotonicity over the whole horizon by induction.

``0 <= price <= top`` on every curve is the lemma that lets the gen 2 step tasks price
auctions with :class:`proofs.obligations.steps.CurveSummary`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from model.curves import (
    ExponentialDecrease,
    LinearDecrease,
    StairstepExponentialDecrease,
    floored_linear_price,
)
from model.errors import EngineFault
from model.numbers.fixed_point import RAY, UINT256_MAX
from model.params.presets import GEN2_MAKER_ETH_A, percent
from proofs.obligation import Obligation, Task
from proofs.world import Ranges, Source

PRICE = Ranges().price
WELL_FORMED_TOP = UINT256_MAX // RAY
"""Every gen 2 stage's ``top`` (AUCTION-WELL-FORMED), far beyond ASM-RANGES' prices: the
curves never fault on a stage a kick or a reset can start (PREDICATES-TOTAL)."""
TAIL = GEN2_MAKER_ETH_A.tail


@attrs.frozen
class CurvePair:
    """A curve's price at ``dur`` and at ``dur + later`` for the same stage."""

    top: Any
    floor: Any
    dur: Any
    later: Any
    first: Any
    second: Any
    fault: str = ""


def _pair(
    price: Callable[[Any, Any], Any], source: Source, horizon: int | None, floor: Any = 0
) -> CurvePair:
    top = source.integer("curve.top", 0, WELL_FORMED_TOP)
    if horizon is None:
        dur = source.integer("curve.dur", 0, Ranges().time)
        later = source.integer("curve.later", 0, Ranges().time)
    else:  # consecutive seconds: monotone from each second to the next is monotone
        dur = source.integer("curve.dur", 0, horizon - 1)
        later = 1
    try:
        return CurvePair(top, floor, dur, later, price(top, dur), price(top, dur + later))
    except EngineFault as fault:
        return CurvePair(top, floor, dur, later, 0, 0, fault.refusal.code.value)


def _dss_task(name: str, curve: Any, horizon: int | None) -> Task:
    return Task(key=f"curve/{name}", build=lambda s: _pair(curve.price, s, horizon))


def _linear_task() -> Task:
    def build(source: Source) -> CurvePair:
        tau = source.integer("curve.tau", 1, 2**32)
        return _pair(LinearDecrease(tau).price, source, None)

    return Task(key="curve/linear", build=build)


def _gen3_task() -> Task:
    def build(source: Source) -> CurvePair:
        decay = source.integer("curve.decay", 1, 2**32)
        floor = source.integer("curve.floor", 0, PRICE)
        return _pair(
            lambda top, dur: floored_linear_price(top, floor, dur, decay), source, None, floor
        )

    return Task(key="curve/gen3", build=build)


def monotone(pair: CurvePair) -> object:
    return pair.fault == "" and pair.second <= pair.first


def within_top(pair: CurvePair) -> object:
    return pair.fault == "" and 0 <= pair.first <= pair.top


def floored(pair: CurvePair) -> object:
    return pair.first >= pair.floor and pair.second >= pair.floor


def _top_at_least_floor(pair: CurvePair) -> object:
    return pair.floor <= pair.top


DSS_CURVES: dict[str, tuple[str, Any, int | None, bool]] = {
    "stairstep-eth-a": (
        "CURVE-STAIRSTEP",
        GEN2_MAKER_ETH_A.curve,
        TAIL,
        True,
    ),
    "stairstep-coarse": (
        "CURVE-STAIRSTEP",
        StairstepExponentialDecrease(step=600, cut=percent("80")),
        TAIL,
        False,
    ),
    "exponential": ("CURVE-EXPONENTIAL", ExponentialDecrease(cut=percent("99.99")), 128, True),
    "exponential-16s": (
        "CURVE-EXPONENTIAL",
        ExponentialDecrease(cut=percent("99.99")),
        16,
        False,
    ),
}
"""The dss curves proved, with the horizon of each (``None``: every ``dur``) and whether
the proof is in the deeper tier. The exponential curve's price changes every second, so
its horizon is the first 128 seconds (one path per second); the ETH-A stair-step has 94
steps in its ``tail``. Those two take about 7 and 6 s of exploration: the deeper tier
(``zle prove --deep``, and CI) runs them; the default run proves the same curves on a
coarse stair-step over the whole tail and on the first 16 seconds of the exponential."""


def obligations() -> list[Obligation]:
    found: list[Obligation] = []
    linear = _linear_task()
    for claim_id, claim, summary in (
        ("AUCTION-MONOTONE", monotone, "price(dur + later) <= price(dur)"),
        ("CURVE-LINEAR", within_top, "0 <= price <= top, never a fault"),
    ):
        found.append(
            Obligation(
                name=f"{claim_id}/gen2/curve/linear",
                requirement_ids=(claim_id, "CURVE-LINEAR"),
                policy="gen2",
                task=linear,
                claim=claim,
                summary=f"dss LinearDecrease: {summary}",
            )
        )
    for name, (curve_id, curve, horizon, deep) in DSS_CURVES.items():
        task = _dss_task(name, curve, horizon)
        for claim_id, claim, summary in (
            ("AUCTION-MONOTONE", monotone, "price(dur + later) <= price(dur)"),
            (curve_id, within_top, "0 <= price <= top, never a fault"),
        ):
            found.append(
                Obligation(
                    name=f"{claim_id}/gen2/curve/{name}",
                    requirement_ids=(claim_id, curve_id, "CURVE-RPOW", "PREDICATES-TOTAL"),
                    policy="gen2",
                    task=task,
                    claim=claim,
                    summary=f"{curve}: {summary} (dur < {horizon})",
                    deep=deep,
                )
            )
    gen3 = _gen3_task()
    for claim_id, claim, summary in (
        ("AUCTION-MONOTONE", monotone, "price(dur + later) <= price(dur)"),
        ("AUCTION-FLOOR", floored, "price >= floor at every dur"),
        ("CURVE-GEN3", within_top, "price <= top, never a fault"),
    ):
        found.append(
            Obligation(
                name=f"{claim_id}/gen3/curve",
                requirement_ids=(claim_id, "CURVE-GEN3"),
                policy="gen3",
                task=gen3,
                claim=claim,
                assume=_top_at_least_floor,
                summary=f"floored linear curve: {summary}",
            )
        )
    return found
