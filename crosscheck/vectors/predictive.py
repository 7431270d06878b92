"""Vectors for pre-liquidation and the risk steward (``spec/preliquidation.md``,
``spec/steward.md``): every guard's refusal and the accepted branches of
``SetPreLiquidation``, ``PreLiquidate`` and ``UpdateParams`` under gen 3 with the
reference steward bounds, and their refusal as unsupported under gen 1 and gen 2.

They are appended after every other constructed case, under handlers of their own, so
the vectors that existed before these actions are byte for byte what they were.
"""

from __future__ import annotations

import attrs

from crosscheck.vectors.catalogue import ACCEPTED, BASE, Catalogue, crash, with_policy
from model.actions import AdvanceTime, PreLiquidate, SetPreLiquidation, UpdateParams
from model.errors import RefusalCode as R
from model.numbers import RAY, WAD
from model.params.presets import STEWARD, percent

TERMS = (percent("145"), percent("10"), percent("50"), percent("101"), percent("104"))
"""Bob's terms: pre-liquidation from 145 % down to L = 125 %, close factor 10 % to 50 %,
incentive 1 % to 4 %."""
OUT = (0, 0, 0, 0, 0)
SENDER = STEWARD.steward


def update(ratio: str, target: str = "145", margin: str = "10") -> UpdateParams:
    """An update to ``L``, ``T`` and the margin, in percent."""
    return UpdateParams(SENDER, percent(ratio), percent(target), percent(margin))


