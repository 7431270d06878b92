"""What can be asked of a system of markets (``spec/markets.md``).

``OnMarket`` carries any single-market action to one market; the others act on the
system layer itself. Amounts are uint256 and market ids ``str`` (``system_step`` refuses
any other field, naming it, before any guard runs).
"""

from __future__ import annotations

import attrs

from model.actions import uint
from model.numbers.units import Seconds, Wad


@attrs.frozen
class OnMarket:
    """``action`` (a ``model.actions`` record) on market ``market``."""

    market: str
    action: object


@attrs.frozen
class ShutdownMarket:
    """Anyone shuts down a market whose shutdown test holds (SHUTDOWN-TEST)."""

    caller: str
    market: str


@attrs.frozen
class FundBackstop:
    """Anyone adds quote to the shared backstop fund."""

    funder: str
    amount: Wad = uint()


@attrs.frozen
class DrawBackstop:
    """Anyone has the backstop pay ``amount`` of a market's written-off debt back to its
    LPs, within the market's cap (BACKSTOP-CAP)."""

    caller: str
    market: str
    amount: Wad = uint()


@attrs.frozen
class HaltVenue:
    """A venue (chain) stops: nothing on it moves from now on. Reported, not chosen."""

    venue: str


@attrs.frozen
class SupplyShared:
    """An LP deposits quote into the shared pool for system shares (SHARED only)."""

    lp: str
    amount: Wad = uint()


@attrs.frozen
class WithdrawShared:
    """An LP takes idle quote out of the shared pool, burning system shares (SHARED only)."""

    lp: str
    amount: Wad = uint()


@attrs.frozen
class Allocate:
    """The shared pool lends ``amount`` of its idle cash to a market (SHARED only)."""

    market: str
    amount: Wad = uint()


@attrs.frozen
class Recall:
    """The shared pool takes ``amount`` of a market's cash back (SHARED only)."""

    market: str
    amount: Wad = uint()


@attrs.frozen
class FundVenue:
    """Anyone adds quote to the protocol's treasury on ``venue``."""

    funder: str
    venue: str
    amount: Wad = uint()


@attrs.frozen
class SendMessage:
    """The protocol sends ``amount`` of ``source``'s treasury to ``destination``: it leaves
    at once and is in flight until delivered (MSG-CONSERVE)."""

    source: str
    destination: str
    amount: Wad = uint()


@attrs.frozen
class DeliverMessage:
    """A relayer delivers message ``message`` (an id), once, after the latency."""

    relayer: str
    message: int


@attrs.frozen
class Tick:
    """The system's clock moves forward by ``seconds`` (> 0)."""

    seconds: Seconds = uint()


SystemAction = (
    OnMarket
    | ShutdownMarket
    | FundBackstop
    | DrawBackstop
    | HaltVenue
    | SupplyShared
    | WithdrawShared
    | Allocate
    | Recall
    | FundVenue
    | SendMessage
    | DeliverMessage
    | Tick
)

SYSTEM_ACTION_KINDS: tuple[type[SystemAction], ...] = (
    OnMarket,
    ShutdownMarket,
    FundBackstop,
    DrawBackstop,
    HaltVenue,
    SupplyShared,
    WithdrawShared,
    Allocate,
    Recall,
    FundVenue,
    SendMessage,
    DeliverMessage,
    Tick,
)
