"""The catalogue of semantic mutants: faults a plausible edit of the model could make.

Each :class:`Mutant` is one exact edit of one model file: ``original`` must occur in the
file exactly once (``check`` and ``tests/proofs/test_mutants.py`` say so when a model edit
makes a mutant rot) and is replaced by ``replacement`` in a temporary copy of ``model``.

``killers`` are selectors, with the meaning of ``proofs.registry.select``: an obligation
name, a name prefix, a task key (prefix) or a requirement ID. They name the cheapest
obligations expected to kill the mutant (the fast check of ``zle mutants --scope killers``
and of the tests); ``zle mutants --scope tasks`` runs every obligation of their tasks, and
``exercised_by`` adds tasks for mutants no current obligation kills.

A mutant either has killers, or says why it survives: ``equivalent`` (no input the
obligations quantify over tells it from the model; the reason is given) or ``gap`` (it is
a real fault, and the claim that would kill it is given: an obligation still to write).

The mutants are *semantic*: each models a mistake someone could make while editing
(rounding the wrong way at one call site, a comparison off by one, a check dropped, a
ledger entry forgotten, a waterfall reordered), not a random operator swap.
"""

from __future__ import annotations

from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parents[2]
"""The repository: ``model/`` and ``proofs/`` live here."""


@attrs.frozen
class Mutant:
    id: str
    """Stable, kebab-case; never reused for a different fault."""
    description: str
    """The fault, in one line."""
    file: str
    """The model file, relative to the repository root (``model/...``)."""
    original: str
    """Exact source text; occurs exactly once in ``file``."""
    replacement: str
    requirement_ids: tuple[str, ...]
    """The requirements whose implementation the fault breaks."""
    killers: tuple[str, ...] = ()
    """Selectors of the obligations expected to kill it (see the module docstring)."""
    exercised_by: tuple[str, ...] = ()
    """Task keys that run the mutated code, for mutants without killers."""
    equivalent: str = ""
    """Why no obligation can kill it (empty: not equivalent)."""
    gap: str = ""
    """The claim that would kill it, when no obligation does yet."""
    line: int = 0
    column: int = 0
    """Where ``original`` starts, for a generated mutant (``proofs.mutants.sites``): its
    text may occur elsewhere in the file too. 0: ``original`` occurs exactly once."""
    appendix: str = ""
    """Text appended to the mutated file (a generated rounding flip's import)."""
    kind: str = "semantic"
    """``semantic`` (written by hand, below) or a generated site's kind: ``rounding``,
    ``comparison``, ``extremum``."""

    @property
    def path(self) -> Path:
        return ROOT / self.file

    def mutate(self, text: str) -> str:
        """``text`` (the file's) with the fault applied; ValueError when ``original`` is not
        where the mutant expects it (once in the file, or at its position)."""
        if self.line:
            from proofs.mutants.sites import splice

            mutated = splice(text, self.line, self.column, self.original, self.replacement)
            if mutated is None:
                where = f"{self.line}:{self.column}"
                raise ValueError(f"{self.id}: {self.original!r} is not at {where}")
            return mutated + self.appendix
        count = text.count(self.original)
        if count != 1:
            raise ValueError(f"{self.id}: original occurs {count} times in {self.file}")
        return text.replace(self.original, self.replacement) + self.appendix


def _m(
    id: str,
    description: str,
    file: str,
    original: str,
    replacement: str,
    requirement_ids: tuple[str, ...],
    killers: tuple[str, ...] = (),
    *,
    exercised_by: tuple[str, ...] = (),
    equivalent: str = "",
    gap: str = "",
) -> Mutant:
    return Mutant(
        id=id,
        description=description,
        file=file,
        original=original,
        replacement=replacement,
        requirement_ids=requirement_ids,
        killers=killers,
        exercised_by=exercised_by,
        equivalent=equivalent,
        gap=gap,
    )


_NUM = "model/numbers/fixed_point.py"
_ORACLE = "model/oracle.py"
_CURVE = "model/curves/zero_loss.py"
_GEN1 = "model/policies/gen1_spot.py"
_GEN2 = "model/policies/gen2_dutch.py"
_GEN3_AUCTION = "model/policies/gen3_zero_loss/auction.py"
_GEN3_BACKSTOP = "model/policies/gen3_zero_loss/backstop.py"
_GEN3_BREAKERS = "model/policies/gen3_zero_loss/breakers.py"
_GEN3_KICK = "model/policies/gen3_zero_loss/kick.py"
_GEN3_SIZING = "model/policies/gen3_zero_loss/sizing.py"
_GEN3_ZONES = "model/policies/gen3_zero_loss/zones.py"
_AUCTIONS = "model/rules/auctions.py"
_WATERFALL = "model/rules/waterfall.py"
_LENDING = "model/rules/lending.py"
_POSITIONS = "model/rules/positions.py"
_DERIVED = "model/params/derived.py"
_ABACI = "model/curves/abaci.py"
_PRELIQ = "model/rules/preliquidation.py"
_STEWARD = "model/rules/steward.py"
_SYS_ROUTING = "model/system/routing.py"
_SYS_BACKSTOP = "model/system/backstop.py"
_SYS_TOPOLOGY = "model/system/topology.py"
_SYS_MESSAGES = "model/system/messages.py"