def gen3_cases(cat: Catalogue) -> None:
    config = attrs.evolve(cat.config, steward=STEWARD)
    add = cat.add
    base = cat.state("steward_base", *BASE, config=config)
    consented = (SetPreLiquidation("bob", 1, *TERMS),)
    in_band = cat.state("preliq_in_band", *BASE, *consented, *crash(1600), config=config)
    below_l = cat.state("preliq_below_l", *BASE, *consented, *crash(1400), config=config)

    # opting in and out
    add("set", "the owner opts in to well-formed terms", base, consented[0], ACCEPTED)
    add(
        "set_out",
        "every term 0 withdraws the consent",
        in_band,
        SetPreLiquidation("bob", 1, *OUT),
        ACCEPTED,
    )
    add(
        "set_out_none",
        "no consent to withdraw",
        base,
        SetPreLiquidation("bob", 1, *OUT),
        R.NOT_CONSENTED,
    )
    add("set_unknown", "", base, SetPreLiquidation("bob", 9, *TERMS), R.UNKNOWN_POSITION)
    add(
        "set_not_owner",
        "only the owner consents",
        base,
        SetPreLiquidation("eve", 1, *TERMS),
        R.NOT_OWNER,
    )
    at_l = (percent("125"), *TERMS[1:])
    add(
        "set_ratio_at_l",
        "the band must lie above L",
        base,
        SetPreLiquidation("bob", 1, *at_l),
        R.INVALID_TERMS,
    )
    rich = (*TERMS[:4], percent("126"))
    add(
        "set_incentive_above_l",
        "an incentive above L would lower the ratio",
        base,
        SetPreLiquidation("bob", 1, *rich),
        R.INVALID_TERMS,
    )
    add(
        "set_2_256",
        "",
        base,
        SetPreLiquidation("bob", 1, 2**256, *TERMS[1:]),
        R.AMOUNT_OUT_OF_RANGE,
    )

    # pre-liquidating: bob at 1 600 is at 135.6 %, inside his band
    debt = 11_800 * WAD
    add(
        "pre_liquidate",
        "repays inside the close factor; collateral at the incentive",
        in_band,
        PreLiquidate("kpr", 1, 2_000 * WAD),
        ACCEPTED,
    )
    add(
        "pre_liquidate_beyond_close_factor",
        "",
        in_band,
        PreLiquidate("kpr", 1, debt // 2),
        R.CLOSE_FACTOR_EXCEEDED,
    )
    add("pre_liquidate_zero", "", in_band, PreLiquidate("kpr", 1, 0), R.ZERO_AMOUNT)
    add("pre_liquidate_unknown", "", in_band, PreLiquidate("kpr", 9, WAD), R.UNKNOWN_POSITION)
    add(
        "pre_liquidate_not_consented",
        "ann did not opt in",
        in_band,
        PreLiquidate("kpr", 0, WAD),
        R.NOT_CONSENTED,
    )
    add(
        "pre_liquidate_above_band",
        "bob at 169 % is above his band",
        cat.state("preliq_above", *BASE, *consented, config=config),
        PreLiquidate("kpr", 1, WAD),
        R.NOT_LIQUIDATABLE,
    )
    add(
        "pre_liquidate_below_l",
        "below L only the kick may act",
        below_l,
        PreLiquidate("kpr", 1, WAD),
        R.POSITION_LIQUIDATABLE,
    )
    stale = cat.state(
        "preliq_stale", *BASE, *consented, *crash(1600), AdvanceTime(3_601), config=config
    )
    add(
        "pre_liquidate_stale",
        "paused with the kick",
        stale,
        PreLiquidate("kpr", 1, WAD),
        R.ORACLE_STALE,
    )
    leaves_dust = debt - 500 * WAD
    wide = (TERMS[0], RAY, RAY, *TERMS[3:])
    whole = cat.state(
        "preliq_whole", *BASE, SetPreLiquidation("bob", 1, *wide), *crash(1600), config=config
    )
    add(
        "pre_liquidate_dust",
        "would leave less than dust",
        whole,
        PreLiquidate("kpr", 1, leaves_dust),
        R.DUST,
    )
    add("pre_liquidate_2_256", "", in_band, PreLiquidate("kpr", 1, 2**256), R.AMOUNT_OUT_OF_RANGE)

    # the steward
    add("update_raise_l", "a higher L phases in over phase_in", base, update("130"), ACCEPTED)
    add("update_lower_l", "a lower L takes effect at once", base, update("120"), ACCEPTED)
    add(
        "update_not_steward",
        "",
        base,
        UpdateParams("eve", percent("130"), percent("145"), percent("10")),
        R.NOT_STEWARD,
    )
    no_bounds = cat.state("steward_none", *BASE)
    add(
        "update_no_steward",
        "the configuration names no steward",
        no_bounds,
        update("130"),
        R.NOT_STEWARD,
    )
    add("update_too_large", "more than max_change", base, update("131"), R.UPDATE_TOO_LARGE)
    raised = cat.state("steward_raised", *BASE, update("130"), config=config)
    add("update_too_soon", "L is locked for min_delay", raised, update("135"), R.UPDATE_TOO_SOON)
    closer = cat.state(
        "steward_closer", *BASE, update("130", "140"), AdvanceTime(3_600), config=config
    )
    add(
        "update_t_not_above_l",
        "T must stay above L",
        closer,
        update("135", "135"),
        R.INVALID_PARAMS,
    )
    lowered = cat.state("steward_lowered", *BASE, update("120"), AdvanceTime(3_600), config=config)
    add(
        "update_below_backstop",
        "L at or below the backstop ratio",
        lowered,
        update("116"),
        R.INVALID_PARAMS,
    )
    cheap = with_policy(config, penalty=percent("1"))
    unsafe = cat.state(
        "steward_unsafe",
        *BASE,
        update("120"),
        AdvanceTime(3_600),
        update("115"),
        AdvanceTime(3_600),
        config=cheap,
    )
    add(
        "update_unsafe",
        "L (1 - max_step) floor_ratio < 1 + eta",
        unsafe,
        update("113"),
        R.UNSAFE_PARAMS,
    )
    add("update_2_256", "", base, UpdateParams(SENDER, 2**256, 0, 0), R.AMOUNT_OUT_OF_RANGE)


def unsupported_cases(cat: Catalogue) -> None:
    """Gen 1 and gen 2 have no pre-liquidation and no steward."""
    base = cat.state("base", *BASE)
    add = cat.add
    add(
        "unsupported_set_pre_liquidation",
        "",
        base,
        SetPreLiquidation("bob", 1, *TERMS),
        R.UNSUPPORTED_ACTION,
    )
    add("unsupported_pre_liquidate", "", base, PreLiquidate("kpr", 1, WAD), R.UNSUPPORTED_ACTION)
    add("unsupported_update_params", "", base, update("130"), R.UNSUPPORTED_ACTION)


PREDICTIVE_BUILDERS = {"gen1": unsupported_cases, "gen2": unsupported_cases, "gen3": gen3_cases}
