"""What a sweep draws per seed: the path's own seed, and the values of ``[draw]``.

Every draw comes from a ``random.Random`` seeded by a string naming the seed and what
is drawn, so a value depends on the seed alone, not on what else the sweep holds or on
which worker draws it.
"""

from __future__ import annotations

import hashlib
import math
import random
from decimal import Decimal
from typing import Any

import attrs

from simulation.file_values import as_decimal

DRAW_KINDS = ("uniform", "loguniform", "choice")


def path_seed(seed: int) -> int:
    """The seed a run's path is drawn from: independent of the book's (``seed``)."""
    digest = hashlib.sha256(f"zle-sweep-path:{seed}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


@attrs.frozen
class Draw:
    """A field drawn at random for each seed: uniform, log-uniform, or one of choices."""

    key: str
    kind: str
    values: tuple[Any, ...]

    def value(self, seed: int) -> Any:
        """The value of seed ``seed`` (the same whatever else the sweep holds)."""
        rng = random.Random(f"zle-sweep-draw:{seed}:{self.key}")
        if self.kind == "choice":
            return self.values[rng.randrange(len(self.values))]
        low, high = self.values
        if self.kind == "uniform" and all(isinstance(v, int) for v in self.values):
            return rng.randint(low, high)
        lo, hi = float(_number(low)), float(_number(high))
        if self.kind == "loguniform":
            return math.exp(math.log(lo) + (math.log(hi) - math.log(lo)) * rng.random())
        return lo + (hi - lo) * rng.random()


def _number(value: Any) -> Decimal:
    number = as_decimal(value)
    if isinstance(number, str):
        raise ValueError(number)
    return number