MUTANTS: tuple[Mutant, ...] = (
    # --- numbers --------------------------------------------------------------------------
    _m(
        "mul-div-up-rounds-down",
        "mul_div_up rounds down: every 'up' division in the model rounds towards zero",
        _NUM,
        "q = (x * y + d - 1) // d",
        "q = x * y // d",
        ("NUM-ROUNDING",),
        (
            "NUM-ROUNDING/all/mul_div_up",
            "ROUNDING-FAVOURS-PROTOCOL/gen3/EndAuction",
            "AUCTION-FLOOR/gen3/EndAuction",
            "ROUNDING-FAVOURS-PROTOCOL/gen2/Take",
        ),
    ),
    _m(
        "add-overflow-unchecked",
        "add no longer refuses a sum beyond uint256 (a silent out-of-range amount)",
        _NUM,
        "    z = x + y\n    if z > UINT256_MAX:\n        raise overflow(what)\n",
        "    z = x + y\n",
        ("NUM-UINT256",),
        (
            "NUM-UINT256/all/add",
            "UINT-BOUNDS/gen1/SupplyLiquidity",
            "ACT-SUPPLY-LIQUIDITY/gen1/SupplyLiquidity/iff",
        ),
    ),
    # --- oracle ---------------------------------------------------------------------------
    _m(
        "oracle-step-clamp-removed",
        "the reference follows spot unclamped: no max_step band",
        _ORACLE,
        "return minimum(maximum(spot, low), high)",
        "return spot",
        ("ORACLE-REFERENCE", "ORACLE-BOUNDED-STEP"),
        (
            "ORACLE-REFERENCE/all/next_reference",
            "ORACLE-BOUNDED-STEP/all/next_reference",
            "ORACLE-BOUNDED-STEP/gen1/ReportOracle",
            "ORACLE-BOUNDED-STEP/gen3/ReportOracle",
        ),
    ),
    _m(
        "oracle-step-allowance-rounds-up",
        "the reference step allowance reference * max_step rounds up, not down",
        _ORACLE,
        'per_period = rmul_down(reference, max_step, "formula.reference_step")',
        'per_period = mul_div_up(reference, max_step, RAY, "formula.reference_step")',
        ("ORACLE-REFERENCE", "ORACLE-BOUNDED-STEP"),
        ("ORACLE-BOUNDED-STEP/all/next_reference", "ORACLE-BOUNDED-STEP/gen1/ReportOracle"),
    ),
    _m(
        "oracle-allowance-per-report",
        "the reference may move max_step on every report, however soon after the last",
        _ORACLE,
        "window = minimum(elapsed, step_period)",
        "window = step_period",
        ("ORACLE-REFERENCE", "ORACLE-BOUNDED-STEP", "ORACLE-BOUNDED-RATE"),
        (
            "ORACLE-BOUNDED-STEP/all/next_reference",
            "ORACLE-BOUNDED-STEP/gen3/ReportOracle",
            "ORACLE-BOUNDED-RATE/all/ReportOracle",
        ),
    ),
    _m(
        "oracle-window-uncapped",
        "after a long silence one report may move the reference more than max_step",
        _ORACLE,
        "window = minimum(elapsed, step_period)",
        "window = elapsed",
        ("ORACLE-REFERENCE", "ORACLE-BOUNDED-STEP"),
        ("ORACLE-BOUNDED-STEP/all/next_reference", "ORACLE-REFERENCE/all/next_reference"),
    ),
    _m(
        "oracle-window-share-rounds-up",
        "the share of the period the allowance gets rounds up, not down",
        _ORACLE,
        'return mul_div_down(per_period, window, step_period, "formula.reference_step")',
        'return mul_div_up(per_period, window, step_period, "formula.reference_step")',
        ("ORACLE-REFERENCE", "NUM-ROUNDING"),
        ("ORACLE-REFERENCE/all/next_reference", "ORACLE-BOUNDED-STEP/all/next_reference"),
    ),
    _m(
        "volatility-not-clamped",
        "volatility is no longer clamped to RAY after the EWMA update",
        _ORACLE,
        "return minimum(kept + added, RAY)",
        "return kept + added",
        ("ORACLE-VOLATILITY",),
        exercised_by=("step/gen1/ReportOracle", "step/gen3/ReportOracle"),
        equivalent=(
            "the clamp is redundant on every state with volatility <= RAY (ORACLE-SANE): "
            "ceil is monotone, so with v <= RAY and the move m capped at RAY, "
            "ceil(v * (RAY - alpha) / RAY) <= RAY - alpha and ceil(m * alpha / RAY) <= alpha, "
            "exact integers at v = m = RAY; the sum never exceeds RAY (a kernel obligation "
            "that lets the previous volatility exceed RAY would tell them apart)"
        ),
    ),
    _m(
        "volatility-move-uncapped",
        "a report's relative move is no longer capped at 100 % before entering the EWMA",
        _ORACLE,
        'move = RAY if gap >= previous_spot else rdiv_up(gap, previous_spot, "formula.volatility")',
        'move = rdiv_up(gap, previous_spot, "formula.volatility")',
        ("ORACLE-VOLATILITY",),
        ("ORACLE-VOLATILITY/all/next_volatility-formula",),
    ),
    # --- gen 3 zones and breakers ----------------------------------------------------------
    _m(
        "gen3-volatility-cap-removed",
        "the gen3 warning buffer slope * volatility is no longer capped at volatility_cap",
        _GEN3_ZONES,
        "buffer = minimum(\n"
        '        rmul_up(volatility, p.volatility_slope, "formula.warning_buffer"), '
        "p.volatility_cap\n"
        "    )",
        'buffer = rmul_up(volatility, p.volatility_slope, "formula.warning_buffer")',
        ("GEN3-VOLATILITY-BUFFER",),
        ("ACT-BORROW/gen3/Borrow/iff", "ACT-WITHDRAW-COLLATERAL/gen3/WithdrawCollateral/iff"),
    ),
    _m(
        "gen3-stale-breaker-off-by-one",
        "the oracle counts as stale at exactly stale_after seconds (>= instead of >)",
        _GEN3_BREAKERS,
        "return state.time - state.oracle.last_update > params(state).stale_after",
        "return state.time - state.oracle.last_update >= params(state).stale_after",
        ("GEN3-BREAKERS",),
        ("ACT-BORROW/gen3/Borrow/iff", "ACT-BORROW/gen3/Borrow/refusal"),
    ),
    _m(
        "gen3-leverage-at-liquidation-ratio",
        "gen3 borrowing and withdrawing test the liquidation ratio, not the warning ratio",
        _GEN3_KICK,
        "ratio = warning_ratio(in_force(state), state.oracle.volatility)",
        "ratio = in_force(state).liquidation_ratio",
        ("GEN3-ZONES",),
        ("ACT-BORROW/gen3/Borrow/iff", "ACT-WITHDRAW-COLLATERAL/gen3/WithdrawCollateral/iff"),
    ),
    # --- gen 3 curve ----------------------------------------------------------------------
    _m(
        "gen3-curve-floor-clamp-removed",
        "the gen3 curve keeps falling past decay_duration instead of resting at the floor",
        _CURVE,
        "    if dur >= decay:\n        return floor\n",
        "",
        ("CURVE-GEN3", "AUCTION-FLOOR"),
        ("AUCTION-FLOOR/gen3/curve", "AUCTION-FLOOR/gen3/Take", "ACT-TAKE/gen3/Take/iff"),
    ),
    _m(
        "gen3-curve-increasing",
        "the gen3 curve rises from floor to top over the stage instead of falling",
        _CURVE,
        'mul_div_up(top - floor, decay - dur, decay, "formula.auction_price")',
        'mul_div_up(top - floor, dur, decay, "formula.auction_price")',
        ("CURVE-GEN3", "AUCTION-MONOTONE"),
        ("AUCTION-MONOTONE/gen3/curve", "AUCTION-MONOTONE/gen3/AdvanceTime"),
    ),
    _m(
        "gen3-curve-rounds-down",
        "the gen3 curve's price above the floor rounds down (cheaper than the exact line)",
        _CURVE,
        'mul_div_up(top - floor, decay - dur, decay, "formula.auction_price")',
        "(top - floor) * (decay - dur) // decay",
        ("CURVE-GEN3", "NUM-ROUNDING"),
        ("ACT-TAKE/gen3/Take/iff",),
    ),
    # --- gen 2 curves (dss abaci) ---------------------------------------------------------
    _m(
        "linear-decrease-increasing",
        "dss LinearDecrease rises from 0 towards top over tau instead of falling",
        _ABACI,
        'mul(tau - dur, RAY, "formula.linear_decrease")',
        'mul(dur, RAY, "formula.linear_decrease")',
        ("CURVE-LINEAR", "AUCTION-MONOTONE"),
        ("AUCTION-MONOTONE/gen2/curve/linear",),
    ),
    _m(
        "linear-decrease-past-tau",
        "dss LinearDecrease keeps falling past tau (below zero) instead of resting at 0",
        _ABACI,
        "    if dur >= tau:\n        return 0\n",
        "",
        ("CURVE-LINEAR",),
        ("CURVE-LINEAR/gen2/curve/linear",),
    ),
    # --- gen 3 resets ---------------------------------------------------------------------
    _m(
        "gen3-reset-band-inverted",
        "gen3 reset_refusal's band check is inverted: resets only while inside reset_band",
        _GEN3_AUCTION,
        "if distance(reference, auction.anchor) * RAY <= p.reset_band * auction.anchor:",
        "if distance(reference, auction.anchor) * RAY > p.reset_band * auction.anchor:",
        ("RESET-GUARDED",),
        ("ACT-REDO/gen3/Redo/iff",),
    ),
    _m(
        "gen3-reset-band-removed",
        "gen3 resets no longer wait for the reference to leave reset_band",
        _GEN3_AUCTION,
        "    if distance(reference, auction.anchor) * RAY <= p.reset_band * auction.anchor:\n"
        '        return refuse(RefusalCode.AUCTION_CANNOT_RESET, "params.reset_band")\n',
        "",
        ("RESET-GUARDED",),
        ("ACT-REDO/gen3/Redo/iff",),
    ),
    _m(
        "gen3-reset-before-expiry",
        "a gen3 stage may be reset before it has run auction_duration",
        _GEN3_AUCTION,
        "if state.time < auction.tic + p.auction_duration:",
        "if state.time < auction.tic:",
        ("RESET-GUARDED", "GEN3-POL-BACKSTOP"),
        ("ACT-REDO/gen3/Redo/iff",),
    ),
    _m(
        "gen3-reset-pol-check-off-by-one",
        "a gen3 reset is allowed when POL holds exactly the lot's value at the floor",
        _GEN3_BREAKERS,
        "and rmul_up(auction.lot, auction.floor, "
        '"formula.lot_at_floor") <= state.buffers.pol_quote',
        'and rmul_up(auction.lot, auction.floor, "formula.lot_at_floor") < state.buffers.pol_quote',
        ("RESET-GUARDED", "GEN3-POL-BACKSTOP"),
        ("ACT-REDO/gen3/Redo/iff",),
    ),
    _m(
        "gen3-reset-blind-to-the-mark",
        "a reset is refused whenever POL has the reserves, even with the floor above the mark",
        _GEN3_BREAKERS,
        "        auction.floor <= mark_price(state)\n        and rmul_up(",
        "        auction.floor <= auction.floor\n        and rmul_up(",
        ("RESET-GUARDED", "GEN3-POL-FAIR-PRICE"),
        ("ACT-REDO/gen3/Redo/iff",),
    ),
    _m(
        "gen3-redo-keeps-the-anchor",
        "a reset restarts the stage but leaves its anchor at the old reference",
        _GEN3_AUCTION,
        "        anchor=reference,\n        incentives_paid=add(",
        "        anchor=auction.anchor,\n        incentives_paid=add(",
        ("RESET-GUARDED", "AUCTION-WELL-FORMED"),
        ("AUCTION-WELL-FORMED/gen3/Redo",),
    ),
    _m(
        "gen3-redo-incentives-overwritten",
        "a gen 3 Redo records only its own incentive in incentives_paid, not the running "
        "total: each step keeps INCENTIVE-CAP, the keepers are paid past the cap over resets",
        _GEN3_AUCTION,
        'incentives_paid=add(auction.incentives_paid, paid, "auction.incentives_paid"),',
        "incentives_paid=paid,",
        ("INCENTIVE-CAP",),
        ("INCENTIVE-CAP/gen3/Redo/ledger",),
    ),
    _m(
        "gen3-redo-top-rounds-down",
        "a gen3 reset's start price reference * start_premium rounds down",
        _GEN3_AUCTION,
        'top = rmul_up(reference, p.start_premium, "formula.top")\n    floor = floor_price(p, '
        "reference)",
        'top = rmul_down(reference, p.start_premium, "formula.top")\n    floor = floor_price(p, '
        "reference)",
        ("RESET-GUARDED", "NUM-ROUNDING"),
        ("RESET-GUARDED/gen3/Redo",),
    ),
    _m(
        "gen3-redo-restarts-from-anchor",
        "a gen3 reset restarts from the stale stage anchor, not the current reference",
        _GEN3_AUCTION,
        "    reference = state.oracle.reference\n    top = rmul_up(",
        "    reference = auction.anchor\n    top = rmul_up(",
        ("RESET-GUARDED",),
        ("RESET-GUARDED/gen3/Redo",),
    ),
    _m(
        "gen3-incentive-on-every-reset",
        "each gen3 reset pays a fresh incentive, ignoring what the liquidation already paid",
        _GEN3_AUCTION,
        "owed = _incentive(p, auction.tab, auction.incentives_paid)",
        "owed = _incentive(p, auction.tab, 0)",
        ("INCENTIVE-CAP", "BOUNDED-EXTRACTION"),
        ("BOUNDED-EXTRACTION/gen3/Redo",),
    ),
    _m(
        "gen3-incentive-cap-ignored",
        "gen3 keeper incentives are tip + chip * tab with no incentive_cap at all",
        _GEN3_KICK,
        'return minimum(p.keeper_tip + rmul_down(tab, p.keeper_chip, "formula.chip"), room)',
        'return p.keeper_tip + rmul_down(tab, p.keeper_chip, "formula.chip")',
        ("INCENTIVE-CAP", "BOUNDED-EXTRACTION"),
        ("BOUNDED-EXTRACTION/gen3/Redo",),
    ),
    _m(
        "gen3-redo-backed-rounds-up",
        "a gen3 reset computes the backed flag with the lot's value at the floor rounded up",
        _GEN3_AUCTION,
        'backed = rmul_down(auction.lot, floor, "formula.lot_at_floor") >= auction.debt',
        'backed = rmul_up(auction.lot, floor, "formula.lot_at_floor") >= auction.debt',
        ("AUCTION-BACKED",),
        ("AUCTION-BACKED/gen3/Redo",),
    ),
    _m(
        "gen3-redo-unbacked-not-recounted",
        "a gen3 reset that changes the backed flag leaves the unbacked counter as it was",
        _GEN3_AUCTION,
        "unbacked = state.unbacked + (0 if backed else 1) - (0 if auction.backed else 1)",
        "unbacked = state.unbacked",
        ("UNBACKED-ACCOUNTING",),
        ("UNBACKED-ACCOUNTING/gen3/Redo",),
    ),
    # --- gen 3 kicks ----------------------------------------------------------------------
    _m(
        "gen3-kick-backed-rounds-up",
        "a gen3 kick computes the backed flag with the lot's value at the floor rounded up",
        _GEN3_SIZING,
        'backed=rmul_down(lot, floor, "formula.lot_at_floor") >= debt,',
        'backed=rmul_up(lot, floor, "formula.lot_at_floor") >= debt,',
        ("AUCTION-BACKED",),
        ("AUCTION-BACKED/gen3/Kick",),
    ),
    _m(
        "gen3-kick-exposure-room-ignores-penalty",
        "the gen3 exposure room is taken as debt, forgetting that the tab adds the penalty",
        _GEN3_SIZING,
        "by_exposure = mul_div_down(\n"
        '        p.exposure_cap - state.exposure, RAY, RAY + p.penalty, "formula.room"\n'
        "    )",
        "by_exposure = p.exposure_cap - state.exposure",
        ("GEN3-SLICE", "EXPOSURE-CAP"),
        ("EXPOSURE-CAP/gen3/Kick",),
    ),
    _m(
        "gen3-tab-rounds-down",
        "the gen3 tab debt * (1 + penalty) rounds down (the auction owes less than it should)",
        _DERIVED,
        'return rmul_up(debt, RAY + params.penalty, "formula.tab")',
        "return debt * (RAY + params.penalty) // RAY",
        ("GEN3-SLICE", "NUM-ROUNDING"),
        ("GEN3-SLICE/gen3/tab",),
    ),
    # --- gen 3 end of auction and waterfall ------------------------------------------------
    _m(
        "gen3-pol-not-debited",
        "POL's purchase at the floor does not take the quote out of pol_quote",
        _GEN3_BACKSTOP,
        'pol_quote=sub(buffers.pol_quote, paid, "state.buffers.pol_quote"),',
        "pol_quote=buffers.pol_quote,",
        ("CONSERVE-QUOTE", "ACT-END-AUCTION"),
        ("CONSERVE-QUOTE/gen3/EndAuction",),
    ),
    _m(
        "gen3-end-auction-early",
        "POL may buy before the stage has run auction_duration",
        _GEN3_BACKSTOP,
        "if state.time < auction.tic + params(state).auction_duration:",
        "if state.time < auction.tic:",
        ("ACT-END-AUCTION", "GEN3-POL-BACKSTOP"),
        ("ACT-END-AUCTION/gen3/EndAuction/iff",),
    ),
    _m(
        "gen3-pol-affordable-rounds-up",
        "what POL can afford at the floor, pol_quote / floor, rounds up",
        _GEN3_BACKSTOP,
        'affordable = rdiv_down(state.buffers.pol_quote, auction.floor, "formula.pol_purchase")',
        'affordable = rdiv_up(state.buffers.pol_quote, auction.floor, "formula.pol_purchase")',
        ("ACT-END-AUCTION", "NUM-ROUNDING"),
        ("ACT-END-AUCTION/gen3/EndAuction/refusal",),
    ),
    _m(
        "gen3-waterfall-pol-first",
        "gen3 shortfalls draw on POL before the insurance fund",
        _GEN3_ZONES,
        "WATERFALL = (Buffer.INSURANCE, Buffer.POL, Buffer.LPS)",
        "WATERFALL = (Buffer.POL, Buffer.INSURANCE, Buffer.LPS)",
        ("LOSS-WATERFALL",),
        ("LOSS-WATERFALL/gen3/Settle",),
    ),
    _m(
        "gen3-withdrawal-freeze-removed",
        "gen3 LPs may withdraw while an unbacked auction is live",
        _GEN3_KICK,
        'return refuse(RefusalCode.WITHDRAWALS_FROZEN, "state.unbacked")',
        "return None",
        ("LP-WITHDRAWAL-FREEZE",),
        ("LP-WITHDRAWAL-FREEZE/gen3/WithdrawLiquidity",),
    ),
    _m(
        "gen3-pol-buys-above-the-mark",
        "POL buys at the stage's floor whatever the market did (its guard against overpaying gone)",
        _GEN3_BACKSTOP,
        "if auction.floor > mark_price(state):",
        "if auction.floor < 0:",
        ("GEN3-POL-FAIR-PRICE", "ACT-END-AUCTION"),
        ("GEN3-POL-FAIR-PRICE/gen3/EndAuction", "ACT-END-AUCTION/gen3/EndAuction/iff"),
    ),
    _m(
        "gen3-pol-price-checked-at-reference-only",
        "POL's price is checked against the reference alone, not the lower of spot and it",
        _GEN3_BACKSTOP,
        "if auction.floor > mark_price(state):",
        "if auction.floor > state.oracle.reference:",
        ("GEN3-POL-FAIR-PRICE", "LOSS-MARK"),
        ("GEN3-POL-FAIR-PRICE/gen3/EndAuction", "ACT-END-AUCTION/gen3/EndAuction/iff"),
    ),
    _m(
        "gen3-pol-refuses-at-the-mark",
        "POL refuses a floor exactly at the mark (>= instead of >)",
        _GEN3_BACKSTOP,
        "if auction.floor > mark_price(state):",
        "if auction.floor >= mark_price(state):",
        ("GEN3-POL-FAIR-PRICE", "ACT-END-AUCTION"),
        ("ACT-END-AUCTION/gen3/EndAuction/iff",),
    ),
    # --- gen 3: POL sells what it bought (ACT-POL-SELL) -----------------------------------
    _m(
        "pol-sell-least-proceeds-rounds-down",
        "the least proceeds amount * floor rounds down: POL may sell a unit below the floor",
        _GEN3_BACKSTOP,
        'if action.proceeds < rmul_up(action.amount, floor, "formula.sale_at_floor"):',
        'if action.proceeds < rmul_down(action.amount, floor, "formula.sale_at_floor"):',
        ("ACT-POL-SELL", "NUM-ROUNDING"),
        ("ACT-POL-SELL/gen3/PolSell/iff",),
    ),
    _m(
        "pol-sell-ignores-depth",
        "POL's sales are not held to the depth budget",
        _GEN3_BACKSTOP,
        "if action.amount > depth_room(state):",
        "if action.amount < 0:",
        ("ACT-POL-SELL", "GEN3-SLICE"),
        ("ACT-POL-SELL/gen3/PolSell/iff",),
    ),
    _m(
        "pol-sell-uses-no-depth",
        "POL's sales do not count against the period's depth budget",
        _GEN3_BACKSTOP,
        "return attrs.evolve(market, kicked_in_period=market.kicked_in_period + action.amount)",
        "return market",
        ("ACT-POL-SELL", "GEN3-SLICE"),
        ("ACT-POL-SELL/gen3/PolSell/effect",),
    ),
    _m(
        "pol-sell-on-a-stale-oracle",
        "POL sells although the oracle is stale (the floor it is held to is out of date)",
        _GEN3_BACKSTOP,
        "if oracle_stale(state):\n"
        '        return refuse(RefusalCode.ORACLE_STALE, "params.stale_after")\n'
        "    if action.amount > state.buffers.pol_collateral:",
        "if oracle_stale(state) and action.amount < 0:\n"
        '        return refuse(RefusalCode.ORACLE_STALE, "params.stale_after")\n'
        "    if action.amount > state.buffers.pol_collateral:",
        ("ACT-POL-SELL", "GEN3-BREAKERS"),
        ("ACT-POL-SELL/gen3/PolSell/iff",),
    ),
    _m(
        "pol-sell-proceeds-lost",
        "a sale's proceeds are not added to POL's reserves",
        _GEN3_BACKSTOP,
        'pol_quote=add(buffers.pol_quote, action.proceeds, "state.buffers.pol_quote"),',
        "pol_quote=buffers.pol_quote,",
        ("ACT-POL-SELL", "CONSERVE-QUOTE"),
        ("CONSERVE-QUOTE/gen3/PolSell",),
    ),
    _m(
        "pol-sell-collateral-not-recorded",
        "a sale's collateral leaves POL but not through the ledger",
        _GEN3_BACKSTOP,
        "            collateral_out=add(ledger.collateral_out, action.amount, "
        '"state.ledger.collateral_out"),\n'
        '            quote_in=add(ledger.quote_in, action.proceeds, "state.ledger.quote_in"),',
        "            collateral_out=ledger.collateral_out,\n"
        '            quote_in=add(ledger.quote_in, action.proceeds, "state.ledger.quote_in"),',
        ("ACT-POL-SELL", "CONSERVE-COLLATERAL"),
        ("CONSERVE-COLLATERAL/gen3/PolSell",),
    ),
    # --- the purchase kernel, proceeds and settlement (gen 2 and gen 3) ---------------------
    _m(
        "purchase-paid-rounds-down",
        "a purchase's price collateral * price rounds down: the buyer underpays",
        _AUCTIONS,
        'paid = rmul_up(collateral, price, "formula.purchase")',
        'paid = rmul_down(collateral, price, "formula.purchase")',
        ("ACT-TAKE", "ROUNDING-FAVOURS-PROTOCOL"),
        (
            "ROUNDING-FAVOURS-PROTOCOL/all/purchase",
            "ROUNDING-FAVOURS-PROTOCOL/gen3/EndAuction",
            "AUCTION-FLOOR/gen3/EndAuction",
            "ROUNDING-FAVOURS-PROTOCOL/gen2/Take",
        ),
    ),
    _m(
        "purchase-tab-cut-rounds-up",
        "a purchase cut to the tab gives tab / price collateral rounded up",
        _AUCTIONS,
        '        paid = tab\n        collateral = rdiv_down(paid, price, "formula.purchase")',
        "        paid = tab\n        collateral = (paid * 10**27 + price - 1) // price",
        ("ACT-TAKE", "ROUNDING-FAVOURS-PROTOCOL"),
        (
            "ROUNDING-FAVOURS-PROTOCOL/all/purchase",
            "ROUNDING-FAVOURS-PROTOCOL/gen3/EndAuction",
            "ROUNDING-FAVOURS-PROTOCOL/gen2/Take",
        ),
    ),
    _m(
        "purchase-chost-check-removed",
        "a partial purchase may leave any tab behind (the chost rule is gone)",
        _AUCTIONS,
        "elif collateral * price < tab * RAY and collateral < lot and tab - paid < chost:",
        "elif collateral * price < tab * RAY and collateral < lot and tab - paid < 0:",
        ("ACT-TAKE",),
        ("ACT-TAKE/all/purchase-chost", "ACT-TAKE/gen2/Take/iff"),
    ),
    _m(
        "purchase-partial-test-after-rounding",
        "a purchase worth within one unit below the tab counts as clearing it (paid rounded "
        "up, then compared), where dss compares the exact value",
        _AUCTIONS,
        "elif collateral * price < tab * RAY and collateral < lot and tab - paid < chost:",
        "elif paid < tab and collateral < lot and tab - paid < chost:",
        ("ACT-TAKE", "GEN2-DSS"),
        ("ACT-TAKE/gen2/Take/iff",),
    ),
    _m(
        "collect-exposure-not-reduced",
        "a purchase does not reduce exposure by what it paid",
        _AUCTIONS,
        'exposure=sub(state.exposure, paid, "state.exposure"),',
        "exposure=state.exposure,",
        ("EXPOSURE-ACCOUNTING",),
        ("EXPOSURE-ACCOUNTING/gen3/EndAuction", "EXPOSURE-ACCOUNTING/gen2/Take"),
    ),
    _m(
        "collect-lp-income-not-in-cash",
        "the LPs' share of a paid penalty is credited to their claims but not to pool cash",
        _AUCTIONS,
        'cash=add(pool.cash, to_pool + to_lps, "state.pool.cash"),',
        'cash=add(pool.cash, to_pool, "state.pool.cash"),',
        ("CONSERVE-QUOTE", "BALANCE-SHEET"),
        ("CONSERVE-QUOTE/gen3/EndAuction", "BALANCE-SHEET/gen3/EndAuction"),
    ),
    _m(
        "settle-leftover-kept",
        "settling an auction that raised its tab does not return the leftover collateral",
        _AUCTIONS,
        "returned = auction.lot\n",
        "returned = 0\n",
        ("BORROWER-SURPLUS", "CONSERVE-COLLATERAL"),
        ("BORROWER-SURPLUS/gen3/Settle", "CONSERVE-COLLATERAL/gen2/Settle"),
    ),
    _m(
        "settle-unbacked-not-decremented",
        "settling an unbacked auction leaves the unbacked counter as it was",
        _AUCTIONS,
        "unbacked=state.unbacked if auction.backed else state.unbacked - 1,",
        "unbacked=state.unbacked,",
        ("UNBACKED-ACCOUNTING", "ACT-SETTLE"),
        ("UNBACKED-ACCOUNTING/gen3/Settle",),
    ),
    _m(
        "settle-fee-exposure-kept",
        "settling an auction removes its unpaid debt from exposure but not its unpaid fee",
        _AUCTIONS,
        'exposure=sub(state.exposure, auction.debt + auction.fee, "state.exposure"),',
        'exposure=sub(state.exposure, auction.debt, "state.exposure"),',
        ("EXPOSURE-ACCOUNTING", "ACT-SETTLE"),
        ("EXPOSURE-ACCOUNTING/gen3/Settle",),
    ),
    _m(
        "settle-finished-check-weakened",
        "an auction counts as finished once its debt is paid, though its fee is not",
        _AUCTIONS,
        "    if auction.lot > 0 and auction.debt + auction.fee > 0:\n"
        "        return refuse(RefusalCode.AUCTION_NOT_FINISHED",
        "    if auction.lot > 0 and auction.debt > 0:\n"
        "        return refuse(RefusalCode.AUCTION_NOT_FINISHED",
        ("ACT-SETTLE", "BORROWER-SURPLUS"),
        ("BORROWER-SURPLUS/gen3/Settle", "ACT-SETTLE/gen3/Settle/iff"),
    ),
    _m(
        "live-auction-ignores-paid-tab",
        "an auction whose tab is fully paid still counts as live (takes and resets go on)",
        _AUCTIONS,
        "if auction.lot == 0 or auction.debt + auction.fee == 0:",
        "if auction.lot == 0:",
        ("ACT-TAKE", "ACT-REDO", "ACT-END-AUCTION"),
        ("ACT-END-AUCTION/gen3/EndAuction/iff", "ACT-REDO/gen2/Redo/iff"),
    ),
    # --- the waterfall and incentives -------------------------------------------------------
    _m(
        "waterfall-insurance-not-credited",
        "insurance covering a shortfall leaves the fund but never reaches pool cash",
        _WATERFALL,
        "insurance=sub(buffers.insurance, paid))\n"
        '            pool = attrs.evolve(pool, cash=add(pool.cash, paid, "state.pool.cash"))\n',
        "insurance=sub(buffers.insurance, paid))\n",
        ("CONSERVE-QUOTE", "LOSS-WATERFALL"),
        ("CONSERVE-QUOTE/gen3/Settle", "CONSERVE-QUOTE/gen2/Settle"),
    ),
    _m(
        "waterfall-lp-write-off-missing",
        "the LPs' rung records bad debt but does not write it off their claims",
        _WATERFALL,
        "            pool = attrs.evolve(pool, lp_claims=sub(pool.lp_claims, paid, "
        '"state.pool.lp_claims"))\n',
        "",
        ("BALANCE-SHEET", "LOSS-WATERFALL"),
        ("BALANCE-SHEET/gen1/Liquidate", "BALANCE-SHEET/gen2/Settle"),
    ),
    _m(
        "incentive-ledger-leak",
        "a keeper incentive leaves the insurance fund without being booked as quote out",
        _WATERFALL,
        "ledger = attrs.evolve(\n"
        "        state.ledger, quote_out=add(state.ledger.quote_out, paid, "
        '"state.ledger.quote_out")\n'
        "    )",
        "ledger = state.ledger",
        ("CONSERVE-QUOTE",),
        ("CONSERVE-QUOTE/gen3/Redo", "CONSERVE-QUOTE/gen2/Redo"),
    ),
    # --- gen 1 ----------------------------------------------------------------------------
    _m(
        "gen1-close-factor-ignored",
        "a gen1 liquidation may repay the whole debt whatever the close factor",
        _GEN1,
        "if action.repay > max_repay(state, position):",
        "if action.repay > position.debt:",
        ("GEN1-LIQUIDATION", "NO-HEALTHY-LIQUIDATION"),
        ("NO-HEALTHY-LIQUIDATION/gen1/Liquidate",),
    ),
    _m(
        "gen1-bonus-applied-twice",
        "the gen1 seizure compounds the bonus twice: repay * (1 + bonus)^2 / spot",
        _GEN1,
        'seized = mul_div_down(repay, RAY + p.bonus, spot, "formula.seized")',
        "seized = mul_div_down(repay, (RAY + p.bonus) * (RAY + p.bonus) // RAY, spot, "
        '"formula.seized")',
        ("GEN1-LIQUIDATION", "ROUNDING-FAVOURS-PROTOCOL"),
        ("ROUNDING-FAVOURS-PROTOCOL/gen1/Liquidate",),
    ),
    _m(
        "gen1-seizure-rounds-up",
        "the gen1 seizure repay * (1 + bonus) / spot rounds up, in the liquidator's favour",
        _GEN1,
        'seized = mul_div_down(repay, RAY + p.bonus, spot, "formula.seized")',
        'seized = mul_div_up(repay, RAY + p.bonus, spot, "formula.seized")',
        ("GEN1-LIQUIDATION", "ROUNDING-FAVOURS-PROTOCOL"),
        ("ROUNDING-FAVOURS-PROTOCOL/gen1/Liquidate",),
    ),
    _m(
        "gen1-bad-debt-left-on-books",
        "a gen1 position stripped of all collateral keeps its remaining debt (no write-off)",
        _GEN1,
        "bad_debt = position.debt if position.collateral == 0 else 0",
        "bad_debt = 0",
        ("GEN1-LIQUIDATION", "LOSS-WATERFALL"),
        ("DEBT-DUST/gen1/Liquidate",),
    ),
    _m(
        "gen1-repayment-not-in-cash",
        "a gen1 liquidator's repayment is booked as quote in but never reaches pool cash",
        _GEN1,
        'pool = attrs.evolve(state.pool, cash=add(state.pool.cash, repaid, "state.pool.cash"))',
        "pool = state.pool",
        ("CONSERVE-QUOTE", "BALANCE-SHEET"),
        ("CONSERVE-QUOTE/gen1/Liquidate",),
    ),
    # --- gen 2 ----------------------------------------------------------------------------
    _m(
        "gen2-tail-off-by-one",
        "a gen2 auction needs a reset at exactly tail seconds (>= instead of >)",
        _GEN2,
        'done = dur > p.tail or rdiv_down(price, auction.top, "formula.cusp") < p.cusp',
        'done = dur >= p.tail or rdiv_down(price, auction.top, "formula.cusp") < p.cusp',
        ("GEN2-STATUS",),
        ("GEN2-STATUS/gen2/Redo", "GEN2-STATUS/gen2/Take"),
    ),
    _m(
        "gen2-cusp-removed",
        "a gen2 auction needs a reset only after tail; the cusp test is gone",
        _GEN2,
        'done = dur > p.tail or rdiv_down(price, auction.top, "formula.cusp") < p.cusp',
        "done = dur > p.tail",
        ("GEN2-STATUS",),
        ("GEN2-STATUS/gen2/Redo", "GEN2-STATUS/gen2/Take"),
    ),
    _m(
        "gen2-kick-exposure-not-added",
        "a gen2 kick does not add its tab to exposure (Dog.Dirt not raised)",
        _GEN2,
        'exposure=add(state.exposure, tab, "state.exposure"),',
        "exposure=state.exposure,",
        ("EXPOSURE-ACCOUNTING", "GEN2-BARK"),
        ("EXPOSURE-ACCOUNTING/gen2/Kick",),
    ),
    _m(
        "gen2-bark-leaves-dust",
        "a gen2 bark cut to the room may leave a dusty remainder in the vault",
        _GEN2,
        "        if position.debt - debt < dust:\n"
        "            debt = position.debt\n"
        "        elif debt < dust:\n",
        "        if debt < dust:\n",
        ("GEN2-BARK", "DEBT-DUST"),
        ("DEBT-DUST/gen2/Kick",),
    ),
    _m(
        "gen2-hole-ignores-chop",
        "the gen2 room under hole is taken as debt, forgetting that the tab adds chop",
        _GEN2,
        'debt = minimum(position.debt, mul_div_down(room, WAD, p.chop, "formula.room"))',
        "debt = minimum(position.debt, room)",
        ("GEN2-BARK", "EXPOSURE-CAP"),
        ("EXPOSURE-CAP/gen2/Kick",),
    ),
    _m(
        "gen2-redo-keeps-old-tic",
        "a gen2 redo restarts the price but keeps the old start time",
        _GEN2,
        "        tic=state.time,\n        anchor=spot,\n",
        "        anchor=spot,\n",
        ("RESET-GUARDED", "ACT-REDO"),
        ("RESET-GUARDED/gen2/Redo",),
    ),
    _m(
        "gen2-take-collateral-out-not-recorded",
        "collateral bought in a gen2 take leaves the auction but is not booked as out",
        _GEN2,
        "collateral_out=add(state.ledger.collateral_out, collateral, "
        '"state.ledger.collateral_out"),',
        "collateral_out=state.ledger.collateral_out,",
        ("CONSERVE-COLLATERAL",),
        ("CONSERVE-COLLATERAL/gen2/Take",),
    ),
    _m(
        "gen2-spotter-spot-rounds-up",
        "the Spotter's spot = price / mat rounds up: a boundary vault dss barks is left alone",
        _GEN2,
        'return rdiv_down(state.oracle.spot, params(state).mat, "formula.spotter_spot")',
        "return -(-state.oracle.spot * RAY // params(state).mat)",
        ("GEN2-DSS", "GEN2-BARK"),
        ("ACT-KICK/gen2/Kick/iff",),
    ),
    _m(
        "gen2-top-rounds-up",
        "the Clipper's top = spot * buf rounds up instead of dss rmul's down",
        _GEN2,
        'return rmul_dss(state.oracle.spot, params(state).buf, "formula.top")',
        "return -(-state.oracle.spot * params(state).buf // RAY)",
        ("GEN2-DSS", "RESET-GUARDED"),
        ("RESET-GUARDED/gen2/Redo",),
    ),
    _m(
        "gen2-redo-incentive-when-dusty",
        "a gen2 redo pays tip + chip * tab even on a dusty auction",
        _GEN2,
        "    if (p.tip > 0 or p.chip > 0) and not _dusty(p, state.config.dust, tab, auction.lot, "
        "spot):",
        "    if p.tip > 0 or p.chip > 0:",
        ("GEN2-REDO-INCENTIVE",),
        ("GEN2-REDO-INCENTIVE/gen2/Redo",),
    ),
    # --- the lending pool -----------------------------------------------------------------
    _m(
        "lp-mint-rounds-up",
        "LP shares minted for a supply round up (the LP gets a sliver of the others' value)",
        _LENDING,
        'return mul_div_down(amount, pool.total_shares, pool.lp_claims, "formula.shares")',
        'return mul_div_up(amount, pool.total_shares, pool.lp_claims, "formula.shares")',
        ("ACT-SUPPLY-LIQUIDITY", "NUM-ROUNDING"),
        ("ACT-SUPPLY-LIQUIDITY/gen1/SupplyLiquidity/iff",),
    ),
    _m(
        "lp-burn-rounds-down",
        "LP shares burned for a withdrawal round down (the LP keeps a sliver too many)",
        _LENDING,
        'return mul_div_up(amount, pool.total_shares, pool.lp_claims, "formula.shares")',
        'return mul_div_down(amount, pool.total_shares, pool.lp_claims, "formula.shares")',
        ("ACT-WITHDRAW-LIQUIDITY", "NUM-ROUNDING"),
        ("ACT-WITHDRAW-LIQUIDITY/gen1/WithdrawLiquidity/iff",),
    ),
    _m(
        "supply-cash-not-credited",
        "supplied liquidity raises LP claims but never reaches pool cash",
        _LENDING,
        'cash=add(pool.cash, action.amount, "state.pool.cash"),',
        "cash=pool.cash,",
        ("ACT-SUPPLY-LIQUIDITY", "CONSERVE-QUOTE", "BALANCE-SHEET"),
        ("CONSERVE-QUOTE/gen1/SupplyLiquidity",),
    ),
    _m(
        "withdraw-liquidity-ledger-leak",
        "an LP withdrawal leaves pool cash without being booked as quote out",
        _LENDING,
        'quote_out=add(state.ledger.quote_out, action.amount, "state.ledger.quote_out")',
        "quote_out=state.ledger.quote_out",
        ("ACT-WITHDRAW-LIQUIDITY", "CONSERVE-QUOTE"),
        ("CONSERVE-QUOTE/gen1/WithdrawLiquidity",),
    ),
    _m(
        "withdraw-liquidity-all-cash-refused",
        "an LP may not withdraw exactly the pool's cash (>= instead of >)",
        _LENDING,
        "if action.amount > state.pool.cash:",
        "if action.amount >= state.pool.cash:",
        ("ACT-WITHDRAW-LIQUIDITY",),
        ("ACT-WITHDRAW-LIQUIDITY/gen1/WithdrawLiquidity/iff",),
    ),
    _m(
        "fund-pol-ledger-leak",
        "funding POL raises pol_quote without booking the quote in",
        _LENDING,
        "    ledger = attrs.evolve(\n"
        "        state.ledger, quote_in=add(state.ledger.quote_in, action.amount, "
        '"state.ledger.quote_in")\n'
        "    )\n"
        "    state = attrs.evolve(state, buffers=buffers, ledger=ledger)\n"
        "    return state, (PolFunded(",
        "    ledger = state.ledger\n"
        "    state = attrs.evolve(state, buffers=buffers, ledger=ledger)\n"
        "    return state, (PolFunded(",
        ("ACT-FUND-POL", "CONSERVE-QUOTE"),
        ("CONSERVE-QUOTE/gen3/FundPol",),
    ),
    # --- positions ------------------------------------------------------------------------
    _m(
        "borrow-all-cash-refused",
        "a borrower may not borrow exactly the pool's cash (>= instead of >)",
        _POSITIONS,
        "if action.amount > state.pool.cash:",
        "if action.amount >= state.pool.cash:",
        ("ACT-BORROW",),
        ("ACT-BORROW/gen1/Borrow/iff",),
    ),
    _m(
        "borrow-dust-check-removed",
        "a borrow may leave a debt below dust",
        _POSITIONS,
        "if debt < state.config.dust:",
        "if debt < 0:",
        ("ACT-BORROW", "DEBT-DUST"),
        ("DEBT-DUST/gen1/Borrow",),
    ),
    _m(
        "repay-leaves-dust",
        "a repayment may leave exactly 1 unit of debt (dust check off by one at the bottom)",
        _POSITIONS,
        "if 0 < left < state.config.dust:",
        "if 1 < left < state.config.dust:",
        ("ACT-REPAY", "DEBT-DUST"),
        ("DEBT-DUST/gen1/Repay",),
    ),
    _m(
        "repay-cash-not-credited",
        "a repayment reduces the debt but never reaches pool cash",
        _POSITIONS,
        "pool = attrs.evolve(state.pool, cash=add(state.pool.cash, action.amount, "
        '"state.pool.cash"))',
        "pool = state.pool",
        ("ACT-REPAY", "CONSERVE-QUOTE", "BALANCE-SHEET"),
        ("CONSERVE-QUOTE/gen1/Repay",),
    ),
    _m(
        "deposit-ledger-leak",
        "deposited collateral is credited to the position but not booked as collateral in",
        _POSITIONS,
        "collateral_in=add(state.ledger.collateral_in, action.amount, "
        '"state.ledger.collateral_in"),',
        "collateral_in=state.ledger.collateral_in,",
        ("ACT-DEPOSIT-COLLATERAL", "CONSERVE-COLLATERAL"),
        ("CONSERVE-COLLATERAL/gen1/DepositCollateral",),
    ),
    _m(
        "withdraw-collateral-checks-old-collateral",
        "a collateral withdrawal tests leverage on the collateral before the withdrawal",
        _POSITIONS,
        "state, position.collateral - action.amount, position.debt",
        "state, position.collateral, position.debt",
        ("ACT-WITHDRAW-COLLATERAL",),
        ("ACT-WITHDRAW-COLLATERAL/gen1/WithdrawCollateral/iff",),
    ),
    # --- pre-liquidation and the risk steward ------------------------------------------------
    _m(
        "preliq-band-top-unchecked",
        "a pre-liquidation no longer checks that the position is below its terms' ratio",
        _PRELIQ,
        "    if value >= position.debt * terms.ratio:\n"
        '        return refuse(RefusalCode.NOT_LIQUIDATABLE, "state.pre_liquidation.ratio")\n',
        "",
        ("PRELIQ-CONSENT", "ACT-PRE-LIQUIDATE"),
        ("PRELIQ-CONSENT/gen3/PreLiquidate/predictive",),
    ),
    _m(
        "preliq-below-l-allowed",
        "a pre-liquidation is allowed below L, where only the ordinary liquidation may act",
        _PRELIQ,
        "    if value < position.debt * ratio:\n"
        '        return refuse(RefusalCode.POSITION_LIQUIDATABLE, "params.liquidation_ratio")\n',
        "",
        ("PRELIQ-CONSENT", "ACT-PRE-LIQUIDATE"),
        ("PRELIQ-CONSENT/gen3/PreLiquidate/predictive",),
    ),
    _m(
        "preliq-seized-one-unit-more",
        "the keeper receives one unit of collateral more than the incentive gives",
        _PRELIQ,
        'seized = mul_div_down(action.amount, incentive, state.oracle.reference, "formula.seized")',
        "seized = mul_div_down("
        'action.amount, incentive, state.oracle.reference, "formula.seized") + 1',
        ("PRELIQ-KEEPER-GAIN", "ACT-PRE-LIQUIDATE"),
        ("PRELIQ-KEEPER-GAIN/gen3/PreLiquidate/predictive",),
    ),
    _m(
        "preliq-close-factor-off-by-one",
        "the close factor's cap lets one unit of debt more be repaid",
        _PRELIQ,
        'if action.amount > rmul_down(position.debt, close_factor, "formula.close_factor"):',
        'if action.amount > rmul_down(position.debt, close_factor, "formula.close_factor") + 1:',
        ("PRELIQ-CLOSE-FACTOR", "ACT-PRE-LIQUIDATE"),
        ("PRELIQ-CLOSE-FACTOR/gen3/PreLiquidate/predictive",),
    ),
    _m(
        "preliq-incentive-above-l-accepted",
        "opting in no longer bounds the incentive by L in force",
        _PRELIQ,
        "if action.incentive_end < action.incentive_start or action.incentive_end > ratio:",
        "if action.incentive_end < action.incentive_start:",
        ("PRELIQ-TERMS", "ACT-SET-PRE-LIQUIDATION"),
        ("ACT-SET-PRE-LIQUIDATION/gen3/SetPreLiquidation/new/iff",),
    ),
    _m(
        "preliq-opt-in-by-anyone",
        "anyone may set a position's pre-liquidation terms, not only its owner",
        _PRELIQ,
        "    if position.owner != action.owner:\n"
        '        return refuse(RefusalCode.NOT_OWNER, "position.owner")\n',
        "",
        ("ACT-SET-PRE-LIQUIDATION", "PRELIQ-CONSENT"),
        ("ACT-SET-PRE-LIQUIDATION/gen3/SetPreLiquidation/stranger/iff",),
    ),
    _m(
        "steward-change-unbounded",
        "the steward may move a parameter by any amount in one update",
        _STEWARD,
        "        if distance(new, old) > bounds.max_change:\n"
        '            return refuse(RefusalCode.UPDATE_TOO_LARGE, f"action.{name}")\n',
        "",
        ("STEWARD-BOUNDED", "ACT-UPDATE-PARAMS"),
        ("STEWARD-BOUNDED/gen3/UpdateParams/first/predictive",),
    ),
    _m(
        "steward-safety-inequality-unchecked",
        "an update that breaks ASM-SAFETY-INEQUALITY (a) is accepted",
        _STEWARD,
        "    if not safety_inequality_holds(state, action.liquidation_ratio):\n"
        '        return refuse(RefusalCode.UNSAFE_PARAMS, "action.liquidation_ratio")\n',
        "",
        ("STEWARD-SAFE", "ASM-SAFETY-INEQUALITY", "ACT-UPDATE-PARAMS"),
        ("ACT-UPDATE-PARAMS/gen3/UpdateParams/thin-penalty/iff",),
    ),
    _m(
        "steward-no-phase-in",
        "a higher L takes effect at once: an update alone makes positions liquidatable",
        _STEWARD,
        "    elif new_l > now:\n",
        "    elif False:\n",
        ("STEWARD-PHASE-IN", "NO-HEALTHY-LIQUIDATION"),
        ("STEWARD-PHASE-IN/gen3/UpdateParams/first/predictive",),
    ),
    _m(
        "steward-lock-ignored",
        "the steward may change a parameter again before its lock expires",
        _STEWARD,
        "        if state.time < _locked_until(state, name):\n",
        "        if False:\n",
        ("STEWARD-BOUNDED", "ACT-UPDATE-PARAMS"),
        ("ACT-UPDATE-PARAMS/gen3/UpdateParams/iff",),
    ),
    _m(
        "steward-phase-in-one-unit-high",
        "the ratio in force during a phase-in is one unit high: liquidatable a unit early",
        _STEWARD,
        "    return steward.phase_from + mul_div_down(\n",
        "    return steward.phase_from + 1 + mul_div_down(\n",
        ("STEWARD-PHASE-IN",),
        ("ACT-SET-PRE-LIQUIDATION/gen3/SetPreLiquidation/iff",),
    ),
    # --- many markets (issue 15): each drops one isolation rule of spec/markets.md -------
    _m(
        "system-backstop-cap-unchecked",
        "a draw for a market is not held to its cap: one market may empty the shared fund",
        _SYS_BACKSTOP,
        "    if drawn + action.amount > backstop.caps.get(action.market, 0):\n",
        "    if False:\n",
        ("BACKSTOP-RESERVED", "BACKSTOP-CAP", "ACT-DRAW-BACKSTOP"),
        ("BACKSTOP-RESERVED/all/DrawBackstop",),
    ),
    _m(
        "system-hole-ignored",
        "a kick is not held to the global hole: the markets' exposures together exceed it",
        _SYS_ROUTING,
        "    if total_exposure(system) - before.exposure + after.exposure > system.config.hole:\n",
        "    if False:\n",
        ("SYS-HOLE",),
        ("SYS-HOLE/all/A-gen2-Kick",),
    ),
    _m(
        "system-halted-venue-ignored",
        "a market on a halted venue still moves",
        _SYS_ROUTING,
        '    if system.venue_of.get(market, "") in system.halted:\n',
        "    if False:\n",
        ("SYS-VENUE-HALT",),
        ("SYS-VENUE-HALT/all/A-halted-Repay",),
    ),
    _m(
        "system-shutdown-still-lends",
        "a shut-down market still accepts borrowing",
        _SYS_ROUTING,
        "    if market in system.shut_down and isinstance(action.action, NEW_DEBT):\n",
        "    if False:\n",
        ("SHUTDOWN-NO-NEW-DEBT",),
        ("SHUTDOWN-NO-NEW-DEBT/all/A-gen3-Borrow",),
    ),
    _m(
        "system-allocation-keeps-cash",
        "an allocation credits the market without debiting the shared pool's idle cash",
        _SYS_TOPOLOGY,
        '    cash = sub(system.shared.cash, action.amount, "system.shared.cash")\n',
        "    cash = system.shared.cash\n",
        ("SYS-CONSERVE-QUOTE", "ACT-ALLOCATE"),
        ("SYS-CONSERVE-QUOTE/all/Allocate",),
    ),
    _m(
        "system-message-early",
        "a message is delivered before its latency has elapsed",
        _SYS_MESSAGES,
        "    if system.clock < message.sent_at + system.config.latency:\n",
        "    if False:\n",
        ("MSG-LATENCY",),
        ("MSG-LATENCY/all/Deliver",),
    ),
    _m(
        "system-message-kept-in-flight",
        "a delivered message stays in flight: it can be delivered again",
        _SYS_MESSAGES,
        "        messages=system.messages.delete(action.message),\n",
        "        messages=system.messages,\n",
        ("MSG-AT-MOST-ONCE", "MSG-CONSERVE"),
        ("MSG-CONSERVE/all/Deliver",),
    ),
)

