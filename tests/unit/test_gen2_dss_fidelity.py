"""Gen 2 at the boundaries where MakerDAO's deployed contracts and the model once differed.

An outside run of dss (Vat, Spotter, Dog, Clipper, abaci) beside gen 2 found six places
a port would get a different answer (issue 13). Gen 2 now follows dss in five of them;
the sixth (the tab rounded to WAD) is a documented departure whose consequence is
pinned here. The cases are the conformance vectors of ``crosscheck/vectors/fidelity.py``.
"""

from __future__ import annotations

import functools

import pytest

from crosscheck.vectors.case import VectorCase
from crosscheck.vectors.catalogue import Catalogue
from crosscheck.vectors.fidelity import gen2_dss_cases, gen3_edge_cases
from model.errors import RefusalCode
from model.events import IncentivePaid, Kicked, Taken
from model.numbers import RAY, WAD
from model.outcome import Accepted, Refused
from model.params.presets import PRESETS
from model.params.validation import validate
from model.rules.auctions import purchase
from tests.builders import config


@functools.cache
def cases(policy: str) -> dict[str, VectorCase]:
    cat = Catalogue(policy=policy, config=PRESETS[policy])
    (gen2_dss_cases if policy == "gen2" else gen3_edge_cases)(cat)
    return {case.name: case for case in cat.cases}


def accepted(name: str, policy: str = "gen2") -> Accepted:
    outcome = cases(policy)[name].outcome()
    assert isinstance(outcome, Accepted), outcome
    return outcome


def refused(name: str, policy: str = "gen2") -> RefusalCode:
    outcome = cases(policy)[name].outcome()
    assert isinstance(outcome, Refused), outcome
    return outcome.refusal.code


@pytest.mark.covers("GEN2-DSS", "GEN2-BARK", "NO-HEALTHY-LIQUIDATION")
def test_boundary_vault_is_unsafe_at_the_spotters_rounded_spot() -> None:
    """Exactly at ``C * price == D * mat`` dss barks (spot = price / mat rounds down)."""
    case = cases("gen2")["kick_boundary_spotter_rounding"]
    position = case.pre.positions[0]
    policy = case.pre.config.policy
    assert position.collateral * case.pre.oracle.spot == position.debt * policy.mat  # type: ignore[union-attr]
    kicked = accepted("kick_boundary_spotter_rounding").events[0]
    assert isinstance(kicked, Kicked) and kicked.debt == position.debt
    assert refused("borrow_boundary_not_safe") is RefusalCode.UNDERCOLLATERALIZED


@pytest.mark.covers("GEN2-DSS", "ACT-TAKE")
def test_take_of_nothing_is_a_no_op_as_in_dss() -> None:
    from crosscheck.vectors.constructed import ConstructedCases

    take_zero = next(
        c for c in ConstructedCases().cases() if c.policy == "gen2" and c.name == "take_zero"
    )
    outcome = take_zero.outcome()
    assert isinstance(outcome, Accepted)
    (taken,) = outcome.events
    assert isinstance(taken, Taken) and taken.collateral == 0 and taken.paid == 0
    assert outcome.state.auctions == take_zero.pre.auctions


@pytest.mark.covers("GEN2-DSS", "PARAM-RANGES")
def test_tip_must_fit_dss_uint192_in_rad() -> None:
    """A tip of 10**13 quote was valid and dss truncates it to 3.72e12 (issue 13)."""
    assert any(e.field == "policy.tip" for e in validate(config("gen2", tip=10**13 * WAD)))
    largest = (2**192 - 1) // RAY
    assert validate(config("gen2", tip=largest)) == ()
    paid = accepted("kick_largest_tip").events[1]
    assert isinstance(paid, IncentivePaid) and paid.amount >= largest


