"""Canaries: deliberately false claims that the suite must refute with a concrete witness.

A proof suite that proves everything proves nothing: a solver given a wrong encoding, a
task whose paths are all infeasible, or assumptions that contradict each other would
report "proved" for every claim, true or false. Each canary here is a claim about an
existing step task that is plainly false of the engine (borrowing moves cash, a gen 3
take can succeed, ...). It is expected to *fail* (``Expect.FAILS``): the runner must find
a witness under the state invariants, replay it through the unmodified engine, and see
the claim fail there. A canary that comes back ``not refuted`` means the machinery, not
the engine, is broken.

Names are ``<ID>/<policy>/<Kind>/canary/<what>``, the ID being the requirement the false
claim contradicts.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from model.errors import RefusalCode as Code
from model.events import ShortfallCovered
from model.outcome import Accepted
from proofs.obligation import Expect, Obligation
from proofs.obligations import steps
from proofs.obligations.steps import StepSubject


@attrs.frozen
class Canary:
    requirement_id: str
    policy: str
    kind: str
    what: str
    summary: str
    claim: Callable[[StepSubject], object]


def _cash_unchanged(subject: StepSubject) -> object:
    return subject.outcome.state.pool.cash == subject.pre.pool.cash


def _never_accepted(subject: StepSubject) -> object:
    return not isinstance(subject.outcome, Accepted)


def _no_shortfall_covered(subject: StepSubject) -> object:
    outcome = subject.outcome
    return not isinstance(outcome, Accepted) or not any(
        isinstance(e, ShortfallCovered) for e in outcome.events
    )


def _reference_unchanged(subject: StepSubject) -> object:
    return subject.outcome.state.oracle.reference == subject.pre.oracle.reference


def _pol_never_spent(subject: StepSubject) -> object:
    return subject.outcome.state.buffers.pol_quote >= subject.pre.buffers.pol_quote


def _no_bad_debt(subject: StepSubject) -> object:
    return subject.outcome.state.ledger.bad_debt == subject.pre.ledger.bad_debt


def _never_frozen(subject: StepSubject) -> object:
    outcome = subject.outcome
    return isinstance(outcome, Accepted) or outcome.refusal.code is not Code.WITHDRAWALS_FROZEN


CANARIES = (
    Canary(
        "ACT-BORROW", "gen1", "Borrow", "cash-unchanged",
        "Borrow never changes pool cash", _cash_unchanged,
    ),
    Canary(
        "ACT-TAKE", "gen3", "Take", "never-accepted",
        "a gen 3 Take is never accepted", _never_accepted,
    ),
    Canary(
        "LOSS-WATERFALL", "gen3", "Settle", "no-shortfall",
        "Settle never covers a shortfall", _no_shortfall_covered,
    ),
    Canary(
        "ORACLE-REFERENCE", "gen1", "ReportOracle", "reference-unchanged",
        "ReportOracle leaves the reference price unchanged", _reference_unchanged,
    ),
    Canary(
        "GEN3-POL-BACKSTOP", "gen3", "EndAuction", "pol-never-spent",
        "POL never spends quote at the end of an auction", _pol_never_spent,
    ),
    Canary(
        "GEN1-LIQUIDATION", "gen1", "Liquidate", "no-bad-debt",
        "a gen 1 liquidation never writes off bad debt", _no_bad_debt,
    ),
    Canary(
        "LP-WITHDRAWAL-FREEZE", "gen3", "WithdrawLiquidity", "never-frozen",
        "no gen 3 LP withdrawal is ever refused as frozen", _never_frozen,
    ),
)  # fmt: skip


def obligations() -> list[Obligation]:
    """Every canary as an obligation expected to fail on its step task."""
    return [
        Obligation(
            name=f"{c.requirement_id}/{c.policy}/{c.kind}/canary/{c.what}",
            requirement_ids=(c.requirement_id,),
            policy=c.policy,
            task=steps.TASKS[(c.policy, c.kind)],
            claim=c.claim,
            assume=steps.invariants_hold,
            expect=Expect.FAILS,
            summary=f"canary (must be refuted): {c.summary}",
        )
        for c in CANARIES
    ]
