"""Pinning obligations: every formula of ``spec/`` restated in plain integer arithmetic and
claimed equal to what the engine computes (issue 12).

The other obligations prove properties (invariants, step properties, guards); a change
of one unit in a formula often keeps them all. These pin the values themselves, so the
proof suite alone kills a rounding flipped at any call site, a comparison made strict
or lax, a ``min`` or ``max`` that lost an argument (``proofs/mutants/sites.py``).
"""

from __future__ import annotations

from proofs.obligation import Obligation
from proofs.obligations.pinned import (
    curves,
    decisions,
    formulas,
    gen3_slice,
    guards,
    history,
    numbers,
    params,
    predictive,
)


def obligations() -> list[Obligation]:
    return [
        *numbers.obligations(),
        *curves.obligations(),
        *params.obligations(),
        *formulas.obligations(),
        *gen3_slice.obligations(),
        *history.obligations(),
        *guards.obligations(),
        *decisions.obligations(),
        *predictive.obligations(),
    ]
