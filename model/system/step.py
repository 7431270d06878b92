"""The system's one entry point: ``system_step(system, action) -> outcome``.

Requirement: SYS-STEP.

Like ``model.engine.step``: fields are checked first (amounts uint256, ids and accounts
``str``; an ``OnMarket``'s inner action is the engine's to check), then the action's
rule runs its guards and, only if they pass, its effect. A refused action returns the
very system it was given, and no exception escapes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from model.errors import EngineFault, Refusal, RefusalCode, refuse
from model.numbers.fixed_point import UINT256_MAX, is_integer
from model.system import backstop, messages, routing, shutdown, topology
from model.system.actions import (
    SYSTEM_ACTION_KINDS,
    Allocate,
    DeliverMessage,
    DrawBackstop,
    FundBackstop,
    FundVenue,
    HaltVenue,
    OnMarket,
    Recall,
    SendMessage,
    ShutdownMarket,
    SupplyShared,
    SystemAction,
    Tick,
    WithdrawShared,
)
from model.system.events import VenueHalted
from model.system.outcome import SystemAccepted, SystemOutcome, SystemRefused, SystemTransition
from model.system.state import System


def halt(system: System, action: HaltVenue) -> Refusal | SystemTransition:
    """SYS-VENUE-HALT: a venue that hosts a market halts; nothing on it moves again."""
    if action.venue not in set(system.venue_of.values()):
        return refuse(RefusalCode.UNKNOWN_VENUE, "action.venue")
    if action.venue in system.halted:
        return refuse(RefusalCode.VENUE_HALTED, "system.halted")
    new = attrs.evolve(system, halted=system.halted | {action.venue})
    return new, (VenueHalted(action.venue),)


RULES: dict[type[Any], Callable[[System, Any], Refusal | SystemTransition]] = {
    OnMarket: routing.on_market,
    ShutdownMarket: shutdown.shut_down,
    FundBackstop: backstop.fund,
    DrawBackstop: backstop.draw,
    HaltVenue: halt,
    SupplyShared: topology.supply,
    WithdrawShared: topology.withdraw,
    Allocate: topology.allocate,
    Recall: topology.recall,
    FundVenue: messages.fund,
    SendMessage: messages.send,
    DeliverMessage: messages.deliver,
    Tick: messages.tick,
}


def field_refusal(action: SystemAction) -> Refusal | None:
    """The first field, in order, that does not hold what it must: an amount not in
    [0, 2**256) is AMOUNT_OUT_OF_RANGE, an id or account not a ``str`` INVALID_FIELD."""
    for f in attrs.fields(type(action)):
        value = getattr(action, f.name)
        if f.metadata.get("uint256"):
            if not is_integer(value) or value < 0 or value > UINT256_MAX:
                return refuse(RefusalCode.AMOUNT_OUT_OF_RANGE, f"action.{f.name}")
        elif f.name == "message":
            if type(value) is not int:
                return refuse(RefusalCode.INVALID_FIELD, "action.message")
        elif f.name != "action" and type(value) is not str:
            return refuse(RefusalCode.INVALID_FIELD, f"action.{f.name}")
    return None


def system_step(system: System, action: object) -> SystemOutcome:
    """Apply ``action`` to ``system``: the new system and its events, or why not.

    Requirement: SYS-STEP."""
    if not isinstance(action, SYSTEM_ACTION_KINDS):
        return SystemRefused(system, refuse(RefusalCode.UNSUPPORTED_ACTION, "action.kind"))
    refusal = field_refusal(action)
    if refusal is not None:
        return SystemRefused(system, refusal)
    try:
        result = RULES[type(action)](system, action)
    except EngineFault as fault:
        return SystemRefused(system, fault.refusal)
    if isinstance(result, Refusal):
        return SystemRefused(system, result)
    return SystemAccepted(*result)
