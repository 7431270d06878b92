"""A wrongly typed action field is a typed refusal (ENGINE-STEP step 1), never stored.

Amounts are exact integers: ``True``, ``Decimal("1.5")``, ``Fraction(3, 2)``, floats,
lists and ``None`` are AMOUNT_OUT_OF_RANGE; accounts are ``str`` and ids ``int``, else
INVALID_FIELD, so ``False`` or ``0.0`` never finds position 0. The state is returned
untouched and nothing is raised, whatever the value.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model import Refused, step
from model.actions import (
    ACTION_KINDS,
    DepositCollateral,
    OpenPosition,
    SupplyLiquidity,
    field_kinds,
)
from model.errors import RefusalCode
from model.state import State
from tests.builders import book, borrower, wad
from tests.unit.test_step_contract import SAMPLES

NOT_AMOUNTS: list[object] = [
    True,
    False,
    Decimal("1.5"),
    Decimal("NaN"),
    Decimal(1),
    Fraction(3, 2),
    Fraction(2, 1),
    1.0,
    float("nan"),
    [1],
    None,
    "5",
    b"5",
    1j,
]
NOT_IDS: list[object] = [0.0, False, True, Decimal(0), Fraction(0), "0", None, [0], (0,)]
NOT_ACCOUNTS: list[object] = [None, 0, b"ann", ["ann"], 1.5, True]


def _state_with_position_0() -> State:
    b = book("gen3")
    borrower(b, "ann", 10, 1_000)
    return b.state


def _refusal(state: State, action: object) -> tuple[RefusalCode, str]:
    outcome = step(state, action)
    assert isinstance(outcome, Refused), f"{action!r} accepted"
    assert outcome.state is state
    return outcome.refusal.code, outcome.refusal.detail


@pytest.mark.covers("ENGINE-STEP", "NUM-UINT256", "REFUSAL-NO-CHANGE")
@pytest.mark.parametrize("value", NOT_AMOUNTS, ids=repr)
def test_an_amount_that_is_not_an_integer_is_refused(value: object) -> None:
    state = _state_with_position_0()
    code, detail = _refusal(state, SupplyLiquidity("lp", value))  # type: ignore[arg-type]
    assert (code, detail) == (RefusalCode.AMOUNT_OUT_OF_RANGE, "action.amount")
    code, detail = _refusal(state, DepositCollateral("ann", 0, value))  # type: ignore[arg-type]
    assert (code, detail) == (RefusalCode.AMOUNT_OUT_OF_RANGE, "action.amount")


@pytest.mark.covers("ENGINE-STEP", "REFUSAL-NO-CHANGE")
@pytest.mark.parametrize("value", NOT_IDS, ids=repr)
def test_an_id_of_another_type_finds_no_position(value: object) -> None:
    state = _state_with_position_0()
    code, detail = _refusal(state, DepositCollateral("ann", value, wad(1)))  # type: ignore[arg-type]
    assert (code, detail) == (RefusalCode.INVALID_FIELD, "action.position")


@pytest.mark.covers("ENGINE-STEP", "REFUSAL-NO-CHANGE")
@pytest.mark.parametrize("value", NOT_ACCOUNTS, ids=repr)
def test_an_account_that_is_not_a_string_is_refused(value: object) -> None:
    state = _state_with_position_0()
    assert _refusal(state, OpenPosition(value)) == (RefusalCode.INVALID_FIELD, "action.owner")  # type: ignore[arg-type]
    code, _ = _refusal(state, SupplyLiquidity(value, wad(1)))  # type: ignore[arg-type]
    assert code is RefusalCode.INVALID_FIELD


@pytest.mark.covers("ENGINE-STEP")
def test_fields_are_checked_in_the_order_they_are_listed() -> None:
    state = _state_with_position_0()
    assert _refusal(state, DepositCollateral(None, 0.0, True)) == (  # type: ignore[arg-type]
        RefusalCode.INVALID_FIELD,
        "action.sender",
    )
    assert _refusal(state, DepositCollateral("ann", 0.0, True)) == (  # type: ignore[arg-type]
        RefusalCode.INVALID_FIELD,
        "action.position",
    )
    assert _refusal(state, DepositCollateral("ann", 0, True)) == (  # type: ignore[arg-type]
        RefusalCode.AMOUNT_OUT_OF_RANGE,
        "action.amount",
    )


ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.fractions(),
    st.complex_numbers(),
    st.text(max_size=5),
    st.binary(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.tuples(st.integers()),
    st.integers(min_value=-(2**300), max_value=2**300),
)


@pytest.mark.covers("ENGINE-STEP", "REFUSAL-NO-CHANGE")
@given(
    kind=st.sampled_from(ACTION_KINDS),
    data=st.data(),
    policy=st.sampled_from(["gen1", "gen2", "gen3"]),
)
def test_any_value_in_any_field_is_accepted_or_a_typed_refusal(
    kind: type[Any], data: st.DataObject, policy: str
) -> None:
    state = book(policy).state
    fields = field_kinds(kind)
    name, what = data.draw(st.sampled_from(fields)) if fields else ("", "")
    value = data.draw(ANYTHING)
    action = attrs.evolve(SAMPLES[kind], **{name: value}) if name else SAMPLES[kind]
    outcome = step(state, action)
    if isinstance(outcome, Refused):
        assert outcome.state is state
        return
    assert what != "uint" or type(value) is int
    assert what != "account" or type(value) is str
    assert what != "id" or type(value) is int
