"""Events of the system layer; a market's own events are the engine's, tagged with its id."""

from __future__ import annotations

import attrs

from model.events import Event
from model.numbers.units import Seconds, Shares, Wad


@attrs.frozen
class OnMarketEvent:
    """An engine event that happened on ``market``."""

    market: str
    event: Event


@attrs.frozen
class MarketShutDown:
    market: str
    stale: bool
    """Whether the oracle's staleness (rather than the collateral ratio) warranted it."""


@attrs.frozen
class BackstopFunded:
    funder: str
    amount: Wad


@attrs.frozen
class BackstopDrawn:
    market: str
    amount: Wad


@attrs.frozen
class VenueHalted:
    venue: str


@attrs.frozen
class SharedSupplied:
    lp: str
    amount: Wad
    shares: Shares


@attrs.frozen
class SharedWithdrawn:
    lp: str
    amount: Wad
    shares: Shares


@attrs.frozen
class Allocated:
    market: str
    amount: Wad


@attrs.frozen
class Recalled:
    market: str
    amount: Wad


@attrs.frozen
class VenueFunded:
    funder: str
    venue: str
    amount: Wad


@attrs.frozen
class MessageSent:
    message: int
    source: str
    destination: str
    amount: Wad


@attrs.frozen
class MessageDelivered:
    message: int
    destination: str
    amount: Wad


@attrs.frozen
class Ticked:
    seconds: Seconds


SystemEvent = (
    OnMarketEvent
    | MarketShutDown
    | BackstopFunded
    | BackstopDrawn
    | VenueHalted
    | SharedSupplied
    | SharedWithdrawn
    | Allocated
    | Recalled
    | VenueFunded
    | MessageSent
    | MessageDelivered
    | Ticked
)
