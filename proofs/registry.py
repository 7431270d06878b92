"""Every proof obligation of the suite, in report order.

``tests/requirements_index.py`` reads :data:`OBLIGATIONS` to count which requirement
IDs of ``spec/requirements.md`` the proofs cover; ``zle prove`` and the pytest items of
``tests/proofs`` discharge them.
"""

from __future__ import annotations

from proofs.obligation import Obligation
from proofs.obligations import (
    buffer,
    canaries,
    contagion,
    curves,
    effects,
    iff,
    kernels,
    loss_bound,
    messages,
    pinned,
    predictive,
    steps,
    theorems,
    total_loss,
    totality,
)


def _collect() -> list[Obligation]:
    found = [
        *steps.inductive_invariants(),
        *steps.step_properties(),
        *iff.obligations(),
        *curves.obligations(),
        *kernels.obligations(),
        *effects.obligations(),
        *pinned.obligations(),
        *totality.obligations(),
        *theorems.obligations(),
        *total_loss.obligations(),
        *loss_bound.obligations(),
        *predictive.obligations(),
        *buffer.obligations(),
        *contagion.obligations(),
        *messages.obligations(),
        *canaries.obligations(),
    ]
    names = [o.name for o in found]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"duplicate obligation names: {duplicates}")
    return found


OBLIGATIONS: list[Obligation] = _collect()
BY_NAME: dict[str, Obligation] = {o.name: o for o in OBLIGATIONS}


def select(only: tuple[str, ...] = (), deep: bool = True) -> list[Obligation]:
    """The obligations covering any of the requirement IDs (or names, or name prefixes)
    in ``only``; all of them when ``only`` is empty. ``deep=False`` leaves out the deeper
    tier (``Obligation.deep``)."""
    tier = [o for o in OBLIGATIONS if deep or not o.deep]
    if not only:
        return tier
    return [
        o
        for o in tier
        if any(
            key in o.requirement_ids or o.name.startswith(key) or o.task.key.startswith(key)
            for key in only
        )
    ]
