"""Liquidation policies: gen 1 spot sell-off, gen 2 Dutch auction, gen 3 zero-loss.

The type of ``config.policy`` selects the policy; :func:`policy_of` returns its
:class:`Policy` record.
"""

from __future__ import annotations

from model.params.records import Config, Gen1SpotParams, Gen2DutchParams
from model.policies import gen1_spot, gen2_dutch, gen3_zero_loss
from model.policies.policy import Policy

POLICIES: tuple[Policy, ...] = (gen1_spot.POLICY, gen2_dutch.POLICY, gen3_zero_loss.POLICY)


def policy_of(config: Config) -> Policy:
    """The policy ``config.policy`` configures."""
    if isinstance(config.policy, Gen1SpotParams):
        return gen1_spot.POLICY
    if isinstance(config.policy, Gen2DutchParams):
        return gen2_dutch.POLICY
    return gen3_zero_loss.POLICY


__all__ = ["POLICIES", "Policy", "policy_of"]
