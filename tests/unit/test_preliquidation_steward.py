"""Pre-liquidation and the risk steward on concrete books: the worked cases of
``spec/preliquidation.md`` and ``spec/steward.md``, every step checked against every
invariant and step property (``tests/builders.Book``)."""

from __future__ import annotations

import attrs
import pytest

from model.actions import (
    AdvanceTime,
    Kick,
    PreLiquidate,
    ReportDepth,
    SetPreLiquidation,
    UpdateParams,
)
from model.errors import RefusalCode
from model.events import ParamsUpdated, PreLiquidated
from model.invariants.predictive import liquidation_ratio_in_force
from model.numbers import RAY
from model.params.presets import PRESETS, STEWARD
from model.params.records import Config
from model.rules.steward import liquidation_ratio_now
from tests.builders import Book, ray, single_position, wad

pytestmark = pytest.mark.covers(
    "ACT-SET-PRE-LIQUIDATION",
    "ACT-PRE-LIQUIDATE",
    "ACT-UPDATE-PARAMS",
    "PRELIQ-CONSENT",
    "PRELIQ-RATIO-NEVER-WORSE",
    "STEWARD-BOUNDED",
    "STEWARD-PHASE-IN",
)

CONFIG = attrs.evolve(PRESETS["gen3"], steward=STEWARD)
TERMS = (ray("1.45"), ray("0.10"), ray("0.50"), ray("1.01"), ray("1.04"))


def position_at(ratio: str, config: Config = CONFIG) -> Book:
    """Alice's 10 collateral at 2 000 with the debt that puts her at collateral ratio
    ``ratio``."""
    debt = wad(20_000) * RAY // ray(ratio)
    return single_position(config, wad(10), debt, ray(2_000))


def opted_in(ratio: str) -> Book:
    b = position_at(ratio)
    b.do(SetPreLiquidation("alice", 0, *TERMS))
    return b


# --- opting in ---------------------------------------------------------------------------


def test_only_the_owner_opts_in_and_the_terms_must_be_well_formed() -> None:
    b = position_at("1.40")
    assert b.refusal_code(SetPreLiquidation("mallory", 0, *TERMS)) == RefusalCode.NOT_OWNER
    below_l = (ray("1.20"), *TERMS[1:])
    assert b.refusal_code(SetPreLiquidation("alice", 0, *below_l)) == RefusalCode.INVALID_TERMS
    rich = (*TERMS[:4], ray("1.30"))  # an incentive above L would lower the ratio
    assert b.refusal_code(SetPreLiquidation("alice", 0, *rich)) == RefusalCode.INVALID_TERMS
    b.do(SetPreLiquidation("alice", 0, *TERMS))
    assert 0 in b.state.pre_liquidation
    b.do(SetPreLiquidation("alice", 0, 0, 0, 0, 0, 0))
    assert 0 not in b.state.pre_liquidation
    none = SetPreLiquidation("alice", 0, 0, 0, 0, 0, 0)
    assert b.refusal_code(none) == RefusalCode.NOT_CONSENTED


# --- pre-liquidating ---------------------------------------------------------------------


def test_a_keeper_de_risks_a_consenting_position_inside_its_band() -> None:
    b = opted_in("1.333")
    before = b.position()
    (event,) = b.do(PreLiquidate("keeper", 0, wad(4_000)))
    assert isinstance(event, PreLiquidated)
    # 55 % of the way from 1.45 to 1.25 in loan-to-value: factors interpolated between the terms
    assert ray("0.31") < event.close_factor < ray("0.33")
    assert ray("1.026") < event.incentive < ray("1.027")
    assert event.seized == wad(4_000) * event.incentive // ray(2_000)
    after = b.position()
    assert after.debt == before.debt - wad(4_000)
    assert after.collateral * before.debt > before.collateral * after.debt  # ratio improved


