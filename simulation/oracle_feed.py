"""The oracle feed: when a report reaches the engine, and which price it carries.

Reports are sent every ``interval`` seconds (time 0 included). Each carries the market
price observed ``delay`` seconds earlier (the first price before time 0). MakerDAO's
Oracle Security Module is ``interval = delay = 3600``: at every hop it publishes the
price it read one hop before, so the price in force is one to two hours old
(MIP45c5). ``interval = 600, delay = 0`` is a plain push feed every ten minutes.
A report whose price has not changed is still sent: it refreshes the engine's
staleness clock, as a heartbeat does.

``floor`` is a Chainlink aggregator's ``minAnswer``: a report never carries less. In May
2022 LUNA/USD sat at its floor (about $0.107) while LUNA traded near $0.01, and lenders
that valued LUNA at the feed lent against collateral worth a tenth of it (Venus, Blizz;
section 3 of the shared crash-facts notes).
"""

from __future__ import annotations

import bisect

import attrs


@attrs.frozen
class OracleSettings:
    interval: int
    """Seconds between reports (> 0)."""
    delay: int
    """Age, in seconds, of the market price each report carries (>= 0)."""
    floor: float = 0.0
    """The least price a report carries (a ``minAnswer``; 0: none)."""


class OracleFeed:
    """Remembers the market prices it observed, to publish them ``delay`` seconds later."""

    def __init__(self, settings: OracleSettings) -> None:
        self.settings = settings
        self._times: list[int] = []
        self._prices: list[float] = []

    def observe(self, t: int, price: float) -> None:
        """Record the market price at ``t`` (times must not decrease)."""
        if self._times and self._times[-1] == t:
            self._prices[-1] = price
            return
        self._times.append(t)
        self._prices.append(price)

    def due(self, t: int) -> bool:
        return t % self.settings.interval == 0

    def report(self, t: int) -> float:
        """The price a report sent at ``t`` carries: the last observed at ``t - delay``,
        or the floor if that is higher."""
        i = bisect.bisect_right(self._times, t - self.settings.delay) - 1
        return max(self._prices[max(i, 0)], self.settings.floor)
