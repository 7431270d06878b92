"""Liquidation policies: gen 1 spot sell-off, gen 2 Dutch auction, gen 3 zero-loss.

The type of ``config.policy`` selects the policy; :func:`policy_of` returns its
:class:`Policy` record.
"""

from __future__ import annotations

from model.params.records import Config
from model.policies import gen1_spot, gen2_dutch, gen3_zero_loss
from model.policies.policy import Policy

POLICIES: tuple[Policy, ...] = (gen1_spot.POLICY, gen2_dutch.POLICY, gen3_zero_loss.POLICY)


BY_PARAMS: dict[type, Policy] = {policy.params_type: policy for policy in POLICIES}
BY_NAME: dict[str, Policy] = {policy.name: policy for policy in POLICIES}


def policy_of(config: Config) -> Policy:
    """The policy ``config.policy`` configures."""
    return BY_PARAMS[type(config.policy)]


__all__ = ["BY_NAME", "POLICIES", "Policy", "policy_of"]
