"""The contracts' fixed point and abaci agree with the model's, bit for bit, on the whole
uint256 range: 512-bit products, results at the edge of uint256, every failure.

The vectors and the fuzzer price amounts a book reaches; these reach the rest (a divisor
with many factors of two, a quotient of exactly 2**256 - 1, a product just past it).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck.evm.chain import Chain, compile_contract
from model.curves import abaci
from model.errors import EngineFault
from model.numbers import fixed_point
from tests.evm.faults import CONTRACTS

pytestmark = pytest.mark.xdist_group("evm")

MAX = 2**256 - 1
REASONS = {
    "Math/overflow": "OVERFLOW",
    "Math/underflow": "UNDERFLOW",
    "Math/division-by-zero": "DIVISION_BY_ZERO",
}
PROBE = """# pragma version ~=0.4.3
import abaci
import fixed_point as fp

@external
@pure
def call(name: uint256, x: uint256, y: uint256, z: uint256) -> uint256:
    if name == 0:
        return fp.mul_div_down(x, y, z)
    if name == 1:
        return fp.mul_div_up(x, y, z)
    if name == 2:
        return fp.rmul_dss(x, y)
    if name == 3:
        return convert(fp.product_below(x, y, z, fp.RAY), uint256)
    if name == 4:
        return fp.add(x, y)
    if name == 5:
        return fp.sub(x, y)
    return abaci.rpow(x, y, z)
"""
MODEL: dict[int, Callable[[int, int, int], int]] = {
    0: fixed_point.mul_div_down,
    1: fixed_point.mul_div_up,
    2: lambda x, y, _: fixed_point.rmul_dss(x, y),
    3: lambda x, y, z: int(x * y < z * fixed_point.RAY),
    4: lambda x, y, _: fixed_point.add(x, y),
    5: lambda x, y, _: fixed_point.sub(x, y),
    6: abaci.rpow,
}
EDGES = [0, 1, 2, 3, 10**9, 10**18, 10**27, 2**64, 2**128 - 1, 2**128, 2**255, MAX - 1, MAX]
UINTS = st.one_of(
    st.sampled_from(EDGES),
    st.integers(0, 256).map(lambda k: min(2**k, MAX)),
    st.integers(0, 255).flatmap(lambda k: st.integers(2**k, 2 ** (k + 1) - 1)),
)


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int, int, int, int], object]:
    directory = tmp_path_factory.mktemp("probe")
    for name in ("fixed_point.vy", "abaci.vy"):
        shutil.copy(CONTRACTS / name, directory / name)
    (directory / "probe.vy").write_text(PROBE, encoding="utf-8")
    compiled = compile_contract(directory / "probe.vy")
    chain = Chain()
    chain.fresh(compiled, ())
    function = compiled.abi.functions["call"]

    def run(name: int, x: int, y: int, z: int) -> object:
        outcome = chain.call(function.call_data([name, x, y, z]), view=True)
        return REASONS[outcome.reason] if outcome.reverted else function.result(outcome.output)

    return run


def model(name: int, x: int, y: int, z: int) -> object:
    try:
        return MODEL[name](x, y, z)
    except EngineFault as fault:
        return fault.refusal.code.value


@pytest.mark.covers("NUM-UINT256", "NUM-ROUNDING")
@settings(max_examples=400)
@given(name=st.integers(0, 5), x=UINTS, y=UINTS, z=UINTS)
def test_fixed_point_agrees_with_the_model(
    probe: Callable[[int, int, int, int], object], name: int, x: int, y: int, z: int
) -> None:
    assert probe(name, x, y, z) == model(name, x, y, z)


@pytest.mark.covers("NUM-UINT256")
@settings(max_examples=200)
@given(d=UINTS, q=UINTS, r=UINTS)
def test_mul_div_at_the_edge_of_uint256(
    probe: Callable[[int, int, int, int], object], d: int, q: int, r: int
) -> None:
    """x * y near q * d + r: a quotient anywhere up to 2**256 - 1, and beyond."""
    if d == 0:
        return
    product = q * d + r % d
    shift = max(0, product.bit_length() - 256)
    x, y = product >> shift, 2**shift
    if y > MAX:
        return
    for name in (0, 1):
        assert probe(name, x, y, d) == model(name, x, y, d)


@pytest.mark.covers("CURVE-RPOW")
@settings(max_examples=200)
@given(x=UINTS, n=UINTS, base=st.one_of(st.sampled_from([0, 1, 2, 10**18, 10**27]), UINTS))
def test_rpow_agrees_with_the_model(
    probe: Callable[[int, int, int, int], object], x: int, n: int, base: int
) -> None:
    assert probe(6, x, n, base) == model(6, x, n, base)