@pytest.mark.covers("GEN2-DSS", "ACT-TAKE", "NUM-ROUNDING")
def test_purchase_worth_within_one_unit_below_the_tab_is_partial() -> None:
    """dss compares ``owe < tab`` in RAD: 6 collateral worth a hair under the tab is a
    partial purchase, cut to leave ``chost``; rounding ``paid`` up to the tab closed it."""
    tab, chost, amount = 10_000 * WAD, 1_000 * WAD, 7 * WAD
    price = (tab * RAY - 1) // amount
    assert tab * RAY - RAY < amount * price < tab * RAY
    collateral, paid = purchase(10 * WAD, tab, price, amount, chost)  # type: ignore[misc]
    assert paid == tab - chost and collateral == (tab - chost) * RAY // price
    # the same through the engine, with the preset's chost
    taken = accepted("take_within_one_unit_of_tab").events[0]
    assert isinstance(taken, Taken) and taken.paid == 13_334 * WAD - 1_130 * WAD
    # a purchase worth the tab exactly or more still closes it
    assert purchase(10 * WAD, tab, price + 1, amount, chost) == (tab * RAY // (price + 1), tab)


@pytest.mark.covers("ACT-TAKE")
def test_tab_in_wad_departure_is_pinned() -> None:
    """Between dss's exact tab and the WAD tab rounded up, dss closes; the model cuts."""
    taken = accepted("take_between_rad_tab_and_wad_tab").events[0]
    assert isinstance(taken, Taken) and taken.paid == 13_334 * WAD + 2 - 1_130 * WAD


@pytest.mark.covers("GEN2-REDO-INCENTIVE")
def test_redo_pays_when_the_lot_is_worth_chost_exactly_as_dss_compares() -> None:
    events = accepted("redo_incentive_lot_worth_chost").events
    assert any(isinstance(e, IncentivePaid) and e.amount > 0 for e in events)


@pytest.mark.covers("GEN2-DSS", "ACT-KICK", "ACT-REDO")
def test_top_rounds_down_and_must_be_positive_and_priceable() -> None:
    assert refused("kick_zero_top") is RefusalCode.INVALID_PRICE
    assert refused("redo_top_overflow") is RefusalCode.OVERFLOW


@pytest.mark.covers("ACT-KICK", "GEN3-SLICE")
def test_gen3_kick_never_starts_an_empty_auction() -> None:
    assert refused("kick_cap_leaves_nothing", "gen3") is RefusalCode.EXPOSURE_CAP_REACHED


@pytest.mark.covers("ACT-END-AUCTION", "GEN3-POL-BACKSTOP")
def test_pol_purchase_with_huge_reserves_is_capped_at_the_lot() -> None:
    outcome = accepted("end_auction_huge_reserves", "gen3")
    pre = cases("gen3")["end_auction_huge_reserves"].pre
    assert outcome.state.auctions[0].lot == 0 or outcome.state.auctions[0].debt == 0
    assert pre.buffers.pol_quote * RAY // pre.auctions[0].floor >= 2**256  # would overflow


@pytest.mark.covers("NUM-UINT256")
def test_bounds_on_the_clock_are_compared_exactly() -> None:
    assert refused("end_auction_tic_plus_duration_beyond_uint256", "gen3") is (
        RefusalCode.AUCTION_NOT_EXPIRED
    )
    accepted("kick_period_start_plus_period_beyond_uint256", "gen3")


@pytest.mark.covers("PREDICATES-TOTAL", "AUCTION-MONOTONE", "AUCTION-WELL-FORMED")
def test_a_stage_no_curve_can_price_is_judged_not_a_fault() -> None:
    """``make deep`` once stopped here: a redo at spot ``2**255 - 1`` started a stage whose
    ``top * RAY`` left uint256, and AUCTION-MONOTONE raised OVERFLOW while judging."""
    import attrs

    from model.actions import AdvanceTime, Redo, ReportOracle
    from model.engine import step
    from model.invariants import violated_invariants, violated_step_properties

    case = cases("gen2")["redo_top_overflow"]
    assert refused("redo_top_overflow") is RefusalCode.OVERFLOW  # such a stage never starts
    pre = case.pre
    huge = attrs.evolve(pre.auctions[0], top=2**255, tic=pre.time)
    bad = attrs.evolve(pre, auctions=pre.auctions.set(0, huge))
    outcome = step(bad, AdvanceTime(1))
    assert violated_step_properties(bad, AdvanceTime(1), outcome) == ()
    assert "AUCTION-WELL-FORMED" in violated_invariants(bad)
    assert step(bad, ReportOracle(2**255 - 1)).accepted
    assert not step(bad, Redo("k", 0)).accepted
