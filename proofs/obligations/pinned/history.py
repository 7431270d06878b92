"""History invariants: what a gen 3 auction record says equals what happened to it.

INCENTIVE-CAP is a promise over a liquidation's whole life ("whatever the number of
resets"); the step property checks one step against the record, so a record that
forgets (``incentives_paid`` overwritten with the latest incentive instead of
accumulated) keeps it step by step while the keepers are paid more than the cap over
many resets. These obligations tie the record to the events, on every gen 3 action that
touches auctions:

- **ledger**: each auction's ``incentives_paid`` after the step is its value before (0
  for the auction a kick creates) plus the ``IncentivePaid`` events of the step for it.
  By induction over any sequence of steps, ``incentives_paid`` is the sum of every
  ``IncentivePaid`` ever emitted for the auction; AUCTION-WELL-FORMED keeps it at most
  ``incentive_cap``. Together: INCENTIVE-CAP over any number of resets.
- **anchor**: each auction's ``anchor`` after the step is the reference of the step's
  pre-state when the step kicked or reset it, else unchanged. By induction, the anchor is
  the reference at the last kick or reset, which AUCTION-WELL-FORMED prices the stage
  from (``floor = floor(anchor * f)``, ``top = ceil(anchor * start_premium)``).
"""

from __future__ import annotations

from typing import Any

from model.actions import Kick, Redo
from model.events import IncentivePaid
from model.outcome import Accepted
from proofs.obligation import Obligation
from proofs.obligations.pinned.arith import both, same
from proofs.obligations.steps import TASKS, StepSubject, invariants_hold

ACTIONS = ("Kick", "Redo", "Take", "EndAuction", "Settle")
"""The gen 3 actions that change auction records."""
DEEP = ("Kick", "Take")
"""Their tasks are the slowest of the suite: these claims run in the deeper tier (CI runs
it through ``make test``); the resets' own, on ``Redo``, in the default one."""


def _ledger(subject: StepSubject) -> object:
    outcome = subject.outcome
    if not isinstance(outcome, Accepted):
        return True
    pre, post = subject.pre, outcome.state
    claims: list[Any] = []
    for auction_id, after in post.auctions.items():
        paid: Any = 0
        for event in outcome.events:
            if isinstance(event, IncentivePaid) and event.auction == auction_id:
                paid = paid + event.amount
        record = pre.auctions.get(auction_id)
        before = 0 if record is None else record.incentives_paid
        claims.append(same(after.incentives_paid, before + paid))
    return both(*claims)


def _restarted(subject: StepSubject, auction_id: int) -> bool:
    action = subject.action
    if isinstance(action, Kick):
        return auction_id not in subject.pre.auctions
    return isinstance(action, Redo) and action.auction == auction_id


def _anchor(subject: StepSubject) -> object:
    outcome = subject.outcome
    if not isinstance(outcome, Accepted):
        return True
    pre, post = subject.pre, outcome.state
    claims: list[Any] = []
    for auction_id, after in post.auctions.items():
        if _restarted(subject, auction_id):
            claims.append(same(after.anchor, pre.oracle.reference))
        else:
            claims.append(same(after.anchor, pre.auctions[auction_id].anchor))
    return both(*claims)


def obligations() -> list[Obligation]:
    found = []
    for action in ACTIONS:
        task = TASKS[("gen3", action)]
        found += [
            Obligation(
                name=f"INCENTIVE-CAP/gen3/{action}/ledger",
                requirement_ids=("INCENTIVE-CAP",),
                policy="gen3",
                task=task,
                claim=_ledger,
                assume=invariants_hold,
                relevant=lambda s: isinstance(s.outcome, Accepted),
                summary="incentives_paid grows by exactly the step's IncentivePaid events",
                deep=action in DEEP,
            ),
            Obligation(
                name=f"AUCTION-WELL-FORMED/gen3/{action}/anchor",
                requirement_ids=("AUCTION-WELL-FORMED", "RESET-GUARDED"),
                policy="gen3",
                task=task,
                claim=_anchor,
                assume=invariants_hold,
                relevant=lambda s: isinstance(s.outcome, Accepted),
                summary="the anchor is the reference at the last kick or reset",
                deep=action in DEEP,
            ),
        ]
    return found
