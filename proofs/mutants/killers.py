"""What kills each generated mutant: killers declared per function of ``model/``.

A generated mutant (``proofs.mutants.sites``) inherits the entry of the function its site
is in: the requirement IDs that function implements and the obligations (selectors, as
in ``proofs.registry.select``) that pin it. A new site in a listed function needs
nothing here; a site in a function not listed fails ``tests/proofs/test_mutant_sites.py``
until its function is. ``SITES`` gives a site its own killers where the function's are
not the cheapest that kill it; ``EQUIVALENT`` says, for the mutants no input tells from
the model, why.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class Killers:
    requirement_ids: tuple[str, ...]
    killers: tuple[str, ...]


def _k(requirement_ids: tuple[str, ...], *killers: str) -> Killers:
    return Killers(requirement_ids, killers)


_NUM = ("NUM-ROUNDING", "NUM-UINT256")
_PRELIQ = ("ACT-PRE-LIQUIDATE", "PRELIQ-KEEPER-GAIN", "PRELIQ-CLOSE-FACTOR")
_PRELIQ_KILLERS = (
    "ACT-PRE-LIQUIDATE/gen3/plan-flat-exact",
    "ACT-PRE-LIQUIDATE/gen3/plan-whole-exact",
    "ACT-PRE-LIQUIDATE/gen3/plan-end-exact",
    "PRELIQ-TERMS/gen3/band-exact",
)
_PHASE_IN_KILLERS = (
    "STEWARD-PHASE-IN/gen3/phase-in-exact",
    "STEWARD-PHASE-IN/gen3/no-phase-exact",
    "STEWARD-PHASE-IN/gen3/update-exact",
)

FUNCTIONS: dict[str, Killers] = {
    # --- numbers ------------------------------------------------------------------------
    "numbers.fixed_point.add": _k(("NUM-UINT256",), "NUM-UINT256/all/add/faults-exactly"),
    "numbers.fixed_point.sub": _k(("NUM-UINT256",), "NUM-UINT256/all/sub/faults-exactly"),
    "numbers.fixed_point.mul": _k(("NUM-UINT256",), "NUM-UINT256/all/mul/faults-exactly"),
    "numbers.fixed_point.mul_div_down": _k(_NUM, "NUM-UINT256/all/mul_div_down/faults-exactly"),
    "numbers.fixed_point.mul_div_up": _k(_NUM, "NUM-UINT256/all/mul_div_up/faults-exactly"),
    "numbers.fixed_point.wmul_down": _k(_NUM, "NUM-ROUNDING/all/wmul_down/exact"),
    "numbers.fixed_point.wmul_up": _k(_NUM, "NUM-ROUNDING/all/wmul_up/exact"),
    "numbers.fixed_point.rmul_down": _k(_NUM, "NUM-ROUNDING/all/rmul_down/exact"),
    "numbers.fixed_point.rmul_up": _k(_NUM, "NUM-ROUNDING/all/rmul_up/exact"),
    "numbers.fixed_point.rmul_dss": _k(_NUM, "NUM-ROUNDING/all/rmul_dss/exact"),
    "numbers.fixed_point.rdiv_down": _k(_NUM, "NUM-ROUNDING/all/rdiv_down/exact"),
    "numbers.fixed_point.rdiv_up": _k(_NUM, "NUM-ROUNDING/all/rdiv_up/exact"),
    "numbers.fixed_point.distance": _k(("NUM-UINT256",), "NUM-UINT256/all/distance/exact"),
    "numbers.fixed_point.in_uint256": _k(("NUM-UINT256",), "NUM-UINT256/all/in_uint256/exact"),
    # --- oracle ---------------------------------------------------------------------------
    "oracle.step_allowance": _k(
        ("ORACLE-REFERENCE", "NUM-ROUNDING"), "ORACLE-REFERENCE/all/next_reference"
    ),
    "oracle.next_reference": _k(("ORACLE-REFERENCE",), "ORACLE-REFERENCE/all/next_reference"),
    "oracle.next_volatility": _k(
        ("ORACLE-VOLATILITY", "NUM-ROUNDING"), "ORACLE-VOLATILITY/all/next_volatility-formula"
    ),
    # --- curves ---------------------------------------------------------------------------
    "curves.abaci.rpow": _k(("CURVE-RPOW",), "CURVE-RPOW/gen2/rpow/base-"),
    "curves.abaci.linear_decrease": _k(("CURVE-LINEAR",), "CURVE-LINEAR/gen2/curve/linear-exact"),
    "curves.abaci.stairstep_exponential_decrease": _k(
        ("CURVE-STAIRSTEP",), "CURVE-STAIRSTEP/gen2/curve/stairstep-coarse-exact"
    ),
    "curves.abaci.exponential_decrease": _k(
        ("CURVE-EXPONENTIAL",), "CURVE-EXPONENTIAL/gen2/curve/exponential-16s-exact"
    ),
    "curves.zero_loss.floored_linear_price": _k(("CURVE-GEN3",), "CURVE-GEN3/gen3/curve/exact"),
    # --- the predicates the proofs check (a flip there changes what is claimed) -----------
    "invariants.state_invariants.auction_well_formed": _k(
        ("AUCTION-WELL-FORMED",), "AUCTION-WELL-FORMED/gen3/Redo"
    ),
    "invariants.step_properties.no_healthy_liquidation": _k(
        ("NO-HEALTHY-LIQUIDATION", "GEN2-DSS"), "NO-HEALTHY-LIQUIDATION/gen2/Kick"
    ),
    "invariants.step_properties.reset_guarded": _k(("RESET-GUARDED",), "RESET-GUARDED/gen3/Redo"),
    # --- the loss measure -----------------------------------------------------------------
    "loss.step_loss": _k(("LOSS-TOTAL",), "LOSS-TOTAL/gen3/premium-exact"),
    "loss.open_shortfall": _k(("LOSS-TOTAL",), "LOSS-TOTAL/gen3/economic-exact"),
    "loss.economic_loss": _k(("LOSS-TOTAL",), "LOSS-TOTAL/gen3/economic-exact"),
    # --- parameters -----------------------------------------------------------------------
    "params.derived.gen3_backstop_ratio": _k(
        ("PARAM-CROSS", "GEN3-SLICE"), "PARAM-CROSS/gen3/backstop-exact"
    ),
    "params.derived.gen3_tab": _k(("GEN3-SLICE",), "GEN3-SLICE/gen3/tab"),
    "params.derived.gen2_chost": _k(("GEN2-DSS",), "GEN2-DSS/gen2/chost-exact"),
    "params.validation._gen3": _k(("PARAM-CROSS",), "PARAM-CROSS/gen3/anti-farming-exact"),
    # --- gen 1 ----------------------------------------------------------------------------
    "policies.gen1_spot.max_repay": _k(("GEN1-LIQUIDATION",), "ACT-LIQUIDATE/gen1/Liquidate/iff"),
    "policies.gen1_spot.seizure": _k(
        ("GEN1-LIQUIDATION", "ROUNDING-FAVOURS-PROTOCOL"),
        "ROUNDING-FAVOURS-PROTOCOL/gen1/Liquidate",
        "GEN1-LIQUIDATION/gen1/seizure-exact",
    ),
    # --- gen 2 ----------------------------------------------------------------------------
    "policies.gen2_dutch.spotter_spot": _k(("GEN2-DSS",), "ACT-KICK/gen2/Kick/iff"),
    "policies.gen2_dutch.start_price": _k(("GEN2-DSS",), "RESET-GUARDED/gen2/Redo"),
    "policies.gen2_dutch.status": _k(
        ("GEN2-STATUS",), "GEN2-STATUS/gen2/Take", "GEN2-STATUS/gen2/status-exact"
    ),
    "policies.gen2_dutch._bark_size": _k(("GEN2-BARK",), "GEN2-BARK/gen2/bark-exact"),
    "policies.gen2_dutch._incentive": _k(("GEN2-REDO-INCENTIVE",), "GEN2-REDO-INCENTIVE/gen2/Redo"),
    # --- gen 3 ----------------------------------------------------------------------------
    "policies.gen3_zero_loss.zones.warning_ratio": _k(
        ("GEN3-VOLATILITY-BUFFER",), "GEN3-VOLATILITY-BUFFER/gen3/warning-exact"
    ),
    "policies.gen3_zero_loss.zones.floor_price": _k(
        ("AUCTION-WELL-FORMED", "GEN3-SLICE"), "AUCTION-WELL-FORMED/gen3/Redo"
    ),
    "policies.gen3_zero_loss.zones.covers_tab_at_floor": _k(
        ("GEN3-SLICE", "GEN3-ZONES"), "GEN3-SLICE/gen3/covers-tab-at-floor-exact"
    ),
    "policies.gen3_zero_loss.breakers.pol_can_buy": _k(("ACT-REDO",), "ACT-REDO/gen3/Redo/iff"),
    "policies.gen3_zero_loss.sizing.debt_to_target": _k(
        ("GEN3-SLICE",),
        "GEN3-SLICE/gen3/plan-kick-solvent-exact",
        "GEN3-SLICE/gen3/debt-to-target-exact",
    ),
    "policies.gen3_zero_loss.sizing.depth_room": _k(
        ("ACT-POL-SELL",), "ACT-POL-SELL/gen3/PolSell/iff"
    ),
    "policies.gen3_zero_loss.sizing.plan_kick": _k(
        ("GEN3-SLICE",),
        "GEN3-SLICE/gen3/plan-kick-solvent-exact",
        "GEN3-SLICE/gen3/plan-kick-insolvent-exact",
        "GEN3-SLICE/gen3/plan-kick-small-exact",
    ),
    "policies.gen3_zero_loss.kick._incentive": _k(
        ("INCENTIVE-CAP",), "INCENTIVE-CAP/gen3/incentive-exact"
    ),
    "policies.gen3_zero_loss.auction._redo_effect": _k(
        ("AUCTION-WELL-FORMED", "AUCTION-BACKED"),
        "AUCTION-WELL-FORMED/gen3/Redo",
        "AUCTION-BACKED/gen3/Redo",
        "AUCTION-BACKED/gen3/redo-exact",
    ),
    "policies.gen3_zero_loss.backstop._end_plan": _k(
        ("ACT-END-AUCTION",), "ACT-END-AUCTION/gen3/EndAuction/iff"
    ),
    "policies.gen3_zero_loss.backstop._sell_plan": _k(
        ("ACT-POL-SELL",), "ACT-POL-SELL/gen3/PolSell/iff"
    ),
    # --- rules ----------------------------------------------------------------------------
    "rules.auctions.purchase": _k(
        ("ROUNDING-FAVOURS-PROTOCOL", "ACT-TAKE"),
        "ROUNDING-FAVOURS-PROTOCOL/all/purchase",
        "ACT-TAKE/all/purchase-exact",
    ),
    "rules.auctions.collect": _k(("LOSS-WATERFALL",), "LOSS-WATERFALL/all/fee-split-exact"),
    "rules.lending.shares_for_supply": _k(
        ("ROUNDING-FAVOURS-PROTOCOL",), "ROUNDING-FAVOURS-PROTOCOL/gen1/SupplyLiquidity"
    ),
    "rules.lending.shares_for_withdrawal": _k(
        ("ROUNDING-FAVOURS-PROTOCOL",), "ROUNDING-FAVOURS-PROTOCOL/gen1/WithdrawLiquidity"
    ),
    # --- the engine's range check and the units -------------------------------------------
    "engine.range_refusal": _k(("ENGINE-STEP",), "ENGINE-STEP/all/range-exact"),
    "numbers.units.plain": _k(("PARAM-FILES",), "PARAM-FILES/all/plain-exact"),
    "loss.mark_price": _k(("LOSS-MARK",), "LOSS-TOTAL/gen3/premium-exact"),
    # --- guards and effects, gen 1 ----------------------------------------------------------
    "policies.gen1_spot.liquidatable": _k(
        ("GEN1-LIQUIDATION",), "ACT-LIQUIDATE/gen1/Liquidate/iff"
    ),
    "policies.gen1_spot._leverage_refusal": _k(("ACT-BORROW",), "ACT-BORROW/gen1/Borrow/iff"),
    "policies.gen1_spot._liquidate_guard": _k(
        ("ACT-LIQUIDATE",), "ACT-LIQUIDATE/gen1/Liquidate/iff"
    ),
    "policies.gen1_spot._liquidate_effect": _k(("LOSS-WATERFALL",), "step/gen1/Liquidate"),
    # --- guards and effects, gen 2 ----------------------------------------------------------
    "policies.gen2_dutch.unsafe": _k(("GEN2-BARK", "GEN2-DSS"), "ACT-KICK/gen2/Kick/iff"),
    "policies.gen2_dutch._kick_guard": _k(("ACT-KICK", "GEN2-BARK"), "ACT-KICK/gen2/Kick/"),
    "policies.gen2_dutch._kick_effect": _k(
        ("GEN2-REDO-INCENTIVE",), "GEN2-REDO-INCENTIVE/gen2/kick-unpaid"
    ),
    "policies.gen2_dutch._take_plan": _k(("ACT-TAKE",), "ACT-TAKE/gen2/Take/iff"),
    "policies.gen2_dutch._dusty": _k(
        ("GEN2-REDO-INCENTIVE",), "GEN2-REDO-INCENTIVE/gen2/dusty-exact"
    ),
    "policies.gen2_dutch._redo_effect": _k(
        ("GEN2-REDO-INCENTIVE",), "GEN2-REDO-INCENTIVE/gen2/redo-unpaid"
    ),
    "policies.gen2_dutch._leverage_refusal": _k(
        ("ACT-BORROW", "GEN2-DSS"), "ACT-BORROW/gen2/Borrow/iff"
    ),
    # --- guards and effects, gen 3 ----------------------------------------------------------
    "policies.gen3_zero_loss.auction._take_plan": _k(("ACT-TAKE",), "ACT-TAKE/gen3/Take/iff"),
    "policies.gen3_zero_loss.auction.reset_refusal": _k(
        ("ACT-REDO", "RESET-GUARDED"), "ACT-REDO/gen3/Redo/iff"
    ),
    "policies.gen3_zero_loss.backstop.backstop_due": _k(
        ("GEN3-POL-BACKSTOP",), "GEN3-POL-BACKSTOP/gen3/backstop-due-exact"
    ),
    "policies.gen3_zero_loss.breakers.oracle_stale": _k(
        ("GEN3-BREAKERS",), "GEN3-BREAKERS/gen3/breakers-exact"
    ),
    "policies.gen3_zero_loss.breakers.deviation_tripped": _k(
        ("GEN3-BREAKERS",), "GEN3-BREAKERS/gen3/breakers-exact"
    ),
    "policies.gen3_zero_loss.kick._leverage_refusal": _k(
        ("ACT-BORROW", "GEN3-VOLATILITY-BUFFER"), "ACT-BORROW/gen3/leverage-exact"
    ),
    "policies.gen3_zero_loss.kick._lp_withdrawal_refusal": _k(
        ("LP-WITHDRAWAL-FREEZE",), "ACT-WITHDRAW-LIQUIDITY/gen3/WithdrawLiquidity/iff"
    ),
    "policies.gen3_zero_loss.kick._kick_effect": _k(
        ("INCENTIVE-CAP",), "INCENTIVE-CAP/gen3/kick-incentive-exact"
    ),
    "policies.gen3_zero_loss.sizing._period": _k(("GEN3-SLICE",), "ACT-POL-SELL/gen3/PolSell/iff"),
    "policies.gen3_zero_loss.zones.below_liquidation_ratio": _k(
        ("GEN3-ZONES",), "GEN3-ZONES/gen3/zone-exact"
    ),
    "policies.gen3_zero_loss.zones.zone": _k(("GEN3-ZONES",), "GEN3-ZONES/gen3/zone-exact"),
    # --- rules shared by the generations (gen 1's tasks are the cheapest) --------------------
    "rules.auctions._settle_guard": _k(("ACT-SETTLE",), "ACT-SETTLE/gen2/Settle/iff"),
    "rules.auctions.settle_rule.effect": _k(
        ("BORROWER-SURPLUS", "LOSS-WATERFALL"), "BORROWER-SURPLUS/all/settle-returned"
    ),
    "rules.lending._supply_guard": _k(
        ("ACT-SUPPLY-LIQUIDITY",),
        "ACT-SUPPLY-LIQUIDITY/gen1/SupplyLiquidity/iff",
        "ACT-SUPPLY-LIQUIDITY/all/first-supply-exact",
    ),
    "rules.lending._withdraw_guard": _k(
        ("ACT-WITHDRAW-LIQUIDITY",),
        "ACT-WITHDRAW-LIQUIDITY/gen1/WithdrawLiquidity/iff",
        "ACT-WITHDRAW-LIQUIDITY/all/withdraw-exact",
    ),
    "rules.positions._withdraw_guard": _k(
        ("ACT-WITHDRAW-COLLATERAL",), "ACT-WITHDRAW-COLLATERAL/gen1/WithdrawCollateral/iff"
    ),
    "rules.positions._borrow_guard": _k(("ACT-BORROW",), "ACT-BORROW/gen1/Borrow/iff"),
    "rules.positions._repay_guard": _k(("ACT-REPAY",), "ACT-REPAY/gen1/Repay/iff"),
    "rules.waterfall.cover_shortfall": _k(
        ("LOSS-WATERFALL",), "LOSS-WATERFALL/all/waterfall-exact"
    ),
    "rules.waterfall.pay_incentive": _k(("INCENTIVE-CAP",), "step/gen2/Redo"),
    # --- pre-liquidation and the steward --------------------------------------------------
    "rules.preliquidation.band_position": _k(_PRELIQ, *_PRELIQ_KILLERS),
    "rules.preliquidation.interpolate": _k(_PRELIQ, *_PRELIQ_KILLERS),
    "rules.preliquidation.plan": _k(_PRELIQ, *_PRELIQ_KILLERS),
    "rules.steward.liquidation_ratio_now": _k(("STEWARD-PHASE-IN",), *_PHASE_IN_KILLERS),
    "invariants.predictive.liquidation_ratio_in_force": _k(
        ("STEWARD-PHASE-IN",), *_PHASE_IN_KILLERS
    ),
    "rules.preliquidation._set_guard": _k(
        ("ACT-SET-PRE-LIQUIDATION", "PRELIQ-TERMS"),
        "ACT-SET-PRE-LIQUIDATION/gen3/SetPreLiquidation/iff",
    ),
    "rules.steward.safety_inequality_holds": _k(
        ("ASM-SAFETY-INEQUALITY", "STEWARD-SAFE"), "ASM-SAFETY-INEQUALITY/gen3/steward-check-exact"
    ),
    "rules.steward._update_guard": _k(
        ("ACT-UPDATE-PARAMS", "STEWARD-BOUNDED"), "ACT-UPDATE-PARAMS/gen3/UpdateParams/iff"
    ),
    "rules.steward._update_effect": _k(("STEWARD-PHASE-IN",), *_PHASE_IN_KILLERS),
}

SITES: dict[str, tuple[str, ...]] = {
    # half rounded up shows only where x * x + half crosses a multiple of an odd base (the
    # solver does not find one within minutes); halving n the other way loops on n = 1 for
    # 256 squarings of a symbolic term: concrete inputs show each at once
    "round:curves.abaci.rpow:mul_div_down": ("CURVE-RPOW/gen2/rpow/cases",),
    "round:curves.abaci.rpow:mul_div_down#2": ("CURVE-RPOW/gen2/rpow/cases",),
    "round:curves.abaci.rpow:mul_div_down#5": ("CURVE-RPOW/gen2/rpow/cases",),
}

_ZERO_EITHER_WAY = "at equality both branches give 0: x - y is 0 where x == y"
_NO_SHORTFALL = (
    "cover_shortfall of 0 pays min(0, buffer) = 0 from every rung (sub and add of 0) and "
    "emits no event (paid > 0 is false): the state and the events of not calling it"
)
_NO_DEBT = (
    "at debt == 0 the other conjunct, collateral * price < 0, is false (uint256 values): "
    "no refusal either way"
)

EQUIVALENT: dict[str, str] = {
    "cmp:oracle.next_volatility:gap>=previous_spot": (
        "at gap == previous_spot the relative move rdiv_up(gap, previous_spot) is RAY, the "
        "same as the capped branch"
    ),
    "drop:oracle.next_volatility:minimum(kept+added,RAY)-RAY": (
        "the clamp is redundant on every state with volatility <= RAY (ORACLE-SANE): ceil is "
        "monotone, so with v <= RAY and the move capped at RAY, ceil(v * (RAY - alpha) / RAY) "
        "<= RAY - alpha and ceil(m * alpha / RAY) <= alpha; the sum never exceeds RAY"
    ),
    "cmp:curves.abaci.rpow:x>=_TWO_128": (
        "at x == 2**128 the next squaring's x * x + half is above 2**256 - 1: add faults "
        "OVERFLOW there, the same refusal"
    ),
    "cmp:curves.abaci.linear_decrease:dur>=tau": (
        "at dur == tau the formula's ratio (tau - dur) * RAY / tau is 0: rmul(top, 0) == 0"
    ),
    "cmp:curves.zero_loss.floored_linear_price:dur>=decay": (
        "at dur == decay the line's term ceil((top - floor) * 0 / decay) is 0: the floor"
    ),
    "cmp:numbers.fixed_point.distance:x>=y": ("at x == y both branches give 0: x - y == y - x"),
    "cmp:loss.step_loss:event.price>mark": (
        "at price == mark the premium rmul_up(collateral, price - mark) is rmul_up(c, 0) = 0"
    ),
    "cmp:loss.open_shortfall:position.debt>value": _ZERO_EITHER_WAY,
    "cmp:loss.open_shortfall:auction.debt>value": _ZERO_EITHER_WAY,
    "cmp:loss.economic_loss:realised.pol_bought>realised.pol_sold": _ZERO_EITHER_WAY,
    "cmp:loss.economic_loss:realised.pol_paid>recovered": _ZERO_EITHER_WAY,
    "drop:policies.gen1_spot.seizure:minimum(repay,mul_div_up(position.collateral,spot,RAY+p~)"
    "-repay": (
        "the branch runs when floor(repay * (1 + bonus) / spot) > collateral, so repay * (1 + "
        "bonus) >= (collateral + 1) * spot and repay >= ceil(collateral * spot / (1 + bonus)): "
        "the minimum is always the ceiling"
    ),
    "cmp:policies.gen1_spot._leverage_refusal:debt>0": _NO_DEBT,
    "cmp:policies.gen2_dutch._leverage_refusal:debt>0": _NO_DEBT,
    "cmp:policies.gen1_spot._liquidate_effect:bad_debt>0#2": _NO_SHORTFALL,
    "cmp:rules.auctions.settle_rule.effect:shortfall>0": _NO_SHORTFALL,
    "cmp:policies.gen2_dutch._bark_size:debt<position.debt": (
        "at debt == position.debt the branch keeps it: position.debt - debt = 0 < dust sets "
        "debt = position.debt, and with dust 0 neither 0 < 0 nor debt < 0 holds"
    ),
    "cmp:policies.gen3_zero_loss.kick._incentive:paid_so_far<p.incentive_cap": (
        "at paid_so_far == cap the room cap - paid_so_far is 0, the other branch's 0"
    ),
    "cmp:policies.gen3_zero_loss.sizing.debt_to_target:value>=owed": (
        "at value == owed the formula's mul_div_up(0, RAY, T - B) is 0 (T > B by PARAM-CROSS, "
        "which validate enforces), and min(debt, 0) = 0, the other branch's 0"
    ),
    "cmp:policies.gen3_zero_loss.sizing.depth_room:cap>market.kicked_in_period": (_ZERO_EITHER_WAY),
    "drop:policies.gen3_zero_loss.sizing.plan_kick:minimum(dust,position.debt)-position.debt": (
        "differs only when dust > debt; then max(to_target, dust) > debt and the next line, "
        "debt - wanted < dust, sets wanted = debt, which is what max(to_target, debt) is "
        "(to_target <= debt)"
    ),
    "cmp:policies.gen3_zero_loss.sizing.plan_kick:position.debt-debt<dust": (
        "at position.debt - debt == dust the cut sets debt = position.debt - dust: the same value"
    ),
    "drop:policies.gen3_zero_loss.sizing.plan_kick:minimum(position.collateral,rdiv_up(tab,"
    'floor,"formula.~)-position.collateral': (
        "the branch is the solvent one, floor(collateral * floor / RAY) >= tab, so collateral "
        "* floor >= tab * RAY and collateral >= ceil(tab * RAY / floor): the minimum is always "
        "the ceiling"
    ),
    "cmp:policies.gen3_zero_loss.backstop._end_plan:state.buffers.pol_quote*RAY>=auction.lot"
    "*auction.floor": (
        "at pol_quote * RAY == lot * floor, rdiv_down(pol_quote, floor) = floor(pol_quote * RAY "
        "/ floor) is lot exactly (floor > 0 on every live gen 3 auction: AUCTION-WELL-FORMED)"
    ),
}
