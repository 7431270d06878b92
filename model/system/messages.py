"""Asynchronous settlement between venues: quote moves from one venue's treasury to
another's only as a message (MSG-CONSERVE, MSG-LATENCY, MSG-AT-MOST-ONCE, MSG-HALT).

A message leaves its source at once, is in flight, and arrives no earlier than
``sent_at + latency`` on the system's clock, at most once, and never while its
destination has halted (it then stays in flight, counted, for good). Nothing is created
or lost in flight: the treasuries plus the messages in flight change only by what
outsiders fund.
"""

from __future__ import annotations

import attrs

from model.errors import Refusal, RefusalCode, refuse
from model.numbers.fixed_point import add, sub
from model.system.actions import DeliverMessage, FundVenue, SendMessage, Tick
from model.system.events import MessageDelivered, MessageSent, Ticked, VenueFunded
from model.system.outcome import SystemTransition
from model.system.state import Message, System


def _venue_refusal(system: System, venue: str, field: str) -> Refusal | None:
    """The venue hosts a market (UNKNOWN_VENUE) and has not halted (VENUE_HALTED)."""
    if venue not in set(system.venue_of.values()):
        return refuse(RefusalCode.UNKNOWN_VENUE, f"action.{field}")
    if venue in system.halted:
        return refuse(RefusalCode.VENUE_HALTED, "system.halted")
    return None


def fund(system: System, action: FundVenue) -> Refusal | SystemTransition:
    """ACT-FUND-VENUE: an outsider adds quote to a live venue's treasury."""
    refusal = _venue_refusal(system, action.venue, "venue")
    if refusal is not None:
        return refusal
    if action.amount == 0:
        return refuse(RefusalCode.ZERO_AMOUNT, "action.amount")
    held = system.treasury.get(action.venue, 0)
    new = attrs.evolve(
        system,
        treasury=system.treasury.set(action.venue, add(held, action.amount, "system.treasury")),
        ledger=attrs.evolve(
            system.ledger,
            quote_in=add(system.ledger.quote_in, action.amount, "system.ledger.quote_in"),
        ),
    )
    return new, (VenueFunded(action.funder, action.venue, action.amount),)


def send(system: System, action: SendMessage) -> Refusal | SystemTransition:
    """ACT-SEND-MESSAGE: both venues known, the source live, a positive amount it holds;
    the amount leaves the source's treasury and is in flight under a fresh id. (A halted
    destination does not stop a send: the message then waits, MSG-HALT.)"""
    refusal = _venue_refusal(system, action.source, "source")
    if refusal is not None:
        return refusal
    if action.destination not in set(system.venue_of.values()):
        return refuse(RefusalCode.UNKNOWN_VENUE, "action.destination")
    if action.amount == 0:
        return refuse(RefusalCode.ZERO_AMOUNT, "action.amount")
    held = system.treasury.get(action.source, 0)
    if action.amount > held:
        return refuse(RefusalCode.INSUFFICIENT_LIQUIDITY, "system.treasury")
    message = Message(action.source, action.destination, action.amount, system.clock)
    new = attrs.evolve(
        system,
        treasury=system.treasury.set(action.source, sub(held, action.amount, "system.treasury")),
        messages=system.messages.set(system.next_message, message),
        next_message=system.next_message + 1,
    )
    event = MessageSent(system.next_message, action.source, action.destination, action.amount)
    return new, (event,)


def deliver(system: System, action: DeliverMessage) -> Refusal | SystemTransition:
    """ACT-DELIVER-MESSAGE: a message in flight (UNKNOWN_MESSAGE once delivered:
    MSG-AT-MOST-ONCE), its latency elapsed (MSG-LATENCY), its destination live (MSG-HALT);
    the amount joins the destination's treasury and the message leaves the map."""
    message = system.messages.get(action.message)
    if message is None:
        return refuse(RefusalCode.UNKNOWN_MESSAGE, "action.message")
    if system.clock < message.sent_at + system.config.latency:
        return refuse(RefusalCode.MESSAGE_TOO_EARLY, "system.clock")
    if message.destination in system.halted:
        return refuse(RefusalCode.VENUE_HALTED, "system.halted")
    held = system.treasury.get(message.destination, 0)
    new = attrs.evolve(
        system,
        treasury=system.treasury.set(
            message.destination, add(held, message.amount, "system.treasury")
        ),
        messages=system.messages.delete(action.message),
    )
    return new, (MessageDelivered(action.message, message.destination, message.amount),)


def tick(system: System, action: Tick) -> Refusal | SystemTransition:
    """ACT-TICK: the system's clock moves forward by a positive number of seconds."""
    if action.seconds == 0:
        return refuse(RefusalCode.ZERO_AMOUNT, "action.seconds")
    clock = add(system.clock, action.seconds, "system.clock")
    return attrs.evolve(system, clock=clock), (Ticked(action.seconds),)
