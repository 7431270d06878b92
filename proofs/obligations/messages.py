"""Asynchronous settlement between venues (MSG-* in ``spec/markets.md``) over the
unmodified ``system_step``, on a two-market system with one message in flight from terra
(A's venue) to ethereum (B's):

- MSG-CONSERVE and MSG-AT-MOST-ONCE are inductive over a send and a delivery (every system
  invariant before, each after);
- MSG-LATENCY and MSG-HALT hold on every path of both;
- a delivery is accepted exactly when its latency has elapsed, though its source venue
  has halted (what a halt does not block), and the delivered message is gone for good.

Hand mutants (a delivery before the latency, a delivery that leaves the message in
flight) are killed by these (``proofs/mutants/catalogue.py``).
"""

from __future__ import annotations

from typing import Any

from model.system import SystemAccepted, Topology
from model.system.actions import DeliverMessage, SendMessage
from model.system.invariants import SYSTEM_INVARIANTS, SYSTEM_STEP_PROPERTIES
from proofs.obligation import Obligation, Task
from proofs.obligations.contagion import accepted, system_invariants
from proofs.obligations.system_world import RANGES, SystemSubject, build_system, shape_of
from proofs.world import Source

IN_FLIGHT = shape_of(Topology.ISOLATED, messages=1)
SOURCE_HALTED = shape_of(Topology.ISOLATED, messages=1, halted=frozenset({"terra"}))


def _task(key: str, shape: Any, make: Any) -> Task:
    def build(source: Source) -> SystemSubject:
        from model.system import system_step

        pre = build_system(source, shape)
        action = make(source)
        return SystemSubject(pre, action, system_step(pre, action))

    return Task(key=f"system/messages/{key}", build=build)


SEND = _task(
    "Send",
    IN_FLIGHT,
    lambda s: SendMessage("terra", "ethereum", s.integer("act.amount", 0, RANGES.amount)),
)
DELIVER = _task("Deliver", IN_FLIGHT, lambda s: DeliverMessage("relayer", 0))
DELIVER_HALTED_SOURCE = _task(
    "Deliver-source-halted", SOURCE_HALTED, lambda s: DeliverMessage("relayer", 0)
)

KEPT = ("SYS-CONSERVE-QUOTE", "MSG-AT-MOST-ONCE")
MSG_CLAIMS = {"SYS-CONSERVE-QUOTE": ("MSG-CONSERVE", "SYS-CONSERVE-QUOTE")}


def _kept(invariant_id: str) -> Any:
    invariant = SYSTEM_INVARIANTS[invariant_id]
    return lambda subject: invariant(subject.outcome.system)


def _step_property(prop_id: str) -> Any:
    prop = SYSTEM_STEP_PROPERTIES[prop_id]
    return lambda subject: prop(subject.pre, subject.action, subject.outcome)


def delivered_iff_due(subject: SystemSubject) -> object:
    """Accepted exactly when ``clock >= sent_at + latency`` (the destination live, the
    source halted); then message 0 is no longer in flight."""
    pre = subject.pre
    due = pre.clock >= pre.messages[0].sent_at + pre.config.latency
    if isinstance(subject.outcome, SystemAccepted):
        return due and 0 not in subject.outcome.system.messages
    return not due


def obligations() -> list[Obligation]:
    found: list[Obligation] = []
    for kind, task in (("Send", SEND), ("Deliver", DELIVER)):
        found += [
            Obligation(
                name=f"{ids[0]}/all/{kind}",
                requirement_ids=ids,
                policy="all",
                task=task,
                claim=_kept(invariant_id),
                assume=system_invariants,
                relevant=accepted,
                summary=f"{kind} keeps {invariant_id}",
            )
            for invariant_id in KEPT
            for ids in [MSG_CLAIMS.get(invariant_id, (invariant_id,))]
        ]
        found += [
            Obligation(
                name=f"{prop_id}/all/{kind}",
                requirement_ids=(prop_id,),
                policy="all",
                task=task,
                claim=_step_property(prop_id),
                summary=f"every {kind} step satisfies {prop_id}",
            )
            for prop_id in ("MSG-LATENCY", "MSG-HALT")
        ]
    found.append(
        Obligation(
            name="MSG-HALT/all/Deliver-source-halted/iff",
            requirement_ids=("MSG-HALT", "MSG-LATENCY", "MSG-AT-MOST-ONCE", "ACT-DELIVER-MESSAGE"),
            policy="all",
            task=DELIVER_HALTED_SOURCE,
            claim=delivered_iff_due,
            assume=lambda s: s.pre.treasury["ethereum"] + s.pre.messages[0].amount < 2**256,
            summary="with its source halted, a message is delivered iff its latency elapsed",
        )
    )
    return found
