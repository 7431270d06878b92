"""Configurations the machines launch under besides each policy's preset.

A preset never reaches some rules: gen 2's reference cap ``hole`` and gen 3's
``exposure_cap`` (22 M of quote) never bind on the machines' books, gen 2's preset
curve is the stair-step one, and gen 3's incentive cap is far above what one
liquidation pays. Each variant changes one or two parameters so that such a rule is
met on ordinary runs: a cap that binds, a curve that reaches ``cusp`` well before
``tail`` (or long after it: then ``tail`` alone decides), an incentive cap a reset runs
into, a penalty thin enough that the steward's safety check is the one that binds.
Every variant is a valid configuration (``model.params.validate``;
``test_variants_are_valid_configurations``). A run launches under its policy's preset
in three runs out of eight.
"""

from __future__ import annotations

from typing import Any

import attrs

from model.curves import ExponentialDecrease, LinearDecrease, StairstepExponentialDecrease
from model.numbers import RAY, WAD
from model.params.presets import PRESETS
from model.params.records import Config


def _policy(policy: str, **changes: Any) -> Config:
    preset = PRESETS[policy]
    return attrs.evolve(preset, policy=attrs.evolve(preset.policy, **changes))


VARIANTS: dict[str, dict[str, Config]] = {
    "gen1": {},
    "gen2": {
        "linear curve": _policy("gen2", curve=LinearDecrease(tau=1_800)),
        "exponential curve": _policy("gen2", curve=ExponentialDecrease(cut=RAY * 9_995 // 10_000)),
        "small hole": _policy("gen2", hole=50_000 * WAD),
        "slow curve": _policy(
            "gen2", curve=StairstepExponentialDecrease(step=90, cut=RAY * 999 // 1_000)
        ),
    },
    "gen3": {
        "small exposure cap": _policy("gen3", exposure_cap=50_000 * WAD),
        "small incentive cap": _policy("gen3", keeper_tip=40 * WAD, incentive_cap=50 * WAD),
        # a 1 % penalty puts the backstop ratio (1.01 / 0.9) below the least L that meets
        # ASM-SAFETY-INEQUALITY (a) (1 / (0.98 x 0.9)): only the safety check stands
        # between the steward and an unsafe L in between
        "thin penalty": _policy("gen3", penalty=RAY // 100),
    },
}
"""Per policy: the variant configurations, by name."""


def launch_config(policy: str, variant: str) -> Config:
    """The configuration a run launches under: the preset, or one of ``VARIANTS``."""
    return PRESETS[policy] if variant == "preset" else VARIANTS[policy][variant]
