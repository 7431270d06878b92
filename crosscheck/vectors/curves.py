"""Vectors for the MakerDAO-compatible price curves (dss ``abaci.sol``) and ``rpow``.

Each case is a function, its inputs, and either the price or the failure (``OVERFLOW``
where the Solidity reverts on overflow, ``DIVISION_BY_ZERO`` for ``step == 0``), so a
Solidity port of ``abaci.sol`` can be checked against the model bit for bit. Inputs
are the edges (zero, one step, the last second, ``2**128`` squarings, ``2**256 - 1``)
and a seeded sample of ordinary values.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import attrs

from crosscheck.wire import JsonObject
from model.curves.abaci import (
    exponential_decrease,
    linear_decrease,
    rpow,
    stairstep_exponential_decrease,
)
from model.errors import EngineFault
from model.numbers import RAY, UINT256_MAX, WAD

FUNCTIONS: dict[str, Callable[..., int]] = {
    "linear_decrease": linear_decrease,
    "stairstep_exponential_decrease": stairstep_exponential_decrease,
    "exponential_decrease": exponential_decrease,
    "rpow": rpow,
}
"""The functions, by the name a vector gives (argument names are the model's)."""


@attrs.frozen
class CurveCase:
    function: str
    name: str
    inputs: dict[str, int]

    def to_json(self) -> JsonObject:
        """``{"function", "inputs", "output"}`` or ``{..., "error"}``: the model's answer."""
        inputs = {k: str(v) for k, v in self.inputs.items()}
        try:
            output = FUNCTIONS[self.function](**self.inputs)
        except EngineFault as fault:
            return {"function": self.function, "inputs": inputs, "error": fault.refusal.code.value}
        return {"function": self.function, "inputs": inputs, "output": str(output)}


TOP = 1_820 * RAY
CUT = RAY * 99 // 100


def _edges() -> Iterator[CurveCase]:
    lin, stair, expo = "linear_decrease", "stairstep_exponential_decrease", "exponential_decrease"
    yield CurveCase(lin, "start", {"top": TOP, "dur": 0, "tau": 3_600})
    yield CurveCase(lin, "one_second", {"top": TOP, "dur": 1, "tau": 3_600})
    yield CurveCase(lin, "half", {"top": TOP, "dur": 1_800, "tau": 3_600})
    yield CurveCase(lin, "last_second", {"top": TOP, "dur": 3_599, "tau": 3_600})
    yield CurveCase(lin, "at_tau", {"top": TOP, "dur": 3_600, "tau": 3_600})
    yield CurveCase(lin, "past_tau", {"top": TOP, "dur": 10**9, "tau": 3_600})
    yield CurveCase(lin, "rounds_down", {"top": 7, "dur": 1, "tau": 3})
    yield CurveCase(lin, "top_zero", {"top": 0, "dur": 5, "tau": 10})
    yield CurveCase(lin, "overflow_top", {"top": UINT256_MAX, "dur": 0, "tau": 10})
    yield CurveCase(lin, "overflow_tau", {"top": TOP, "dur": 0, "tau": 2**200})
    yield CurveCase(lin, "largest_top", {"top": UINT256_MAX // RAY, "dur": 0, "tau": 10})
    for dur in (0, 89, 90, 91, 179, 180, 8_400, 100_000):
        yield CurveCase(stair, f"dur_{dur}", {"top": TOP, "dur": dur, "step": 90, "cut": CUT})
    yield CurveCase(stair, "cut_ray", {"top": TOP, "dur": 10**6, "step": 1, "cut": RAY})
    yield CurveCase(stair, "cut_zero", {"top": TOP, "dur": 90, "step": 90, "cut": 0})
    yield CurveCase(stair, "cut_zero_first_step", {"top": TOP, "dur": 89, "step": 90, "cut": 0})
    yield CurveCase(stair, "step_zero", {"top": TOP, "dur": 10, "step": 0, "cut": CUT})
    yield CurveCase(stair, "overflow_top", {"top": UINT256_MAX, "dur": 0, "step": 90, "cut": CUT})
    yield CurveCase(stair, "overflow_cut", {"top": TOP, "dur": 180, "step": 90, "cut": 2**128})
    yield CurveCase(stair, "huge_dur", {"top": TOP, "dur": UINT256_MAX, "step": 1, "cut": CUT})
    for dur in (0, 1, 2, 3, 60, 3_600, 86_400):
        yield CurveCase(expo, f"dur_{dur}", {"top": TOP, "dur": dur, "cut": RAY * 9_999 // 10_000})
    yield CurveCase(expo, "cut_ray", {"top": TOP, "dur": 10**9, "cut": RAY})
    yield CurveCase(expo, "cut_zero", {"top": TOP, "dur": 1, "cut": 0})
    yield CurveCase(expo, "huge_dur", {"top": TOP, "dur": UINT256_MAX, "cut": CUT})
    yield CurveCase(expo, "overflow_top", {"top": UINT256_MAX, "dur": 0, "cut": CUT})
    yield CurveCase(expo, "overflow_cut", {"top": TOP, "dur": 2, "cut": 2**128})
    yield CurveCase(expo, "cut_above_ray", {"top": TOP, "dur": 3, "cut": RAY * 11 // 10})
    r = "rpow"
    yield CurveCase(r, "n_zero", {"x": 5 * RAY, "n": 0, "base": RAY})
    yield CurveCase(r, "x_zero", {"x": 0, "n": 5, "base": RAY})
    yield CurveCase(r, "zero_zero", {"x": 0, "n": 0, "base": RAY})
    yield CurveCase(r, "odd", {"x": 3 * RAY // 2, "n": 3, "base": RAY})
    yield CurveCase(r, "even", {"x": 3 * RAY // 2, "n": 4, "base": RAY})
    yield CurveCase(r, "half_up", {"x": 3, "n": 2, "base": 2})
    yield CurveCase(r, "wad_base", {"x": 11 * WAD // 10, "n": 10, "base": WAD})
    yield CurveCase(r, "square_limit", {"x": 2**128 - 1, "n": 2, "base": 1})
    yield CurveCase(r, "square_overflow", {"x": 2**128, "n": 2, "base": 1})
    yield CurveCase(r, "n_one_never_squares", {"x": 2**128, "n": 1, "base": RAY})
    yield CurveCase(r, "product_overflow", {"x": 2**127 + 1, "n": 3, "base": 1})
    yield CurveCase(r, "n_max", {"x": CUT, "n": UINT256_MAX, "base": RAY})


def _sample(seed: int, count: int) -> Iterator[CurveCase]:
    rng = random.Random(seed)
    for i in range(count):
        top = rng.randrange(1, 10**6) * RAY + rng.randrange(RAY)
        cut = RAY - rng.randrange(1, RAY // 1_000)
        dur = rng.randrange(0, 20_000)
        yield CurveCase(
            "linear_decrease",
            f"sample_{i:02d}",
            {"top": top, "dur": dur, "tau": rng.randrange(1, 20_000)},
        )
        yield CurveCase(
            "stairstep_exponential_decrease",
            f"sample_{i:02d}",
            {"top": top, "dur": dur, "step": rng.randrange(1, 600), "cut": cut},
        )
        yield CurveCase(
            "exponential_decrease", f"sample_{i:02d}", {"top": top, "dur": dur, "cut": cut}
        )
        yield CurveCase(
            "rpow", f"sample_{i:02d}", {"x": cut, "n": rng.randrange(0, 20_000), "base": RAY}
        )


def curve_cases(seed: int = 7, sample: int = 16) -> list[CurveCase]:
    """Every curve vector: the edges, then ``sample`` seeded cases per function."""
    return [*_edges(), *_sample(seed, sample)]
