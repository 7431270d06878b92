"""The symbolic worlds of the pre-liquidation and steward obligations (``predictive.py``).

A gen 3 state under the preset with the reference steward bounds, every number symbolic:
pre-liquidation terms for position 0 and a steward record (the parameters it set, the
phase-in, the locks), and one task per action kind and world.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from immutables import Map

from model import step
from model.actions import (
    AdvanceTime,
    Borrow,
    Kick,
    PreLiquidate,
    SetPreLiquidation,
    UpdateParams,
    WithdrawCollateral,
)
from model.numbers.fixed_point import RAY
from model.params.presets import GEN3_ZERO_LOSS, PRESETS, STEWARD, percent
from model.params.records import Config
from model.state import PreLiquidationTerms, State, Steward
from proofs.obligation import Task
from proofs.obligations.steps import StepSubject
from proofs.world import Ranges, Shape, Source, build_state

RANGES = Ranges()
CONFIG = attrs.evolve(PRESETS["gen3"], steward=STEWARD)
"""The gen 3 preset with the reference steward bounds."""
NO_PHASE_IN = attrs.evolve(CONFIG, steward=attrs.evolve(STEWARD, phase_in=0))
"""Bounds without a phase-in (not valid: ``phase_in`` must be > 0): the necessity witness."""
THIN_PENALTY = attrs.evolve(
    CONFIG,
    policy=attrs.evolve(GEN3_ZERO_LOSS, penalty=percent("1"), liquidation_ratio=percent("115")),
)
"""A 1 % penalty and ``L = 1.15``: the backstop ratio (1.122) lies below the safety
inequality's bound (1.134), so an update to ``L`` between them is valid but unsafe
(UNSAFE_PARAMS), which the preset cannot show (its backstop, 1.167, is above the bound)."""
KICK_FIXED = (
    ("target_ratio", percent("145")),
    ("warning_margin", percent("10")),
)
"""The kick under a steward record: ``L`` and its phase-in symbolic, ``T`` and the margin
those of the preset (a symbolic ``T`` divides the slice by a symbolic amount)."""
TERMS = ("ratio", "close_factor_start", "close_factor_end", "incentive_start", "incentive_end")
STEWARD_FIELDS = (
    "liquidation_ratio",
    "target_ratio",
    "warning_margin",
    "phase_from",
    "phase_start",
    "phase_end",
    "liquidation_ratio_locked_until",
    "target_ratio_locked_until",
    "warning_margin_locked_until",
)


# --- the symbolic worlds -----------------------------------------------------------------


REFERENCE_TERMS = PreLiquidationTerms(
    ratio=percent("145"),
    close_factor_start=percent("10"),
    close_factor_end=percent("50"),
    incentive_start=percent("101"),
    incentive_end=percent("104"),
)
"""Terms a borrower might choose under the preset (``L = 1.25``): the default tier's
pre-liquidation runs on them, the deeper tier's on symbolic terms."""


def symbolic_terms(source: Source, prefix: str) -> PreLiquidationTerms:
    values = {name: source.integer(f"{prefix}.{name}", 0, RANGES.price) for name in TERMS}
    return PreLiquidationTerms(**values)


TIMES = frozenset({"phase_start", "phase_end", *(f for f in STEWARD_FIELDS if "locked" in f)})


def symbolic_steward(source: Source, fixed: tuple[tuple[str, int], ...] = ()) -> Steward:
    """A steward record, every field symbolic but those ``fixed``."""
    given = dict(fixed)
    values = {
        name: given[name]
        if name in given
        else source.integer(f"steward.{name}", 0, RANGES.time if name in TIMES else RANGES.price)
        for name in STEWARD_FIELDS
    }
    return Steward(**values)


SMALL = Shape(owners=("ann", "bob"), auctions=(1,), lps=("lp",))
"""Position 0 acted on, position 1 and one auction beside it (the sums over the maps are
exercised), one LP."""
FIXED_PRICE = attrs.evolve(SMALL, fixed=(("oracle.reference", 2_000 * RAY),))
"""The default tier's pre-liquidation: a concrete reference price keeps the band's
products linear in the collateral and the debt."""


def predictive_state(
    source: Source,
    *,
    terms_for: tuple[int, ...] = (0,),
    steward: bool = True,
    config: Config = CONFIG,
    shape: Shape = SMALL,
    terms: PreLiquidationTerms | None = None,
    steward_fixed: tuple[tuple[str, int], ...] = (),
) -> State:
    """A gen 3 state of ``shape``, with terms for the positions ``terms_for`` (``terms``, or
    symbolic ones) and, with ``steward``, a symbolic steward record (but ``steward_fixed``)."""
    pre = build_state(source, config, shape, RANGES)
    entries: Map[int, PreLiquidationTerms] = Map(
        {i: terms or symbolic_terms(source, f"terms{i}") for i in terms_for}
    )
    return attrs.evolve(
        pre,
        pre_liquidation=entries,
        steward=symbolic_steward(source, steward_fixed) if steward else None,
    )