def test_a_pre_liquidation_beyond_the_close_factor_is_refused() -> None:
    b = opted_in("1.333")
    too_much = PreLiquidate("keeper", 0, b.position().debt // 3)
    assert b.refusal_code(too_much) == RefusalCode.CLOSE_FACTOR_EXCEEDED


@pytest.mark.parametrize(
    ("ratio", "code"),
    [("1.50", RefusalCode.NOT_LIQUIDATABLE), ("1.20", RefusalCode.POSITION_LIQUIDATABLE)],
)
def test_outside_the_band_nobody_pre_liquidates(ratio: str, code: RefusalCode) -> None:
    b = opted_in(ratio)
    assert b.refusal_code(PreLiquidate("keeper", 0, wad(1_000))) == code


def test_a_position_that_did_not_consent_is_not_pre_liquidated() -> None:
    b = position_at("1.333")
    assert b.refusal_code(PreLiquidate("keeper", 0, wad(1_000))) == RefusalCode.NOT_CONSENTED


def test_gen1_and_gen2_do_not_support_the_new_actions() -> None:
    for policy in ("gen1", "gen2"):
        b = single_position(policy, wad(10), wad(10_000), ray(2_000))
        for action in (
            SetPreLiquidation("alice", 0, *TERMS),
            PreLiquidate("keeper", 0, wad(1)),
            UpdateParams("risk-steward", ray("1.30"), ray("1.45"), ray("0.10")),
        ):
            assert b.refusal_code(action) == RefusalCode.UNSUPPORTED_ACTION


# --- the risk steward --------------------------------------------------------------------


def test_a_higher_l_phases_in_and_a_healthy_position_stays_healthy_at_the_update() -> None:
    b = position_at("1.28")
    raise_l = UpdateParams("risk-steward", ray("1.30"), ray("1.45"), ray("0.10"))
    (event,) = b.do(raise_l)
    assert isinstance(event, ParamsUpdated)
    assert event.phase_end == STEWARD.phase_in
    assert liquidation_ratio_now(b.state) == ray("1.25")
    assert b.refusal_code(Kick("keeper", 0)) == RefusalCode.NOT_LIQUIDATABLE
    b.do(AdvanceTime(STEWARD.phase_in // 2))
    assert liquidation_ratio_now(b.state) == ray("1.275")
    assert liquidation_ratio_in_force(b.state) == liquidation_ratio_now(b.state)
    b.do(AdvanceTime(STEWARD.phase_in // 2))
    assert liquidation_ratio_now(b.state) == ray("1.30")
    b.set_prices(2_000)
    b.do(ReportDepth(wad(1_000)), Kick("keeper", 0))


def test_the_steward_is_bounded_per_parameter_and_per_window() -> None:
    b = position_at("1.40")
    steward = "risk-steward"
    assert b.refusal_code(UpdateParams("mallory", ray("1.30"), ray("1.45"), ray("0.10"))) == (
        RefusalCode.NOT_STEWARD
    )
    too_large = UpdateParams(steward, ray("1.31"), ray("1.45"), ray("0.10"))
    assert b.refusal_code(too_large) == RefusalCode.UPDATE_TOO_LARGE
    b.do(UpdateParams(steward, ray("1.20"), ray("1.45"), ray("0.10")))
    again = UpdateParams(steward, ray("1.17"), ray("1.45"), ray("0.10"))
    assert b.refusal_code(again) == RefusalCode.UPDATE_TOO_SOON
    b.do(UpdateParams(steward, ray("1.20"), ray("1.48"), ray("0.10")))  # T is not locked
    b.do(AdvanceTime(STEWARD.min_delay))
    below_backstop = UpdateParams(steward, ray("1.16"), ray("1.48"), ray("0.10"))
    assert b.refusal_code(below_backstop) == RefusalCode.INVALID_PARAMS


def test_without_bounds_in_the_configuration_nobody_is_the_steward() -> None:
    b = position_at("1.40", PRESETS["gen3"])
    update = UpdateParams("risk-steward", ray("1.30"), ray("1.45"), ray("0.10"))
    assert b.refusal_code(update) == RefusalCode.NOT_STEWARD