BY_ID: dict[str, Mutant] = {m.id: m for m in MUTANTS}


def occurrences(mutant: Mutant, root: Path = ROOT) -> int:
    """How many times ``mutant.original`` occurs in its file under ``root`` (a positioned
    mutant: 1 when it is at its position, else 0)."""
    text = (root / mutant.file).read_text()
    if mutant.line:
        from proofs.mutants.sites import splice

        found = splice(text, mutant.line, mutant.column, mutant.original, mutant.replacement)
        return 0 if found is None else 1
    return text.count(mutant.original)


def check(mutants: tuple[Mutant, ...] = MUTANTS, root: Path = ROOT) -> list[str]:
    """Problems with the catalogue: rotted snippets, duplicate ids, no verdict."""
    problems: list[str] = []
    seen: set[str] = set()
    for m in mutants:
        if m.id in seen:
            problems.append(f"{m.id}: duplicate id")
        seen.add(m.id)
        if not m.file.startswith("model/"):
            problems.append(f"{m.id}: {m.file} is not a model file")
        elif not (root / m.file).is_file():
            problems.append(f"{m.id}: {m.file} does not exist")
        else:
            count = occurrences(m, root)
            if count != 1:
                problems.append(f"{m.id}: original occurs {count} times in {m.file}, not once")
        if m.original == m.replacement:
            problems.append(f"{m.id}: replacement equals original")
        if not m.killers and not (m.equivalent or m.gap):
            problems.append(f"{m.id}: no killers, and neither equivalent nor gap says why")
        if m.killers and (m.equivalent or m.gap):
            problems.append(f"{m.id}: has killers but is marked equivalent or gap")
        if not m.killers and not m.exercised_by:
            problems.append(f"{m.id}: no killers and no exercised_by tasks")
    return problems


def select(only: tuple[str, ...] = ()) -> list[Mutant]:
    """The mutants with the given ids (all when empty); unknown ids raise KeyError."""
    if not only:
        return list(MUTANTS)
    return [BY_ID[i] for i in only]
