"""The derived parameters and the cross-parameter rules pinned to ``spec/parameters.md``.

PARAM-CROSS states two rules with a rounded product in them; each is pinned here as
"``validate`` reports the field exactly when the rule, in plain integer arithmetic, is
broken":

- the backstop: ``liquidation_ratio > ceil((RAY + penalty) * RAY / floor_ratio)``, with
  ``gen3_backstop_ratio`` itself equal to that ceiling;
- anti-farming: ``keeper_tip + ceil(ceil(dust * (RAY + penalty) / RAY) * keeper_chip / RAY)
  <= floor(dust * penalty / RAY)``.

The divisor of each quotient is concrete (``floor_ratio``, or ``RAY`` with ``dust`` and
``penalty`` fixed), so the claims are linear for the solver; ``dust`` is an odd amount, so
that ``dust * penalty`` is no multiple of ``RAY`` and a flipped rounding shows.
"""

from __future__ import annotations

from typing import Any

import attrs

from model.numbers import RAY, WAD
from model.params.derived import gen3_backstop_ratio
from model.params.presets import GEN3_ZERO_LOSS, config
from model.params.validation import validate
from proofs.obligation import Obligation, Task
from proofs.obligations.pinned.arith import both, cdiv, fdiv, implies, negation, same
from proofs.world import Source

ODD_DUST = 1_000 * WAD + 7
"""A dust whose product with a round penalty is no multiple of ``RAY``."""


@attrs.frozen
class Checked:
    """A gen 3 configuration with some symbolic fields, and what ``validate`` says of it."""

    penalty: Any
    floor_ratio: int
    liquidation_ratio: Any
    keeper_tip: Any
    keeper_chip: Any
    backstop: Any
    fields: Any
    """``field -> reported`` for the fields the claims are about."""


def _reported(errors: tuple[Any, ...], field: str) -> bool:
    return any(e.field == field for e in errors)


def _backstop_task() -> Task:
    def build(source: Source) -> Checked:
        penalty = source.integer("policy.penalty", 0, RAY - 1)
        liquidation = source.integer("policy.liquidation_ratio", 0, 4 * RAY)
        p = attrs.evolve(
            GEN3_ZERO_LOSS,
            penalty=penalty,
            liquidation_ratio=liquidation,
            target_ratio=4 * RAY + 1,
            keeper_tip=0,
            keeper_chip=0,
        )
        errors = validate(attrs.evolve(config(p), dust=ODD_DUST))
        reported = {"policy.liquidation_ratio": _reported(errors, "policy.liquidation_ratio")}
        return Checked(penalty, p.floor_ratio, liquidation, 0, 0, gen3_backstop_ratio(p), reported)

    return Task(key="formula/params/gen3-backstop", build=build)


def _backstop_exact(c: Checked) -> object:
    """``gen3_backstop_ratio`` is the ceiling, and the rule reported exactly when broken."""
    ceiling = cdiv((RAY + c.penalty) * RAY, c.floor_ratio)
    broken = negation(c.liquidation_ratio > ceiling)
    return both(same(c.backstop, ceiling), same(c.fields["policy.liquidation_ratio"], broken))


def _farming_task() -> Task:
    def build(source: Source) -> Checked:
        tip = source.integer("policy.keeper_tip", 0, 1_000 * WAD)
        chip = source.integer("policy.keeper_chip", 0, RAY)
        p = attrs.evolve(GEN3_ZERO_LOSS, keeper_tip=tip, keeper_chip=chip)
        errors = validate(attrs.evolve(config(p), dust=ODD_DUST))
        reported = {"policy.keeper_tip": _reported(errors, "policy.keeper_tip")}
        return Checked(p.penalty, p.floor_ratio, p.liquidation_ratio, tip, chip, 0, reported)

    return Task(key="formula/params/gen3-anti-farming", build=build)


def _farming_exact(c: Checked) -> object:
    chost = cdiv(ODD_DUST * (RAY + c.penalty), RAY)
    incentive = c.keeper_tip + cdiv(chost * c.keeper_chip, RAY)
    penalty = fdiv(ODD_DUST * c.penalty, RAY)
    reported = c.fields["policy.keeper_tip"]
    return both(implies(incentive > penalty, reported), implies(reported, incentive > penalty))


def obligations() -> list[Obligation]:
    return [
        Obligation(
            name="PARAM-CROSS/gen3/backstop-exact",
            requirement_ids=("PARAM-CROSS", "GEN3-SLICE"),
            policy="gen3",
            task=_backstop_task(),
            claim=_backstop_exact,
            summary="backstop ratio = ceil((1 + penalty) / floor_ratio); liquidation_ratio "
            "reported exactly when not above it",
        ),
        Obligation(
            name="PARAM-CROSS/gen3/anti-farming-exact",
            requirement_ids=("PARAM-CROSS",),
            policy="gen3",
            task=_farming_task(),
            claim=_farming_exact,
            summary="keeper_tip reported exactly when tip + ceil(chip * tab(dust)) > "
            "floor(dust * penalty)",
        ),
    ]
