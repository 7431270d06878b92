"""How much the state machines explore under each Hypothesis profile.

A profile (``tests/conftest.py``) says how Hypothesis runs (deterministic or not, with
or without a database); a budget says how many runs (examples) each policy's machine
gets and how many rules one run may apply at most. Each rule applies one to a few dozen
engine steps, so the engine sees several times ``examples * steps`` actions.
"""

from __future__ import annotations

import attrs
from hypothesis import Phase, settings

import tests.conftest  # noqa: F401  (registers the profiles outside pytest too)


@attrs.frozen
class Budget:
    examples: int
    """Runs of each policy's machine (Hypothesis ``max_examples``)."""
    steps: int
    """Most rules in one run (Hypothesis ``stateful_step_count``)."""


BUDGETS: dict[str, Budget] = {
    "dev": Budget(examples=30, steps=40),
    "ci": Budget(examples=800, steps=40),
    "deep": Budget(examples=4_000, steps=100),
}


def machine_settings(profile: str | None = None, *, find_only: bool = False) -> settings:
    """The settings a machine runs under: ``profile``'s (default: the loaded one), with
    its budget. Outside ``deep`` a failure is shrunk but not explained (Hypothesis's
    explain phase re-runs the failing case under coverage for a minute or more);
    ``find_only`` stops at the first failure unshrunk (mutation testing asks only
    whether a mutant is killed)."""
    name = profile or settings.get_current_profile_name()
    if name not in BUDGETS:
        name = "ci"
    budget = BUDGETS[name]
    phases = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]
    if name == "deep":
        phases.append(Phase.explain)
    if find_only:
        phases = [Phase.generate, Phase.target]
    return settings(
        settings.get_profile(name),
        max_examples=budget.examples,
        stateful_step_count=budget.steps,
        phases=phases,
    )
