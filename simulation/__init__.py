"""The simulation layer: turns a price path into engine actions, outside the pure model.

``model`` is the definition of correct behaviour and never imports this package. Here
live the things a pure state machine must not contain: a market with price impact,
an oracle feed with a delay, keepers and bidders who act when it pays them, a book of
borrowers drawn from a seeded distribution, and the scenario files that describe all
of it. Everything is deterministic given a scenario and its seed.

Modules, one idea each:

- ``paths``: price paths (historical CSV, GBM with jumps, adversarial shapes);
- ``series``: step-function time series (gas prices, pool reserves);
- ``market``: the market the collateral is sold into (constant-product or linear depth);
- ``oracle_feed``: when reports reach the engine and which price they carry;
- ``population``: the borrowers' positions;
- ``actors``: keepers and bidders, their latency, gas limits and profit margins;
- ``scenario`` and ``files``: the scenario record and its TOML loader;
- ``runner``: the loop that drives one policy through one scenario;
- ``metrics``: what a run is judged by;
- ``plot``: the optional matplotlib figure.
"""