def _ratio(source: Source, name: str) -> Any:
    return source.integer(f"act.{name}", 0, RANGES.price)


def _amount(source: Source) -> Any:
    return source.integer("act.amount", 0, RANGES.amount)


ActionOf = Callable[[Source], object]
ACTIONS: dict[str, ActionOf] = {
    "SetPreLiquidation": lambda s: SetPreLiquidation("ann", 0, *(_ratio(s, t) for t in TERMS)),
    "SetPreLiquidation/new": lambda s: SetPreLiquidation("bob", 1, *(_ratio(s, t) for t in TERMS)),
    "SetPreLiquidation/stranger": lambda s: SetPreLiquidation(
        "bob", 0, *(_ratio(s, t) for t in TERMS)
    ),
    "PreLiquidate": lambda s: PreLiquidate("keeper", 0, _amount(s)),
    "PreLiquidate/any": lambda s: PreLiquidate("keeper", 0, _amount(s)),
    "PreLiquidate/none": lambda s: PreLiquidate("keeper", 1, _amount(s)),
    "UpdateParams": lambda s: UpdateParams(
        "risk-steward", _ratio(s, "l"), _ratio(s, "t"), _ratio(s, "m")
    ),
    "UpdateParams/first": lambda s: UpdateParams(
        "risk-steward", _ratio(s, "l"), _ratio(s, "t"), _ratio(s, "m")
    ),
    "UpdateParams/thin-penalty": lambda s: UpdateParams(
        "risk-steward", _ratio(s, "l"), _ratio(s, "t"), _ratio(s, "m")
    ),
    "Kick": lambda s: Kick("keeper", 0),
    "Borrow": lambda s: Borrow("ann", 0, _amount(s)),
    "WithdrawCollateral": lambda s: WithdrawCollateral("ann", 0, _amount(s)),
    "AdvanceTime": lambda s: AdvanceTime(s.integer("act.seconds", 0, RANGES.time)),
}
WORLDS: dict[str, dict[str, Any]] = {
    "SetPreLiquidation": {"terms_for": (0,), "steward": True},
    "SetPreLiquidation/new": {"terms_for": (0,), "steward": False},
    "SetPreLiquidation/stranger": {"terms_for": (), "steward": False},
    "PreLiquidate": {
        "terms_for": (0,),
        "steward": False,
        "terms": REFERENCE_TERMS,
        "shape": FIXED_PRICE,
    },
    "PreLiquidate/any": {"terms_for": (0,), "steward": False, "shape": FIXED_PRICE},
    "PreLiquidate/none": {"terms_for": (0,), "steward": False},
    "UpdateParams": {"terms_for": (), "steward": True},
    "UpdateParams/first": {"terms_for": (), "steward": False},
    "UpdateParams/thin-penalty": {"terms_for": (), "steward": False, "config": THIN_PENALTY},
    "Kick": {
        "terms_for": (),
        "steward": True,
        "steward_fixed": KICK_FIXED,
        "shape": FIXED_PRICE,
    },
    "Borrow": {"terms_for": (), "steward": True},
    "WithdrawCollateral": {"terms_for": (), "steward": True},
    "AdvanceTime": {"terms_for": (0,), "steward": True},
}
"""Each task's world: ``/new``, ``/none`` and ``/first`` have no steward record (the
configured parameters in force) and act on position 1, which has no terms, or update
for the first time. ``PreLiquidate`` runs on the reference terms at a concrete price
with the configured ``L``; ``PreLiquidate/any`` on any terms, at the same price and
``L`` (with every number symbolic, price and ``L`` too, it cost 255 s: too slow for
``make test``). ``/stranger`` is bob acting on ann's position; ``/thin-penalty`` the
configuration where a valid ``L`` can be unsafe."""
DEEP = frozenset({"Kick", "PreLiquidate/any", "UpdateParams", "Borrow", "WithdrawCollateral"})
"""Tasks in the deeper tier (``zle prove --deep``; ``make test`` runs it): the kick under
a steward record with ``L`` and its phase-in symbolic at a concrete price (its step
properties only: the invariants under the kick are ``steps.py``'s; at any price the
exploration alone took over 90 CPU seconds), pre-liquidation on any terms, a later
update over a symbolic steward record (250 paths, about 50 CPU seconds), and the leverage
checks against the parameters in force. The default tier keeps the first update, time
moving a phase-in, opting in and out, and pre-liquidation on the reference terms."""


def _build(kind: str) -> Callable[[Source], StepSubject]:
    world = WORLDS[kind]

    def build(source: Source) -> StepSubject:
        pre = predictive_state(source, **world)
        action = ACTIONS[kind](source)
        return StepSubject(pre, action, step(pre, action))

    return build


TASKS: dict[str, Task] = {
    kind: Task(key=f"predictive/gen3/{kind}", build=_build(kind)) for kind in ACTIONS
}
